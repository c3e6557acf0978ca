using System.Management.Automation;
using System.Threading.Tasks;
using MailOps.Core.Dns;
using MailOps.Core.TlsRpt;
using MailOps.Pipeline;

namespace MailOps.Commands;

/// <summary>
/// Get-TlsRptRecord: where a domain asks senders to report TLS delivery failures (RFC 8460),
/// and what is wrong with the record.
/// </summary>
[Cmdlet(VerbsCommon.Get, "TlsRptRecord")]
[OutputType(typeof(TlsRptRecord))]
public sealed class GetTlsRptRecordCommand : DomainCmdlet
{
    private protected override async Task<PipelineItem> ProcessDomainAsync(IDnsResolver resolver, string domain)
        => PipelineItem.Success(await new TlsRptRecordAnalyzer(resolver).AnalyzeAsync(domain, CancellationToken).ConfigureAwait(false));
}
