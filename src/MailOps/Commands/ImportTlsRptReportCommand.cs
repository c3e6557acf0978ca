using System.Collections;
using System.Management.Automation;
using MailOps.Core.Reports;

namespace MailOps.Commands;

/// <summary>
/// Import-TlsRptReport: SMTP TLS reports (RFC 8460) as rows, one per policy and failure type,
/// from .json, .json.gz and .eml files; a policy without failures gives one row with its session
/// totals.
/// </summary>
[Cmdlet(VerbsData.Import, "TlsRptReport", DefaultParameterSetName = PathSet)]
[OutputType(typeof(TlsRptReportRow))]
public sealed class ImportTlsRptReportCommand : ReportImportCmdlet
{
    /// <inheritdoc />
    protected override string InvalidReportErrorId => ErrorIds.InvalidTlsRptReport;

    /// <inheritdoc />
    protected override IEnumerable ReadFile(string file, IReportTrace trace)
        => TlsRptReportReader.ReadFile(file, trace, CancellationToken);
}
