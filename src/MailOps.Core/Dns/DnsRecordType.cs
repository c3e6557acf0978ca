namespace MailOps.Core.Dns;

/// <summary>
/// The resource record types MailOps asks for. Values are the wire type codes so they can be
/// logged and compared with packet captures without a lookup table.
/// </summary>
public enum DnsRecordType
{
    /// <summary>IPv4 address (RFC 1035).</summary>
    A = 1,

    /// <summary>Name server (RFC 1035).</summary>
    NS = 2,

    /// <summary>Canonical name (RFC 1035).</summary>
    CNAME = 5,

    /// <summary>Domain name pointer, used for reverse lookups (RFC 1035).</summary>
    PTR = 12,

    /// <summary>Mail exchanger (RFC 1035, RFC 7505 for the null MX).</summary>
    MX = 15,

    /// <summary>Text strings: SPF, DMARC, DKIM, MTA-STS and friends live here.</summary>
    TXT = 16,

    /// <summary>IPv6 address (RFC 3596).</summary>
    AAAA = 28,
}
