using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading.Tasks;
using MailOps.Core;
using MailOps.Core.Dns;
using MailOps.Core.Mx;
using MailOps.Pipeline;

namespace MailOps.Commands;

/// <summary>
/// Get-MxRecord: where mail for a domain goes, one row per MX with its addresses and provider,
/// and findings for the MX mistakes that bounce or stall mail (RFC 5321 section 5.1, RFC 7505).
/// </summary>
[Cmdlet(VerbsCommon.Get, "MxRecord")]
[OutputType(typeof(MxRecord))]
public sealed class GetMxRecordCommand : DnsCmdlet
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
            WriteRows(queue!.Add(work, CancellationToken));
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        WriteRows(queue!.Drain());
        FlushVerbose();
    }

    private async Task<PipelineItem> AnalyzeAsync(IDnsResolver resolver, string domain)
    {
        MxRecord[] rows = await new MxRecordAnalyzer(resolver).AnalyzeAsync(domain, CancellationToken).ConfigureAwait(false);
        return PipelineItem.Success(rows);
    }

    /// <summary>Like WriteItems, but a domain's rows go out one by one, not as one array object.</summary>
    private void WriteRows(IEnumerable<PipelineItem> items)
    {
        try
        {
            foreach (PipelineItem item in items)
            {
                FlushVerbose();
                foreach (string line in item.Verbose)
                {
                    WriteVerbose(line);
                }

                foreach (string warning in item.Warnings)
                {
                    WriteWarning(warning);
                }

                if (item.Error is not null)
                {
                    WriteError(item.Error);
                }
                else if (item.Output is not null)
                {
                    WriteObject(item.Output, enumerateCollection: true);
                }
            }
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }
}
