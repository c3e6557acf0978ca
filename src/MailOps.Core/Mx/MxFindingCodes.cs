namespace MailOps.Core.Mx;

/// <summary>
/// The stable codes of the findings that <see cref="MxRecordAnalyzer"/> reports. Scripts filter
/// on them and about_MailOps documents them, so a code is never renamed once released.
/// </summary>
public static class MxFindingCodes
{
    /// <summary>Info: the domain publishes no MX record. Senders then use the domain's own A/AAAA
    /// records as an implicit MX (RFC 5321 section 5.1); the message says whether it has any.</summary>
    public const string MxNoRecord = "MxNoRecord";

    /// <summary>Error: the domain does not exist (NXDOMAIN), so mail to it bounces.</summary>
    public const string MxDomainNotFound = "MxDomainNotFound";

    /// <summary>Error: a lookup failed (SERVFAIL, REFUSED, timeout): senders defer mail and retry
    /// (RFC 5321 section 5.1), so delivery is delayed until the DNS is fixed.</summary>
    public const string MxDnsError = "MxDnsError";

    /// <summary>Info: the domain publishes a null MX (RFC 7505): it accepts no mail at all.</summary>
    public const string MxNullMx = "MxNullMx";

    /// <summary>Error: a null MX "." next to other MX records; RFC 7505 section 3 forbids it and
    /// senders may treat the domain as accepting no mail.</summary>
    public const string MxNullMxMixed = "MxNullMxMixed";

    /// <summary>Warning: a null MX with a preference other than 0 (RFC 7505 section 3 says 0).</summary>
    public const string MxNullMxPreference = "MxNullMxPreference";

    /// <summary>Warning: the exchange is an alias (CNAME). RFC 2181 section 10.3 and RFC 5321
    /// section 5.1 forbid it; most senders follow the alias, some do not.</summary>
    public const string MxTargetIsCname = "MxTargetIsCname";

    /// <summary>Error: the exchange is an IP address, not a host name; senders look it up as a
    /// name and find nothing (RFC 5321 section 5.1 requires a domain name).</summary>
    public const string MxIpLiteral = "MxIpLiteral";

    /// <summary>Error: the exchange has no A or AAAA record ("MX to nowhere"), so senders cannot
    /// reach it (RFC 5321 section 5.1).</summary>
    public const string MxNoAddress = "MxNoAddress";
}
