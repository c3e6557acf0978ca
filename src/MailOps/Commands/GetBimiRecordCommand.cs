using System;
using System.Management.Automation;
using System.Threading.Tasks;
using MailOps.Core;
using MailOps.Core.Bimi;
using MailOps.Core.Dns;
using MailOps.Pipeline;

namespace MailOps.Commands;

/// <summary>
/// Get-BimiRecord: the brand logo a domain asks receivers to show (the BIMI assertion record),
/// checked without fetching the logo. BIMI also needs DMARC at enforcement, which the DMARC
/// cmdlets check.
/// </summary>
[Cmdlet(VerbsCommon.Get, "BimiRecord")]
[OutputType(typeof(BimiRecord))]
public sealed class GetBimiRecordCommand : DomainCmdlet
{

    /// <summary>The BIMI selector: "default" unless messages carry a BIMI-Selector header naming another.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Selector { get; set; } = BimiRecordAnalyzer.DefaultSelector;

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        base.BeginProcessing();

        // A bad selector spoils every domain alike, so nothing can proceed.
        if (!BimiRecordAnalyzer.IsValidSelector(Selector))
        {
            ThrowTerminatingError(CreateError(
                new ArgumentException($"'{Selector}' is not a valid BIMI selector: use letters, digits, hyphens and underscores, in dot-separated labels."),
                ErrorIds.InvalidBimiSelector,
                ErrorCategory.InvalidArgument,
                Selector));
        }

    }

    private protected override async Task<PipelineItem> ProcessDomainAsync(IDnsResolver resolver, string domain)
        => PipelineItem.Success(await new BimiRecordAnalyzer(resolver).AnalyzeAsync(domain, Selector, CancellationToken).ConfigureAwait(false));
}
