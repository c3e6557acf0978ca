namespace MailOps;

/// <summary>
/// Every ErrorId MailOps writes. One partial file per area (ErrorIds.Dmarc.cs, ...); the about_MailOps
/// topic lists them all (a test checks it). They are stable: scripts match on
/// <c>$_.FullyQualifiedErrorId</c>, so an id is never renamed once released.
/// </summary>
public static partial class ErrorIds
{
    /// <summary>A domain argument is not a valid DNS name.</summary>
    public const string InvalidDomainName = "InvalidDomainName";

    /// <summary>Test-SpfRecord got neither -Domain, -Sender nor -HeloName.</summary>
    public const string DomainNotSpecified = "DomainNotSpecified";

    /// <summary>A -Server value is not host, ip, ip:port or [ipv6]:port, or the host does not resolve.</summary>
    public const string InvalidDnsServer = "InvalidDnsServer";

    /// <summary>A DNS question failed with SERVFAIL, REFUSED or another error.</summary>
    public const string DnsQueryFailed = "DnsQueryFailed";

    /// <summary>A DNS question got no answer in time.</summary>
    public const string DnsQueryTimeout = "DnsQueryTimeout";

    /// <summary>A record given with -Record is not an SPF record (does not start with v=spf1).</summary>
    public const string InvalidSpfRecord = "InvalidSpfRecord";

    /// <summary>A value given to New-SpfInclude -Include is not a valid domain or include term.</summary>
    public const string InvalidSpfInclude = "InvalidSpfInclude";

    /// <summary>An unexpected failure inside the engine; the message carries the detail.</summary>
    public const string UnexpectedError = "UnexpectedError";
}
