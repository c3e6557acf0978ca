using System.Linq;
using System.Net;

namespace MailOps.Core.Mx;

/// <summary>
/// What Get-MxRecord returns: one row per MX record of a domain, with the exchange's addresses and
/// the provider it belongs to, flat enough for Export-Csv. A domain without MX records, or whose
/// lookup failed, still gets one row (Exchange null) so a nightly audit keeps one line per domain.
/// </summary>
public sealed class MxRecord
{
    internal MxRecord(string domain, int? preference, string? exchange, IPAddress[] ipAddress, bool isNullMx, string? provider, Finding[] findings)
    {
        Domain = domain;
        Preference = preference;
        Exchange = exchange;
        IPAddress = ipAddress;
        IsNullMx = isNullMx;
        Provider = provider;
        Findings = findings;
    }

    /// <summary>The domain (lower-case A-label form). Binds to -Domain of the next cmdlet.</summary>
    public string Domain { get; }

    /// <summary>The MX preference: lower is tried first (RFC 5321 section 5.1); null on a row without an MX.</summary>
    public int? Preference { get; }

    /// <summary>The mail exchanger host name; "." for a null MX; null when the domain has no MX record.</summary>
    public string? Exchange { get; }

    /// <summary>
    /// Every A and AAAA address of the exchange (IPv4 first). On a row without an MX, the
    /// domain's own addresses: the implicit MX senders fall back to (RFC 5321 section 5.1).
    /// </summary>
    public IPAddress[] IPAddress { get; }

    /// <summary>True for the null MX of RFC 7505 ("0 ."): the domain accepts no mail.</summary>
    public bool IsNullMx { get; }

    /// <summary>The provider the exchange belongs to ("Google Workspace"), from the provider
    /// catalogue, or null when it is not a known provider.</summary>
    public string? Provider { get; }

    /// <summary>What is wrong or worth knowing about this MX; see about_MailOps for the codes.</summary>
    public Finding[] Findings { get; }

    /// <summary>Number of Error findings on this row.</summary>
    public int ErrorCount => Findings.Count(f => f.Severity == FindingSeverity.Error);

    /// <inheritdoc />
    public override string ToString()
        => Exchange is null ? $"{Domain}: no MX" : $"{Domain} MX {Preference} {Exchange}";
}
