namespace MailOps.Core.Relay;

/// <summary>
/// Receives each step of a send (connect, TLS, every SMTP command and reply, outbox changes)
/// so the cmdlet can show them with -Verbose. Credentials never reach it: AUTH data is masked
/// and message content is summarised, not echoed.
/// </summary>
public interface IRelaySendObserver
{
    /// <summary>One step, as a line of text. May be called from any thread.</summary>
    void OnStep(string line);
}
