using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using MailOps.Core.Reports;

namespace MailOps.Commands;

/// <summary>
/// What the Import-*Report cmdlets share: -Path (wildcards) and -LiteralPath bound from the
/// pipeline (FullName and PSPath of Get-ChildItem output), one ErrorRecord per unreadable file
/// and the other files read on, rows written as the core yields them, the core's trace as
/// -Verbose.
/// </summary>
public abstract class ReportImportCmdlet : MailOpsCmdlet
{
    /// <summary>The parameter set of -Path.</summary>
    protected internal const string PathSet = "Path";

    /// <summary>The parameter set of -LiteralPath.</summary>
    protected internal const string LiteralPathSet = "LiteralPath";

    /// <summary>Report files; wildcards allowed. Binds FullName from the pipeline.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>Report files, taken literally (no wildcards). Binds PSPath from Get-ChildItem.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    /// <summary>The ErrorId for a file that is not a readable report.</summary>
    protected abstract string InvalidReportErrorId { get; }

    /// <summary>The rows of one file, lazily; throws <see cref="ReportFormatException"/>.</summary>
    protected abstract IEnumerable ReadFile(string file, IReportTrace trace);

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        bool literal = ParameterSetName == LiteralPathSet;
        foreach (string input in literal ? LiteralPath : Path)
        {
            foreach (string file in Resolve(input, literal))
            {
                Import(file);
            }
        }
    }

    private void Import(string file)
    {
        var trace = new VerboseTrace(this);
        try
        {
            foreach (object row in ReadFile(file, trace))
            {
                WriteObject(row);
            }
        }
        catch (ReportFormatException ex)
        {
            WriteError(CreateError(ex, InvalidReportErrorId, ErrorCategory.InvalidData, file));
        }
        catch (UnauthorizedAccessException ex)
        {
            WriteError(CreateError(ex, ErrorIds.ReportFileReadFailed, ErrorCategory.PermissionDenied, file));
        }
        catch (IOException ex)
        {
            WriteError(CreateError(ex, ErrorIds.ReportFileReadFailed, ErrorCategory.ReadError, file));
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>The file-system paths <paramref name="input"/> stands for; errors for the rest.</summary>
    private List<string> Resolve(string input, bool literal)
        => ResolveInputFiles(input, literal, "report", ErrorIds.ReportPathNotFile, ErrorIds.ReportFileNotFound,
            path => $"'{path}' is a folder; give the report files, e.g. Get-ChildItem '{path}' -File | {MyInvocation.MyCommand.Name}.");

    /// <summary>The core's trace as -Verbose. The core runs on the pipeline thread here (rows are
    /// pulled by the foreach in Import), so WriteVerbose is safe.</summary>
    private sealed class VerboseTrace : IReportTrace
    {
        private readonly ReportImportCmdlet owner;

        public VerboseTrace(ReportImportCmdlet owner) => this.owner = owner;

        public void Trace(string message) => owner.WriteVerbose(message);
    }
}
