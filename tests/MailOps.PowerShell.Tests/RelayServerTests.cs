using System.Text;
using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>Register-, Get-, Set- and Unregister-RelayServer through real PowerShell and the staged
/// module, each test on its own SQLite store file.</summary>
public sealed class RelayServerTests : IClassFixture<RelayFixture>
{
    private const string Password = "Relay-Pa55word-MustNotBeStored";

    private readonly RelayFixture f;
    private readonly string store;

    public RelayServerTests(RelayFixture fixture)
    {
        f = fixture;
        store = fixture.NewStorePath();
    }

    private PowerShellResult Register(string name, string server, Dictionary<string, object?>? more = null)
    {
        var p = more ?? new Dictionary<string, object?>();
        p["Name"] = name;
        p["Server"] = server;
        return f.Run(store, "Register-RelayServer", p);
    }

    private PowerShellResult Get(params string[] names)
        => f.Run(store, "Get-RelayServer", names.Length == 0 ? new Dictionary<string, object?>() : new Dictionary<string, object?> { ["Name"] = names });

    private string[] Listed()
    {
        var r = Get();
        r.ThrowIfFailed();
        return r.Output.Select(o => o.Str("Name")!).ToArray();
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
    public void Registered_profile_is_written_and_comes_back_from_Get()
    {
        var r = Register("Office", "SMTP.Contoso.Example", new() { ["Security"] = "SslOnConnect", ["Priority"] = 10, ["FromFilter"] = new[] { "contoso.example", "billing@fabrikam.example" }, ["UserName"] = "relay@contoso.example" });

        var written = r.Single();
        var p = Get().Single();

        Assert.Equal("MailOps.Core.Relay.RelayServer", p.BaseObject.GetType().FullName);
        Assert.Equal("Office", written.Str("Name"));
        Assert.Equal("Office", p.Str("Name"));
        Assert.Equal("smtp.contoso.example", p.Str("Server"));
        Assert.Equal(465, p.Prop("Port"));
        Assert.Equal("SslOnConnect", p.Str("Security"));
        Assert.Equal(10, p.Prop("Priority"));
        Assert.Equal(new[] { "contoso.example", "billing@fabrikam.example" }, (string[])p.Prop("FromFilter")!);
        Assert.Equal("Transactional", p.Str("Category"));
        Assert.Equal(true, p.Prop("Enabled"));
        Assert.Equal("relay@contoso.example", p.Str("UserName"));
        Assert.Equal("None", p.Str("CredentialStorage"));
        Assert.DoesNotContain(p.Properties, prop => prop.Name.Contains("Password", StringComparison.OrdinalIgnoreCase));
        Assert.True(File.Exists(store));
    }

    [Fact]
    public void WhatIf_registers_nothing_and_creates_no_store_file()
    {
        var r = Register("Office", "smtp.contoso.example", new() { ["WhatIf"] = true });

        r.ThrowIfFailed();
        Assert.Empty(r.Output);
        Assert.False(File.Exists(store));
        Assert.False(Directory.Exists(Path.GetDirectoryName(store)));
    }

    [Fact]
    public void A_duplicate_name_is_a_RelayServerExists_error_and_keeps_the_first_profile()
    {
        Register("Office", "smtp1.contoso.example").ThrowIfFailed();

        var r = Register("OFFICE", "smtp2.contoso.example");

        var error = Assert.Single(r.Errors);
        Assert.StartsWith("RelayServerExists,", error.FullyQualifiedErrorId);
        Assert.Equal("ResourceExists", error.CategoryInfo.Category.ToString());
        Assert.Equal("OFFICE", error.TargetObject);
        Assert.Equal("smtp1.contoso.example", Get().Single().Str("Server"));
    }

    [Fact]
    public void Force_replaces_a_profile_of_the_same_name()
    {
        Register("Office", "smtp1.contoso.example").ThrowIfFailed();

        Register("Office", "smtp2.contoso.example", new() { ["Force"] = true }).ThrowIfFailed();

        Assert.Equal("smtp2.contoso.example", Get().Single().Str("Server"));
    }

    [Fact]
    public void Credential_is_stored_only_under_DPAPI_and_refused_elsewhere_with_CredentialStorageUnavailable()
    {
        var r = Register("Gmail", "smtp.gmail.com", new() { ["Credential"] = RelayFixture.Credential("me@gmail.com", Password) });

        if (OperatingSystem.IsWindows())
        {
            Assert.Equal("Dpapi", r.Single().Str("CredentialStorage"));
            Assert.Equal("me@gmail.com", r.Single().Str("UserName"));
        }
        else
        {
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("CredentialStorageUnavailable,", error.FullyQualifiedErrorId);
            Assert.Equal("InvalidOperation", error.CategoryInfo.Category.ToString());
            Assert.Contains("-SecretName", error.Exception.Message);
            Assert.Empty(r.Output);
            Assert.False(File.Exists(store), "a refused password must not even create the store");
        }
    }

    [Fact]
    public void No_password_given_to_any_cmdlet_appears_in_the_raw_store_file()
    {
        Register("Office", "smtp.contoso.example", new() { ["UserName"] = "relay" }).ThrowIfFailed();
        Register("Gmail", "smtp.gmail.com", new() { ["Credential"] = RelayFixture.Credential("me@gmail.com", Password) });
        f.Run(store, "Set-RelayServer", new() { ["Name"] = "Office", ["Credential"] = RelayFixture.Credential("relay", Password) });
        f.Run(store, "Set-RelayServer", new() { ["Name"] = "Office", ["SecretName"] = "OfficeRelay" }).ThrowIfFailed();

        byte[] raw = RelayFixture.RawStoreBytes(store);

        Assert.True(Contains(raw, Encoding.UTF8.GetBytes("smtp.contoso.example")), "the raw bytes must hold the profiles for the check to mean anything");
        Assert.False(Contains(raw, Encoding.UTF8.GetBytes(Password)));
        Assert.False(Contains(raw, Encoding.Unicode.GetBytes(Password)));
    }

    [Fact]
    public void SecretName_is_stored_as_a_name_with_SecretManagement_storage()
    {
        var p = Register("Office", "smtp.contoso.example", new() { ["SecretName"] = "OfficeRelay", ["UserName"] = "relay" }).Single();

        Assert.Equal("SecretManagement", p.Str("CredentialStorage"));
        Assert.Equal("OfficeRelay", p.Str("SecretName"));
        Assert.Equal("relay", p.Str("UserName"));
    }

    [Fact]
    public void An_invalid_setting_is_an_InvalidRelayServerSetting_error_for_that_row_only()
    {
        var r = f.Script(store, @"
            [pscustomobject]@{ Name = 'Good1'; Server = 'smtp1.contoso.example' },
            [pscustomobject]@{ Name = 'Bad'; Server = 'not a host' },
            [pscustomobject]@{ Name = 'Good2'; Server = 'smtp2.contoso.example' } | Register-RelayServer -Path $store");

        var error = Assert.Single(r.Errors);
        Assert.StartsWith("InvalidRelayServerSetting,", error.FullyQualifiedErrorId);
        Assert.Equal("InvalidArgument", error.CategoryInfo.Category.ToString());
        Assert.Equal(new[] { "Good1", "Good2" }, r.Output.Select(o => o.Str("Name")));
        Assert.Equal(new[] { "Good1", "Good2" }, Listed());
    }

    [Fact]
    public void Csv_like_rows_register_several_profiles_with_their_columns()
    {
        var r = f.Script(store, @"
            [pscustomobject]@{ Name = 'Tx'; Server = 'smtp.contoso.example'; Port = '2525'; Security = 'StartTls'; Priority = '5'; FromFilter = 'contoso.example;fabrikam.example'; Category = 'Transactional' },
            [pscustomobject]@{ Name = 'News'; Server = 'bulk.contoso.example'; Security = 'SslOnConnect'; Priority = '1'; FromFilter = '*.contoso.example'; Category = 'Bulk' } | Register-RelayServer -Path $store");

        r.ThrowIfFailed();
        var all = Get().Output;
        var tx = all.Single(o => o.Str("Name") == "Tx");
        var news = all.Single(o => o.Str("Name") == "News");
        Assert.Equal(2525, tx.Prop("Port"));
        Assert.Equal("StartTls", tx.Str("Security"));
        Assert.Equal(5, tx.Prop("Priority"));
        Assert.Equal(new[] { "contoso.example", "fabrikam.example" }, (string[])tx.Prop("FromFilter")!);
        Assert.Equal(465, news.Prop("Port"));
        Assert.Equal("Bulk", news.Str("Category"));
        Assert.Equal(new[] { "*.contoso.example" }, (string[])news.Prop("FromFilter")!);
    }

    [Fact]
    public void Get_takes_wildcards_and_a_wildcard_matching_nothing_is_no_error()
    {
        foreach (string name in new[] { "eu-relay", "us-relay", "backup" })
        {
            Register(name, "smtp.contoso.example").ThrowIfFailed();
        }

        var r = Get("*-RELAY", "none*");

        r.ThrowIfFailed();
        Assert.Equal(new[] { "eu-relay", "us-relay" }, r.Output.Select(o => o.Str("Name")).OrderBy(n => n));
    }

    [Fact]
    public void Get_of_a_missing_literal_name_is_RelayServerNotFound_and_the_others_still_come()
    {
        Register("Office", "smtp.contoso.example").ThrowIfFailed();

        var r = Get("Nope", "Office");

        var error = Assert.Single(r.Errors);
        Assert.StartsWith("RelayServerNotFound,", error.FullyQualifiedErrorId);
        Assert.Equal("ObjectNotFound", error.CategoryInfo.Category.ToString());
        Assert.Equal("Nope", error.TargetObject);
        Assert.Equal("Office", Assert.Single(r.Output).Str("Name"));
    }

    [Fact]
    public void Get_filters_by_category()
    {
        Register("Tx", "smtp.contoso.example").ThrowIfFailed();
        Register("News", "bulk.contoso.example", new() { ["Category"] = "Bulk" }).ThrowIfFailed();

        var r = f.Run(store, "Get-RelayServer", new() { ["Category"] = "Bulk" });

        Assert.Equal("News", r.Single().Str("Name"));
    }

    [Fact]
    public void Get_on_a_store_that_does_not_exist_returns_nothing_and_creates_no_file()
    {
        var r = Get();

        r.ThrowIfFailed();
        Assert.Empty(r.Output);
        Assert.False(File.Exists(store));
    }

    [Fact]
    public void Get_piped_to_Unregister_removes_exactly_the_matched_profiles()
    {
        foreach (string name in new[] { "old-1", "old-2", "keep" })
        {
            Register(name, "smtp.contoso.example").ThrowIfFailed();
        }

        var r = f.Script(store, "Get-RelayServer -Path $store -Name old-* | Unregister-RelayServer -Path $store -Confirm:$false");

        r.ThrowIfFailed();
        Assert.Equal(new[] { "keep" }, Listed());
    }

    [Fact]
    public void Unregister_WhatIf_keeps_the_profile()
    {
        Register("Office", "smtp.contoso.example").ThrowIfFailed();

        f.Run(store, "Unregister-RelayServer", new() { ["Name"] = new[] { "Office" }, ["WhatIf"] = true }).ThrowIfFailed();

        Assert.Equal(new[] { "Office" }, Listed());
    }

    [Fact]
    public void Unregister_of_a_missing_name_is_RelayServerNotFound()
    {
        Register("Office", "smtp.contoso.example").ThrowIfFailed();

        var r = f.Run(store, "Unregister-RelayServer", new() { ["Name"] = new[] { "Nope", "Office" }, ["Confirm"] = false });

        var error = Assert.Single(r.Errors);
        Assert.StartsWith("RelayServerNotFound,", error.FullyQualifiedErrorId);
        Assert.Empty(Listed());
    }

    [Fact]
    public void Set_changes_only_the_given_settings_of_piped_profiles()
    {
        Register("eu", "smtp.contoso.example", new() { ["FromFilter"] = new[] { "contoso.example" } }).ThrowIfFailed();
        Register("us", "smtp.contoso.example").ThrowIfFailed();

        var r = f.Script(store, "Get-RelayServer -Path $store -Name eu | Set-RelayServer -Path $store -Priority 5 -Disabled -PassThru");

        var p = r.Single();
        Assert.Equal(5, p.Prop("Priority"));
        Assert.Equal(false, p.Prop("Enabled"));
        Assert.Equal(new[] { "contoso.example" }, (string[])p.Prop("FromFilter")!);
        var us = Get("us").Single();
        Assert.Equal(100, us.Prop("Priority"));
        Assert.Equal(true, us.Prop("Enabled"));
    }

    [Fact]
    public void Set_Disabled_false_enables_again_and_Security_moves_a_default_port()
    {
        Register("eu", "smtp.contoso.example", new() { ["Disabled"] = true }).ThrowIfFailed();

        f.Script(store, "Set-RelayServer -Path $store -Name eu -Disabled:$false -Security SslOnConnect").ThrowIfFailed();

        var p = Get("eu").Single();
        Assert.Equal(true, p.Prop("Enabled"));
        Assert.Equal(465, p.Prop("Port"));
    }

    [Fact]
    public void Set_WhatIf_changes_nothing()
    {
        Register("eu", "smtp.contoso.example").ThrowIfFailed();

        f.Run(store, "Set-RelayServer", new() { ["Name"] = new[] { "eu" }, ["Priority"] = 1, ["WhatIf"] = true }).ThrowIfFailed();

        Assert.Equal(100, Get("eu").Single().Prop("Priority"));
    }

    [Fact]
    public void Set_of_a_missing_profile_is_RelayServerNotFound()
    {
        Register("eu", "smtp.contoso.example").ThrowIfFailed();

        var r = f.Run(store, "Set-RelayServer", new() { ["Name"] = new[] { "nope" }, ["Priority"] = 1 });

        var error = Assert.Single(r.Errors);
        Assert.StartsWith("RelayServerNotFound,", error.FullyQualifiedErrorId);
        Assert.Equal("nope", error.TargetObject);
    }

    [Fact]
    public void Set_ClearCredential_forgets_user_and_secret_name()
    {
        Register("eu", "smtp.contoso.example", new() { ["SecretName"] = "vault", ["UserName"] = "relay" }).ThrowIfFailed();

        var p = f.Run(store, "Set-RelayServer", new() { ["Name"] = new[] { "eu" }, ["ClearCredential"] = true, ["PassThru"] = true }).Single();

        Assert.Equal("None", p.Str("CredentialStorage"));
        Assert.Null(p.Prop("UserName"));
        Assert.Null(p.Prop("SecretName"));
    }

    [Fact]
    public void Security_and_Category_take_only_their_documented_values()
    {
        var r = Register("eu", "smtp.contoso.example", new() { ["Security"] = "Tls13Please" });

        Assert.NotNull(r.Terminating ?? (object?)r.Errors.FirstOrDefault());
        Assert.False(File.Exists(store));
    }
}
