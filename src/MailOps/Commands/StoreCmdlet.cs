using System;
using System.Management.Automation;
using MailOps.Core.Store;
using MailOps.Core.Suppression;

namespace MailOps.Commands;

/// <summary>
/// Base of the cmdlets that use the MailOps store: the -Path parameter, one store connection per
/// invocation (opened on first use, so -WhatIf and empty pipelines never create a file), and
/// the mapping of store failures to ErrorRecords.
/// </summary>
public abstract class StoreCmdlet : MailOpsCmdlet, IDisposable
{
    private MailOpsStore? store;
    private SuppressionList? suppressions;
    private string? storePath;

    /// <summary>The store file. Default: $env:MAILOPS_STORE if set, else mailops.db in the
    /// MailOps folder of the user's local data folder. Relative paths are from the current location.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>The full path of the store this invocation uses.</summary>
    protected string StorePath
        => storePath ??= Path is null ? MailOpsStore.DefaultPath : MailOpsStore.ResolvePath(GetUnresolvedProviderPathFromPSPath(Path));

    /// <summary>
    /// The suppression list, opening the store on first use. With <paramref name="create"/> false
    /// a missing store file is not created and null comes back (there is nothing in it).
    /// A store that cannot be opened stops the cmdlet: no item could succeed.
    /// </summary>
    protected SuppressionList? GetSuppressionList(bool create)
    {
        if (suppressions is not null)
        {
            return suppressions;
        }

        if (!create && !MailOpsStore.Exists(StorePath))
        {
            WriteVerbose($"The MailOps store {StorePath} does not exist yet.");
            return null;
        }

        try
        {
            store = MailOpsStore.Open(StorePath);
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

        WriteVerbose($"Opened the MailOps store {store!.Path} (schema version {store.SchemaVersion}).");
        suppressions = new SuppressionList(store);
        return suppressions;
    }

    /// <summary>An InvalidEmailAddress record for one bad input.</summary>
    protected static ErrorRecord CreateAddressError(string? input, string? reason)
        => CreateError(new ArgumentException(reason), ErrorIds.InvalidEmailAddress, ErrorCategory.InvalidArgument, input);

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        base.EndProcessing();
        CloseStore();
    }

    /// <summary>Closes the store (also when the pipeline stopped or failed) and releases the
    /// cancellation source.</summary>
    public new void Dispose()
    {
        CloseStore();
        base.Dispose();
    }

    private void CloseStore()
    {
        suppressions = null;
        store?.Dispose();
        store = null;
    }
}
