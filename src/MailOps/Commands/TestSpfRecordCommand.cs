using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Net;
using MailOps.Core;
using MailOps.Core.Dns;
using MailOps.Core.Spf;
using MailOps.Pipeline;

namespace MailOps.Commands;

/// <summary>
/// Test-SpfRecord: runs RFC 7208 check_host() for an IP the way a receiving server does, so an
/// admin can see whether a relay may send for a domain before mail starts bouncing.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "SpfRecord")]
[OutputType(typeof(SpfCheckResult), typeof(bool))]
public sealed class TestSpfRecordCommand : DnsCmdlet
{
    private OrderedWorkQueue<PipelineItem>? queue;
    private bool recordOnCommandLine;

    /// <summary>The domain whose policy is checked. Defaults to the -Sender domain, else -HeloName.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public string? Domain { get; set; }

    /// <summary>The connecting client's address.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("IP")]
    [ValidateNotNull]
    public IPAddress IPAddress { get; set; } = IPAddress.None;

    /// <summary>The MAIL FROM address; "" is the null sender (bounces), checked as postmaster@HELO.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("MailFrom")]
    [AllowEmptyString]
    public string? Sender { get; set; }

    /// <summary>The HELO/EHLO name the client gave.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Helo")]
    public string? HeloName { get; set; }

    /// <summary>Evaluate this text instead of the published record (try a change before publishing).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Record { get; set; }

    /// <summary>
    /// Bound only from piped Get-SpfRecord output, never typed. It tells a piped SpfRecord apart
    /// from a CSV row with a Record column: a piped SpfRecord is checked against live DNS (its
    /// Record property holds only the first of several published records, and a receiver would
    /// see them all and return permerror).
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
    public int? RecordCount { get; set; }

    /// <summary>How many checks run at once.</summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = 16;

    /// <summary>Return only $true for Pass and $false otherwise.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        queue = new OrderedWorkQueue<PipelineItem>(ThrottleLimit);

        // At this point BoundParameters holds only what was typed; pipeline values come later.
        recordOnCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(Record));
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        PipelineItem? immediate = Prepare(out SpfCheckRequest? request);
        if (immediate is not null)
        {
            WriteItems(queue!.Add(() => System.Threading.Tasks.Task.FromResult(immediate), CancellationToken));
            return;
        }

        IDnsResolver resolver = GetResolver();
        bool quiet = Quiet.IsPresent;
        WriteItems(queue!.Add(() => GuardAsync(() => EvaluateAsync(resolver, request!, quiet), request!.Domain), CancellationToken));
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        WriteItems(queue!.Drain());
        FlushVerbose();
    }

    /// <summary>Binds this item's values into a request, or returns the error that stops it.</summary>
    private PipelineItem? Prepare(out SpfCheckRequest? request)
    {
        request = null;
        if (!TryGetResolver(out _, out ErrorRecord? serverError))
        {
            return PipelineItem.Failure(serverError!);
        }

        string? domain;
        if (!string.IsNullOrEmpty(Domain))
        {
            if (!DomainName.TryNormalize(Domain, out string normalized, out string? reason))
            {
                return PipelineItem.Failure(CreateError(new ArgumentException(reason), ErrorIds.InvalidDomainName, ErrorCategory.InvalidArgument, Domain));
            }

            domain = normalized;
        }
        else
        {
            // RFC 7208 section 2.4: MAIL FROM identity first; the null sender uses the HELO identity.
            domain = SpfIdentity.DomainOf(Sender, HeloName);
            if (domain is null)
            {
                var ex = new ArgumentException("Give -Domain, or a -Sender or -HeloName whose domain is checked.");
                return PipelineItem.Failure(CreateError(ex, ErrorIds.DomainNotSpecified, ErrorCategory.InvalidArgument, IPAddress));
            }
        }

        string? record = Record;
        if (!recordOnCommandLine && MyInvocation.BoundParameters.ContainsKey(nameof(RecordCount)))
        {
            record = null;
        }

        if (record is not null && !SpfParser.IsSpfRecord(record))
        {
            var ex = new ArgumentException($"-Record must be an SPF record starting with 'v=spf1'; got '{Record}'.");
            return PipelineItem.Failure(CreateError(ex, ErrorIds.InvalidSpfRecord, ErrorCategory.InvalidArgument, Record));
        }

        request = new SpfCheckRequest
        {
            IPAddress = IPAddress,
            Domain = domain,
            Sender = Sender,
            HeloName = HeloName,
            Record = record,
        };
        return null;
    }

    private async System.Threading.Tasks.Task<PipelineItem> EvaluateAsync(IDnsResolver resolver, SpfCheckRequest request, bool quiet)
    {
        var evaluator = new SpfEvaluator(resolver);
        SpfCheckResult result = await evaluator.CheckHostAsync(request, CancellationToken).ConfigureAwait(false);
        var verbose = new List<string>(result.Trace.Length);
        string prefix = $"SPF {request.Domain} {request.IPAddress}: ";
        foreach (string step in result.Trace)
        {
            verbose.Add(prefix + step);
        }

        return PipelineItem.Success(quiet ? result.Result == SpfResult.Pass : result, verbose);
    }
}
