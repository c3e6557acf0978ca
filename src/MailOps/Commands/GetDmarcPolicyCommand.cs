using System;
using System.Management.Automation;
using System.Threading.Tasks;
using MailOps.Core;
using MailOps.Core.Dmarc;
using MailOps.Core.Dns;
using MailOps.Pipeline;

namespace MailOps.Commands;

/// <summary>
/// Get-DmarcPolicy: the DMARC policy receivers apply to mail from a domain, found the way they
/// find it (RFC 9989 tree walk or RFC 7489 Public Suffix List), with the record, the
/// Organizational Domain, the report destinations and findings that say what to fix.
/// </summary>
[Cmdlet(VerbsCommon.Get, "DmarcPolicy")]
[OutputType(typeof(DmarcPolicy))]
public sealed class GetDmarcPolicyCommand : DnsCmdlet
{
    private OrderedWorkQueue<PipelineItem>? queue;

    /// <summary>The From domains to look up.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNull]
    public string[] Domain { get; set; } = Array.Empty<string>();

    /// <summary>TreeWalk: RFC 9989 DNS tree walk (default); PublicSuffixList: the RFC 7489 method.
    /// A string with ValidateSet rather than the Core enum: a field of a MailOps.Core value type
    /// would make PowerShell's type scan load MailOps.Core before the module initializer runs.</summary>
    [Parameter]
    [ValidateSet("TreeWalk", "PublicSuffixList")]
    public string DiscoveryMethod { get; set; } = "TreeWalk";

    /// <summary>The domains are not yours (for example customers' From addresses your relay sends
    /// for): a quarantine or reject policy then raises DmarcRelayWillBeRejected.</summary>
    [Parameter]
    public SwitchParameter ThirdParty { get; set; }

    /// <summary>How many domains are looked up at once.</summary>
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

        var options = new DmarcDiscoveryOptions
        {
            Method = (DmarcDiscoveryMethod)Enum.Parse(typeof(DmarcDiscoveryMethod), DiscoveryMethod, ignoreCase: true),
            ThirdParty = ThirdParty.IsPresent,
        };
        foreach (string input in Domain)
        {
            PipelineItem? invalid = null;
            if (!DomainName.TryNormalize(input, out string domain, out string? reason))
            {
                invalid = PipelineItem.Failure(CreateError(new ArgumentException(reason), ErrorIds.InvalidDomainName, ErrorCategory.InvalidArgument, input));
            }

            Func<Task<PipelineItem>> work = invalid is not null
                ? () => Task.FromResult(invalid)
                : () => GuardAsync(() => DiscoverAsync(resolver!, domain, options), input);
            WriteItems(queue!.Add(work, CancellationToken));
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        WriteItems(queue!.Drain());
        FlushVerbose();
    }

    private async Task<PipelineItem> DiscoverAsync(IDnsResolver resolver, string domain, DmarcDiscoveryOptions options)
    {
        DmarcPolicy policy = await new DmarcPolicyDiscovery(resolver).DiscoverAsync(domain, options, CancellationToken).ConfigureAwait(false);
        var verbose = new string[policy.Trace.Length];
        for (int i = 0; i < verbose.Length; i++)
        {
            verbose[i] = $"DMARC {domain}: {policy.Trace[i]}";
        }

        return PipelineItem.Success(policy, verbose);
    }
}
