using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailOps.Core.Store;
using Microsoft.Data.Sqlite;

namespace MailOps.Core.Suppression;

/// <summary>
/// The suppression list in a <see cref="MailOpsStore"/>: addresses that must not be sent to
/// (hard bounces, complaints, unsubscribes). Addresses compare without regard to case: a list
/// errs on the side of not sending. An entry whose expiry has passed no longer suppresses; it
/// stays as a record until removed or added again.
/// </summary>
/// <remarks>
/// Test-EmailAddress and the sending cmdlets ask <see cref="IsSuppressedAsync(string, CancellationToken)"/>;
/// the list cmdlets use the rest. Like the store it uses, an instance is not thread-safe.
/// </remarks>
public sealed class SuppressionList
{
    private const string Columns = "address, reason, source, added_at, updated_at, expires_at";

    private readonly MailOpsStore store;
    private readonly Func<DateTime> utcNow;

    /// <summary>The list in <paramref name="store"/>.</summary>
    public SuppressionList(MailOpsStore store)
        : this(store, () => DateTime.UtcNow)
    {
    }

    /// <summary>With a clock, so tests can move time past an expiry.</summary>
    internal SuppressionList(MailOpsStore store, Func<DateTime> utcNow)
    {
        this.store = store ?? throw new ArgumentNullException(nameof(store));
        this.utcNow = utcNow;
    }

    /// <summary>
    /// Adds <paramref name="address"/>, or updates its entry when it is already listed (an upsert,
    /// in one transaction). An update replaces the reason, keeps the source unless a new one is
    /// given, and never shortens an active suppression unless <paramref name="force"/> is set:
    /// a 7-day soft-bounce entry must not undo a permanent hard-bounce one.
    /// </summary>
    /// <param name="address">The address; normalised by <see cref="SuppressionAddress.TryNormalize"/>.</param>
    /// <param name="reason">Why it is suppressed.</param>
    /// <param name="expiresAt">When the suppression ends; null: never. Local or UTC.</param>
    /// <param name="source">Where the entry comes from; null keeps an existing entry's source.</param>
    /// <param name="force">Apply <paramref name="expiresAt"/> even if it ends an active suppression sooner.</param>
    /// <param name="cancellationToken">Cancels before the write starts.</param>
    /// <exception cref="ArgumentException">The address is invalid, the reason empty, or the expiry not in the future.</exception>
    /// <exception cref="MailOpsStoreException">The store could not be written; nothing changed.</exception>
    public Task<SuppressionAddResult> AddAsync(string address, string reason, DateTime? expiresAt = null, string? source = null, bool force = false, CancellationToken cancellationToken = default)
    {
        string normalized = Normalize(address);
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new ArgumentException("A suppression needs a reason.", nameof(reason));
        }

        DateTime now = StoreTime.Truncate(utcNow());
        DateTime? expires = expiresAt.HasValue ? StoreTime.Truncate(StoreTime.ToUtc(expiresAt.Value)) : null;
        if (expires.HasValue && expires.Value <= now)
        {
            throw new ArgumentException($"The expiry {expires.Value:u} is not in the future.", nameof(expiresAt));
        }

        string cleanReason = reason.Trim();
        string? cleanSource = string.IsNullOrWhiteSpace(source) ? null : source!.Trim();
        return store.WriteAsync(
            async (connection, transaction) =>
            {
                MailSuppression? previous = await FindAsync(connection, transaction, normalized, now, cancellationToken).ConfigureAwait(false);
                bool active = previous is not null && !previous.IsExpired;
                DateTime? newExpiry = expires;
                bool expiryKept = false;
                if (active && !force && EndsSooner(expires, previous!.ExpiresAt))
                {
                    newExpiry = previous.ExpiresAt;
                    expiryKept = true;
                }

                // An expired entry added again starts a new suppression; an active one keeps its start.
                DateTime addedAt = active ? previous!.AddedAt : now;
                string storedAddress = previous?.Address ?? normalized;
                string? newSource = cleanSource ?? previous?.Source;

                using SqliteCommand command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = previous is null
                    ? "INSERT INTO suppression (address, domain, reason, source, added_at, updated_at, expires_at) VALUES ($address, $domain, $reason, $source, $added, $updated, $expires);"
                    : "UPDATE suppression SET reason = $reason, source = $source, added_at = $added, updated_at = $updated, expires_at = $expires WHERE address = $address;";
                command.Parameters.AddWithValue("$address", storedAddress);
                command.Parameters.AddWithValue("$domain", SuppressionAddress.DomainOf(storedAddress));
                command.Parameters.AddWithValue("$reason", cleanReason);
                command.Parameters.AddWithValue("$source", (object?)newSource ?? DBNull.Value);
                command.Parameters.AddWithValue("$added", StoreTime.ToText(addedAt));
                command.Parameters.AddWithValue("$updated", StoreTime.ToText(now));
                command.Parameters.AddWithValue("$expires", newExpiry.HasValue ? StoreTime.ToText(newExpiry.Value) : DBNull.Value);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

                var entry = new MailSuppression(storedAddress, cleanReason, newSource, addedAt, now, newExpiry, now);
                return new SuppressionAddResult(entry, previous, expiryKept);
            },
            cancellationToken);
    }

    /// <summary>
    /// Entries matching <paramref name="pattern"/>, ordered by address: null or "*" for all, a
    /// wildcard (<c>*@contoso.com</c>), or one address (compared normalised).
    /// </summary>
    /// <param name="pattern">The address or wildcard; null for every entry.</param>
    /// <param name="includeExpired">Also return entries whose expiry has passed.</param>
    /// <param name="cancellationToken">Cancels before the query starts.</param>
    /// <exception cref="ArgumentException">A pattern without wildcards is not a valid address.</exception>
    public Task<IReadOnlyList<MailSuppression>> GetAsync(string? pattern = null, bool includeExpired = false, CancellationToken cancellationToken = default)
    {
        DateTime now = StoreTime.Truncate(utcNow());
        if (pattern is not null && !SuppressionPattern.HasWildcards(pattern))
        {
            string address = Normalize(pattern);
            return store.ReadAsync<IReadOnlyList<MailSuppression>>(
                async connection =>
                {
                    MailSuppression? entry = await FindAsync(connection, null, address, now, cancellationToken).ConfigureAwait(false);
                    return entry is null || (entry.IsExpired && !includeExpired) ? Array.Empty<MailSuppression>() : new[] { entry };
                },
                cancellationToken);
        }

        SuppressionPattern? wildcard = pattern is null ? null : SuppressionPattern.Create(pattern);
        return store.ReadAsync<IReadOnlyList<MailSuppression>>(
            async connection =>
            {
                using SqliteCommand command = connection.CreateCommand();
                string where = includeExpired ? "1 = 1" : "(expires_at IS NULL OR expires_at > $now)";
                if (wildcard is not null)
                {
                    where += " AND address LIKE $like ESCAPE '\\'";
                    command.Parameters.AddWithValue("$like", wildcard.Like);
                }

                command.CommandText = $"SELECT {Columns} FROM suppression WHERE {where} ORDER BY address;";
                command.Parameters.AddWithValue("$now", StoreTime.ToText(now));
                var entries = new List<MailSuppression>();
                using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    MailSuppression entry = Read(reader, now);
                    if (wildcard is null || wildcard.IsMatch(entry.Address))
                    {
                        entries.Add(entry);
                    }
                }

                return entries;
            },
            cancellationToken);
    }

    /// <summary>The entry for <paramref name="address"/>, expired or not; null when not listed or
    /// when the address is not valid (an invalid address is never on the list).</summary>
    public Task<MailSuppression?> FindAsync(string address, CancellationToken cancellationToken = default)
    {
        if (!SuppressionAddress.TryNormalize(address, out string normalized, out _))
        {
            return Task.FromResult<MailSuppression?>(null);
        }

        DateTime now = StoreTime.Truncate(utcNow());
        return store.ReadAsync(connection => FindAsync(connection, null, normalized, now, cancellationToken), cancellationToken);
    }

    /// <summary>True when mail to <paramref name="address"/> must not be sent: it is listed and
    /// the entry has not expired. An invalid address is not suppressed (it is not listed).</summary>
    public async Task<bool> IsSuppressedAsync(string address, CancellationToken cancellationToken = default)
    {
        MailSuppression? entry = await FindAsync(address, cancellationToken).ConfigureAwait(false);
        return entry is not null && !entry.IsExpired;
    }

    /// <summary>
    /// <see cref="IsSuppressedAsync(string, CancellationToken)"/> for many addresses at once (the
    /// recipients of a message, a mailing list), with one prepared query: element i answers
    /// <paramref name="addresses"/>[i].
    /// </summary>
    public Task<bool[]> IsSuppressedAsync(IReadOnlyList<string> addresses, CancellationToken cancellationToken = default)
    {
        if (addresses is null)
        {
            throw new ArgumentNullException(nameof(addresses));
        }

        DateTime now = StoreTime.Truncate(utcNow());
        return store.ReadAsync(
            async connection =>
            {
                var result = new bool[addresses.Count];
                using SqliteCommand command = connection.CreateCommand();
                command.CommandText = "SELECT 1 FROM suppression WHERE address = $address AND (expires_at IS NULL OR expires_at > $now);";
                SqliteParameter parameter = command.Parameters.Add("$address", SqliteType.Text);
                command.Parameters.AddWithValue("$now", StoreTime.ToText(now));
                for (int i = 0; i < addresses.Count; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (SuppressionAddress.TryNormalize(addresses[i], out string normalized, out _))
                    {
                        parameter.Value = normalized;
                        result[i] = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
                    }
                }

                return result;
            },
            cancellationToken);
    }

    /// <summary>Removes the entry for <paramref name="address"/>; false when it was not listed.</summary>
    /// <exception cref="ArgumentException">The address is not valid.</exception>
    public Task<bool> RemoveAsync(string address, CancellationToken cancellationToken = default)
    {
        string normalized = Normalize(address);
        return store.WriteAsync(
            async (connection, transaction) =>
            {
                using SqliteCommand command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "DELETE FROM suppression WHERE address = $address;";
                command.Parameters.AddWithValue("$address", normalized);
                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
            },
            cancellationToken);
    }

    private static string Normalize(string address)
    {
        if (!SuppressionAddress.TryNormalize(address, out string normalized, out string? error))
        {
            throw new ArgumentException(error, nameof(address));
        }

        return normalized;
    }

    // null means never: any date ends sooner than never.
    private static bool EndsSooner(DateTime? candidate, DateTime? current)
        => candidate.HasValue && (!current.HasValue || candidate.Value < current.Value);

    private static async Task<MailSuppression?> FindAsync(SqliteConnection connection, SqliteTransaction? transaction, string normalized, DateTime now, CancellationToken cancellationToken)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {Columns} FROM suppression WHERE address = $address;";
        command.Parameters.AddWithValue("$address", normalized);
        using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader, now) : null;
    }

    private static MailSuppression Read(SqliteDataReader reader, DateTime now)
        => new MailSuppression(
            reader.GetString(0),
            reader.GetString(1),
            reader.IsDBNull(2) ? null : reader.GetString(2),
            StoreTime.FromText(reader.GetString(3)),
            StoreTime.FromText(reader.GetString(4)),
            reader.IsDBNull(5) ? null : StoreTime.FromText(reader.GetString(5)),
            now);
}
