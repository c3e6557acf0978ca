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
public sealed class GetDmarcPolicyCommand : DomainCmdlet
{
    private DmarcDiscoveryOptions? options;

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

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        options = new DmarcDiscoveryOptions
        {
            Method = (DmarcDiscoveryMethod)Enum.Parse(typeof(DmarcDiscoveryMethod), DiscoveryMethod, ignoreCase: true),
            ThirdParty = ThirdParty.IsPresent,
        };
    }

    private protected override async Task<PipelineItem> ProcessDomainAsync(IDnsResolver resolver, string domain)
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
