using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using MailOps.Core;
using MailOps.Core.Dns;
using MailOps.Core.Spf;
using MailOps.Pipeline;

namespace MailOps.Commands;

/// <summary>
/// Get-SpfIpRange: the networks a domain's SPF policy authorizes, flattened through includes,
/// redirects, a and mx, one row per network, for building allowlists of a provider's senders.
/// Terms that cannot be listed (exists, ptr, macros, all) come as rows without a network.
/// </summary>
[Cmdlet(VerbsCommon.Get, "SpfIpRange")]
[OutputType(typeof(SpfIpRange))]
public sealed class GetSpfIpRangeCommand : DnsCmdlet
{
    private OrderedWorkQueue<PipelineItem>? queue;

    /// <summary>The domains whose SPF policy is flattened.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNull]
    public string[] Domain { get; set; } = Array.Empty<string>();

    /// <summary>How many domains are walked at once.</summary>
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
                : () => GuardAsync(() => FlattenAsync(resolver!, domain), input);
            WriteRows(queue!.Add(work, CancellationToken));
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        WriteRows(queue!.Drain());
        FlushVerbose();
    }

    private async Task<PipelineItem> FlattenAsync(IDnsResolver resolver, string domain)
    {
        var flattener = new SpfIpRangeFlattener(resolver);
        SpfIpRangeResult result = await flattener.FlattenAsync(domain, CancellationToken).ConfigureAwait(false);
        string[] verbose = result.Trace.Select(line => $"SPF ranges {domain}: {line}").ToArray();
        switch (result.Status)
        {
            case SpfIpRangeStatus.NoRecord:
                return PipelineItem.Failure(CreateError(new ItemNotFoundException(result.FailureMessage), ErrorIds.SpfRecordNotFound, ErrorCategory.ObjectNotFound, domain), verbose);
            case SpfIpRangeStatus.DnsFailure:
                bool timeout = result.FailureOutcome == DnsOutcome.Timeout;
                Exception ex = timeout ? new TimeoutException(result.FailureMessage) : new InvalidOperationException(result.FailureMessage);
                return PipelineItem.Failure(CreateError(ex, timeout ? ErrorIds.DnsQueryTimeout : ErrorIds.DnsQueryFailed, timeout ? ErrorCategory.OperationTimeout : ErrorCategory.ResourceUnavailable, domain), verbose);
            default:
                return PipelineItem.Success(result.Ranges, verbose);
        }
    }

    /// <summary>Writes each domain's rows one by one (a domain gives many), its verbose lines first.</summary>
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

                if (item.Error is not null)
                {
                    WriteError(item.Error);
                }
                else if (item.Output is SpfIpRange[] rows)
                {
                    foreach (SpfIpRange row in rows)
                    {
                        WriteObject(row);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }
}
