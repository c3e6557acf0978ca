using Xunit;
using MailOps.Core.Store;
using MailOps.Core.Suppression;
using Microsoft.Data.Sqlite;

namespace MailOps.Core.Tests.Store;

public sealed class MailOpsStoreTests : IDisposable
{
    private static readonly StoreMigration OutboxV2 = new(
        2,
        "Outbox (test)",
        @"CREATE TABLE relay_profile (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
          CREATE TABLE outbox_message (id INTEGER PRIMARY KEY, profile_id INTEGER NOT NULL REFERENCES relay_profile (id) ON DELETE CASCADE, status TEXT NOT NULL);");

    private readonly TempStore temp = new();

    public void Dispose() => temp.Dispose();

    private static object? Scalar(string path, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Exec(string path, string sql) => Scalar(path, sql);

    [Fact]
    public void Opening_a_missing_file_creates_it_and_its_folder_at_the_current_version()
    {
        using (MailOpsStore store = MailOpsStore.Open(temp.FilePath))
        {
            Assert.Equal(temp.FilePath, store.Path);
            Assert.Equal(StoreSchema.CurrentVersion, store.SchemaVersion);
        }

        Assert.True(File.Exists(temp.FilePath));
        Assert.Equal((long)StoreSchema.CurrentVersion, Scalar(temp.FilePath, "PRAGMA user_version;"));
        Assert.Equal(1L, Scalar(temp.FilePath, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'suppression';"));
    }

    [Fact]
    public void Store_file_is_in_wal_mode_so_other_processes_can_read_while_one_writes()
    {
        using (MailOpsStore.Open(temp.FilePath))
        {
        }

        Assert.Equal("wal", Scalar(temp.FilePath, "PRAGMA journal_mode;"));
    }

    [Fact]
    public void Exists_is_false_until_the_store_is_first_opened()
    {
        Assert.False(MailOpsStore.Exists(temp.FilePath));
        using (MailOpsStore.Open(temp.FilePath))
        {
        }

        Assert.True(MailOpsStore.Exists(temp.FilePath));
    }

    [Fact]
    public async Task Reopening_a_current_store_keeps_its_data()
    {
        using (MailOpsStore store = MailOpsStore.Open(temp.FilePath))
        {
            await new SuppressionList(store).AddAsync("kept@contoso.example", "HardBounce");
        }

        using MailOpsStore again = MailOpsStore.Open(temp.FilePath);

        Assert.Equal(StoreSchema.CurrentVersion, again.SchemaVersion);
        Assert.True(await new SuppressionList(again).IsSuppressedAsync("kept@contoso.example"));
    }

    [Fact]
    public async Task A_v1_store_is_upgraded_by_the_next_migration_and_keeps_its_rows()
    {
        using (MailOpsStore v1 = MailOpsStore.Open(temp.FilePath, new[] { StoreSchema.Migrations[0] }))
        {
            Assert.Equal(1, v1.SchemaVersion);
            await new SuppressionList(v1).AddAsync("kept@contoso.example", "HardBounce");
        }

        using MailOpsStore v2 = MailOpsStore.Open(temp.FilePath, new[] { StoreSchema.Migrations[0], OutboxV2 });

        Assert.Equal(2, v2.SchemaVersion);
        Assert.True(await new SuppressionList(v2).IsSuppressedAsync("kept@contoso.example"));
        Assert.Equal(1L, Scalar(temp.FilePath, "SELECT count(*) FROM sqlite_master WHERE name = 'outbox_message';"));
    }

    [Fact]
    public void An_empty_store_runs_every_migration_in_order()
    {
        using MailOpsStore store = MailOpsStore.Open(temp.FilePath, new[] { StoreSchema.Migrations[0], OutboxV2 });

        Assert.Equal(2, store.SchemaVersion);
        Assert.Equal(2L, Scalar(temp.FilePath, "PRAGMA user_version;"));
        Assert.Equal(3L, Scalar(temp.FilePath, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('suppression', 'relay_profile', 'outbox_message');"));
    }

    [Fact]
    public void Foreign_keys_are_enforced_on_store_connections()
    {
        using MailOpsStore store = MailOpsStore.Open(temp.FilePath, new[] { StoreSchema.Migrations[0], OutboxV2 });

        var ex = Assert.Throws<MailOpsStoreException>(() => store.WriteAsync(
            async (connection, transaction) =>
            {
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "INSERT INTO outbox_message (profile_id, status) VALUES (42, 'Queued');";
                return await command.ExecuteNonQueryAsync();
            },
            CancellationToken.None).GetAwaiter().GetResult());

        Assert.Equal(StoreErrorKind.WriteFailed, ex.Kind);
        Assert.Contains("FOREIGN KEY", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_failing_migration_rolls_back_and_leaves_the_previous_version()
    {
        using (MailOpsStore.Open(temp.FilePath, new[] { StoreSchema.Migrations[0] }))
        {
        }

        var broken = new StoreMigration(2, "Broken", "CREATE TABLE half_done (id INTEGER); THIS IS NOT SQL;");

        var ex = Assert.Throws<MailOpsStoreException>(() => MailOpsStore.Open(temp.FilePath, new[] { StoreSchema.Migrations[0], broken }));

        Assert.Equal(StoreErrorKind.OpenFailed, ex.Kind);
        Assert.Equal(1L, Scalar(temp.FilePath, "PRAGMA user_version;"));
        Assert.Equal(0L, Scalar(temp.FilePath, "SELECT count(*) FROM sqlite_master WHERE name = 'half_done';"));
    }

    [Fact]
    public void A_store_from_a_newer_MailOps_is_refused_and_left_untouched()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(temp.FilePath)!);
        Exec(temp.FilePath, "PRAGMA user_version = 99;");

        var ex = Assert.Throws<MailOpsStoreException>(() => MailOpsStore.Open(temp.FilePath));

        Assert.Equal(StoreErrorKind.SchemaTooNew, ex.Kind);
        Assert.Equal(temp.FilePath, ex.Path);
        Assert.Equal(99L, Scalar(temp.FilePath, "PRAGMA user_version;"));
        Assert.Equal(0L, Scalar(temp.FilePath, "SELECT count(*) FROM sqlite_master;"));
    }

    [Fact]
    public void A_file_that_is_not_a_database_fails_to_open()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(temp.FilePath)!);
        File.WriteAllText(temp.FilePath, new string('x', 4096));

        var ex = Assert.Throws<MailOpsStoreException>(() => MailOpsStore.Open(temp.FilePath));

        Assert.Equal(StoreErrorKind.OpenFailed, ex.Kind);
        Assert.IsType<SqliteException>(ex.InnerException);
    }

    [Fact]
    public void Migrations_must_be_numbered_without_gaps()
    {
        var gap = new StoreMigration(3, "Gap", "SELECT 1;");

        Assert.Throws<ArgumentException>(() => MailOpsStore.Open(temp.FilePath, new[] { StoreSchema.Migrations[0], gap }));
        Assert.False(File.Exists(temp.FilePath));
    }

    [Fact]
    public void Released_schema_numbers_its_steps_from_one()
    {
        Assert.Equal(Enumerable.Range(1, StoreSchema.Migrations.Count), StoreSchema.Migrations.Select(m => m.Version));
        Assert.Equal(StoreSchema.Migrations.Count, StoreSchema.CurrentVersion);
    }

    [Fact]
    public void Several_connections_opening_a_new_store_at_once_all_reach_the_current_version()
    {
        using var start = new Barrier(6);
        var versions = new int[6];

        Parallel.For(0, 6, new ParallelOptions { MaxDegreeOfParallelism = 6 }, i =>
        {
            start.SignalAndWait();
            using MailOpsStore store = MailOpsStore.Open(temp.FilePath, new[] { StoreSchema.Migrations[0], OutboxV2 });
            versions[i] = store.SchemaVersion;
        });

        Assert.All(versions, v => Assert.Equal(2, v));
        Assert.Equal(2L, Scalar(temp.FilePath, "PRAGMA user_version;"));
    }

    [Fact]
    public async Task A_change_that_fails_midway_writes_nothing()
    {
        using MailOpsStore store = MailOpsStore.Open(temp.FilePath);

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.WriteAsync<int>(
            async (connection, transaction) =>
            {
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "INSERT INTO suppression (address, domain, reason, added_at, updated_at) VALUES ('half@contoso.example', 'contoso.example', 'x', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z');";
                await command.ExecuteNonQueryAsync();
                throw new InvalidOperationException("the second half failed");
            },
            CancellationToken.None));

        Assert.Equal(0L, Scalar(temp.FilePath, "SELECT count(*) FROM suppression;"));
    }
}
