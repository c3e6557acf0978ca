using System;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using MailOps.Core;
using MailOps.Core.Dns;
using MailOps.Core.MtaSts;
using MailOps.Pipeline;

namespace MailOps.Commands;

/// <summary>
/// Get-MtaStsPolicy: a domain's MTA-STS policy (RFC 8461) as senders discover it: the
/// _mta-sts TXT record, the policy fetched over validated HTTPS, and whether every MX is covered.
/// </summary>
[Cmdlet(VerbsCommon.Get, "MtaStsPolicy")]
[OutputType(typeof(MtaStsPolicy))]
public sealed class GetMtaStsPolicyCommand : DomainCmdlet
{
    private MtaStsFetchOptions? options;

    /// <summary>Extra CAs to trust for the policy host, such as a company's internal CA; the
    /// system's roots are always trusted and the host name must always match.</summary>
    [Parameter]
    [ValidateNotNull]
    public X509Certificate2[]? TrustedRootCertificate { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        options = new MtaStsFetchOptions { Timeout = TimeSpan.FromSeconds(TimeoutSec) };
        if (TrustedRootCertificate is not null)
        {
            options.AdditionalTrustedRoots.AddRange(TrustedRootCertificate);
        }

    }

    private protected override async Task<PipelineItem> ProcessDomainAsync(IDnsResolver resolver, string domain)
    {
        MtaStsPolicy policy = await new MtaStsPolicyAnalyzer(resolver, options).AnalyzeAsync(domain, CancellationToken).ConfigureAwait(false);
        return PipelineItem.Success(policy, policy.Trace);
    }
}
