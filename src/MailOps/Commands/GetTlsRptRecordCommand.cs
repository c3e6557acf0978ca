using System;
using System.Management.Automation;
using System.Threading.Tasks;
using MailOps.Core;
using MailOps.Core.Dns;
using MailOps.Core.TlsRpt;
using MailOps.Pipeline;

namespace MailOps.Commands;

/// <summary>
/// Get-TlsRptRecord: where a domain asks senders to report TLS delivery failures (RFC 8460),
/// and what is wrong with the record.
/// </summary>
[Cmdlet(VerbsCommon.Get, "TlsRptRecord")]
[OutputType(typeof(TlsRptRecord))]
public sealed class GetTlsRptRecordCommand : DnsCmdlet
{
    private OrderedWorkQueue<PipelineItem>? queue;

    /// <summary>The domains to read.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNull]
    public string[] Domain { get; set; } = Array.Empty<string>();

    /// <summary>How many domains are read at once.</summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = 16;

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
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
        => PipelineItem.Success(await new TlsRptRecordAnalyzer(resolver).AnalyzeAsync(domain, CancellationToken).ConfigureAwait(false));
}
