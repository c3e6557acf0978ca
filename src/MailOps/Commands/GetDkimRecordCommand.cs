using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using MailOps.Core;
using MailOps.Core.Dkim;
using MailOps.Core.Dns;
using MailOps.Pipeline;

namespace MailOps.Commands;

/// <summary>
/// Get-DkimRecord: the DKIM keys a domain publishes, for given selectors or found by probing the
/// selectors common providers use, each with its key type, key size and findings that say what
/// to fix (RFC 6376, RFC 8301, RFC 8463).
/// </summary>
[Cmdlet(VerbsCommon.Get, "DkimRecord")]
[OutputType(typeof(DkimRecord))]
public sealed class GetDkimRecordCommand : DnsCmdlet
{
    private OrderedWorkQueue<PipelineItem[]>? queue;
    private string[]? checkedSelectors;
    private string[] validSelectors = Array.Empty<string>();
    private bool selectorsGivenButInvalid;

    /// <summary>The domains to read.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNull]
    public string[] Domain { get; set; } = Array.Empty<string>();

    /// <summary>The selectors to read (the s= tag of DKIM-Signature headers). Without it, the
    /// common selectors of the built-in catalogue are probed.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    [AllowEmptyCollection]
    public string[]? Selector { get; set; }

    /// <summary>How many domains are read at once.</summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = 16;

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        queue = new OrderedWorkQueue<PipelineItem[]>(ThrottleLimit);
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (!TryGetResolver(out IDnsResolver? resolver, out ErrorRecord? serverError))
        {
            WriteError(serverError!);
            return;
        }

        CheckSelectors();
        if (selectorsGivenButInvalid)
        {
            // Every selector given was invalid (each has its error): probing instead would
            // answer a question that was not asked.
            return;
        }

        string[] selectors = validSelectors;
        foreach (string input in Domain)
        {
            Func<Task<PipelineItem[]>> work;
            if (!DomainName.TryNormalize(input, out string domain, out string? reason))
            {
                PipelineItem[] invalid = { PipelineItem.Failure(CreateError(new ArgumentException(reason), ErrorIds.InvalidDomainName, ErrorCategory.InvalidArgument, input)) };
                work = () => Task.FromResult(invalid);
            }
            else
            {
                work = () => ReadAsync(resolver!, domain, selectors, input);
            }

            WriteBatches(() => queue!.Add(work, CancellationToken));
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        WriteBatches(() => queue!.Drain());
        FlushVerbose();
    }

    /// <summary>Writes each domain's items in order; a cancelled wait becomes PipelineStoppedException.</summary>
    private void WriteBatches(Func<IEnumerable<PipelineItem[]>> batches)
    {
        try
        {
            foreach (PipelineItem[] items in batches())
            {
                WriteItems(items);
            }
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>Validates -Selector once per distinct value: a value bound on the command line
    /// is checked (and its errors written) once, a value bound from each pipeline row per row.</summary>
    private void CheckSelectors()
    {
        if (ReferenceEquals(Selector, checkedSelectors) && checkedSelectors is not null)
        {
            return;
        }

        checkedSelectors = Selector;
        var valid = new List<string>();
        bool anyGiven = false;
        foreach (string? text in Selector ?? Array.Empty<string>())
        {
            if (text is null || text.Trim().Length == 0)
            {
                // An empty CSV cell: no selector given, so probe.
                continue;
            }

            anyGiven = true;
            if (DkimSelector.TryNormalize(text, out string name, out string? error))
            {
                valid.Add(name);
            }
            else
            {
                WriteError(CreateError(new ArgumentException(error), ErrorIds.InvalidDkimSelector, ErrorCategory.InvalidArgument, text));
            }
        }

        validSelectors = valid.ToArray();
        selectorsGivenButInvalid = anyGiven && valid.Count == 0;
    }

    private async Task<PipelineItem[]> ReadAsync(IDnsResolver resolver, string domain, string[] selectors, string input)
    {
        var trace = new TraceLines();
        try
        {
            var reader = new DkimRecordReader(resolver, trace);
            DkimRecord[] records = await reader.ReadAsync(domain, selectors, CancellationToken).ConfigureAwait(false);
            string[] verbose = trace.ToArray();
            return records.Select((r, i) => PipelineItem.Success(r, i == 0 ? verbose : null)).ToArray();
        }
        catch (Exception ex) when (!(ex is OperationCanceledException))
        {
            return new[] { PipelineItem.Failure(CreateError(ex, ErrorIds.UnexpectedError, ErrorCategory.NotSpecified, input), trace.ToArray()) };
        }
    }

    /// <summary>Collects the reader's trace from worker threads; written with the item's output.</summary>
    private sealed class TraceLines : IProgress<string>
    {
        private readonly ConcurrentQueue<string> lines = new ConcurrentQueue<string>();

        public void Report(string value) => lines.Enqueue(value);

        public string[] ToArray() => lines.ToArray();
    }
}
