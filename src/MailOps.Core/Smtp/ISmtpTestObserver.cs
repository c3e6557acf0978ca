namespace MailOps.Core.Smtp;

/// <summary>
/// Receives every step of a test as a line of text ("S: 220 mail.example ESMTP", "C: EHLO me")
/// so a cmdlet can show it with -Verbose. Credentials are already masked when a line arrives.
/// Called from the test's thread, not the pipeline thread.
/// </summary>
public interface ISmtpTestObserver
{
    /// <summary>One step or protocol line.</summary>
    void OnStep(string line);
}
