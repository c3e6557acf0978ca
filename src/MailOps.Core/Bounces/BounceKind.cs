namespace MailOps.Core.Bounces;

/// <summary>
/// Why a recipient bounced, in the terms a list owner acts on: only <see cref="HardBounce"/>
/// means "this address does not exist, stop sending"; the others are about the mailbox, the
/// sender's reputation or the route, and most of them clear up by themselves.
/// </summary>
public enum BounceKind
{
    /// <summary>The address does not exist (RFC 3463 X.1.x, "user unknown"): suppress it.</summary>
    HardBounce,

    /// <summary>A temporary failure (RFC 3463 4.X.X): the sender retries; nothing to suppress.</summary>
    SoftBounce,

    /// <summary>The mailbox exists but is over quota (X.2.2, "mailbox full", "quota").</summary>
    MailboxFull,

    /// <summary>The receiver refused by policy (5.7.x: relaying, authentication, DMARC, access).</summary>
    PolicyBlock,

    /// <summary>The receiver refused the sender as spam or because it is on a blocklist
    /// (5.7.1 with "spam", "blocked", "blacklist", "listed"...): fix the sender, not the list.</summary>
    SpamBlock,

    /// <summary>The recipient's domain has no usable MX or does not resolve (X.4.4, X.1.2,
    /// "Host or domain name not found", "no MX").</summary>
    DnsFailure,

    /// <summary>Not enough information to say (no status code and no known wording, or a
    /// delivered/relayed/expanded notification).</summary>
    Unknown,
}
