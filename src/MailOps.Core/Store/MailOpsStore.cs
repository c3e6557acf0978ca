using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;

namespace MailOps.Core.Store;

/// <summary>
/// The MailOps store: one SQLite file per user that holds what must outlive a session (the
/// suppression list now; relay profiles and their outbox next). Opening it creates the file and
/// its folder when missing and brings the schema to <see cref="StoreSchema.CurrentVersion"/>.
/// </summary>
/// <remarks>
/// <para>Several processes may use one store at once (two PowerShell sessions, a scheduled task):
/// the file is in WAL mode, so readers never block the writer, and a writer that finds the file
/// locked waits up to <see cref="BusyTimeout"/> instead of failing. Every change runs in one
/// immediate transaction: it is written whole or not at all.</para>
/// <para>An instance owns one connection. Its reads and writes take turns (a gate), so a sender
/// that marks a message on one thread while the pipeline thread queues the next shares the
/// connection safely; dispose it (connections are not pooled, so disposing releases the
/// file) only when no operation is running.</para>
/// </remarks>
public sealed class MailOpsStore : IDisposable
{
    /// <summary>The environment variable that, when set, replaces <see cref="DefaultPath"/>:
    /// for scripts, scheduled tasks and tests that keep their own store.</summary>
    public const string PathVariable = "MAILOPS_STORE";

    /// <summary>How long a statement waits for another process's lock before failing.</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

    private readonly SqliteConnection connection;

    // One operation at a time on the connection: SQLite connections must not be used by two
    // threads at once, and a transaction must not see another caller's statements.
    private readonly SemaphoreSlim gate = new SemaphoreSlim(1, 1);

    private MailOpsStore(string path, SqliteConnection connection, int schemaVersion)
    {
        Path = path;
        this.connection = connection;
        SchemaVersion = schemaVersion;
    }

    /// <summary>
    /// Where the store lives when no path is given: $env:MAILOPS_STORE if set, else
    /// mailops.db in a MailOps folder of the user's local data folder
    /// (%LOCALAPPDATA%\MailOps on Windows, ~/.local/share/MailOps on Linux,
    /// ~/Library/Application Support/MailOps on macOS).
    /// </summary>
    public static string DefaultPath
    {
        get
        {
            string? fromEnvironment = Environment.GetEnvironmentVariable(PathVariable);
            if (!string.IsNullOrWhiteSpace(fromEnvironment))
            {
                return System.IO.Path.GetFullPath(fromEnvironment!.Trim());
            }

            string data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            if (string.IsNullOrEmpty(data))
            {
                // Service accounts and minimal containers may have no data folder configured.
                data = System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
            }

            return System.IO.Path.Combine(data, "MailOps", "mailops.db");
        }
    }

    /// <summary>The full path of the store file.</summary>
    public string Path { get; }

    /// <summary>The schema version of the file (PRAGMA user_version) after opening.</summary>
    public int SchemaVersion { get; }

    /// <summary>True when the store file exists: readers use it to avoid creating an empty store
    /// just to find nothing in it.</summary>
    public static bool Exists(string? path = null) => File.Exists(ResolvePath(path));

    /// <summary>
    /// Opens (creating if missing) the store at <paramref name="path"/>, or at
    /// <see cref="DefaultPath"/> when null, and upgrades its schema.
    /// </summary>
    /// <exception cref="MailOpsStoreException">The file cannot be opened or upgraded
    /// (<see cref="StoreErrorKind.OpenFailed"/>), or it comes from a newer MailOps
    /// (<see cref="StoreErrorKind.SchemaTooNew"/>).</exception>
    public static MailOpsStore Open(string? path = null) => Open(path, StoreSchema.Migrations);

    /// <summary>Opens with a given schema: the tests use it to upgrade a store to a version the
    /// module does not have yet.</summary>
    internal static MailOpsStore Open(string? path, IReadOnlyList<StoreMigration> migrations)
    {
        StoreSchema.Validate(migrations);
        string fullPath = ResolvePath(path);
        SqliteConnection? connection = null;
        try
        {
            string? folder = System.IO.Path.GetDirectoryName(fullPath);
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }

            var builder = new SqliteConnectionStringBuilder
            {
                DataSource = fullPath,
                Mode = SqliteOpenMode.ReadWriteCreate,
                ForeignKeys = true,

                // Pooled connections keep the file open after Dispose; a store is opened once per
                // cmdlet invocation, so the pool buys nothing and would hold locks on Windows.
                Pooling = false,
                DefaultTimeout = (int)BusyTimeout.TotalSeconds,
            };
            connection = new SqliteConnection(builder.ToString());
            connection.Open();
            Execute(connection, null, "PRAGMA busy_timeout = " + ((int)BusyTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + ";");

            // WAL: readers and one writer at a time across processes without blocking each other;
            // the mode is stored in the file, so this is a no-op after the first open.
            // NORMAL synchronous is durable across application crashes in WAL mode and much
            // faster for a pipeline of thousands of one-row transactions.
            Execute(connection, null, "PRAGMA journal_mode = WAL;");
            Execute(connection, null, "PRAGMA synchronous = NORMAL;");

            int version = Migrate(connection, fullPath, migrations);
            var store = new MailOpsStore(fullPath, connection, version);
            connection = null;
            return store;
        }
        catch (SqliteException ex)
        {
            throw new MailOpsStoreException(StoreErrorKind.OpenFailed, fullPath, $"The MailOps store '{fullPath}' cannot be opened: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is ArgumentException)
        {
            throw new MailOpsStoreException(StoreErrorKind.OpenFailed, fullPath, $"The MailOps store '{fullPath}' cannot be opened: {ex.Message}", ex);
        }
        finally
        {
            connection?.Dispose();
        }
    }

    /// <summary>The full path for a user-given path (null or blank: the default).</summary>
    public static string ResolvePath(string? path)
        => string.IsNullOrWhiteSpace(path) ? DefaultPath : System.IO.Path.GetFullPath(path!.Trim());

    /// <summary>Runs a query. SQLite failures come out as <see cref="MailOpsStoreException"/>
    /// (<see cref="StoreErrorKind.ReadFailed"/>).</summary>
    internal async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> query, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // A blocking wait: the work behind the gate is synchronous (SQLite), short, and an async
        // wait would move the caller's continuation to the thread pool.
        gate.Wait(cancellationToken);
        try
        {
            return await query(connection).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw new MailOpsStoreException(StoreErrorKind.ReadFailed, Path, $"Reading the MailOps store '{Path}' failed: {ex.Message}", ex);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Runs a change in one immediate transaction (BEGIN IMMEDIATE takes the write lock up front,
    /// so two writers queue on the busy timeout instead of deadlocking on a lock upgrade). It
    /// commits when <paramref name="change"/> returns and rolls back when it throws.
    /// </summary>
    internal async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> change, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // A blocking wait: the work behind the gate is synchronous (SQLite), short, and an async
        // wait would move the caller's continuation to the thread pool.
        gate.Wait(cancellationToken);
        try
        {
            using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
            T result = await change(connection, transaction).ConfigureAwait(false);
            transaction.Commit();
            return result;
        }
        catch (SqliteException ex)
        {
            throw new MailOpsStoreException(StoreErrorKind.WriteFailed, Path, $"Writing the MailOps store '{Path}' failed; nothing was changed: {ex.Message}", ex);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Closes the connection and releases the file.</summary>
    public void Dispose() => connection.Dispose();

    /// <summary>
    /// Applies the steps the file lacks, one transaction each. The version is read again inside
    /// the write lock: another process may have upgraded the file since this one looked.
    /// </summary>
    private static int Migrate(SqliteConnection connection, string path, IReadOnlyList<StoreMigration> migrations)
    {
        int latest = migrations[migrations.Count - 1].Version;
        while (true)
        {
            int version = ReadVersion(connection, null);
            CheckNotNewer(version, latest, path);
            if (version == latest)
            {
                return version;
            }

            using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
            version = ReadVersion(connection, transaction);
            CheckNotNewer(version, latest, path);
            if (version < latest)
            {
                StoreMigration step = migrations[version];
                Execute(connection, transaction, step.Sql);

                // user_version lives in the database header, so it commits (or rolls back) with
                // the step's tables.
                Execute(connection, transaction, "PRAGMA user_version = " + step.Version.ToString(CultureInfo.InvariantCulture) + ";");
            }

            transaction.Commit();
        }
    }

    private static void CheckNotNewer(int version, int latest, string path)
    {
        if (version > latest)
        {
            throw new MailOpsStoreException(
                StoreErrorKind.SchemaTooNew,
                path,
                $"The MailOps store '{path}' has schema version {version}, newer than this MailOps knows ({latest}): it was written by a newer MailOps. Update the module, or use another store with -Path.");
        }
    }

    private static int ReadVersion(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
