namespace MailOps.Core.Dmarc;

/// <summary>
/// Identifier alignment mode of the adkim and aspf tags (RFC 7489 section 3.1, RFC 9989
/// section 4.4): how closely the DKIM d= or SPF MAIL FROM domain must match the From domain.
/// </summary>
public enum DmarcAlignment
{
    /// <summary>"r" (the default): same Organizational Domain is enough.</summary>
    Relaxed,

    /// <summary>"s": the domains must be identical.</summary>
    Strict,
}
