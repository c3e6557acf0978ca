using System.Linq;

namespace MailOps.Core.TlsRpt;

/// <summary>
/// What Get-TlsRptRecord returns for one domain: the SMTP TLS Reporting record of RFC 8460 at
/// _smtp._tls.&lt;domain&gt;, where reports go, and findings that say what to fix.
/// </summary>
public sealed class TlsRptRecord
{
    internal TlsRptRecord(string domain, string? record, string[] reportUri, bool isValid, Finding[] findings)
    {
        Domain = domain;
        Record = record;
        ReportUri = reportUri;
        IsValid = isValid;
        Findings = findings;
    }

    /// <summary>The domain (lower-case A-label form). Binds to -Domain of the next cmdlet.</summary>
    public string Domain { get; }

    /// <summary>The "v=TLSRPTv1" record (the first, when there are several), or null.</summary>
    public string? Record { get; }

    /// <summary>The rua= destinations, mailto: or https: URIs, in record order.</summary>
    public string[] ReportUri { get; }

    /// <summary>True when senders would use the record: exactly one, valid, with at least one usable URI.</summary>
    public bool IsValid { get; }

    /// <summary>What is wrong or worth knowing; see about_MailOps for the codes.</summary>
    public Finding[] Findings { get; }

    /// <summary>Number of Error findings.</summary>
    public int ErrorCount => Findings.Count(f => f.Severity == FindingSeverity.Error);

    /// <inheritdoc />
    public override string ToString() => Record is null ? $"{Domain}: no TLS-RPT record" : $"{Domain}: {Record}";
}
