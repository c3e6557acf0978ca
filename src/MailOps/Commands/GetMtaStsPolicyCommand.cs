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
public sealed class GetMtaStsPolicyCommand : DnsCmdlet
{
    private OrderedWorkQueue<PipelineItem>? queue;
    private MtaStsFetchOptions? options;

    /// <summary>The domains to read.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNull]
    public string[] Domain { get; set; } = Array.Empty<string>();

    /// <summary>Extra CAs to trust for the policy host, such as a company's internal CA; the
    /// system's roots are always trusted and the host name must always match.</summary>
    [Parameter]
    [ValidateNotNull]
    public X509Certificate2[]? TrustedRootCertificate { get; set; }

    /// <summary>How many domains are read at once.</summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = 16;

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        options = new MtaStsFetchOptions { Timeout = TimeSpan.FromSeconds(TimeoutSec) };
        if (TrustedRootCertificate is not null)
        {
            options.AdditionalTrustedRoots.AddRange(TrustedRootCertificate);
        }

        queue = new OrderedWorkQueue<PipelineItem>(ThrottleLimit);
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (!TryGetResolver(out IDnsResolver? resolver, out ErrorRecord? serverError))
        {
            WriteError(serverError!);
            return;
        }

        foreach (string input in Domain)
        {
            Func<Task<PipelineItem>> work = DomainName.TryNormalize(input, out string domain, out string? reason)
                ? () => GuardAsync(() => AnalyzeAsync(resolver!, domain), input)
                : () => Task.FromResult(PipelineItem.Failure(CreateError(new ArgumentException(reason), ErrorIds.InvalidDomainName, ErrorCategory.InvalidArgument, input)));
            WriteItems(queue!.Add(work, CancellationToken));
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        WriteItems(queue!.Drain());
        FlushVerbose();
    }

    private async Task<PipelineItem> AnalyzeAsync(IDnsResolver resolver, string domain)
    {
        MtaStsPolicy policy = await new MtaStsPolicyAnalyzer(resolver, options).AnalyzeAsync(domain, CancellationToken).ConfigureAwait(false);
        return PipelineItem.Success(policy, policy.Trace);
    }
}
