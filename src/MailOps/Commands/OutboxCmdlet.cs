using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using MailOps.Core.Relay;
using MailOps.Core.Store;

namespace MailOps.Commands;

/// <summary>
/// Base of the outbox cmdlets (Get-, Save-, Stop-RelayMessage): -Path is the store, as on every
/// store cmdlet; the outbox is opened on first use, so -WhatIf and empty pipelines create no
/// file, and a missing store is read as an empty outbox rather than created.
/// </summary>
public abstract class OutboxCmdlet : StoreCmdlet, IDisposable
{
    private MailOpsStore? outboxStore;
    private RelayOutbox? outbox;

    /// <summary>
    /// The outbox, opening the store on first use; null when the store file does not exist (it
    /// is never created just to find nothing). A store that cannot be opened stops the cmdlet:
    /// no item could succeed.
    /// </summary>
    protected RelayOutbox? GetOutbox()
    {
        if (outbox is not null)
        {
            return outbox;
        }

        if (!MailOpsStore.Exists(StorePath))
        {
            WriteVerbose($"The MailOps store {StorePath} does not exist yet: the outbox is empty.");
            return null;
        }

        try
        {
            outboxStore = MailOpsStore.Open(StorePath);
        }
        catch (MailOpsStoreException ex)
        {
            ThrowTerminatingError(StoreErrors.Create(ex, StorePath));
        }
        catch (Exception ex) when (ex is DllNotFoundException || ex is TypeInitializationException || ex is BadImageFormatException)
        {
            // The native SQLite library (e_sqlite3) is missing for this platform.
            ThrowTerminatingError(CreateError(ex, ErrorIds.StoreOpenFailed, ErrorCategory.OpenError, StorePath));
        }

        WriteVerbose($"Opened the MailOps store {outboxStore!.Path} (schema version {outboxStore.SchemaVersion}).");
        outbox = new RelayOutbox(outboxStore);
        return outbox;
    }

    /// <summary>The message with <paramref name="id"/>, or null (after writing RelayMessageNotFound)
    /// when the outbox has none. Store failures are written as errors and also give null.</summary>
    protected RelayMessage? FindMessage(long id)
    {
        RelayOutbox? box = GetOutbox();
        try
        {
            RelayMessage? message = box is null
                ? null
                : Await(box.GetAsync(null, new[] { id }, CancellationToken)).FirstOrDefault();
            if (message is null)
            {
                WriteError(CreateNotFound(id));
            }

            return message;
        }
        catch (MailOpsStoreException ex)
        {
            WriteError(StoreErrors.Create(ex, id));
            return null;
        }
    }

    /// <summary>A RelayMessageNotFound record for an id the outbox does not hold.</summary>
    protected ErrorRecord CreateNotFound(long id)
        => CreateError(new ItemNotFoundException($"There is no message {id} in the outbox of {StorePath}. Get-RelayMessage lists them."), ErrorIds.RelayMessageNotFound, ErrorCategory.ObjectNotFound, id);

    /// <summary>-Status values (validated by ValidateSet) as the engine's enum.</summary>
    protected static IReadOnlyList<RelayMessageStatus>? ParseStatuses(string[]? values)
        => values is null || values.Length == 0
            ? null
            : values.Select(v => (RelayMessageStatus)Enum.Parse(typeof(RelayMessageStatus), v, ignoreCase: true)).ToArray();

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        base.EndProcessing();
        CloseOutbox();
    }

    /// <summary>Closes the store (also when the pipeline stopped or failed).</summary>
    public new void Dispose()
    {
        CloseOutbox();
        base.Dispose();
    }

    private void CloseOutbox()
    {
        outbox = null;
        outboxStore?.Dispose();
        outboxStore = null;
    }
}
