using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using MailOps.Core.Reports;

namespace MailOps.Commands;

/// <summary>
/// Import-DmarcReport: the records of DMARC aggregate reports (RFC 7489 appendix C, RFC 9990)
/// as rows, one per source IP and result, from .xml, .xml.gz, .zip and .eml files. Rows are
/// written as they are read, so a 100 MB report streams in constant memory.
/// </summary>
[Cmdlet(VerbsData.Import, "DmarcReport", DefaultParameterSetName = ReportImportCmdlet.PathSet)]
[OutputType(typeof(DmarcReportRow))]
public sealed class ImportDmarcReportCommand : ReportImportCmdlet
{
    /// <inheritdoc />
    protected override string InvalidReportErrorId => ErrorIds.InvalidDmarcReport;

    /// <inheritdoc />
    protected override IEnumerable ReadFile(string file, IReportTrace trace)
        => DmarcReportReader.ReadFile(file, trace, null, CancellationToken);
}

