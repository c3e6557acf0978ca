namespace MailOps.Core.Dns;

/// <summary>
/// How a DNS question ended. SPF and DMARC treat each of these differently (RFC 7208 section
/// 4.6.4 counts NXDOMAIN and NODATA as void lookups, section 2.6.6 makes SERVFAIL and timeouts
/// a temperror), so they are never folded into one "failed" state.
/// </summary>
public enum DnsOutcome
{
    /// <summary>The name exists and has records of the asked type.</summary>
    Success,

    /// <summary>The name exists but has no records of the asked type (NOERROR, empty answer).</summary>
    NoData,

    /// <summary>The name does not exist (RCODE 3, NXDOMAIN).</summary>
    NxDomain,

    /// <summary>The server answered SERVFAIL (RCODE 2).</summary>
    ServerFailure,

    /// <summary>The server refused the question (RCODE 5).</summary>
    Refused,

    /// <summary>No answer arrived within the timeout, after retries and TCP fallback.</summary>
    Timeout,

    /// <summary>Any other failure: a malformed answer, an unexpected RCODE, a socket error.</summary>
    Error,
}
