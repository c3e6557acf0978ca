using System.Linq;

namespace MailOps.Core.MtaSts;

/// <summary>
/// What Get-MtaStsPolicy returns for one domain (RFC 8461): the _mta-sts TXT record, the policy
/// fetched over HTTPS, how the domain's MX hosts fare against it, and findings that say what to
/// fix. Scalars are flat for Export-Csv; MxPatterns and MxCoverage hold the detail.
/// </summary>
public sealed class MtaStsPolicy
{
    internal MtaStsPolicy(
        string domain,
        string? recordId,
        string? record,
        string? policyUrl,
        int? httpStatusCode,
        MtaStsMode? mode,
        long? maxAge,
        string[] mxPatterns,
        string? policyText,
        MtaStsMxCoverage[] mxCoverage,
        bool isValid,
        Finding[] findings,
        string[] trace)
    {
        Domain = domain;
        RecordId = recordId;
        Record = record;
        PolicyUrl = policyUrl;
        HttpStatusCode = httpStatusCode;
        Mode = mode;
        MaxAge = maxAge;
        MxPatterns = mxPatterns;
        PolicyText = policyText;
        MxCoverage = mxCoverage;
        IsValid = isValid;
        Findings = findings;
        Trace = trace;
    }

    /// <summary>The domain (lower-case A-label form). Binds to -Domain of the next cmdlet.</summary>
    public string Domain { get; }

    /// <summary>The id of the TXT record (RFC 8461 section 3.1); senders refetch the policy when it changes.</summary>
    public string? RecordId { get; }

    /// <summary>The "v=STSv1" TXT record at _mta-sts.&lt;domain&gt; (the first, when there are several), or null.</summary>
    public string? Record { get; }

    /// <summary>https://mta-sts.&lt;domain&gt;/.well-known/mta-sts.txt, or null when there is no record (nothing is fetched).</summary>
    public string? PolicyUrl { get; }

    /// <summary>The HTTP status of the policy fetch, or null when no response arrived.</summary>
    public int? HttpStatusCode { get; }

    /// <summary>The policy's mode, or null when no valid mode was read.</summary>
    public MtaStsMode? Mode { get; }

    /// <summary>The policy's max_age in seconds (0 to 31557600 when valid), or null.</summary>
    public long? MaxAge { get; }

    /// <summary>The policy's mx patterns ("mail.contoso.com", "*.contoso.com").</summary>
    public string[] MxPatterns { get; }

    /// <summary>The policy file as served, or null when none was fetched.</summary>
    public string? PolicyText { get; }

    /// <summary>One entry per MX host of the domain: is it covered by a pattern?</summary>
    public MtaStsMxCoverage[] MxCoverage { get; }

    /// <summary>
    /// True when a sender would use this policy: exactly one valid TXT record, the policy fetched
    /// over validated HTTPS with status 200 and text/plain, and a valid policy file. MX coverage
    /// is not part of it (see the MtaStsMxNotCovered finding).
    /// </summary>
    public bool IsValid { get; }

    /// <summary>What is wrong or worth knowing; see about_MailOps for the codes.</summary>
    public Finding[] Findings { get; }

    /// <summary>Number of Error findings.</summary>
    public int ErrorCount => Findings.Count(f => f.Severity == FindingSeverity.Error);

    /// <summary>The steps of the HTTPS fetch (connect, TLS, response), also written under -Verbose.</summary>
    public string[] Trace { get; }

    /// <inheritdoc />
    public override string ToString()
        => Record is null ? $"{Domain}: no MTA-STS record" : $"{Domain}: MTA-STS {(Mode?.ToString() ?? "(no policy)")}";
}
