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
        catch (System.IO.FileNotFoundException ex)
        {
            ThrowTerminatingError(CreateError(ex, ErrorIds.DkimKeyFileNotFound, ErrorCategory.ObjectNotFound, keyPath));
        }
        catch (MailOps.Core.Relay.Signing.DkimSigningKeyException ex) when (ex.Reason == MailOps.Core.Relay.Signing.DkimSigningKeyError.TooWeak)
        {
            // RFC 8301 section 3.2: keys under 1024 bits must not be used.
            ThrowTerminatingError(CreateError(ex, ErrorIds.DkimKeyTooWeak, ErrorCategory.SecurityError, keyPath));
        }
        catch (MailOps.Core.Relay.Signing.DkimSigningKeyException ex)
        {
            ThrowTerminatingError(CreateError(ex, ErrorIds.InvalidDkimSigningKey, ErrorCategory.InvalidData, keyPath));
        }
        catch (Exception ex) when (ex is System.IO.IOException || ex is UnauthorizedAccessException)
        {
            ThrowTerminatingError(CreateError(ex, ErrorIds.DkimKeyFileReadFailed, ErrorCategory.ReadError, keyPath));
        }

        throw new InvalidOperationException("unreachable");
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
