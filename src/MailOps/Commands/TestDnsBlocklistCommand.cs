using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using MailOps.Core;
using MailOps.Core.Blocklist;
using MailOps.Core.Dns;
using MailOps.Pipeline;

namespace MailOps.Commands;

/// <summary>
/// Test-DnsBlocklist: is this relay address (or this domain) on the public blocklists that
/// receivers consult? One row per target and list, each list self-tested first (RFC 5782
/// section 5) so a dead, wildcarding or refusing list gives an error instead of a false answer.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "DnsBlocklist", DefaultParameterSetName = AddressSet)]
[OutputType(typeof(DnsBlocklistResult), typeof(bool))]
public sealed class TestDnsBlocklistCommand : DnsCmdlet
{
    private const string AddressSet = "IPAddress";
    private const string DomainSet = "Domain";

    private readonly Dictionary<string, DnsBlocklistChecker> checkers = new Dictionary<string, DnsBlocklistChecker>(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<DnsBlocklistKind> mismatchReported = new HashSet<DnsBlocklistKind>();
    private OrderedWorkQueue<PipelineItem>? queue;
    private DnsBlocklist[] selected = Array.Empty<DnsBlocklist>();

    /// <summary>The addresses to check: IPv4 or IPv6 (IPv4-mapped IPv6 is checked as IPv4).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = AddressSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("IP", "SourceIP")]
    [ValidateNotNull]
    public string[] IPAddress { get; set; } = Array.Empty<string>();

    /// <summary>The domains to check on the domain lists.</summary>
    [Parameter(Mandatory = true, ParameterSetName = DomainSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNull]
    public string[] Domain { get; set; } = Array.Empty<string>();

    /// <summary>Catalogue names or zones, or any other blocklist zone; default: every catalogue list of the target's kind.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Blocklist { get; set; }

    /// <summary>How many targets are checked at once (each asks all its lists concurrently).</summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = 16;

    /// <summary>Return one boolean per target: $true when it is listed on no list.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        queue = new OrderedWorkQueue<PipelineItem>(ThrottleLimit);
        if (Blocklist is null)
        {
            return;
        }

        var lists = new List<DnsBlocklist>();
        foreach (string value in Blocklist)
        {
            DnsBlocklist? list = DnsBlocklistCatalog.BuiltIn.Find(value);
            if (list is null)
            {
                if (!DomainName.TryNormalize(value, out _, out string? reason))
                {
                    var ex = new ArgumentException($"'{value}' is neither a blocklist of the catalogue nor a DNS zone name: {reason}");
                    WriteError(CreateError(ex, ErrorIds.InvalidBlocklist, ErrorCategory.InvalidArgument, value));
                    continue;
                }

                list = DnsBlocklist.Custom(value);
            }

            if (!lists.Any(l => string.Equals(l.Zone, list.Zone, StringComparison.OrdinalIgnoreCase)))
            {
                lists.Add(list);
            }
        }

        if (lists.Count == 0)
        {
            ThrowTerminatingError(CreateError(new ArgumentException("None of the -Blocklist values is a blocklist; nothing can be checked."), ErrorIds.InvalidBlocklist, ErrorCategory.InvalidArgument, Blocklist));
        }

        selected = lists.ToArray();
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (!TryGetResolver(out IDnsResolver? resolver, out ErrorRecord? serverError))
        {
            WriteError(serverError!);
            return;
        }

        DnsBlocklistChecker checker = GetChecker(resolver!);
        bool domains = ParameterSetName == DomainSet;
        DnsBlocklistKind kind = domains ? DnsBlocklistKind.Domain : DnsBlocklistKind.IPAddress;
        DnsBlocklist[] lists = ListsFor(kind);
        if (lists.Length == 0)
        {
            return;
        }

        bool quiet = Quiet.IsPresent;
        foreach (string input in domains ? Domain : IPAddress)
        {
            Func<Task<PipelineItem>> work;
            if (domains)
            {
                if (!DomainName.TryNormalize(input, out string domain, out string? reason))
                {
                    PipelineItem invalid = PipelineItem.Failure(CreateError(new ArgumentException(reason), ErrorIds.InvalidDomainName, ErrorCategory.InvalidArgument, input));
                    work = () => Task.FromResult(invalid);
                }
                else
                {
                    work = () => GuardAsync(async () => Finish(await checker.CheckDomainAsync(domain, lists, CancellationToken).ConfigureAwait(false), quiet), input);
                }
            }
            else if (!DnsBlocklistQueryName.TryParseAddress(input, out System.Net.IPAddress? address))
            {
                var ex = new ArgumentException($"'{input}' is not an IP address: give a dotted-quad IPv4 address (192.0.2.1) or an IPv6 address (2001:db8::1).");
                PipelineItem invalid = PipelineItem.Failure(CreateError(ex, ErrorIds.InvalidIPAddress, ErrorCategory.InvalidArgument, input));
                work = () => Task.FromResult(invalid);
            }
            else
            {
                work = () => GuardAsync(async () => Finish(await checker.CheckAddressAsync(address!, lists, CancellationToken).ConfigureAwait(false), quiet), input);
            }

            WriteRows(queue!.Add(work, CancellationToken));
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        WriteRows(queue!.Drain());
        FlushVerbose();
    }

    /// <summary>The rows of one target, or with -Quiet its boolean plus a warning per untrusted row.</summary>
    private static PipelineItem Finish(DnsBlocklistResult[] rows, bool quiet)
    {
        if (!quiet)
        {
            return PipelineItem.Success(rows);
        }

        string[] warnings = rows
            .Where(r => r.Status == DnsBlocklistStatus.Error)
            .Select(r => $"{r.Target} on {r.Blocklist}: {r.Error}")
            .ToArray();
        return PipelineItem.Success(!rows.Any(r => r.IsListed), null, warnings);
    }

    /// <summary>
    /// The lists for targets of <paramref name="kind"/>: the catalogue's lists of that kind by
    /// default, else the -Blocklist values that take it. A catalogue list of the other kind is
    /// reported once per kind (an IP is never queried against a domain list, RFC 5782 section 2).
    /// </summary>
    private DnsBlocklist[] ListsFor(DnsBlocklistKind kind)
    {
        if (Blocklist is null)
        {
            return DnsBlocklistCatalog.BuiltIn.ListsFor(kind);
        }

        if (mismatchReported.Add(kind))
        {
            foreach (DnsBlocklist list in selected.Where(l => !l.Covers(kind)))
            {
                string what = kind == DnsBlocklistKind.Domain ? "domains" : "IP addresses";
                var ex = new ArgumentException($"{list.Zone} ({list.Name}) lists {(list.Kind == DnsBlocklistKind.Domain ? "domains" : "IP addresses")}, so it is not asked about {what}.");
                WriteError(CreateError(ex, ErrorIds.BlocklistKindMismatch, ErrorCategory.InvalidArgument, list.Zone));
            }
        }

        return selected.Where(l => l.Covers(kind)).ToArray();
    }

    /// <summary>One checker (and so one set of self-tests) per invocation and server list.</summary>
    private DnsBlocklistChecker GetChecker(IDnsResolver resolver)
    {
        string key = Server is null ? string.Empty : string.Join(",", Server);
        if (!checkers.TryGetValue(key, out DnsBlocklistChecker? checker))
        {
            checker = new DnsBlocklistChecker(resolver, QueueVerbose);
            checkers.Add(key, checker);
        }

        return checker;
    }

    /// <summary>Writes each target's rows one by one (or its boolean), in input order.</summary>
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
                else if (item.Output is DnsBlocklistResult[] rows)
                {
                    foreach (DnsBlocklistResult row in rows)
                    {
                        WriteObject(row);
                    }
                }
                else if (item.Output is not null)
                {
                    WriteObject(item.Output);
                }
            }
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }
}
