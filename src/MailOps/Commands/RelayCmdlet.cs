using System;
using System.Management.Automation;
using MailOps.Core.Relay;
using MailOps.Core.Store;

namespace MailOps.Commands;

/// <summary>
/// Base of the relay profile cmdlets: the store's relay tables opened on first use (so -WhatIf
/// and empty pipelines create no file) and the mapping of relay refusals to ErrorRecords.
/// Security and Category are strings with ValidateSet on the cmdlets and parsed here, so no
/// engine enum type appears on a cmdlet parameter.
/// </summary>
public abstract class RelayCmdlet : StoreCmdlet, IDisposable
{
    /// <summary>The choices of -Security, as the engine's RelaySecurity names them.</summary>
    protected const string SecurityChoices = "Auto,None,StartTls,StartTlsWhenAvailable,SslOnConnect";

    private MailOpsStore? relayStore;
    private RelayProfileStore? profiles;

    /// <summary>
    /// The relay profiles, opening the store on first use. With <paramref name="create"/> false
    /// a missing store file is not created and null comes back (there are no profiles). A store
    /// that cannot be opened stops the cmdlet: no item could succeed.
    /// </summary>
    protected RelayProfileStore? GetProfiles(bool create)
    {
        if (profiles is not null)
        {
            return profiles;
        }

        if (!create && !MailOpsStore.Exists(StorePath))
        {
            WriteVerbose($"The MailOps store {StorePath} does not exist yet: no relay profiles.");
            return null;
        }

        try
        {
            relayStore = MailOpsStore.Open(StorePath);
        }
        catch (MailOpsStoreException ex)
        {
            ThrowTerminatingError(CreateStoreError(ex, StorePath));
        }
        catch (Exception ex) when (ex is DllNotFoundException || ex is TypeInitializationException || ex is BadImageFormatException)
        {
            // The native SQLite library (e_sqlite3) is missing for this platform.
            ThrowTerminatingError(CreateError(ex, ErrorIds.StoreOpenFailed, ErrorCategory.OpenError, StorePath));
        }

        WriteVerbose($"Opened the MailOps store {relayStore!.Path} (schema version {relayStore.SchemaVersion}).");
        profiles = new RelayProfileStore(relayStore);
        return profiles;
    }

    /// <summary>An ErrorRecord for a store failure (the one shared mapping in StoreErrors).</summary>
    protected static ErrorRecord CreateStoreError(MailOpsStoreException exception, object? target)
        => StoreErrors.Create(exception, target);

    /// <summary>An ErrorRecord for a refused relay operation, with the id and category of its kind.</summary>
    protected static ErrorRecord CreateRelayError(RelayProfileException exception, string? defaultTarget)
    {
        (string id, ErrorCategory category) = exception.Kind switch
        {
            RelayProfileErrorKind.Exists => (ErrorIds.RelayServerExists, ErrorCategory.ResourceExists),
            RelayProfileErrorKind.NotFound => (ErrorIds.RelayServerNotFound, ErrorCategory.ObjectNotFound),
            RelayProfileErrorKind.CredentialStorageUnavailable => (ErrorIds.CredentialStorageUnavailable, ErrorCategory.InvalidOperation),
            _ => (ErrorIds.InvalidRelayServerSetting, ErrorCategory.InvalidArgument),
        };
        return CreateError(exception, id, category, exception.Target ?? defaultTarget);
    }

    /// <summary>A RelayServerNotFound record for a name that matched nothing.</summary>
    protected ErrorRecord CreateNotFound(string name)
        => CreateError(new ItemNotFoundException($"There is no relay profile named '{name}' in {StorePath}. Get-RelayServer lists them."), ErrorIds.RelayServerNotFound, ErrorCategory.ObjectNotFound, name);

    /// <summary>A -Security value (validated by ValidateSet) as the engine's enum.</summary>
    protected static RelaySecurity? ParseSecurity(string? value)
        => value is null ? null : (RelaySecurity)Enum.Parse(typeof(RelaySecurity), value, ignoreCase: true);

    /// <summary>A -Category value (validated by ValidateSet) as the engine's enum.</summary>
    protected static RelayCategory? ParseCategory(string? value)
        => value is null ? null : (RelayCategory)Enum.Parse(typeof(RelayCategory), value, ignoreCase: true);

    // Key files already loaded by this invocation: many profiles piped with one key read it once.
    private readonly System.Collections.Generic.HashSet<string> checkedDkimKeys = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// The full path of a profile's DKIM key file, after loading it once per invocation: an
    /// unusable key stops the command (DkimKeyFileNotFound, InvalidDkimSigningKey, DkimKeyTooWeak)
    /// before any profile is touched. Only the path is stored, which finds the key again from
    /// any working folder; the key itself never enters the store.
    /// </summary>
    protected string CheckDkimKey(string given)
    {
        string path = GetUnresolvedProviderPathFromPSPath(given);
        if (checkedDkimKeys.Add(path))
        {
            LoadDkimSigningKey(given);
        }

        return path;
    }

    /// <summary>True when the user gave <paramref name="parameter"/> (by name or pipeline).</summary>
    protected bool IsBound(string parameter) => MyInvocation.BoundParameters.ContainsKey(parameter);

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        base.EndProcessing();
        CloseRelayStore();
    }

    /// <summary>Closes the store (also when the pipeline stopped or failed).</summary>
    public new void Dispose()
    {
        CloseRelayStore();
        base.Dispose();
    }

    private void CloseRelayStore()
    {
        profiles = null;
        relayStore?.Dispose();
        relayStore = null;
    }
}
