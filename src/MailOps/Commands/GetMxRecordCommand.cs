using System.Management.Automation;
using System.Threading.Tasks;
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
public sealed class GetMxRecordCommand : DomainCmdlet
{
    // One row per MX, written one by one: every domain gives at least one row.
    private protected override async Task<PipelineItem> ProcessDomainAsync(IDnsResolver resolver, string domain)
        => PipelineItem.SuccessMany(await new MxRecordAnalyzer(resolver).AnalyzeAsync(domain, CancellationToken).ConfigureAwait(false));
}
