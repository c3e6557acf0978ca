using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using MailOps.Core.Bounces;
using MailOps.Core.Store;
using MailOps.Core.Suppression;

namespace MailOps.Commands;

/// <summary>
/// Import-MailBounce: one row per recipient of the bounce messages in .eml and mbox files, read
/// from RFC 3464 delivery reports or the text of Exchange, Gmail, qmail and Exim, and classified
/// so that only dead addresses are suppressed. With -AddToSuppression the recipients of the
/// chosen kinds (hard bounces by default) go on the suppression list as they are read.
/// </summary>
[Cmdlet(VerbsData.Import, "MailBounce", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType(typeof(MailBounce))]
public sealed class ImportMailBounceCommand : MailOpsCmdlet, IDisposable
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private readonly HashSet<string> suppressed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
    private int filesRead;
    private MailOpsStore? store;
    private SuppressionList? suppressions;
    private string? storeFile;

    /// <summary>Bounce files (.eml, mbox); wildcards allowed. Binds FullName from the pipeline.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>Bounce files, taken literally (no wildcards). Binds PSPath from Get-ChildItem.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    /// <summary>Put the recipients whose Kind is in -Kind on the suppression list.</summary>
    [Parameter]
    public SwitchParameter AddToSuppression { get; set; }

    /// <summary>The kinds -AddToSuppression adds. Default: HardBounce only, the one kind that
    /// says the address does not exist; the others clear up or are the sender's problem.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public BounceKind[] Kind { get; set; } = { BounceKind.HardBounce };

    /// <summary>The store file -AddToSuppression writes. Default: $env:MAILOPS_STORE if set, else
    /// mailops.db in the MailOps folder of the user's local data folder.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? StorePath { get; set; }

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

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        WriteProgress(new ProgressRecord(1, "Import-MailBounce", "Done") { RecordType = ProgressRecordType.Completed });
        CloseStore();
    }

    /// <summary>Closes the store (also when the pipeline stopped or failed) and releases the
    /// cancellation source.</summary>
    public new void Dispose()
    {
        CloseStore();
        base.Dispose();
    }

    private void Import(string file)
    {
        filesRead++;
        WriteProgress(new ProgressRecord(1, "Import-MailBounce", $"Reading file {filesRead}: {file}"));
        WriteVerbose($"Reading {file}");
        BounceFileResult result;
        try
        {
            result = Await(BounceFileReader.ReadFileAsync(file, CancellationToken));
        }
        catch (UnauthorizedAccessException ex)
        {
            WriteError(CreateError(ex, ErrorIds.BounceFileReadFailed, ErrorCategory.PermissionDenied, file));
            return;
        }
        catch (IOException ex)
        {
            WriteError(CreateError(ex, ErrorIds.BounceFileReadFailed, ErrorCategory.ReadError, file));
            return;
        }

        foreach (string note in result.Notes)
        {
            WriteVerbose(note);
        }

        foreach (MailBounce bounce in result.Bounces)
        {
            WriteObject(bounce);
            if (AddToSuppression && Kind.Contains(bounce.Kind))
            {
                Suppress(bounce);
            }
        }

        switch (result.Problem)
        {
            case BounceFileProblem.NotABounce:
                WriteError(CreateError(new InvalidDataException($"'{file}' is not a bounce. {result.ProblemMessage}"), ErrorIds.NotABounce, ErrorCategory.InvalidData, file));
                break;
            case BounceFileProblem.InvalidMessageFile:
                WriteError(CreateError(new InvalidDataException($"'{file}' cannot be read as a message or mbox. {result.ProblemMessage}"), ErrorIds.InvalidMessageFile, ErrorCategory.InvalidData, file));
                break;
        }
    }

    /// <summary>Adds one recipient to the suppression list, once per invocation. Nothing, not even
    /// the store file, is touched before ShouldProcess agrees (-WhatIf, -Confirm).</summary>
    private void Suppress(MailBounce bounce)
    {
        if (suppressed.Contains(bounce.Recipient))
        {
            return;
        }

        if (!SuppressionAddress.TryNormalize(bounce.Recipient, out string address, out string? reason))
        {
            WriteError(CreateError(new ArgumentException(reason), ErrorIds.InvalidEmailAddress, ErrorCategory.InvalidArgument, bounce.Recipient));
            return;
        }

        string path = GetStorePath();
        if (!ShouldProcess(address, $"Add to the suppression list {path} (reason: {bounce.Kind}, from {bounce.File})"))
        {
            return;
        }

        suppressed.Add(bounce.Recipient);
        try
        {
            SuppressionList list = OpenSuppressionList(path);
            SuppressionAddResult added = Await(list.AddAsync(address, bounce.Kind.ToString(), null, bounce.File, false, CancellationToken));
            WriteVerbose($"{(added.IsUpdate ? "Updated" : "Added")} {added.Entry.Address} on the suppression list (reason: {added.Entry.Reason}).");
        }
        catch (MailOpsStoreException ex)
        {
            WriteError(StoreErrors.Create(ex, bounce.Recipient));
        }
        catch (ArgumentException ex)
        {
            WriteError(CreateError(ex, ErrorIds.InvalidEmailAddress, ErrorCategory.InvalidArgument, bounce.Recipient));
        }
    }

    private string GetStorePath()
        => storeFile ??= StorePath is null ? MailOpsStore.DefaultPath : MailOpsStore.ResolvePath(GetUnresolvedProviderPathFromPSPath(StorePath));

    /// <summary>The list, opening the store on first use. A store that cannot be opened stops the
    /// cmdlet: no recipient could be added.</summary>
    private SuppressionList OpenSuppressionList(string path)
    {
        if (suppressions is not null)
        {
            return suppressions;
        }

        try
        {
            store = MailOpsStore.Open(path);
        }
        catch (MailOpsStoreException ex)
        {
            ThrowTerminatingError(StoreErrors.Create(ex, path));
        }
        catch (Exception ex) when (ex is DllNotFoundException || ex is TypeInitializationException || ex is BadImageFormatException)
        {
            // The native SQLite library is missing for this platform.
            ThrowTerminatingError(CreateError(ex, ErrorIds.StoreOpenFailed, ErrorCategory.OpenError, path));
        }

        WriteVerbose($"Opened the MailOps store {store!.Path}.");
        suppressions = new SuppressionList(store);
        return suppressions;
    }

    private void CloseStore()
    {
        suppressions = null;
        store?.Dispose();
        store = null;
    }

    /// <summary>The file-system paths <paramref name="input"/> stands for; errors for the rest.</summary>
    private List<string> Resolve(string input, bool literal)
        => ResolveInputFiles(input, literal, "bounce", ErrorIds.BouncePathNotFile, ErrorIds.BounceFileNotFound,
            path => $"'{path}' is a folder; give the bounce files, e.g. '{System.IO.Path.Combine(path, "*")}'.");
}
