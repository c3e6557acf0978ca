namespace MailOps.Core.Relay;

/// <summary>
/// What happened to one message in Send-RelayMail or Invoke-RelayQueue: the three outcomes a
/// sender has to act on differently (done, will be retried, needs a human).
/// </summary>
public enum RelaySendStatus
{
    /// <summary>The relay accepted the message (250 after DATA) for at least one recipient.</summary>
    Sent,

    /// <summary>A transient failure (4xx reply, no relay reachable): the message waits in the
    /// outbox and Invoke-RelayQueue retries it (RFC 5321 4.5.4.1 retry strategy).</summary>
    Deferred,

    /// <summary>A permanent failure (5xx reply, every recipient suppressed or rejected): it
    /// will not be retried.</summary>
    Failed,
}
