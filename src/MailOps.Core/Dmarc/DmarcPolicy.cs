using System;
using System.Linq;

namespace MailOps.Core.Dmarc;

/// <summary>
/// What Get-DmarcPolicy returns: the DMARC policy that receivers apply to mail whose From
/// domain is <see cref="Domain"/>, where its record was found, the Organizational Domain, the
/// report destinations with their authorization, and findings that say what to fix. Scalars are
/// flat so Export-Csv gives a useful row; URIs are objects for detail.
/// </summary>
public sealed class DmarcPolicy
{
    internal DmarcPolicy(string domain, DmarcDiscoveryMethod method)
    {
        Domain = domain;
        OrganizationalDomain = domain;
        DiscoveryMethod = method;
    }

    /// <summary>The domain asked about (lower-case A-label form). Binds to -Domain of the next cmdlet.</summary>
    public string Domain { get; }

    /// <summary>The domain whose _dmarc record applies (the domain itself, its Organizational
    /// Domain or a Public Suffix Domain), or null when no record applies.</summary>
    public string? RecordDomain { get; internal set; }

    /// <summary>The Organizational Domain: from the tree walk (RFC 9989 section 4.10.2) or the
    /// Public Suffix List (RFC 7489 section 3.2), per <see cref="DiscoveryMethod"/>.</summary>
    public string OrganizationalDomain { get; internal set; }

    /// <summary>True when the record was found at another domain than <see cref="Domain"/>, so
    /// sp or np applies instead of p.</summary>
    public bool IsInherited { get; internal set; }

    /// <summary>False when the domain does not exist (NXDOMAIN), so np applies; null when it
    /// was not checked (the record is the domain's own, or no record applies).</summary>
    public bool? DomainExists { get; internal set; }

    /// <summary>The DMARC record text that applies, or null.</summary>
    public string? Record { get; internal set; }

    /// <summary>Every "v=DMARC1" record at the deciding name; more than one is an error and
    /// receivers use none of them.</summary>
    public string[] Records { get; internal set; } = Array.Empty<string>();

    /// <summary>p of the record, or null when absent, invalid or there is no record.</summary>
    public DmarcPolicyKind? Policy { get; internal set; }

    /// <summary>sp of the record (existing subdomains), or null when absent or invalid.</summary>
    public DmarcPolicyKind? SubdomainPolicy { get; internal set; }

    /// <summary>np of the record (non-existent subdomains), or null when absent or invalid.</summary>
    public DmarcPolicyKind? NonexistentSubdomainPolicy { get; internal set; }

    /// <summary>
    /// What a receiver applies to failing mail from exactly this domain: p when the record is
    /// the domain's own, np when the domain does not exist, sp when the record is inherited
    /// (each falling back to sp and p as RFC 9989 section 4.7 says); none when the record has
    /// no usable p but a valid rua; null when no DMARC policy applies at all.
    /// </summary>
    public DmarcPolicyKind? EffectivePolicy { get; internal set; }

    /// <summary>pct (0-100, default 100; RFC 7489 only, removed by RFC 9989), null without a record.</summary>
    public int? Percentage { get; internal set; }

    /// <summary>adkim (default relaxed), null without a record.</summary>
    public DmarcAlignment? DkimAlignment { get; internal set; }

    /// <summary>aspf (default relaxed), null without a record.</summary>
    public DmarcAlignment? SpfAlignment { get; internal set; }

    /// <summary>The rua value as published (flat, for CSV), or null.</summary>
    public string? Rua { get; internal set; }

    /// <summary>The ruf value as published (flat, for CSV), or null.</summary>
    public string? Ruf { get; internal set; }

    /// <summary>The aggregate report destinations (rua), with their external authorization.</summary>
    public DmarcReportUri[] AggregateReportUri { get; internal set; } = Array.Empty<DmarcReportUri>();

    /// <summary>The failure report destinations (ruf), with their external authorization.</summary>
    public DmarcReportUri[] FailureReportUri { get; internal set; } = Array.Empty<DmarcReportUri>();

    /// <summary>fo (default "0"), null without a record.</summary>
    public string? FailureOptions { get; internal set; }

    /// <summary>True when the policy comes from a Public Suffix Domain's record (psd=y).</summary>
    public bool IsPublicSuffixPolicy { get; internal set; }

    /// <summary>t=y: the owner asks receivers not to apply the policy yet (RFC 9989).</summary>
    public bool Testing { get; internal set; }

    /// <summary>True when exactly one record applies, it follows the grammar and has a valid p
    /// (and sp, np). The findings say what is wrong otherwise; findings about its use (p=none,
    /// unauthorized report destinations) do not make it invalid.</summary>
    public bool IsValid { get; internal set; }

    /// <summary>How the record and the Organizational Domain were found.</summary>
    public DmarcDiscoveryMethod DiscoveryMethod { get; }

    /// <summary>The _dmarc names queried, in order (at most 8 for the tree walk).</summary>
    public string[] QueriedNames { get; internal set; } = Array.Empty<string>();

    /// <summary>Findings about the record and its use, most important first within each step.</summary>
    public Finding[] Findings { get; internal set; } = Array.Empty<Finding>();

    /// <summary>Number of Error findings.</summary>
    public int ErrorCount => Findings.Count(f => f.Severity == FindingSeverity.Error);

    /// <summary>Number of Warning findings.</summary>
    public int WarningCount => Findings.Count(f => f.Severity == FindingSeverity.Warning);

    /// <summary>The steps of the discovery, as -Verbose shows them.</summary>
    public string[] Trace { get; internal set; } = Array.Empty<string>();

    /// <inheritdoc />
    public override string ToString()
        => $"{Domain}: {(EffectivePolicy is null ? "no policy" : DmarcRecordParser.Lower(EffectivePolicy.Value))}";
}
