using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MailOps.Core.Store;
using Microsoft.Data.Sqlite;

namespace MailOps.Core.Relay;

/// <summary>
/// Relay profiles and the default sender in a <see cref="MailOpsStore"/> (tables
/// <c>relay_profile</c> and <c>relay_default</c>, schema version 2; the DKIM columns,
/// version 4). Every change is one transaction: a profile is written whole or not at all.
/// </summary>
/// <remarks>
/// A password reaches the file only as the output of the platform's
/// <see cref="IRelayCredentialProtector"/> (DPAPI on Windows); where there is none, a
/// credential is refused with <see cref="RelayProfileErrorKind.CredentialStorageUnavailable"/>
/// and nothing is written. A DKIM signing key reaches the file only as its path: the key stays
/// in its own file. Like the store, an instance is not thread-safe.
/// </remarks>
public sealed class RelayProfileStore
{
    private const string Columns = "id, name, server, port, security, priority, from_filter, category, enabled, user_name, credential_storage, secret_name, created_at, updated_at, dkim_key_path, dkim_selector, dkim_domain";

    private readonly MailOpsStore store;
    private readonly IRelayCredentialProtector? protector;
    private readonly Func<DateTime> utcNow;

    /// <summary>The profiles in <paramref name="store"/>, with the platform's protection.</summary>
    public RelayProfileStore(MailOpsStore store)
        : this(store, RelayCredentialProtection.ForCurrentPlatform(), () => DateTime.UtcNow)
    {
    }

    /// <summary>With a given protector and clock: tests use a fake protector to exercise the
    /// stored-credential path on platforms without DPAPI.</summary>
    internal RelayProfileStore(MailOpsStore store, IRelayCredentialProtector? protector, Func<DateTime> utcNow)
    {
        this.store = store ?? throw new ArgumentNullException(nameof(store));
        this.protector = protector;
        this.utcNow = utcNow;
    }

    /// <summary>True when this platform can store passwords (DPAPI on Windows).</summary>
    public bool CanStoreCredential => protector is not null;

    /// <summary>
    /// Registers a profile. With <paramref name="force"/> an existing profile of that name is
    /// replaced whole (it keeps its id, so the outbox still refers to it, and its CreatedAt).
    /// </summary>
    /// <exception cref="RelayProfileException">A setting is invalid, the name exists (without
    /// force), or a password cannot be protected here; nothing was written.</exception>
    /// <exception cref="MailOpsStoreException">The store could not be written.</exception>
    public Task<RelayServer> RegisterAsync(RelayServerSettings settings, bool force = false, CancellationToken cancellationToken = default)
    {
        if (settings is null)
        {
            throw new ArgumentNullException(nameof(settings));
        }

        RelayServerSettings.Validated v = settings.Validate(forRegister: true);
        (RelayCredentialStorage storage, string? userName, byte[]? blob) = ProtectCredential(settings, v);
        DateTime now = StoreTime.Truncate(utcNow());
        return store.WriteAsync(
            async (connection, transaction) =>
            {
                RelayServer? existing = await FindAsync(connection, transaction, v.Name!, cancellationToken).ConfigureAwait(false);
                if (existing is not null && !force)
                {
                    throw new RelayProfileException(RelayProfileErrorKind.Exists, v.Name, $"A relay profile named '{existing.Name}' already exists ({existing.Server}:{existing.Port}). Use Set-RelayServer to change it, or -Force to replace it.");
                }

                using SqliteCommand command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = existing is null
                    ? @"INSERT INTO relay_profile (name, server, port, security, priority, from_filter, category, enabled, user_name, credential_storage, protected_password, secret_name,
                        dkim_key_path, dkim_selector, dkim_domain, created_at, updated_at)
                        VALUES ($name, $server, $port, $security, $priority, $filter, $category, $enabled, $user, $storage, $blob, $secret, $dkimKey, $dkimSelector, $dkimDomain, $now, $now);"
                    : @"UPDATE relay_profile SET name = $name, server = $server, port = $port, security = $security, priority = $priority, from_filter = $filter,
                        category = $category, enabled = $enabled, user_name = $user, credential_storage = $storage, protected_password = $blob, secret_name = $secret,
                        dkim_key_path = $dkimKey, dkim_selector = $dkimSelector, dkim_domain = $dkimDomain, updated_at = $now
                        WHERE id = $id;";
                command.Parameters.AddWithValue("$id", existing?.Id ?? 0L);
                command.Parameters.AddWithValue("$name", v.Name!);
                command.Parameters.AddWithValue("$server", v.Server!);
                command.Parameters.AddWithValue("$port", v.Port!.Value);
                command.Parameters.AddWithValue("$security", v.Security!.Value.ToString());
                command.Parameters.AddWithValue("$priority", v.Priority!.Value);
                command.Parameters.AddWithValue("$filter", JoinFilters(v.FromFilter!));
                command.Parameters.AddWithValue("$category", v.Category!.Value.ToString());
                command.Parameters.AddWithValue("$enabled", v.Enabled!.Value ? 1 : 0);
                command.Parameters.AddWithValue("$user", (object?)userName ?? DBNull.Value);
                command.Parameters.AddWithValue("$storage", storage.ToString());
                command.Parameters.AddWithValue("$blob", (object?)blob ?? DBNull.Value);
                command.Parameters.AddWithValue("$secret", (object?)v.SecretName ?? DBNull.Value);
                command.Parameters.AddWithValue("$dkimKey", (object?)v.DkimKeyPath ?? DBNull.Value);
                command.Parameters.AddWithValue("$dkimSelector", (object?)v.DkimSelector ?? DBNull.Value);
                command.Parameters.AddWithValue("$dkimDomain", (object?)v.DkimDomain ?? DBNull.Value);
                command.Parameters.AddWithValue("$now", StoreTime.ToText(now));
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return (await FindAsync(connection, transaction, v.Name!, cancellationToken).ConfigureAwait(false))!;
            },
            cancellationToken);
    }

    /// <summary>
    /// Changes the settings of <paramref name="name"/> that are set in <paramref name="settings"/>
    /// (its Name is ignored; profiles are not renamed). A new credential or secret name replaces
    /// the previous one; <see cref="RelayServerSettings.ClearCredential"/> forgets both. DKIM
    /// settings merge one by one (a new selector keeps the key) and the result must still pair a
    /// key with a selector; <see cref="RelayServerSettings.ClearDkim"/> forgets all three.
    /// </summary>
    /// <exception cref="RelayProfileException">Invalid setting, no such profile, or a password
    /// that cannot be protected here; nothing was written.</exception>
    public Task<RelayServer> UpdateAsync(string name, RelayServerSettings settings, CancellationToken cancellationToken = default)
    {
        if (settings is null)
        {
            throw new ArgumentNullException(nameof(settings));
        }

        string profileName = RelayServerSettings.ValidateName(name);
        RelayServerSettings.Validated v = settings.Validate(forRegister: false);
        (RelayCredentialStorage storage, string? userName, byte[]? blob) = ProtectCredential(settings, v);
        bool credentialChanged = settings.Credential is not null || v.SecretName is not null || settings.ClearCredential;
        DateTime now = StoreTime.Truncate(utcNow());
        return store.WriteAsync(
            async (connection, transaction) =>
            {
                RelayServer existing = await FindAsync(connection, transaction, profileName, cancellationToken).ConfigureAwait(false)
                    ?? throw NotFound(profileName);

                // A port only follows a new security mode when it was the old mode's default:
                // moving a profile on 587 to SslOnConnect means 465, a custom port stays.
                int port = v.Port ?? (v.Security.HasValue && existing.Port == RelayServerSettings.DefaultPort(existing.Security)
                    ? RelayServerSettings.DefaultPort(v.Security.Value)
                    : existing.Port);

                using SqliteCommand command = connection.CreateCommand();
                command.Transaction = transaction;
                string credentialSql = credentialChanged
                    ? ", user_name = $user, credential_storage = $storage, protected_password = $blob, secret_name = $secret"
                    : v.UserName is not null ? ", user_name = $user" : string.Empty;

                // DKIM values merge one by one, so Set -DkimSelector alone rotates to a key
                // published under a new selector; the merged result must still be complete.
                string? dkimKey = settings.ClearDkim ? null : v.DkimKeyPath ?? existing.DkimSigningKey;
                string? dkimSelector = settings.ClearDkim ? null : v.DkimSelector ?? existing.DkimSelector;
                string? dkimDomain = settings.ClearDkim ? null : v.DkimDomain ?? existing.DkimDomain;
                RelayServerSettings.CheckDkimComplete(existing.Name, dkimKey, dkimSelector, dkimDomain);

                command.CommandText = @"UPDATE relay_profile SET server = $server, port = $port, security = $security, priority = $priority, from_filter = $filter,
                    category = $category, enabled = $enabled, dkim_key_path = $dkimKey, dkim_selector = $dkimSelector, dkim_domain = $dkimDomain, updated_at = $now"
                    + credentialSql + " WHERE id = $id;";
                command.Parameters.AddWithValue("$dkimKey", (object?)dkimKey ?? DBNull.Value);
                command.Parameters.AddWithValue("$dkimSelector", (object?)dkimSelector ?? DBNull.Value);
                command.Parameters.AddWithValue("$dkimDomain", (object?)dkimDomain ?? DBNull.Value);
                command.Parameters.AddWithValue("$id", existing.Id);
                command.Parameters.AddWithValue("$server", v.Server ?? existing.Server);
                command.Parameters.AddWithValue("$port", port);
                command.Parameters.AddWithValue("$security", (v.Security ?? existing.Security).ToString());
                command.Parameters.AddWithValue("$priority", v.Priority ?? existing.Priority);
                command.Parameters.AddWithValue("$filter", JoinFilters(v.FromFilter ?? existing.FromFilter));
                command.Parameters.AddWithValue("$category", (v.Category ?? existing.Category).ToString());
                command.Parameters.AddWithValue("$enabled", (v.Enabled ?? existing.Enabled) ? 1 : 0);
                command.Parameters.AddWithValue("$now", StoreTime.ToText(now));

                // A secret name alone keeps the stored user name unless a new one is given.
                string? newUser = settings.ClearCredential ? null : userName ?? (settings.Credential is null ? existing.UserName : null);
                command.Parameters.AddWithValue("$user", (object?)newUser ?? DBNull.Value);
                command.Parameters.AddWithValue("$storage", storage.ToString());
                command.Parameters.AddWithValue("$blob", (object?)blob ?? DBNull.Value);
                command.Parameters.AddWithValue("$secret", (object?)v.SecretName ?? DBNull.Value);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return (await FindAsync(connection, transaction, profileName, cancellationToken).ConfigureAwait(false))!;
            },
            cancellationToken);
    }

    /// <summary>Every profile, ordered by category, priority and name (the order routing uses).</summary>
    public Task<IReadOnlyList<RelayServer>> GetAsync(CancellationToken cancellationToken = default)
        => store.ReadAsync<IReadOnlyList<RelayServer>>(
            async connection =>
            {
                using SqliteCommand command = connection.CreateCommand();
                command.CommandText = $"SELECT {Columns} FROM relay_profile ORDER BY category, priority, name COLLATE NOCASE, name;";
                var result = new List<RelayServer>();
                using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    result.Add(Read(reader));
                }

                return result;
            },
            cancellationToken);

    /// <summary>The profile named <paramref name="name"/> (case-insensitive); null when none.</summary>
    public Task<RelayServer?> FindAsync(string name, CancellationToken cancellationToken = default)
    {
        string text = (name ?? string.Empty).Trim();
        return store.ReadAsync(connection => FindAsync(connection, null, text, cancellationToken), cancellationToken);
    }

    /// <summary>Removes the profile named <paramref name="name"/>; false when there was none.</summary>
    public Task<bool> RemoveAsync(string name, CancellationToken cancellationToken = default)
    {
        string text = (name ?? string.Empty).Trim();
        return store.WriteAsync(
            async (connection, transaction) =>
            {
                using SqliteCommand command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "DELETE FROM relay_profile WHERE name = $name;";
                command.Parameters.AddWithValue("$name", text);
                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
            },
            cancellationToken);
    }

    /// <summary>The default sender; null when none was set.</summary>
    public Task<RelayDefaults?> GetDefaultsAsync(CancellationToken cancellationToken = default)
        => store.ReadAsync(
            async connection =>
            {
                using SqliteCommand command = connection.CreateCommand();
                command.CommandText = "SELECT default_from, domain_alias, updated_at FROM relay_default WHERE id = 1;";
                using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                    ? new RelayDefaults(reader.GetString(0), reader.GetString(1), StoreTime.FromText(reader.GetString(2)))
                    : null;
            },
            cancellationToken);

    /// <summary>Sets (replaces) the default sender.</summary>
    /// <exception cref="RelayProfileException">The local part or domain is invalid.</exception>
    public Task<RelayDefaults> SetDefaultsAsync(string defaultFrom, string domainAlias, CancellationToken cancellationToken = default)
    {
        RelayDefaults defaults = RelayDefaults.Create(defaultFrom, domainAlias, StoreTime.Truncate(utcNow()));
        return store.WriteAsync(
            async (connection, transaction) =>
            {
                using SqliteCommand command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = @"INSERT INTO relay_default (id, default_from, domain_alias, updated_at) VALUES (1, $from, $alias, $now)
                    ON CONFLICT (id) DO UPDATE SET default_from = excluded.default_from, domain_alias = excluded.domain_alias, updated_at = excluded.updated_at;";
                command.Parameters.AddWithValue("$from", defaults.DefaultFrom);
                command.Parameters.AddWithValue("$alias", defaults.DomainAlias);
                command.Parameters.AddWithValue("$now", StoreTime.ToText(defaults.UpdatedAt));
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return defaults;
            },
            cancellationToken);
    }

    /// <summary>Forgets the default sender; false when none was set.</summary>
    public Task<bool> ClearDefaultsAsync(CancellationToken cancellationToken = default)
        => store.WriteAsync(
            async (connection, transaction) =>
            {
                using SqliteCommand command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "DELETE FROM relay_default;";
                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
            },
            cancellationToken);

    /// <summary>
    /// The credential stored for <paramref name="profile"/> for the send path: the DPAPI
    /// password decrypted, or the SecretManagement secret resolved through
    /// <paramref name="secrets"/>; null when the profile stores none (then the caller's
    /// -Credential, if any, is used).
    /// </summary>
    /// <exception cref="RelayProfileException">The profile stores a DPAPI password but this
    /// platform cannot decrypt it (CredentialStorageUnavailable).</exception>
    public async Task<NetworkCredential?> GetCredentialAsync(RelayServer profile, IRelaySecretResolver? secrets, CancellationToken cancellationToken = default)
    {
        if (profile is null)
        {
            throw new ArgumentNullException(nameof(profile));
        }

        switch (profile.CredentialStorage)
        {
            case RelayCredentialStorage.SecretManagement:
                if (secrets is null)
                {
                    throw new RelayProfileException(RelayProfileErrorKind.CredentialStorageUnavailable, profile.Name, $"The relay profile '{profile.Name}' takes its password from the SecretManagement secret '{profile.SecretName}', but Microsoft.PowerShell.SecretManagement is not available. Install it, or pass -Credential.");
                }

                return await secrets.ResolveAsync(profile.SecretName!, profile.UserName, cancellationToken).ConfigureAwait(false);

            case RelayCredentialStorage.None:
                return null;
        }

        if (protector is null || protector.Storage != profile.CredentialStorage)
        {
            throw new RelayProfileException(RelayProfileErrorKind.CredentialStorageUnavailable, profile.Name, $"The password of relay profile '{profile.Name}' is protected with {profile.CredentialStorage}, which this platform cannot decrypt. Pass -Credential at send time, or store it again here.");
        }

        byte[]? blob = await store.ReadAsync(
            async connection =>
            {
                using SqliteCommand command = connection.CreateCommand();
                command.CommandText = "SELECT protected_password FROM relay_profile WHERE id = $id;";
                command.Parameters.AddWithValue("$id", profile.Id);
                object? value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                return value as byte[];
            },
            cancellationToken).ConfigureAwait(false);
        if (blob is null)
        {
            return null;
        }

        byte[] plain = protector.Unprotect(blob);
        try
        {
            return new NetworkCredential(profile.UserName, Encoding.UTF8.GetString(plain));
        }
        finally
        {
            Array.Clear(plain, 0, plain.Length);
        }
    }

    private (RelayCredentialStorage Storage, string? UserName, byte[]? Blob) ProtectCredential(RelayServerSettings settings, RelayServerSettings.Validated v)
    {
        if (settings.Credential is not null)
        {
            if (protector is null)
            {
                throw RelayCredentialProtection.Unavailable(v.Name ?? settings.Name);
            }

            byte[] plain = Encoding.UTF8.GetBytes(settings.Credential.Password ?? string.Empty);
            try
            {
                return (protector.Storage, settings.Credential.UserName.Trim(), protector.Protect(plain));
            }
            finally
            {
                Array.Clear(plain, 0, plain.Length);
            }
        }

        if (v.SecretName is not null)
        {
            return (RelayCredentialStorage.SecretManagement, v.UserName, null);
        }

        return (RelayCredentialStorage.None, v.UserName, null);
    }

    private static RelayProfileException NotFound(string name)
        => new RelayProfileException(RelayProfileErrorKind.NotFound, name, $"There is no relay profile named '{name}'. Get-RelayServer lists them.");

    // One filter per line: no filter text can hold a line break (they are split on blanks).
    private static string JoinFilters(string[] filters) => string.Join("\n", filters);

    private static async Task<RelayServer?> FindAsync(SqliteConnection connection, SqliteTransaction? transaction, string name, CancellationToken cancellationToken)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {Columns} FROM relay_profile WHERE name = $name;";
        command.Parameters.AddWithValue("$name", name);
        using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    private static RelayServer Read(SqliteDataReader reader)
    {
        string filters = reader.GetString(6);
        return new RelayServer(
            reader.GetInt64(0),
            reader.GetString(1),
            reader.GetString(2),
            reader.GetInt32(3),
            ParseEnum<RelaySecurity>(reader.GetString(4)),
            reader.GetInt32(5),
            filters.Length == 0 ? Array.Empty<string>() : filters.Split('\n'),
            ParseEnum<RelayCategory>(reader.GetString(7)),
            reader.GetInt64(8) != 0,
            reader.IsDBNull(9) ? null : reader.GetString(9),
            ParseEnum<RelayCredentialStorage>(reader.GetString(10)),
            reader.IsDBNull(11) ? null : reader.GetString(11),
            reader.IsDBNull(14) ? null : reader.GetString(14),
            reader.IsDBNull(15) ? null : reader.GetString(15),
            reader.IsDBNull(16) ? null : reader.GetString(16),
            StoreTime.FromText(reader.GetString(12)),
            StoreTime.FromText(reader.GetString(13)));
    }

    private static T ParseEnum<T>(string text)
        where T : struct
        => Enum.TryParse(text, ignoreCase: true, out T value)
            ? value
            : throw new InvalidOperationException(string.Format(CultureInfo.InvariantCulture, "The store holds an unknown {0} '{1}'.", typeof(T).Name, text));
}
