using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MailOps.Core.Store;
using Microsoft.Data.Sqlite;

namespace MailOps.Core.Relay;

/// <summary>
/// The durable outbox of Send-RelayMail in a <see cref="MailOpsStore"/> (tables
/// <c>outbox_message</c> and <c>outbox_mime</c>, schema version 3).
/// </summary>
/// <remarks>
/// <para>Crash safety ("nothing lost, none sent twice within one store"): a message is written
/// (<see cref="RelayMessageStatus.Queued"/>) before its SMTP transaction, claimed
/// (<see cref="RelayMessageStatus.Sending"/>) in one transaction before it, and marked Sent,
/// Deferred or Failed after it. The claim is a conditional UPDATE inside BEGIN IMMEDIATE, so of
/// two processes racing for one message exactly one gets it. A message a crash left in Sending is
/// never resent automatically (it may have been delivered); only a forced run takes it again,
/// once it has been Sending for <see cref="StaleSendingAge"/>, and that may duplicate it.</para>
/// <para>Like the store, an instance is not thread-safe: use one store (connection) per thread.</para>
/// </remarks>
public sealed class RelayOutbox
{
    /// <summary>How many attempts a message gets before a transient failure makes it Failed.</summary>
    public const int DefaultMaxAttempts = 10;

    /// <summary>The longest wait between two attempts.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(6);

    /// <summary>How long a message must have been Sending before a forced run may claim it again
    /// (a sender that crashed mid-transaction; the message may then be delivered twice).</summary>
    public static readonly TimeSpan StaleSendingAge = TimeSpan.FromMinutes(10);

    private const string Columns = "id, message_id, status, envelope_from, recipients, header_from, subject, category, relay_server, attempts, created_at, next_attempt_at, sent_at, last_error, last_status_code, last_enhanced_status_code, size, rejected_recipients";

    // SQLite's historical limit is 999 host parameters per statement.
    private const int IdsPerQuery = 500;

    private readonly MailOpsStore store;
    private readonly Func<DateTime> utcNow;
    private int maxAttempts = DefaultMaxAttempts;

    /// <summary>The outbox in <paramref name="store"/>.</summary>
    public RelayOutbox(MailOpsStore store)
        : this(store, () => DateTime.UtcNow)
    {
    }

    /// <summary>With a given clock: tests move time forward instead of sleeping.</summary>
    internal RelayOutbox(MailOpsStore store, Func<DateTime> utcNow)
    {
        this.store = store ?? throw new ArgumentNullException(nameof(store));
        this.utcNow = utcNow ?? throw new ArgumentNullException(nameof(utcNow));
    }

    /// <summary>After this many attempts a transient failure (<see cref="MarkDeferredAsync"/>)
    /// makes the message Failed instead of Deferred. Default <see cref="DefaultMaxAttempts"/>.</summary>
    public int MaxAttempts
    {
        get => maxAttempts;
        set => maxAttempts = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), "A message gets at least one attempt.");
    }

    /// <summary>
    /// The wait after the <paramref name="attempts"/>-th failed attempt: 1 minute, then 2, 4, 8...
    /// doubling up to <see cref="MaxBackoff"/>. Exponential backoff is what RFC 5321 4.5.4.1 asks
    /// of a retrying client (at least 30 minutes eventually; give-up after days); these shorter
    /// first steps suit a relay that is usually briefly unavailable.
    /// </summary>
    public static TimeSpan Backoff(int attempts)
    {
        int exponent = Math.Max(attempts, 1) - 1;

        // 2^9 minutes already exceeds 6 hours; stopping there avoids overflow for large counts.
        if (exponent >= 9)
        {
            return MaxBackoff;
        }

        TimeSpan wait = TimeSpan.FromMinutes(1 << exponent);
        return wait < MaxBackoff ? wait : MaxBackoff;
    }

    /// <summary>
    /// Writes a message to the outbox as <see cref="RelayMessageStatus.Queued"/>, due now. Call it
    /// before the SMTP transaction so that a crash cannot lose the message.
    /// </summary>
    /// <exception cref="ArgumentException">No MIME, sender or recipient, or a line break in a
    /// recipient (the list is stored one per line).</exception>
    /// <exception cref="MailOpsStoreException">The store could not be written.</exception>
    public Task<RelayMessage> EnqueueAsync(byte[] mime, string envelopeFrom, IReadOnlyList<string> recipients, string messageId, string? headerFrom, string? subject, RelayCategory category, CancellationToken ct)
        => InsertAsync(mime, envelopeFrom, recipients, messageId, headerFrom, subject, category, claim: false, ct);

    /// <summary>
    /// Writes a message and claims it for its first attempt in one transaction: it is stored as
    /// <see cref="RelayMessageStatus.Sending"/> with one attempt, exactly the state that
    /// <see cref="EnqueueAsync"/> followed by <see cref="TryBeginSendAsync"/> leaves, but with one
    /// commit instead of two and no window in which a queue run could take it first. A crash
    /// before the SMTP transaction leaves it Sending, which is never resent automatically.
    /// </summary>
    /// <exception cref="ArgumentException">As for <see cref="EnqueueAsync"/>.</exception>
    /// <exception cref="MailOpsStoreException">The store could not be written.</exception>
    public Task<RelayMessage> EnqueueForSendAsync(byte[] mime, string envelopeFrom, IReadOnlyList<string> recipients, string messageId, string? headerFrom, string? subject, RelayCategory category, CancellationToken ct)
        => InsertAsync(mime, envelopeFrom, recipients, messageId, headerFrom, subject, category, claim: true, ct);

    private Task<RelayMessage> InsertAsync(byte[] mime, string envelopeFrom, IReadOnlyList<string> recipients, string messageId, string? headerFrom, string? subject, RelayCategory category, bool claim, CancellationToken ct)
    {
        if (mime is null || mime.Length == 0)
        {
            throw new ArgumentException("A message needs its MIME content.", nameof(mime));
        }

        if (envelopeFrom is null)
        {
            throw new ArgumentNullException(nameof(envelopeFrom));
        }

        if (recipients is null || recipients.Count == 0)
        {
            throw new ArgumentException("A message needs at least one recipient.", nameof(recipients));
        }

        if (messageId is null)
        {
            throw new ArgumentNullException(nameof(messageId));
        }

        string joinedRecipients = JoinLines(recipients, nameof(recipients));
        DateTime clock = StoreTime.Truncate(utcNow());
        string now = StoreTime.ToText(clock);
        string[] recipientList = recipients.ToArray();
        return store.WriteAsync(
            async (connection, transaction) =>
            {
                using SqliteCommand insert = Command(connection, transaction,
                    claim
                    ? @"INSERT INTO outbox_message (message_id, status, envelope_from, recipients, header_from, subject, category, attempts, created_at, updated_at, claimed_at, next_attempt_at, size)
                      VALUES ($messageId, 'Sending', $from, $recipients, $headerFrom, $subject, $category, 1, $now, $now, $now, NULL, $size);
                      SELECT last_insert_rowid();"
                    : @"INSERT INTO outbox_message (message_id, status, envelope_from, recipients, header_from, subject, category, attempts, created_at, updated_at, next_attempt_at, size)
                      VALUES ($messageId, 'Queued', $from, $recipients, $headerFrom, $subject, $category, 0, $now, $now, $now, $size);
                      SELECT last_insert_rowid();");
                insert.Parameters.AddWithValue("$messageId", messageId);
                insert.Parameters.AddWithValue("$from", envelopeFrom);
                insert.Parameters.AddWithValue("$recipients", joinedRecipients);
                insert.Parameters.AddWithValue("$headerFrom", (object?)headerFrom ?? DBNull.Value);
                insert.Parameters.AddWithValue("$subject", (object?)subject ?? DBNull.Value);
                insert.Parameters.AddWithValue("$category", category.ToString());
                insert.Parameters.AddWithValue("$now", now);
                insert.Parameters.AddWithValue("$size", (long)mime.Length);
                long id = Convert.ToInt64(await insert.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);

                using SqliteCommand body = Command(connection, transaction, "INSERT INTO outbox_mime (message, mime) VALUES ($id, $mime);");
                body.Parameters.AddWithValue("$id", id);
                body.Parameters.Add("$mime", SqliteType.Blob).Value = mime;
                await body.ExecuteNonQueryAsync(ct).ConfigureAwait(false);

                // The row is exactly what was inserted; reading it back would only cost a query.
                DateTimeOffset created = new DateTimeOffset(clock, TimeSpan.Zero);
                return new RelayMessage(
                    id, messageId, claim ? RelayMessageStatus.Sending : RelayMessageStatus.Queued, envelopeFrom, recipientList, headerFrom, subject, category,
                    null, claim ? 1 : 0, created, claim ? null : created, null, null, null, null, mime.Length, Array.Empty<string>());
            },
            ct);
    }

    /// <summary>
    /// Claims a message for one SMTP transaction, in one transaction: a Queued message, or a
    /// Deferred one whose next attempt time has come, becomes <see cref="RelayMessageStatus.Sending"/>
    /// with one more attempt. With <paramref name="force"/> a Deferred message is taken before
    /// its time, and a message Sending for longer than <see cref="StaleSendingAge"/> (its sender
    /// crashed) is taken again: it may then be delivered twice.
    /// </summary>
    /// <returns>The claimed message; null when it is not claimable (unknown, not yet due, Sending,
    /// Sent, Failed, Cancelled, or another process claimed it first).</returns>
    public Task<RelayMessage?> TryBeginSendAsync(long id, bool force, CancellationToken ct)
    {
        DateTime clock = StoreTime.Truncate(utcNow());
        string now = StoreTime.ToText(clock);
        string stale = StoreTime.ToText(clock - StaleSendingAge);
        return store.WriteAsync(
            async (connection, transaction) =>
            {
                // The WHERE clause is the claim: under BEGIN IMMEDIATE no other writer runs
                // between the check and the change, so one UPDATE that changed one row is the
                // proof that this caller, and only this caller, owns the attempt.
                using SqliteCommand claim = Command(connection, transaction,
                    @"UPDATE outbox_message
                      SET status = 'Sending', attempts = attempts + 1, claimed_at = $now, updated_at = $now, next_attempt_at = NULL
                      WHERE id = $id AND (
                            status = 'Queued'
                         OR (status = 'Deferred' AND ($force OR next_attempt_at <= $now))
                         OR (status = 'Sending' AND $force AND claimed_at <= $stale));");
                claim.Parameters.AddWithValue("$id", id);
                claim.Parameters.AddWithValue("$now", now);
                claim.Parameters.AddWithValue("$stale", stale);
                claim.Parameters.AddWithValue("$force", force ? 1 : 0);
                int changed = await claim.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                return changed == 1 ? await FindAsync(connection, transaction, id, ct).ConfigureAwait(false) : null;
            },
            ct);
    }

    /// <summary>
    /// Records a delivery that some recipients refused for now, in one transaction: the message
    /// becomes Sent (for the recipients that took it) and a copy of it, with the same MIME and
    /// Message-ID, waits Deferred for <paramref name="retryRecipients"/> (RFC 5321 4.2.1: a 4xx
    /// reply to RCPT means "try again later" for that recipient only). The copy inherits the
    /// attempt count, so <see cref="MaxAttempts"/> still bounds the retries; when they are used
    /// up no copy is made.
    /// </summary>
    /// <returns>The copy's id; null when the attempts were used up.</returns>
    /// <exception cref="InvalidOperationException">The message is unknown or not Sending; nothing changed.</exception>
    public Task<long?> MarkSentWithRetryAsync(long id, string relayServer, IReadOnlyList<string> rejectedRecipients, IReadOnlyList<string> retryRecipients, string error, int? statusCode, string? enhancedStatusCode, CancellationToken ct)
    {
        string rejected = JoinLines(rejectedRecipients ?? Array.Empty<string>(), nameof(rejectedRecipients));
        string retry = JoinLines(retryRecipients ?? Array.Empty<string>(), nameof(retryRecipients));
        if (retry.Length == 0)
        {
            throw new ArgumentException("A retry needs at least one recipient.", nameof(retryRecipients));
        }

        DateTime clock = StoreTime.Truncate(utcNow());
        int limit = maxAttempts;
        return store.WriteAsync<long?>(
            async (connection, transaction) =>
            {
                RelayMessage message = await RequireSendingAsync(connection, transaction, id, "Sent", ct).ConfigureAwait(false);
                using (SqliteCommand sent = Command(connection, transaction, string.Empty))
                {
                    PrepareSent(sent, StoreTime.ToText(clock), relayServer, rejected);
                    sent.Parameters.AddWithValue("$id", id);
                    await sent.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }

                if (message.Attempts >= limit)
                {
                    return null;
                }

                using SqliteCommand copy = Command(connection, transaction,
                    @"INSERT INTO outbox_message (message_id, status, envelope_from, recipients, header_from, subject, category, relay_server, attempts,
                                                  created_at, updated_at, next_attempt_at, last_error, last_status_code, last_enhanced_status_code, size)
                      SELECT message_id, 'Deferred', envelope_from, $recipients, header_from, subject, category, relay_server, attempts,
                             $now, $now, $next, $error, $code, $enhanced, size
                      FROM outbox_message WHERE id = $id;
                      SELECT last_insert_rowid();");
                copy.Parameters.AddWithValue("$id", id);
                copy.Parameters.AddWithValue("$recipients", retry);
                copy.Parameters.AddWithValue("$now", StoreTime.ToText(clock));
                copy.Parameters.AddWithValue("$next", StoreTime.ToText(clock + Backoff(message.Attempts)));
                AddFailure(copy, relayServer, error, statusCode, enhancedStatusCode);
                long copyId = Convert.ToInt64(await copy.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);

                using SqliteCommand mime = Command(connection, transaction, "INSERT INTO outbox_mime (message, mime) SELECT $copy, mime FROM outbox_mime WHERE message = $id;");
                mime.Parameters.AddWithValue("$copy", copyId);
                mime.Parameters.AddWithValue("$id", id);
                await mime.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                return copyId;
            },
            ct);
    }

    /// <summary>Records that the server accepted the message: Sending -> Sent.</summary>
    /// <exception cref="InvalidOperationException">The message is unknown or not Sending; nothing changed.</exception>
    public Task MarkSentAsync(long id, string relayServer, IReadOnlyList<string> rejectedRecipients, CancellationToken ct)
    {
        string rejected = JoinLines(rejectedRecipients ?? Array.Empty<string>(), nameof(rejectedRecipients));
        string now = Now();
        return Transition(id, "Sent", ct, command => PrepareSent(command, now, relayServer, rejected));
    }

    private static void PrepareSent(SqliteCommand command, string now, string? relayServer, string rejected)
    {
        command.CommandText = @"UPDATE outbox_message
            SET status = 'Sent', sent_at = $now, updated_at = $now, next_attempt_at = NULL, relay_server = $server,
                rejected_recipients = $rejected, last_error = NULL, last_status_code = NULL, last_enhanced_status_code = NULL
            WHERE id = $id AND status = 'Sending';";
        command.Parameters.AddWithValue("$now", now);
        command.Parameters.AddWithValue("$server", relayServer ?? (object)DBNull.Value);
        command.Parameters.AddWithValue("$rejected", rejected);
    }

    /// <summary>
    /// Records a transient failure (4xx, connection lost): Sending -> Deferred, due again after
    /// <see cref="Backoff"/> of its attempts. A message that has had <see cref="MaxAttempts"/>
    /// attempts becomes Failed instead (RFC 5321 4.5.4.1: a client eventually gives up).
    /// </summary>
    /// <exception cref="InvalidOperationException">The message is unknown or not Sending; nothing changed.</exception>
    public Task MarkDeferredAsync(long id, string? relayServer, string error, int? statusCode, string? enhancedStatusCode, CancellationToken ct)
    {
        DateTime clock = StoreTime.Truncate(utcNow());
        int limit = maxAttempts;
        return store.WriteAsync(
            async (connection, transaction) =>
            {
                RelayMessage message = await RequireSendingAsync(connection, transaction, id, "Deferred", ct).ConfigureAwait(false);
                bool exhausted = message.Attempts >= limit;
                string reason = exhausted
                    ? $"{error} (gave up after {message.Attempts} attempts)"
                    : error;
                using SqliteCommand command = Command(connection, transaction,
                    @"UPDATE outbox_message
                      SET status = $status, updated_at = $now, next_attempt_at = $next, relay_server = COALESCE($server, relay_server),
                          last_error = $error, last_status_code = $code, last_enhanced_status_code = $enhanced
                      WHERE id = $id AND status = 'Sending';");
                command.Parameters.AddWithValue("$id", id);
                command.Parameters.AddWithValue("$status", exhausted ? "Failed" : "Deferred");
                command.Parameters.AddWithValue("$now", StoreTime.ToText(clock));
                command.Parameters.AddWithValue("$next", exhausted ? DBNull.Value : StoreTime.ToText(clock + Backoff(message.Attempts)));
                AddFailure(command, relayServer, reason, statusCode, enhancedStatusCode);
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                return 0;
            },
            ct);
    }

    /// <summary>Records a permanent failure (5xx): Sending -> Failed. It is not tried again.</summary>
    /// <exception cref="InvalidOperationException">The message is unknown or not Sending; nothing changed.</exception>
    public Task MarkFailedAsync(long id, string? relayServer, string error, int? statusCode, string? enhancedStatusCode, CancellationToken ct)
    {
        string now = Now();
        return Transition(id, "Failed", ct, command =>
        {
            command.CommandText = @"UPDATE outbox_message
                SET status = 'Failed', updated_at = $now, next_attempt_at = NULL, relay_server = COALESCE($server, relay_server),
                    last_error = $error, last_status_code = $code, last_enhanced_status_code = $enhanced
                WHERE id = $id AND status = 'Sending';";
            command.Parameters.AddWithValue("$now", now);
            AddFailure(command, relayServer, error, statusCode, enhancedStatusCode);
        });
    }

    /// <summary>
    /// Messages by status and/or id, in id order (the order they were written). Null or empty
    /// filters select everything.
    /// </summary>
    public Task<IReadOnlyList<RelayMessage>> GetAsync(IReadOnlyList<RelayMessageStatus>? statuses, IReadOnlyList<long>? ids, CancellationToken ct)
        => store.ReadAsync<IReadOnlyList<RelayMessage>>(
            async connection =>
            {
                var result = new List<RelayMessage>();
                if (ids is null || ids.Count == 0)
                {
                    await QueryAsync(connection, statuses, null, result, ct).ConfigureAwait(false);
                }
                else
                {
                    long[] distinct = ids.Distinct().ToArray();
                    for (int start = 0; start < distinct.Length; start += IdsPerQuery)
                    {
                        long[] chunk = distinct.Skip(start).Take(IdsPerQuery).ToArray();
                        await QueryAsync(connection, statuses, chunk, result, ct).ConfigureAwait(false);
                    }

                    result.Sort((a, b) => a.Id.CompareTo(b.Id));
                }

                return result;
            },
            ct);

    /// <summary>
    /// What a queue run should send at <paramref name="now"/>, oldest first: Queued messages and
    /// Deferred ones whose time has come. With <paramref name="force"/>: every Queued and Deferred
    /// message, and those Sending for longer than <see cref="StaleSendingAge"/> (may duplicate).
    /// </summary>
    public Task<IReadOnlyList<RelayMessage>> GetDueAsync(DateTimeOffset now, bool force, CancellationToken ct)
    {
        string at = StoreTime.ToText(now.UtcDateTime);
        string stale = StoreTime.ToText(now.UtcDateTime - StaleSendingAge);
        return store.ReadAsync<IReadOnlyList<RelayMessage>>(
            async connection =>
            {
                using SqliteCommand command = Command(connection, null,
                    $@"SELECT {Columns} FROM outbox_message
                       WHERE status = 'Queued'
                          OR (status = 'Deferred' AND ($force OR next_attempt_at <= $now))
                          OR (status = 'Sending' AND $force AND claimed_at <= $stale)
                       ORDER BY created_at, id;");
                command.Parameters.AddWithValue("$now", at);
                command.Parameters.AddWithValue("$stale", stale);
                command.Parameters.AddWithValue("$force", force ? 1 : 0);
                return await ReadAllAsync(command, ct).ConfigureAwait(false);
            },
            ct);
    }

    /// <summary>The MIME of a message exactly as it was enqueued; null for an unknown id.</summary>
    public Task<byte[]?> GetMimeAsync(long id, CancellationToken ct)
        => store.ReadAsync(
            async connection =>
            {
                using SqliteCommand command = Command(connection, null, "SELECT mime FROM outbox_mime WHERE message = $id;");
                command.Parameters.AddWithValue("$id", id);
                object? value = await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
                return value as byte[];
            },
            ct);

    /// <summary>Cancels a message that is waiting (Queued or Deferred). Sending, Sent, Failed and
    /// Cancelled messages are left as they are.</summary>
    /// <returns>True when the message was cancelled; false when it is unknown or not waiting.</returns>
    public Task<bool> CancelAsync(long id, CancellationToken ct)
    {
        string now = Now();
        return store.WriteAsync(
            async (connection, transaction) =>
            {
                using SqliteCommand command = Command(connection, transaction,
                    @"UPDATE outbox_message SET status = 'Cancelled', updated_at = $now, next_attempt_at = NULL
                      WHERE id = $id AND status IN ('Queued', 'Deferred');");
                command.Parameters.AddWithValue("$id", id);
                command.Parameters.AddWithValue("$now", now);
                return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
            },
            ct);
    }

    /// <summary>
    /// Deletes Sent messages sent longer than <paramref name="sentRetention"/> ago and Cancelled
    /// messages cancelled that long ago, with their MIME. Waiting, Sending and Failed messages are
    /// never purged: they still need an admin or a retry.
    /// </summary>
    /// <returns>How many messages were deleted.</returns>
    public Task<int> PurgeAsync(TimeSpan sentRetention, CancellationToken ct)
    {
        if (sentRetention < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(sentRetention), "The retention cannot be negative.");
        }

        string cutoff = StoreTime.ToText(StoreTime.Truncate(utcNow()) - sentRetention);
        return store.WriteAsync(
            async (connection, transaction) =>
            {
                // outbox_mime rows go with their message (ON DELETE CASCADE within the outbox).
                using SqliteCommand command = Command(connection, transaction,
                    @"DELETE FROM outbox_message
                      WHERE (status = 'Sent' AND sent_at < $cutoff)
                         OR (status = 'Cancelled' AND updated_at < $cutoff);");
                command.Parameters.AddWithValue("$cutoff", cutoff);
                return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            },
            ct);
    }

    private string Now() => StoreTime.ToText(StoreTime.Truncate(utcNow()));

    private Task Transition(long id, string target, CancellationToken ct, Action<SqliteCommand> prepare)
        => store.WriteAsync(
            async (connection, transaction) =>
            {
                // The UPDATE's "WHERE status = 'Sending'" is the check; only when it changed
                // nothing is the row read, to say why (the exception rolls back).
                using SqliteCommand command = Command(connection, transaction, string.Empty);
                prepare(command);
                command.Parameters.AddWithValue("$id", id);
                if (await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) != 1)
                {
                    await RequireSendingAsync(connection, transaction, id, target, ct).ConfigureAwait(false);
                    throw new InvalidOperationException($"Message {id} could not become {target}.");
                }

                return 0;
            },
            ct);

    /// <summary>The message, which must be Sending: only a claimed attempt has an outcome. The
    /// exception rolls the transaction back.</summary>
    private static async Task<RelayMessage> RequireSendingAsync(SqliteConnection connection, SqliteTransaction transaction, long id, string target, CancellationToken ct)
    {
        RelayMessage? message = await FindAsync(connection, transaction, id, ct).ConfigureAwait(false);
        if (message is null)
        {
            throw new InvalidOperationException($"There is no message {id} in the outbox.");
        }

        if (message.Status != RelayMessageStatus.Sending)
        {
            throw new InvalidOperationException($"Message {id} is {message.Status}; only a Sending message can become {target}.");
        }

        return message;
    }

    private static void AddFailure(SqliteCommand command, string? relayServer, string error, int? statusCode, string? enhancedStatusCode)
    {
        command.Parameters.AddWithValue("$server", (object?)relayServer ?? DBNull.Value);
        command.Parameters.AddWithValue("$error", (object?)error ?? DBNull.Value);
        command.Parameters.AddWithValue("$code", statusCode.HasValue ? statusCode.Value : DBNull.Value);
        command.Parameters.AddWithValue("$enhanced", (object?)enhancedStatusCode ?? DBNull.Value);
    }

    private static async Task QueryAsync(SqliteConnection connection, IReadOnlyList<RelayMessageStatus>? statuses, long[]? ids, List<RelayMessage> result, CancellationToken ct)
    {
        using SqliteCommand command = Command(connection, null, string.Empty);
        var where = new List<string>();
        if (statuses is not null && statuses.Count > 0)
        {
            var names = new List<string>();
            int i = 0;
            foreach (RelayMessageStatus status in statuses.Distinct())
            {
                string name = "$s" + i++.ToString(CultureInfo.InvariantCulture);
                names.Add(name);
                command.Parameters.AddWithValue(name, status.ToString());
            }

            where.Add("status IN (" + string.Join(", ", names) + ")");
        }

        if (ids is not null)
        {
            var names = new List<string>();
            for (int i = 0; i < ids.Length; i++)
            {
                string name = "$i" + i.ToString(CultureInfo.InvariantCulture);
                names.Add(name);
                command.Parameters.AddWithValue(name, ids[i]);
            }

            where.Add("id IN (" + string.Join(", ", names) + ")");
        }

        command.CommandText = $"SELECT {Columns} FROM outbox_message"
            + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : string.Empty)
            + " ORDER BY id;";
        result.AddRange(await ReadAllAsync(command, ct).ConfigureAwait(false));
    }

    private static async Task<RelayMessage?> FindAsync(SqliteConnection connection, SqliteTransaction? transaction, long id, CancellationToken ct)
    {
        using SqliteCommand command = Command(connection, transaction, $"SELECT {Columns} FROM outbox_message WHERE id = $id;");
        command.Parameters.AddWithValue("$id", id);
        IReadOnlyList<RelayMessage> found = await ReadAllAsync(command, ct).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    private static async Task<IReadOnlyList<RelayMessage>> ReadAllAsync(SqliteCommand command, CancellationToken ct)
    {
        var result = new List<RelayMessage>();
        using SqliteDataReader reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            result.Add(Read(reader));
        }

        return result;
    }

    private static RelayMessage Read(SqliteDataReader reader)
        => new RelayMessage(
            reader.GetInt64(0),
            reader.GetString(1),
            (RelayMessageStatus)Enum.Parse(typeof(RelayMessageStatus), reader.GetString(2)),
            reader.GetString(3),
            SplitLines(reader.GetString(4)),
            reader.IsDBNull(5) ? null : reader.GetString(5),
            reader.IsDBNull(6) ? null : reader.GetString(6),
            (RelayCategory)Enum.Parse(typeof(RelayCategory), reader.GetString(7)),
            reader.IsDBNull(8) ? null : reader.GetString(8),
            reader.GetInt32(9),
            Instant(reader.GetString(10)),
            reader.IsDBNull(11) ? null : Instant(reader.GetString(11)),
            reader.IsDBNull(12) ? null : Instant(reader.GetString(12)),
            reader.IsDBNull(13) ? null : reader.GetString(13),
            reader.IsDBNull(14) ? null : reader.GetInt32(14),
            reader.IsDBNull(15) ? null : reader.GetString(15),
            reader.GetInt64(16),
            SplitLines(reader.GetString(17)));

    private static DateTimeOffset Instant(string text) => new DateTimeOffset(StoreTime.FromText(text), TimeSpan.Zero);

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    /// <summary>Addresses one per line. An address with a line break could split into two
    /// recipients (and is not a valid address anyway: RFC 5321 4.1.2 has no CR/LF in a path).</summary>
    private static string JoinLines(IReadOnlyList<string> values, string parameter)
    {
        var text = new StringBuilder();
        foreach (string value in values)
        {
            if (string.IsNullOrWhiteSpace(value) || value.IndexOf('\r') >= 0 || value.IndexOf('\n') >= 0)
            {
                throw new ArgumentException($"'{value}' is not an address: it is empty or holds a line break.", parameter);
            }

            if (text.Length > 0)
            {
                text.Append('\n');
            }

            text.Append(value);
        }

        return text.ToString();
    }

    private static string[] SplitLines(string text)
        => text.Length == 0 ? Array.Empty<string>() : text.Split('\n');
}
