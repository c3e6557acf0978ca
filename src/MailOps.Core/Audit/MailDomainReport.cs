using System.Linq;
using MailOps.Core.Bimi;
using MailOps.Core.Dkim;
using MailOps.Core.Dmarc;
using MailOps.Core.MtaSts;
using MailOps.Core.Mx;
using MailOps.Core.Spf;
using MailOps.Core.TlsRpt;

namespace MailOps.Core.Audit;

/// <summary>
/// Everything a receiver reads about one domain, with one flat list of findings and a verdict:
/// what Test-MailDomain returns for a nightly audit. The area objects are the same ones the
/// single-area cmdlets return, so a script can drill into any of them.
/// </summary>
public sealed class MailDomainReport
{
    internal MailDomainReport(
        string domain,
        MxRecord[] mx,
        SpfRecord spf,
        DmarcPolicy dmarc,
        DkimRecord[] dkim,
        MtaStsPolicy mtaSts,
        TlsRptRecord tlsRpt,
        BimiRecord bimi,
        string? provider,
        MailDomainFinding[] findings)
    {
        Domain = domain;
        Mx = mx;
        Spf = spf;
        Dmarc = dmarc;
        Dkim = dkim;
        MtaSts = mtaSts;
        TlsRpt = tlsRpt;
        Bimi = bimi;
        Provider = provider;
        Findings = findings;
        ErrorCount = findings.Count(f => f.Severity == FindingSeverity.Error);
        WarningCount = findings.Count(f => f.Severity == FindingSeverity.Warning);
        Status = ErrorCount > 0 ? MailDomainStatus.Fail : WarningCount > 0 ? MailDomainStatus.Warning : MailDomainStatus.Pass;

        // A simple, documented score: 100, minus 20 per Error and 5 per Warning, never below 0.
        Score = System.Math.Max(0, 100 - (20 * ErrorCount) - (5 * WarningCount));
    }

    /// <summary>The audited domain (lower-case A-label form).</summary>
    public string Domain { get; }

    /// <summary>The MX rows, as Get-MxRecord returns them.</summary>
    public MxRecord[] Mx { get; }

    /// <summary>The SPF tree, as Get-SpfRecord returns it.</summary>
    public SpfRecord Spf { get; }

    /// <summary>The DMARC policy that applies, as Get-DmarcPolicy returns it.</summary>
    public DmarcPolicy Dmarc { get; }

    /// <summary>The DKIM keys found, as Get-DkimRecord returns them.</summary>
    public DkimRecord[] Dkim { get; }

    /// <summary>The MTA-STS policy, as Get-MtaStsPolicy returns it.</summary>
    public MtaStsPolicy MtaSts { get; }

    /// <summary>The TLS-RPT record, as Get-TlsRptRecord returns it.</summary>
    public TlsRptRecord TlsRpt { get; }

    /// <summary>The BIMI record, as Get-BimiRecord returns it.</summary>
    public BimiRecord Bimi { get; }

    /// <summary>The mail provider inferred from the most preferred MX, or null.</summary>
    public string? Provider { get; }

    /// <summary>Every finding of every area, with its area.</summary>
    public MailDomainFinding[] Findings { get; }

    /// <summary>Pass, Warning or Fail.</summary>
    public MailDomainStatus Status { get; }

    /// <summary>0 to 100: 100 minus 20 per Error and 5 per Warning.</summary>
    public int Score { get; }

    /// <summary>Number of Error findings.</summary>
    public int ErrorCount { get; }

    /// <summary>Number of Warning findings.</summary>
    public int WarningCount { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Domain}: {Status} ({Score})";
}
