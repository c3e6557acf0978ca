namespace MailOps.Core.Audit;

/// <summary>Which part of a domain's mail setup a finding is about, so reports can group by it.</summary>
public enum MailDomainArea
{
    /// <summary>MX records (RFC 5321, RFC 7505).</summary>
    Mx,

    /// <summary>SPF (RFC 7208).</summary>
    Spf,

    /// <summary>DMARC (RFC 9989, RFC 7489).</summary>
    Dmarc,

    /// <summary>DKIM keys (RFC 6376, RFC 8463).</summary>
    Dkim,

    /// <summary>MTA-STS (RFC 8461).</summary>
    MtaSts,

    /// <summary>SMTP TLS reporting (RFC 8460).</summary>
    TlsRpt,

    /// <summary>BIMI.</summary>
    Bimi,

    /// <summary>What the domain's mail provider needs (its SPF include, its DKIM selectors).</summary>
    Provider,
}

/// <summary>The overall verdict of an audit: Fail when any Error finding exists, Warning when any
/// Warning does, else Pass.</summary>
public enum MailDomainStatus
{
    /// <summary>No Error or Warning finding.</summary>
    Pass,

    /// <summary>At least one Warning, no Error.</summary>
    Warning,

    /// <summary>At least one Error.</summary>
    Fail,
}
