using System;
using System.Management.Automation;
using System.Threading.Tasks;
using MailOps.Core;
using MailOps.Core.Dns;
using MailOps.Pipeline;

namespace MailOps.Commands;

/// <summary>
/// Base of the cmdlets that read something per domain. It owns what they all promise: -Domain from
/// the pipeline by value and by property name (Import-Csv rows), names normalised to their A-label,
/// an InvalidDomainName error for a bad name while the others go on, -ThrottleLimit concurrency
/// with results in input order, and one resolver (one cache) per invocation. A derived cmdlet only
/// says what to do with one valid domain.
/// </summary>
public abstract class DomainCmdlet : DnsCmdlet
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
            Func<Task<PipelineItem>> work;
            if (DomainName.TryNormalize(input, out string domain, out string? reason))
            {
                work = () => GuardAsync(() => ProcessDomainAsync(resolver!, domain), input);
            }
            else
            {
                ErrorRecord error = CreateError(new ArgumentException(reason), ErrorIds.InvalidDomainName, ErrorCategory.InvalidArgument, input);
                work = () => Task.FromResult(PipelineItem.Failure(error));
            }

            OnItemQueued();
            WriteItems(queue!.Add(work, CancellationToken), OnItemWritten);
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        WriteItems(queue!.Drain(), OnItemWritten);
        FlushVerbose();
    }

    /// <summary>Reads one valid domain (lower-case A-label form), off the pipeline thread.</summary>
    private protected abstract Task<PipelineItem> ProcessDomainAsync(IDnsResolver resolver, string domain);

    /// <summary>Called on the pipeline thread when an input is queued (progress counting).</summary>
    private protected virtual void OnItemQueued()
    {
    }

    /// <summary>Called on the pipeline thread after each input's result is written.</summary>
    private protected virtual void OnItemWritten()
    {
    }
}
