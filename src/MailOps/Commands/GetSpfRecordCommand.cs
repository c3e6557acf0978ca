using System.Management.Automation;
using System.Threading.Tasks;
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
public sealed class GetSpfRecordCommand : DomainCmdlet
{
    private protected override async Task<PipelineItem> ProcessDomainAsync(IDnsResolver resolver, string domain)
        => PipelineItem.Success(await new SpfRecordAnalyzer(resolver).AnalyzeAsync(domain, CancellationToken).ConfigureAwait(false));
}
