using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Text;
using MailOps.Core.Audit;
using MailOps.Core.Html;
using MailOps.Core.Reports;

namespace MailOps.Commands;

/// <summary>
/// Export-MailReport: the HTML page a person would rather look at than read, from Test-MailDomain
/// results and Import-DmarcReport rows on the pipeline. One self-contained file, written
/// atomically so a half-written report never replaces a good one.
/// </summary>
[Cmdlet(VerbsData.Export, "MailReport", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportMailReportCommand : MailOpsCmdlet
{
    private readonly List<MailDomainReport> domains = new List<MailDomainReport>();
    private readonly List<DmarcReportRow> dmarcRows = new List<DmarcReportRow>();

    /// <summary>The HTML file to write.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>Test-MailDomain reports and Import-DmarcReport rows.</summary>
    [Parameter(ValueFromPipeline = true)]
    [AllowNull]
    public PSObject? InputObject { get; set; }

    /// <summary>The page title.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Title { get; set; } = "Mail deliverability report";

    /// <summary>Refuse to overwrite an existing file.</summary>
    [Parameter]
    public SwitchParameter NoClobber { get; set; }

    /// <summary>Output the written file.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (InputObject is null)
        {
            return;
        }

        switch (InputObject.BaseObject)
        {
            case MailDomainReport report:
                domains.Add(report);
                break;
            case DmarcReportRow row:
                dmarcRows.Add(row);
                break;
            default:
                var ex = new ArgumentException($"Export-MailReport takes Test-MailDomain results and Import-DmarcReport rows; got {InputObject.BaseObject.GetType().FullName}.");
                WriteError(CreateError(ex, ErrorIds.UnsupportedReportInput, ErrorCategory.InvalidArgument, InputObject));
                break;
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        string path = GetUnresolvedProviderPathFromPSPath(Path);
        if (NoClobber.IsPresent && File.Exists(path))
        {
            var ex = new IOException($"The file '{path}' already exists and -NoClobber was given.");
            ThrowTerminatingError(CreateError(ex, ErrorIds.ReportFileExists, ErrorCategory.ResourceExists, path));
        }

        string what = $"{domains.Count} domain report(s) and {dmarcRows.Count} DMARC row(s)";
        if (!ShouldProcess(path, "Write HTML report of " + what))
        {
            return;
        }

        string html = MailReportRenderer.Render(Title, domains, dmarcRows, DateTimeOffset.Now);
        try
        {
            WriteAtomically(path, html);
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
        {
            ThrowTerminatingError(CreateError(ex, ErrorIds.ReportWriteFailed, ErrorCategory.WriteError, path));
        }

        WriteVerbose($"Wrote {what} to {path} ({html.Length:N0} characters).");
        if (PassThru.IsPresent)
        {
            WriteObject(new FileInfo(path));
        }
    }

    /// <summary>Writes beside the target, then swaps it in: readers see the old file or the new one.</summary>
    private static void WriteAtomically(string path, string content)
    {
        string directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? ".";
        string temp = System.IO.Path.Combine(directory, "." + System.IO.Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            File.WriteAllText(temp, content, new UTF8Encoding(false));
            if (File.Exists(path))
            {
                File.Replace(temp, path, null);
            }
            else
            {
                File.Move(temp, path);
            }
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
