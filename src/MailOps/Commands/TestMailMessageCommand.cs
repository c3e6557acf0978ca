using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Net;
using System.Threading.Tasks;
using MailOps.Core.Dns;
using MailOps.Core.Messages;
using MailOps.Pipeline;

namespace MailOps.Commands;

/// <summary>
/// Test-MailMessage: takes a saved message (.eml) and answers what the receiving server
/// answered: DKIM for every signature, SPF for the connecting IP, DMARC with alignment, ARC,
/// the recorded Authentication-Results and header sanity, with one overall verdict.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "MailMessage", DefaultParameterSetName = PathSet)]
[OutputType(typeof(MailMessageVerdict))]
[OutputType(typeof(bool))]
public sealed class TestMailMessageCommand : DnsCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    private OrderedWorkQueue<PipelineItem>? queue;

    /// <summary>Message files (.eml, RFC 5322); wildcards are expanded.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>Message files taken exactly as written (no wildcards); binds FullName and PSPath
    /// from the pipeline, so Get-ChildItem *.eml | Test-MailMessage works.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    /// <summary>The connecting client's address for SPF; default: the top-most Received header's.</summary>
    [Parameter]
    [Alias("IP")]
    public IPAddress? IPAddress { get; set; }

    /// <summary>The HELO name for SPF; default: the top-most Received header's.</summary>
    [Parameter]
    [Alias("Helo")]
    [ValidateNotNullOrEmpty]
    public string? HeloName { get; set; }

    /// <summary>How many messages are checked at once.</summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = 8;

    /// <summary>Return only $true (Verdict Pass) or $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

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

        var options = new MailMessageCheckOptions { IPAddress = IPAddress, HeloName = HeloName };
        foreach (string file in ResolveFiles())
        {
            string target = file;
            WriteItems(queue!.Add(() => GuardAsync(() => AnalyzeAsync(resolver!, target, options), target), CancellationToken));
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        WriteItems(queue!.Drain());
        FlushVerbose();
    }

    /// <summary>The files to check; a path that names nothing becomes an error here and the rest go on.</summary>
    private IEnumerable<string> ResolveFiles()
    {
        bool literal = ParameterSetName == LiteralPathSet;
        foreach (string input in literal ? LiteralPath : Path)
        {
            var files = new List<string>();
            try
            {
                if (literal)
                {
                    files.Add(SessionState.Path.GetUnresolvedProviderPathFromPSPath(input));
                }
                else
                {
                    files.AddRange(SessionState.Path.GetResolvedProviderPathFromPSPath(input, out ProviderInfo _));
                }
            }
            catch (Exception ex) when (ex is ItemNotFoundException || ex is System.Management.Automation.DriveNotFoundException || ex is ProviderNotFoundException || ex is NotSupportedException || ex is ArgumentException)
            {
                WriteError(CreateError(ex, ErrorIds.MessageFileNotFound, ErrorCategory.ObjectNotFound, input));
                continue;
            }

            if (files.Count == 0)
            {
                WriteError(CreateError(new FileNotFoundException($"No file matches '{input}'."), ErrorIds.MessageFileNotFound, ErrorCategory.ObjectNotFound, input));
            }

            foreach (string file in files)
            {
                if (Directory.Exists(file))
                {
                    WriteError(CreateError(new ArgumentException($"'{file}' is a directory, not a message file."), ErrorIds.InvalidMessageFile, ErrorCategory.InvalidArgument, file));
                }
                else if (!File.Exists(file))
                {
                    WriteError(CreateError(new FileNotFoundException($"The file '{file}' does not exist.", file), ErrorIds.MessageFileNotFound, ErrorCategory.ObjectNotFound, file));
                }
                else
                {
                    yield return file;
                }
            }
        }
    }

    private async Task<PipelineItem> AnalyzeAsync(IDnsResolver resolver, string file, MailMessageCheckOptions options)
    {
        MailMessageVerdict verdict;
        try
        {
            verdict = await new MailMessageAnalyzer(resolver).AnalyzeFileAsync(file, options, CancellationToken).ConfigureAwait(false);
        }
        catch (FormatException ex)
        {
            return PipelineItem.Failure(CreateError(ex, ErrorIds.InvalidMessageFile, ErrorCategory.InvalidData, file));
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
        {
            return PipelineItem.Failure(CreateError(ex, ErrorIds.MessageFileReadFailed, ErrorCategory.ReadError, file));
        }

        string[] verbose = Array.ConvertAll(verdict.Trace, line => $"{System.IO.Path.GetFileName(file)}: {line}");
        return Quiet
            ? PipelineItem.Success(verdict.Verdict == MailVerdict.Pass, verbose)
            : PipelineItem.Success(verdict, verbose);
    }
}
