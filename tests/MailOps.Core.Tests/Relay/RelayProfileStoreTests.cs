using System.Net;
using System.Security.Cryptography;
using System.Text;
using MailOps.Core.Relay;
using MailOps.Core.Store;
using MailOps.Core.Tests.Signing;
using MailOps.Core.Tests.Store;
using Microsoft.Data.Sqlite;
using Xunit;

namespace MailOps.Core.Tests.Relay;

/// <summary>Relay profiles and defaults in a real SQLite store file.</summary>
public sealed class RelayProfileStoreTests : IDisposable
{
    private const string Password = "S3cret-Pa55word-NotInFile";

    private readonly TempStore temp = new();
    private readonly MailOpsStore store;
    private DateTime now = new(2025, 3, 1, 8, 0, 0, DateTimeKind.Utc);

    public RelayProfileStoreTests()
    {
        store = MailOpsStore.Open(temp.FilePath);
    }

    public void Dispose()
    {
        store.Dispose();
        temp.Dispose();
    }

    /// <summary>A stand-in for DPAPI: reversible, and the plain text never appears in its output.</summary>
    private sealed class XorProtector : IRelayCredentialProtector
    {
        public RelayCredentialStorage Storage => RelayCredentialStorage.Dpapi;

        public byte[] Protect(byte[] secret) => secret.Select(b => (byte)(b ^ 0x5A)).Reverse().ToArray();

        public byte[] Unprotect(byte[] protectedSecret) => protectedSecret.Reverse().Select(b => (byte)(b ^ 0x5A)).ToArray();
    }

    private sealed class FakeSecrets : IRelaySecretResolver
    {
        public string? Asked { get; private set; }

        public Task<NetworkCredential?> ResolveAsync(string secretName, string? userName, CancellationToken cancellationToken)
        {
            Asked = secretName;
            return Task.FromResult<NetworkCredential?>(new NetworkCredential(userName, "from-vault"));
        }
    }

    private RelayProfileStore Profiles(IRelayCredentialProtector? protector = null) => new(store, protector, () => now);

    private static RelayServerSettings Settings(string name = "Office", string server = "smtp.contoso.example") => new() { Name = name, Server = server };

    private byte[] RawFileBytes()
    {
        // WAL mode: recent writes may sit in the -wal file, so both are read.
        var bytes = new List<byte>(File.ReadAllBytes(temp.FilePath));
        if (File.Exists(temp.FilePath + "-wal"))
        {
            using var stream = new FileStream(temp.FilePath + "-wal", FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            bytes.AddRange(copy.ToArray());
        }

        return bytes.ToArray();
    }

    private static bool Contains(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
            {
                return true;
            }
        }

        return false;
    }

    [Fact]
    public async Task Registered_profile_comes_back_with_defaults_filled_in()
    {
        RelayServer p = await Profiles().RegisterAsync(Settings());

        RelayServer found = (await Profiles().FindAsync("OFFICE"))!;
        Assert.Equal("Office", found.Name);
        Assert.Equal("smtp.contoso.example", found.Server);
        Assert.Equal(587, found.Port);
        Assert.Equal(RelaySecurity.Auto, found.Security);
        Assert.Equal(RelayServerSettings.DefaultPriority, found.Priority);
        Assert.Empty(found.FromFilter);
        Assert.Equal(RelayCategory.Transactional, found.Category);
        Assert.True(found.Enabled);
        Assert.Null(found.UserName);
        Assert.Equal(RelayCredentialStorage.None, found.CredentialStorage);
        Assert.Equal(now, found.CreatedAt);
        Assert.Equal(now, found.UpdatedAt);
        Assert.Equal(p.Id, found.Id);
    }

    [Fact]
    public async Task Every_setting_round_trips()
    {
        var s = Settings("Bulk", "mail.fabrikam.example");
        s.Port = 2525;
        s.Security = RelaySecurity.StartTls;
        s.Priority = 7;
        s.FromFilter = new[] { "fabrikam.example", "*.fabrikam.example", "ceo@contoso.example" };
        s.Category = RelayCategory.Bulk;
        s.Enabled = false;
        s.UserName = "relay-user";
        await Profiles().RegisterAsync(s);

        RelayServer p = (await Profiles().GetAsync()).Single();

        Assert.Equal(2525, p.Port);
        Assert.Equal(RelaySecurity.StartTls, p.Security);
        Assert.Equal(7, p.Priority);
        Assert.Equal(new[] { "fabrikam.example", "*.fabrikam.example", "ceo@contoso.example" }, p.FromFilter);
        Assert.Equal(RelayCategory.Bulk, p.Category);
        Assert.False(p.Enabled);
        Assert.Equal("relay-user", p.UserName);
        Assert.Equal(RelayCredentialStorage.None, p.CredentialStorage);
    }

    [Fact]
    public async Task A_duplicate_name_is_refused_and_the_first_profile_kept()
    {
        await Profiles().RegisterAsync(Settings("Office", "smtp1.contoso.example"));

        var ex = await Assert.ThrowsAsync<RelayProfileException>(() => Profiles().RegisterAsync(Settings("office", "smtp2.contoso.example")));

        Assert.Equal(RelayProfileErrorKind.Exists, ex.Kind);
        Assert.Equal("smtp1.contoso.example", (await Profiles().GetAsync()).Single().Server);
    }

    [Fact]
    public async Task Force_replaces_a_profile_keeping_its_id_and_creation_time()
    {
        RelayServer first = await Profiles().RegisterAsync(Settings("Office", "smtp1.contoso.example"));
        now = now.AddHours(1);

        RelayServer second = await Profiles().RegisterAsync(Settings("Office", "smtp2.contoso.example"), force: true);

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(first.CreatedAt, second.CreatedAt);
        Assert.Equal(now, second.UpdatedAt);
        Assert.Equal("smtp2.contoso.example", (await Profiles().GetAsync()).Single().Server);
    }

    [Fact]
    public async Task A_credential_without_platform_protection_is_refused_and_nothing_is_written()
    {
        var s = Settings();
        s.Credential = new NetworkCredential("user", Password);

        var ex = await Assert.ThrowsAsync<RelayProfileException>(() => Profiles(protector: null).RegisterAsync(s));

        Assert.Equal(RelayProfileErrorKind.CredentialStorageUnavailable, ex.Kind);
        Assert.Contains("-SecretName", ex.Message);
        Assert.Empty(await Profiles().GetAsync());
    }

    [Fact]
    public async Task A_protected_password_never_reaches_the_file_in_plain_text_and_decrypts_at_send_time()
    {
        var s = Settings();
        s.Credential = new NetworkCredential("user@contoso.example", Password);
        RelayServer p = await Profiles(new XorProtector()).RegisterAsync(s);

        Assert.Equal(RelayCredentialStorage.Dpapi, p.CredentialStorage);
        Assert.Equal("user@contoso.example", p.UserName);
        byte[] raw = RawFileBytes();
        Assert.True(Contains(raw, Encoding.UTF8.GetBytes("smtp.contoso.example")), "the test must see the profile's row in the raw bytes");
        Assert.False(Contains(raw, Encoding.UTF8.GetBytes(Password)));
        Assert.False(Contains(raw, Encoding.Unicode.GetBytes(Password)));

        NetworkCredential? credential = await Profiles(new XorProtector()).GetCredentialAsync(p, null);
        Assert.Equal(Password, credential!.Password);
        Assert.Equal("user@contoso.example", credential.UserName);
    }

    [Fact]
    public async Task A_protected_password_cannot_be_read_where_the_protector_is_missing()
    {
        var s = Settings();
        s.Credential = new NetworkCredential("user", Password);
        RelayServer p = await Profiles(new XorProtector()).RegisterAsync(s);

        var ex = await Assert.ThrowsAsync<RelayProfileException>(() => Profiles(null).GetCredentialAsync(p, null));

        Assert.Equal(RelayProfileErrorKind.CredentialStorageUnavailable, ex.Kind);
    }

    [Fact]
    public async Task A_secret_name_is_stored_as_a_name_and_resolved_through_the_hook()
    {
        var s = Settings();
        s.SecretName = "SmtpRelayPassword";
        s.UserName = "relay";
        RelayServer p = await Profiles().RegisterAsync(s);
        var secrets = new FakeSecrets();

        NetworkCredential? credential = await Profiles().GetCredentialAsync(p, secrets);

        Assert.Equal(RelayCredentialStorage.SecretManagement, p.CredentialStorage);
        Assert.Equal("SmtpRelayPassword", p.SecretName);
        Assert.Equal("SmtpRelayPassword", secrets.Asked);
        Assert.Equal("relay", credential!.UserName);
        Assert.Equal("from-vault", credential.Password);
    }

    [Fact]
    public async Task A_secret_name_without_SecretManagement_is_reported_at_send_time()
    {
        var s = Settings();
        s.SecretName = "SmtpRelayPassword";
        RelayServer p = await Profiles().RegisterAsync(s);

        var ex = await Assert.ThrowsAsync<RelayProfileException>(() => Profiles().GetCredentialAsync(p, null));

        Assert.Equal(RelayProfileErrorKind.CredentialStorageUnavailable, ex.Kind);
        Assert.Contains("SecretManagement", ex.Message);
    }

    [Fact]
    public async Task Credential_and_secret_name_together_are_contradictory()
    {
        var s = Settings();
        s.SecretName = "x";
        s.Credential = new NetworkCredential("u", "p");

        var ex = await Assert.ThrowsAsync<RelayProfileException>(() => Profiles(new XorProtector()).RegisterAsync(s));

        Assert.Equal(RelayProfileErrorKind.InvalidSetting, ex.Kind);
    }

    [Fact]
    public async Task Update_changes_only_the_given_settings()
    {
        var s = Settings();
        s.FromFilter = new[] { "contoso.example" };
        s.UserName = "keep-me";
        await Profiles().RegisterAsync(s);
        now = now.AddMinutes(5);

        RelayServer p = await Profiles().UpdateAsync("office", new RelayServerSettings { Priority = 5, Enabled = false });

        Assert.Equal(5, p.Priority);
        Assert.False(p.Enabled);
        Assert.Equal("smtp.contoso.example", p.Server);
        Assert.Equal(new[] { "contoso.example" }, p.FromFilter);
        Assert.Equal("keep-me", p.UserName);
        Assert.Equal(now, p.UpdatedAt);
        Assert.NotEqual(p.CreatedAt, p.UpdatedAt);
    }

    [Fact]
    public async Task Update_of_security_moves_a_default_port_and_keeps_a_custom_one()
    {
        await Profiles().RegisterAsync(Settings("Default"));
        var custom = Settings("Custom");
        custom.Port = 2525;
        await Profiles().RegisterAsync(custom);

        var ssl = new RelayServerSettings { Security = RelaySecurity.SslOnConnect };
        Assert.Equal(465, (await Profiles().UpdateAsync("Default", ssl)).Port);
        Assert.Equal(2525, (await Profiles().UpdateAsync("Custom", ssl)).Port);
    }

    [Fact]
    public async Task Update_with_ClearCredential_forgets_user_and_secret()
    {
        var s = Settings();
        s.SecretName = "vault-entry";
        s.UserName = "relay";
        await Profiles().RegisterAsync(s);

        RelayServer p = await Profiles().UpdateAsync("Office", new RelayServerSettings { ClearCredential = true });

        Assert.Null(p.UserName);
        Assert.Null(p.SecretName);
        Assert.Equal(RelayCredentialStorage.None, p.CredentialStorage);
    }

    [Fact]
    public async Task Update_of_a_missing_profile_is_NotFound()
    {
        var ex = await Assert.ThrowsAsync<RelayProfileException>(() => Profiles().UpdateAsync("nope", new RelayServerSettings { Priority = 1 }));

        Assert.Equal(RelayProfileErrorKind.NotFound, ex.Kind);
    }

    [Fact]
    public async Task Remove_deletes_and_reports_whether_it_existed()
    {
        await Profiles().RegisterAsync(Settings());

        Assert.True(await Profiles().RemoveAsync("OFFICE"));
        Assert.False(await Profiles().RemoveAsync("Office"));
        Assert.Empty(await Profiles().GetAsync());
    }

    [Fact]
    public async Task Profiles_are_listed_by_category_priority_and_name()
    {
        foreach ((string name, int priority, RelayCategory category) in new[] { ("b", 10, RelayCategory.Transactional), ("a", 10, RelayCategory.Transactional), ("c", 1, RelayCategory.Transactional), ("bulk", 0, RelayCategory.Bulk) })
        {
            var s = Settings(name);
            s.Priority = priority;
            s.Category = category;
            await Profiles().RegisterAsync(s);
        }

        Assert.Equal(new[] { "bulk", "c", "a", "b" }, (await Profiles().GetAsync()).Select(p => p.Name));
    }

    [Fact]
    public async Task Defaults_are_set_replaced_and_cleared()
    {
        Assert.Null(await Profiles().GetDefaultsAsync());

        await Profiles().SetDefaultsAsync("noreply", "alias.example");
        await Profiles().SetDefaultsAsync("notifications", "Contoso.Example");
        RelayDefaults? d = await Profiles().GetDefaultsAsync();

        Assert.Equal("notifications@contoso.example", d!.Address);
        Assert.Equal(1L, Scalar("SELECT count(*) FROM relay_default;"));
        Assert.True(await Profiles().ClearDefaultsAsync());
        Assert.Null(await Profiles().GetDefaultsAsync());
    }

    [Fact]
    public async Task Profiles_from_the_store_route_like_profiles_built_in_memory()
    {
        var a = Settings("Contoso", "smtp.contoso.example");
        a.FromFilter = new[] { "contoso.example" };
        a.Priority = 20;
        var b = Settings("Backup", "backup.contoso.example");
        b.Priority = 10;
        await Profiles().RegisterAsync(a);
        await Profiles().RegisterAsync(b);

        RelayRouteDecision d = RelayRoute.Choose(await Profiles().GetAsync(), await Profiles().GetDefaultsAsync(), "x@contoso.example", RelayCategory.Transactional);

        Assert.Equal(new[] { "Backup", "Contoso" }, d.Candidates.Select(c => c.Name));
    }

    [Fact]
    public void The_relay_tables_are_schema_version_2()
    {
        Assert.Equal(2, StoreSchema.Migrations[1].Version);
        Assert.Equal(1L, Scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'relay_profile';"));
        Assert.Equal(1L, Scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'relay_default';"));
    }

    [Fact]
    public void The_dkim_columns_are_schema_version_4()
    {
        Assert.Equal(4, StoreSchema.Migrations[3].Version);
        Assert.Equal(3L, Scalar("SELECT count(*) FROM pragma_table_info('relay_profile') WHERE name IN ('dkim_key_path', 'dkim_selector', 'dkim_domain');"));
    }

    [Fact]
    public async Task Dkim_key_path_selector_and_domain_round_trip_normalised()
    {
        string key = KeyFile();
        var s = Settings();
        s.DkimSigningKey = key;
        s.DkimSelector = " S1.Marketing ";
        s.DkimDomain = "Contoso.Example.";
        await Profiles().RegisterAsync(s);

        RelayServer p = (await Profiles().FindAsync("Office"))!;

        Assert.Equal(key, p.DkimSigningKey);
        Assert.Equal("s1.marketing", p.DkimSelector);
        Assert.Equal("contoso.example", p.DkimDomain);
    }

    [Fact]
    public async Task A_profile_without_dkim_settings_has_none()
    {
        RelayServer p = await Profiles().RegisterAsync(Settings());

        Assert.Null(p.DkimSigningKey);
        Assert.Null(p.DkimSelector);
        Assert.Null(p.DkimDomain);
    }

    [Fact]
    public async Task Dkim_domain_is_optional_so_the_From_domain_signs()
    {
        var s = Settings();
        s.DkimSigningKey = KeyFile();
        s.DkimSelector = "s1";
        RelayServer p = await Profiles().RegisterAsync(s);

        Assert.Equal("s1", p.DkimSelector);
        Assert.Null(p.DkimDomain);
    }

    [Fact]
    public async Task Only_the_key_path_reaches_the_store_file_never_the_key()
    {
        string key = KeyFile();
        var s = Settings();
        s.DkimSigningKey = key;
        s.DkimSelector = "s1";
        await Profiles().RegisterAsync(s);

        byte[] raw = RawFileBytes();
        string body = File.ReadAllLines(key)[1];
        Assert.True(Contains(raw, Encoding.UTF8.GetBytes(key)), "the test must see the key path in the raw bytes");
        Assert.False(Contains(raw, Encoding.ASCII.GetBytes(body)));
        Assert.False(Contains(raw, Encoding.ASCII.GetBytes("PRIVATE KEY")));
    }

    [Fact]
    public async Task A_key_without_a_selector_is_refused_and_nothing_is_written()
    {
        var s = Settings();
        s.DkimSigningKey = KeyFile();

        var ex = await Assert.ThrowsAsync<RelayProfileException>(() => Profiles().RegisterAsync(s));

        Assert.Equal(RelayProfileErrorKind.InvalidSetting, ex.Kind);
        Assert.Contains("selector", ex.Message);
        Assert.Empty(await Profiles().GetAsync());
    }

    [Fact]
    public async Task A_selector_without_a_key_is_refused()
    {
        var s = Settings();
        s.DkimSelector = "s1";

        var ex = await Assert.ThrowsAsync<RelayProfileException>(() => Profiles().RegisterAsync(s));

        Assert.Equal(RelayProfileErrorKind.InvalidSetting, ex.Kind);
        Assert.Contains("-DkimSigningKey", ex.Message);
    }

    [Fact]
    public async Task A_domain_without_a_key_is_refused()
    {
        var s = Settings();
        s.DkimDomain = "contoso.example";

        var ex = await Assert.ThrowsAsync<RelayProfileException>(() => Profiles().RegisterAsync(s));

        Assert.Equal(RelayProfileErrorKind.InvalidSetting, ex.Kind);
    }

    [Theory]
    [InlineData("s1._domainkey.contoso.example")]
    [InlineData("bad selector")]
    [InlineData("-s1")]
    public async Task An_invalid_selector_is_refused(string selector)
    {
        var s = Settings();
        s.DkimSigningKey = KeyFile();
        s.DkimSelector = selector;

        var ex = await Assert.ThrowsAsync<RelayProfileException>(() => Profiles().RegisterAsync(s));

        Assert.Equal(RelayProfileErrorKind.InvalidSetting, ex.Kind);
        Assert.Contains("selector", ex.Message);
        Assert.Empty(await Profiles().GetAsync());
    }

    [Fact]
    public async Task An_invalid_dkim_domain_is_refused()
    {
        var s = Settings();
        s.DkimSigningKey = KeyFile();
        s.DkimSelector = "s1";
        s.DkimDomain = "not a domain";

        var ex = await Assert.ThrowsAsync<RelayProfileException>(() => Profiles().RegisterAsync(s));

        Assert.Equal(RelayProfileErrorKind.InvalidSetting, ex.Kind);
        Assert.Contains("DKIM domain", ex.Message);
    }

    [Fact]
    public async Task A_missing_key_file_is_refused_and_nothing_is_written()
    {
        var s = Settings();
        s.DkimSigningKey = Path.Combine(temp.Folder, "missing.pem");
        s.DkimSelector = "s1";

        var ex = await Assert.ThrowsAsync<RelayProfileException>(() => Profiles().RegisterAsync(s));

        Assert.Equal(RelayProfileErrorKind.InvalidSetting, ex.Kind);
        Assert.Contains("does not exist", ex.Message);
        Assert.Empty(await Profiles().GetAsync());
    }

    [Fact]
    public async Task An_rsa_key_under_1024_bits_is_refused_per_RFC_8301()
    {
        using var weak = RSA.Create(512);
        var s = Settings();
        s.DkimSigningKey = KeyFile(weak.ExportRSAPrivateKeyPem());
        s.DkimSelector = "s1";

        var ex = await Assert.ThrowsAsync<RelayProfileException>(() => Profiles().RegisterAsync(s));

        Assert.Equal(RelayProfileErrorKind.InvalidSetting, ex.Kind);
        Assert.Contains("too weak", ex.Message);
        Assert.Contains("1024", ex.Message);
    }

    [Fact]
    public async Task A_file_that_holds_no_key_is_refused()
    {
        var s = Settings();
        s.DkimSigningKey = KeyFile("this is not a key\n");
        s.DkimSelector = "s1";

        var ex = await Assert.ThrowsAsync<RelayProfileException>(() => Profiles().RegisterAsync(s));

        Assert.Equal(RelayProfileErrorKind.InvalidSetting, ex.Kind);
        Assert.Contains("cannot sign", ex.Message);
    }

    [Fact]
    public async Task A_relative_key_path_is_refused()
    {
        var s = Settings();
        s.DkimSigningKey = Path.Combine("keys", "dkim.pem");
        s.DkimSelector = "s1";

        var ex = await Assert.ThrowsAsync<RelayProfileException>(() => Profiles().RegisterAsync(s));

        Assert.Equal(RelayProfileErrorKind.InvalidSetting, ex.Kind);
        Assert.Contains("not absolute", ex.Message);
    }

    [Fact]
    public async Task An_ed25519_seed_file_is_accepted()
    {
        var s = Settings();
        s.DkimSigningKey = KeyFile(SigningTestData.Rfc8032Seed);
        s.DkimSelector = "brisbane";
        s.DkimDomain = "football.example.com";

        RelayServer p = await Profiles().RegisterAsync(s);

        Assert.Equal("brisbane", p.DkimSelector);
    }

    [Fact]
    public async Task Update_of_the_selector_alone_keeps_the_key_and_domain()
    {
        string key = KeyFile();
        var s = Settings();
        s.DkimSigningKey = key;
        s.DkimSelector = "s1";
        s.DkimDomain = "contoso.example";
        await Profiles().RegisterAsync(s);

        RelayServer p = await Profiles().UpdateAsync("Office", new RelayServerSettings { DkimSelector = "s2" });

        Assert.Equal(key, p.DkimSigningKey);
        Assert.Equal("s2", p.DkimSelector);
        Assert.Equal("contoso.example", p.DkimDomain);
    }

    [Fact]
    public async Task Update_adds_dkim_to_a_profile_and_leaves_other_settings()
    {
        var s = Settings();
        s.Priority = 7;
        await Profiles().RegisterAsync(s);
        string key = KeyFile();

        RelayServer p = await Profiles().UpdateAsync("Office", new RelayServerSettings { DkimSigningKey = key, DkimSelector = "s1" });

        Assert.Equal(key, p.DkimSigningKey);
        Assert.Equal("s1", p.DkimSelector);
        Assert.Null(p.DkimDomain);
        Assert.Equal(7, p.Priority);
    }

    [Fact]
    public async Task Update_of_a_key_on_a_profile_without_selector_is_refused_and_changes_nothing()
    {
        await Profiles().RegisterAsync(Settings());

        var ex = await Assert.ThrowsAsync<RelayProfileException>(() => Profiles().UpdateAsync("Office", new RelayServerSettings { DkimSigningKey = KeyFile(), Priority = 5 }));

        Assert.Equal(RelayProfileErrorKind.InvalidSetting, ex.Kind);
        RelayServer p = (await Profiles().FindAsync("Office"))!;
        Assert.Null(p.DkimSigningKey);
        Assert.Equal(RelayServerSettings.DefaultPriority, p.Priority);
    }

    [Fact]
    public async Task Update_with_ClearDkim_forgets_key_selector_and_domain()
    {
        var s = Settings();
        s.DkimSigningKey = KeyFile();
        s.DkimSelector = "s1";
        s.DkimDomain = "contoso.example";
        s.UserName = "keep-me";
        await Profiles().RegisterAsync(s);

        RelayServer p = await Profiles().UpdateAsync("Office", new RelayServerSettings { ClearDkim = true });

        Assert.Null(p.DkimSigningKey);
        Assert.Null(p.DkimSelector);
        Assert.Null(p.DkimDomain);
        Assert.Equal("keep-me", p.UserName);
    }

    [Fact]
    public async Task ClearDkim_with_a_new_dkim_setting_is_contradictory()
    {
        var s = Settings();
        s.DkimSigningKey = KeyFile();
        s.DkimSelector = "s1";
        await Profiles().RegisterAsync(s);

        var ex = await Assert.ThrowsAsync<RelayProfileException>(() => Profiles().UpdateAsync("Office", new RelayServerSettings { ClearDkim = true, DkimSelector = "s2" }));

        Assert.Equal(RelayProfileErrorKind.InvalidSetting, ex.Kind);
        Assert.Equal("s1", (await Profiles().FindAsync("Office"))!.DkimSelector);
    }

    [Fact]
    public async Task Force_replaces_the_dkim_settings_with_the_new_registration()
    {
        var s = Settings();
        s.DkimSigningKey = KeyFile();
        s.DkimSelector = "s1";
        await Profiles().RegisterAsync(s);

        RelayServer p = await Profiles().RegisterAsync(Settings(), force: true);

        Assert.Null(p.DkimSigningKey);
        Assert.Null(p.DkimSelector);
    }

    [Fact]
    public void Create_validates_dkim_settings_like_Register()
    {
        string key = KeyFile();

        RelayServer p = RelayServer.Create("Office", "smtp.contoso.example", dkimSigningKey: key, dkimSelector: "S1");
        var ex = Assert.Throws<RelayProfileException>(() => RelayServer.Create("Office", "smtp.contoso.example", dkimSigningKey: key));

        Assert.Equal(key, p.DkimSigningKey);
        Assert.Equal("s1", p.DkimSelector);
        Assert.Equal(RelayProfileErrorKind.InvalidSetting, ex.Kind);
    }

    [Fact]
    public async Task A_version_3_store_upgrades_to_version_4_keeping_its_profiles()
    {
        using var old = new TempStore();
        using (MailOpsStore v3 = MailOpsStore.Open(old.FilePath, StoreSchema.Migrations.Take(3).ToArray()))
        {
            Assert.Equal(3, v3.SchemaVersion);
        }

        // A profile as MailOps with schema version 3 wrote it (no DKIM columns yet).
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = old.FilePath, Pooling = false }.ToString()))
        {
            connection.Open();
            using var insert = connection.CreateCommand();
            insert.CommandText = @"INSERT INTO relay_profile (name, server, port, security, priority, from_filter, category, enabled, user_name, credential_storage, protected_password, secret_name, created_at, updated_at)
                VALUES ('Office', 'smtp.contoso.example', 587, 'StartTls', 10, 'contoso.example', 'Transactional', 1, 'relay', 'None', NULL, NULL, '2025-01-31T08:00:00.000Z', '2025-01-31T08:00:00.000Z');";
            insert.ExecuteNonQuery();
        }

        using MailOpsStore v4 = MailOpsStore.Open(old.FilePath);
        var profiles = new RelayProfileStore(v4, null, () => now);
        RelayServer p = (await profiles.GetAsync()).Single();

        Assert.Equal(4, v4.SchemaVersion);
        Assert.Equal("Office", p.Name);
        Assert.Equal(RelaySecurity.StartTls, p.Security);
        Assert.Equal(new[] { "contoso.example" }, p.FromFilter);
        Assert.Equal("relay", p.UserName);
        Assert.Null(p.DkimSigningKey);
        Assert.Null(p.DkimSelector);
        Assert.Null(p.DkimDomain);

        string key = KeyFile();
        RelayServer signed = await profiles.UpdateAsync("Office", new RelayServerSettings { DkimSigningKey = key, DkimSelector = "s1" });
        Assert.Equal(key, signed.DkimSigningKey);
        Assert.Equal(p.CreatedAt, signed.CreatedAt);
    }

    /// <summary>Writes a key file (by default the run's 2048-bit RSA key) beside the store and
    /// returns its absolute path.</summary>
    private string KeyFile(string? pem = null)
    {
        Directory.CreateDirectory(temp.Folder);
        string path = Path.Combine(temp.Folder, Guid.NewGuid().ToString("N") + ".pem");
        File.WriteAllText(path, pem ?? SigningTestData.RsaPkcs1Pem);
        return path;
    }

    private object? Scalar(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = temp.FilePath, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
