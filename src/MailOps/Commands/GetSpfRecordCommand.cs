using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading.Tasks;
using MailOps.Core;
using MailOps.Core.Dns;
using MailOps.Core.Spf;
using MailOps.Pipeline;

namespace MailOps.Commands;

/// <summary>
/// Get-SpfRecord: what a domain publishes, as a tree of records with the lookup budget counted
/// the way check_host() counts it, and findings that say what to fix.
/// </summary>
[Cmdlet(VerbsCommon.Get, "SpfRecord")]
[OutputType(typeof(SpfRecord))]
public sealed class GetSpfRecordCommand : DnsCmdlet
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
            PipelineItem? invalid = null;
            if (!DomainName.TryNormalize(input, out string domain, out string? reason))
            {
                invalid = PipelineItem.Failure(CreateError(new ArgumentException(reason), ErrorIds.InvalidDomainName, ErrorCategory.InvalidArgument, input));
            }

            Func<Task<PipelineItem>> work = invalid is not null
                ? () => Task.FromResult(invalid)
                : () => GuardAsync(() => AnalyzeAsync(resolver!, domain), input);
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
        var analyzer = new SpfRecordAnalyzer(resolver);
        SpfRecord record = await analyzer.AnalyzeAsync(domain, CancellationToken).ConfigureAwait(false);
        return PipelineItem.Success(record);
    }
}
