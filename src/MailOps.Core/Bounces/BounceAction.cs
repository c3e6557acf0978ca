namespace MailOps.Core.Bounces;

/// <summary>
/// The Action of a recipient, as the per-recipient "Action" field of a DSN names it (RFC 3464
/// section 2.3.3). Text-only bounces are mapped to <see cref="Failed"/> or <see cref="Delayed"/>.
/// </summary>
public enum BounceAction
{
    /// <summary>The message could not be delivered and will not be retried.</summary>
    Failed,

    /// <summary>Delivery failed for now; the reporting MTA keeps trying.</summary>
    Delayed,

    /// <summary>Delivered to the recipient's mailbox (a success DSN).</summary>
    Delivered,

    /// <summary>Handed to a system that sends no DSNs.</summary>
    Relayed,

    /// <summary>Delivered to a list or alias that expanded to several addresses.</summary>
    Expanded,
}
