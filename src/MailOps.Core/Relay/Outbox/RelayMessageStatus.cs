namespace MailOps.Core.Relay;

/// <summary>
/// Where a message in the outbox stands. The only transitions are
/// Queued -> Sending (claimed before the SMTP transaction), Deferred -> Sending (a retry that is
/// due), Sending -> Sent / Deferred / Failed (after it), and Queued / Deferred -> Cancelled.
/// Sent, Failed and Cancelled are final.
/// </summary>
public enum RelayMessageStatus
{
    /// <summary>Written to the outbox and not tried yet.</summary>
    Queued,

    /// <summary>Claimed by a sender that is (or was, if it crashed) in the SMTP transaction. It is
    /// never resent automatically: it may already have been delivered.</summary>
    Sending,

    /// <summary>The server accepted it (250 after DATA); kept for the retention period as a log.</summary>
    Sent,

    /// <summary>A transient failure (4xx, connection lost): it waits for its next attempt time.</summary>
    Deferred,

    /// <summary>A permanent failure (5xx) or too many attempts; it is not tried again.</summary>
    Failed,

    /// <summary>An admin cancelled it (Stop-RelayMessage) before it was sent.</summary>
    Cancelled,
}
