using System;
using System.Management.Automation;
using System.Threading.Tasks;
using MailOps.Core;
using MailOps.Core.Bimi;
using MailOps.Core.Dns;
using MailOps.Pipeline;

namespace MailOps.Commands;

/// <summary>
/// Get-BimiRecord: the brand logo a domain asks receivers to show (the BIMI assertion record),
/// checked without fetching the logo. BIMI also needs DMARC at enforcement, which the DMARC
/// cmdlets check.
/// </summary>
[Cmdlet(VerbsCommon.Get, "BimiRecord")]
[OutputType(typeof(BimiRecord))]
public sealed class GetBimiRecordCommand : DnsCmdlet
{
    private OrderedWorkQueue<PipelineItem>? queue;

    /// <summary>The domains to read.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNull]
    public string[] Domain { get; set; } = Array.Empty<string>();

    /// <summary>The BIMI selector: "default" unless messages carry a BIMI-Selector header naming another.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Selector { get; set; } = BimiRecordAnalyzer.DefaultSelector;

    /// <summary>How many domains are read at once.</summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = 16;

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        base.BeginProcessing();

        // A bad selector spoils every domain alike, so nothing can proceed.
        if (!BimiRecordAnalyzer.IsValidSelector(Selector))
        {
            ThrowTerminatingError(CreateError(
                new ArgumentException($"'{Selector}' is not a valid BIMI selector: use letters, digits, hyphens and underscores, in dot-separated labels."),
                ErrorIds.InvalidBimiSelector,
                ErrorCategory.InvalidArgument,
                Selector));
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
        => PipelineItem.Success(await new BimiRecordAnalyzer(resolver).AnalyzeAsync(domain, Selector, CancellationToken).ConfigureAwait(false));
}
