using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

using MailOps.Pipeline;

namespace MailOps.Commands;

/// <summary>
/// What every MailOps cmdlet shares: a cancellation token that Ctrl+C (StopProcessing) cancels,
/// one place that blocks on the async core, and messages from worker threads queued until the
/// pipeline thread may write them.
/// </summary>
public abstract class MailOpsCmdlet : PSCmdlet, IDisposable
{
    private readonly ConcurrentQueue<string> verboseMessages = new ConcurrentQueue<string>();
    private CancellationTokenSource? cancellation;

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline is stopped.</summary>
    protected CancellationToken CancellationToken => (cancellation ??= new CancellationTokenSource()).Token;

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        cancellation ??= new CancellationTokenSource();
    }

    /// <inheritdoc />
    protected override void StopProcessing()
    {
        cancellation?.Cancel();
    }

    /// <summary>
    /// True when verbose messages would be shown (-Verbose, or $VerbosePreference asks for
    /// them): engines skip building per-step text nobody sees (a line per SMTP command).
    /// </summary>
    protected bool VerboseWanted()
    {
        if (MyInvocation.BoundParameters.TryGetValue("Verbose", out object? bound))
        {
            return bound is SwitchParameter sw ? sw.IsPresent : LanguagePrimitives.IsTrue(bound);
        }

        object? preference = SessionState.PSVariable.GetValue("VerbosePreference");
        if (preference is null)
        {
            return false;
        }

        ActionPreference value;
        try
        {
            value = LanguagePrimitives.ConvertTo<ActionPreference>(preference);
        }
        catch (PSInvalidCastException)
        {
            return true;
        }

        return value != ActionPreference.SilentlyContinue && value != ActionPreference.Ignore;
    }

    /// <summary>Queues a verbose message from any thread; it is written at the next flush.</summary>
    protected void QueueVerbose(string message) => verboseMessages.Enqueue(message);

    /// <summary>Writes queued verbose messages. Pipeline thread only.</summary>
    protected void FlushVerbose()
    {
        while (verboseMessages.TryDequeue(out string? message))
        {
            WriteVerbose(message);
        }
    }

    /// <summary>Blocks on the core. Cancellation surfaces as PipelineStoppedException, which is
    /// how PowerShell expects a stopped cmdlet to unwind.</summary>
    protected T Await<T>(Task<T> task)
    {
        try
        {
            if (!task.IsCompleted)
            {
                // A kernel wait, not GetResult's spin-then-block: on a small machine the spinning
                // pipeline thread takes the core the SMTP or DNS work it waits for needs.
                ((IAsyncResult)task).AsyncWaitHandle.WaitOne();
            }

            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>Writes items as the ordered queue hands them over. Enumerating may block on
    /// work in flight; a cancelled wait becomes PipelineStoppedException.</summary>
    internal void WriteItems(IEnumerable<PipelineItem> items, Action? afterEach = null)
    {
        try
        {
            foreach (PipelineItem item in items)
            {
                WriteItem(item);
                afterEach?.Invoke();
            }
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>Writes one item's outcome: its verbose lines, warnings, then the object or error.</summary>
    internal void WriteItem(PipelineItem item)
    {
        FlushVerbose();
        foreach (string line in item.Verbose)
        {
            WriteVerbose(line);
        }

        foreach (string warning in item.Warnings)
        {
            WriteWarning(warning);
        }

        if (item.Error is not null)
        {
            WriteError(item.Error);
        }
        else if (item.Output is not null)
        {
            WriteObject(item.Output, item.EnumerateOutput);
        }
    }

    /// <summary>
    /// Runs one item's work so that nothing it throws can stop the pipeline: a bug or an
    /// unforeseen input becomes an UnexpectedError record for that item alone, and the other
    /// items go on. Cancellation still unwinds.
    /// </summary>
    internal static async Task<PipelineItem> GuardAsync(Func<Task<PipelineItem>> work, object? target)
    {
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch (Exception ex) when (!(ex is OperationCanceledException))
        {
            return PipelineItem.Failure(CreateError(ex, ErrorIds.UnexpectedError, ErrorCategory.NotSpecified, target));
        }
    }

    /// <summary>
    /// Loads a DKIM private key file for Add-DkimSignature and Send-RelayMail alike. A key that
    /// cannot be used stops the cmdlet: every message would be signed with it.
    /// </summary>
    internal MailOps.Core.Relay.Signing.DkimSigningKey LoadDkimSigningKey(string keyPath)
    {
        string path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(keyPath);
        try
        {
            return MailOps.Core.Relay.Signing.DkimSigningKey.FromFile(path);
        }
        catch (Exception ex) when (DkimKeyError(ex, ex, keyPath) is ErrorRecord record)
        {
            ThrowTerminatingError(record);
            throw new InvalidOperationException("unreachable");
        }
    }

    /// <summary>
    /// The ErrorRecord for a DKIM key file that cannot be used (<paramref name="failure"/> from
    /// DkimSigningKey.FromFile), reported as <paramref name="reported"/>; null for any other
    /// exception. One mapping for a key given on the call and a key of a relay profile.
    /// </summary>
    internal static ErrorRecord? DkimKeyError(Exception failure, Exception reported, object? target) => failure switch
    {
        System.IO.FileNotFoundException or System.IO.DirectoryNotFoundException => CreateError(reported, ErrorIds.DkimKeyFileNotFound, ErrorCategory.ObjectNotFound, target),

        // RFC 8301 section 3.2: keys under 1024 bits must not be used.
        MailOps.Core.Relay.Signing.DkimSigningKeyException { Reason: MailOps.Core.Relay.Signing.DkimSigningKeyError.TooWeak } => CreateError(reported, ErrorIds.DkimKeyTooWeak, ErrorCategory.SecurityError, target),
        MailOps.Core.Relay.Signing.DkimSigningKeyException => CreateError(reported, ErrorIds.InvalidDkimSigningKey, ErrorCategory.InvalidData, target),
        System.IO.IOException or UnauthorizedAccessException => CreateError(reported, ErrorIds.DkimKeyFileReadFailed, ErrorCategory.ReadError, target),
        _ => null,
    };

    /// <summary>
    /// The files a -Path (wildcards) or -LiteralPath value stands for, for the cmdlets that read
    /// files (reports, bounces). Everything that is not a readable file gets its own error and
    /// the other inputs go on: another provider or a folder (<paramref name="notFileId"/>), a
    /// missing file or a wildcard matching none (<paramref name="notFoundId"/>).
    /// </summary>
    /// <param name="input">The value as given.</param>
    /// <param name="literal">True for -LiteralPath: no wildcard expansion.</param>
    /// <param name="noun">What the files are, for messages ("report", "bounce").</param>
    /// <param name="notFileId">ErrorId for non-file-system paths and folders.</param>
    /// <param name="notFoundId">ErrorId for missing files.</param>
    /// <param name="folderHint">What to tell a user who named a folder.</param>
    internal List<string> ResolveInputFiles(string input, bool literal, string noun, string notFileId, string notFoundId, Func<string, string> folderHint)
    {
        var files = new List<string>();
        try
        {
            ProviderInfo provider;
            IEnumerable<string> paths;
            bool wildcard = !literal && WildcardPattern.ContainsWildcardCharacters(input);
            if (!wildcard)
            {
                paths = new[] { SessionState.Path.GetUnresolvedProviderPathFromPSPath(input, out provider, out _) };
            }
            else
            {
                paths = SessionState.Path.GetResolvedProviderPathFromPSPath(input, out provider);
            }

            if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
            {
                WriteError(CreateError(new ArgumentException($"'{input}' is not a file-system path ({provider.Name} provider)."), notFileId, ErrorCategory.InvalidArgument, input));
                return files;
            }

            foreach (string path in paths)
            {
                if (System.IO.File.Exists(path))
                {
                    files.Add(path);
                }
                else if (System.IO.Directory.Exists(path))
                {
                    // A wildcard that also matches folders (reports/*) just skips them.
                    if (!wildcard)
                    {
                        WriteError(CreateError(new ArgumentException(folderHint(path)), notFileId, ErrorCategory.InvalidArgument, input));
                    }
                }
                else
                {
                    WriteError(CreateError(new ItemNotFoundException($"Cannot find the {noun} file '{path}'."), notFoundId, ErrorCategory.ObjectNotFound, input));
                }
            }

            if (wildcard && files.Count == 0)
            {
                WriteError(CreateError(new ItemNotFoundException($"No {noun} file matches '{input}'."), notFoundId, ErrorCategory.ObjectNotFound, input));
            }
        }
        catch (ItemNotFoundException ex)
        {
            WriteError(CreateError(ex, notFoundId, ErrorCategory.ObjectNotFound, input));
        }
        catch (Exception ex) when (ex is DriveNotFoundException || ex is ProviderNotFoundException || ex is NotSupportedException || ex is ArgumentException || ex is PSInvalidOperationException)
        {
            WriteError(CreateError(ex, notFileId, ErrorCategory.InvalidArgument, input));
        }

        // Files of one wildcard in name order, whatever order the provider lists them in.
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>Creates an ErrorRecord whose target is the input the user gave.</summary>
    protected static ErrorRecord CreateError(Exception exception, string errorId, ErrorCategory category, object? target)
        => new ErrorRecord(exception, errorId, category, target);

    /// <summary>Releases the cancellation source.</summary>
    public void Dispose()
    {
        cancellation?.Dispose();
        GC.SuppressFinalize(this);
    }
}
