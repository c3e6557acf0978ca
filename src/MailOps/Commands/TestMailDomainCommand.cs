using System;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using MailOps.Core;
using MailOps.Core.Audit;
using MailOps.Core.Dmarc;
using MailOps.Core.Dns;
using MailOps.Core.MtaSts;
using MailOps.Pipeline;

namespace MailOps.Commands;

/// <summary>
/// Test-MailDomain: one call that reads everything a receiver reads about a domain (MX, SPF,
/// DMARC, DKIM, MTA-STS, TLS-RPT, BIMI) and says what is wrong, for the nightly audit of many
/// domains. Domains run concurrently over one DNS cache; results come out in input order.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "MailDomain")]
[OutputType(typeof(MailDomainReport), typeof(bool))]
public sealed class TestMailDomainCommand : DomainCmdlet
{
    private MailDomainAuditOptions? options;
    private int started;
    private int written;

    /// <summary>DKIM selectors to look up instead of probing the built-in list.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Selector { get; set; }

    /// <summary>The BIMI selector to read.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string BimiSelector { get; set; } = "default";

    /// <summary>How the DMARC record is discovered: the RFC 9989 tree walk or the RFC 7489 Public
    /// Suffix List. A string, not the engine's enum: a cmdlet property of an engine value type
    /// would make PowerShell load MailOps.Core before the private load context is in place.</summary>
    [Parameter]
    [ValidateSet("TreeWalk", "PublicSuffixList", IgnoreCase = true)]
    public string DiscoveryMethod { get; set; } = "TreeWalk";

    /// <summary>Extra certificate authorities to trust for MTA-STS policy hosts (an internal CA).</summary>
    [Parameter]
    [ValidateNotNull]
    public X509Certificate2[]? TrustedRootCertificate { get; set; }

    /// <summary>Return only $true when a domain has no Error finding, else $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        var fetch = new MtaStsFetchOptions { Timeout = TimeSpan.FromSeconds(TimeoutSec) };
        if (TrustedRootCertificate is not null)
        {
            fetch.AdditionalTrustedRoots.AddRange(TrustedRootCertificate);
        }

        options = new MailDomainAuditOptions
        {
            Selectors = Selector,
            BimiSelector = BimiSelector,
            DiscoveryMethod = (DmarcDiscoveryMethod)Enum.Parse(typeof(DmarcDiscoveryMethod), DiscoveryMethod, ignoreCase: true),
            MtaSts = fetch,
        };
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        base.EndProcessing();
        WriteProgress(new ProgressRecord(1, "Test-MailDomain", "Done") { RecordType = ProgressRecordType.Completed });
    }

    private protected override void OnItemQueued() => started++;

    private protected override void OnItemWritten()
    {
        written++;
        WriteProgress(new ProgressRecord(1, "Test-MailDomain", $"Audited {written} of {started} domains so far"));
    }

    private protected override async Task<PipelineItem> ProcessDomainAsync(IDnsResolver resolver, string domain)
    {
        MailDomainReport report = await new MailDomainAuditor(resolver, options).AuditAsync(domain, CancellationToken).ConfigureAwait(false);
        return PipelineItem.Success(Quiet.IsPresent ? report.ErrorCount == 0 : report);
    }
}
