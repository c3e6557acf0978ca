namespace MailOps.Core.Providers;

/// <summary>
/// What a provider does with a domain's inbound mail. It matters for audits: a gateway's MX says
/// nothing about where the mailboxes live, so the sending side (SPF includes, DKIM selectors) may
/// belong to another provider entirely.
/// </summary>
public enum MailProviderKind
{
    /// <summary>The provider hosts the mailboxes (Google Workspace, Microsoft 365, ...).</summary>
    Mailbox,

    /// <summary>The provider filters inbound mail and relays it on (Mimecast, Proofpoint, ...).</summary>
    Gateway,
}
