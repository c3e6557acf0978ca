using System;
using System.Net;
using MailOps.Core.Dmarc;

namespace MailOps.Core.Reports;

/// <summary>
/// One &lt;record&gt; of a DMARC aggregate report (RFC 7489 appendix C, RFC 9990): a source IP
/// and how many messages it sent, what the receiver did with them, and the authentication
/// results, flattened with the report's metadata and published policy so a whole folder of
/// reports exports to one CSV. Tokens are lower case whatever the reporter wrote ("PASS",
/// "Reject"); alignment and the DMARC verdict are computed from the auth results.
/// </summary>
public sealed class DmarcReportRow
{
    internal DmarcReportRow()
    {
    }

    /// <summary>The reporter's report_id.</summary>
    public string? ReportId { get; internal set; }

    /// <summary>The reporter (org_name), e.g. google.com.</summary>
    public string? OrgName { get; internal set; }

    /// <summary>The reporter's contact address (report_metadata/email).</summary>
    public string? ReporterEmail { get; internal set; }

    /// <summary>Start of the reporting period (date_range/begin, seconds since the epoch, UTC).</summary>
    public DateTimeOffset? Begin { get; internal set; }

    /// <summary>End of the reporting period (date_range/end).</summary>
    public DateTimeOffset? End { get; internal set; }

    /// <summary>The domain whose policy was applied (policy_published/domain).</summary>
    public string? PolicyDomain { get; internal set; }

    /// <summary>The published p= (none, quarantine, reject).</summary>
    public string? Policy { get; internal set; }

    /// <summary>The published sp=, when given.</summary>
    public string? SubdomainPolicy { get; internal set; }

    /// <summary>DKIM alignment mode published (adkim; relaxed when absent).</summary>
    public DmarcAlignment DkimAlignment { get; internal set; }

    /// <summary>SPF alignment mode published (aspf; relaxed when absent).</summary>
    public DmarcAlignment SpfAlignment { get; internal set; }

    /// <summary>The sending IP address (row/source_ip).</summary>
    public IPAddress? SourceIP { get; internal set; }

    /// <summary>How many messages this row stands for (row/count).</summary>
    public long Count { get; internal set; }

    /// <summary>What the receiver did: none, quarantine, reject (RFC 9990 adds pass).</summary>
    public string? Disposition { get; internal set; }

    /// <summary>Why the receiver departed from the policy (policy_evaluated/reason/type:
    /// forwarded, local_policy, mailing_list, trusted_forwarder, ...), or null.</summary>
    public string? OverrideReason { get; internal set; }

    /// <summary>The RFC 5322 From domain (identifiers/header_from).</summary>
    public string? HeaderFrom { get; internal set; }

    /// <summary>The RFC 5321 MAIL FROM domain (identifiers/envelope_from), when reported.</summary>
    public string? EnvelopeFrom { get; internal set; }

    /// <summary>The DKIM domain of the chosen result: the first aligned pass, else the first.</summary>
    public string? DkimDomain { get; internal set; }

    /// <summary>The selector of the chosen DKIM result.</summary>
    public string? DkimSelector { get; internal set; }

    /// <summary>The chosen DKIM result (lower case), or null when no DKIM signature was reported.</summary>
    public string? DkimResult { get; internal set; }

    /// <summary>The SPF domain of the chosen result: the first aligned pass, else the first.</summary>
    public string? SpfDomain { get; internal set; }

    /// <summary>The chosen SPF result (lower case), or null when none was reported.</summary>
    public string? SpfResult { get; internal set; }

    /// <summary>True when the chosen DKIM domain is aligned with HeaderFrom.</summary>
    public bool DkimAligned { get; internal set; }

    /// <summary>True when the chosen SPF domain is aligned with HeaderFrom.</summary>
    public bool SpfAligned { get; internal set; }

    /// <summary>True when DMARC passed: an aligned DKIM pass or an aligned SPF pass (RFC 7489
    /// section 4.2). Without auth_results, the reporter's policy_evaluated verdict.</summary>
    public bool DmarcPass { get; internal set; }

    /// <summary>The reporter's policy_evaluated/dkim (aligned DKIM pass or fail).</summary>
    public string? EvaluatedDkim { get; internal set; }

    /// <summary>The reporter's policy_evaluated/spf (aligned SPF pass or fail).</summary>
    public string? EvaluatedSpf { get; internal set; }

    /// <summary>True when the reporter's policy_evaluated verdict differs from the one computed
    /// from auth_results (a reporter using another public suffix list, ARC, or a bug).</summary>
    public bool EvaluationMismatch { get; internal set; }

    /// <summary>Every DKIM result of the record, in report order.</summary>
    public DmarcAuthResult[] DkimResults { get; internal set; } = Array.Empty<DmarcAuthResult>();

    /// <summary>Every SPF result of the record, in report order.</summary>
    public DmarcAuthResult[] SpfResults { get; internal set; } = Array.Empty<DmarcAuthResult>();

    /// <summary>The file the row was read from.</summary>
    public string File { get; internal set; } = string.Empty;

    /// <inheritdoc />
    public override string ToString() => $"{SourceIP} x{Count} {HeaderFrom} dmarc={(DmarcPass ? "pass" : "fail")} {Disposition}";
}
