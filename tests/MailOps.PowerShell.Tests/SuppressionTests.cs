using System.Diagnostics;
using System.Management.Automation;
using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>Add-, Get- and Remove-MailSuppression through real PowerShell and the staged module,
/// each test on its own SQLite store file.</summary>
public sealed class SuppressionTests : IClassFixture<SuppressionFixture>
{
    private readonly SuppressionFixture f;
    private readonly string store;

    public SuppressionTests(SuppressionFixture fixture)
    {
        f = fixture;
        store = fixture.NewStorePath();
    }

    private PowerShellResult Add(string reason, params string[] addresses)
        => f.Run(store, "Add-MailSuppression", new Dictionary<string, object?> { ["Address"] = addresses, ["Reason"] = reason });

    private PowerShellResult Get(params string[] addresses)
        => f.Run(store, "Get-MailSuppression", addresses.Length == 0 ? new Dictionary<string, object?>() : new Dictionary<string, object?> { ["Address"] = addresses });

    private string[] Listed()
    {
        var r = Get();
        r.ThrowIfFailed();
        return r.Output.Select(o => o.Str("Address")!).ToArray();
    }

    [Fact]
    public void Added_address_comes_back_from_Get_with_its_reason_and_source()
    {
        f.Run(store, "Add-MailSuppression", new Dictionary<string, object?> { ["Address"] = new[] { "Gone@Contoso.EXAMPLE" }, ["Reason"] = "HardBounce", ["Source"] = "ticket 4711" }).ThrowIfFailed();

        var entry = Get().Single();

        Assert.Equal("MailOps.Core.Suppression.MailSuppression", entry.BaseObject.GetType().FullName);
        Assert.Equal("Gone@contoso.example", entry.Str("Address"));
        Assert.Equal("contoso.example", entry.Str("Domain"));
        Assert.Equal("HardBounce", entry.Str("Reason"));
        Assert.Equal("ticket 4711", entry.Str("Source"));
        Assert.Equal(false, entry.Prop("IsExpired"));
        Assert.Null(entry.Prop("ExpiresAt"));
        Assert.True(File.Exists(store));
    }

    [Fact]
    public void Native_sqlite_is_loaded_from_the_modules_Dependencies_folder()
    {
        Add("HardBounce", "gone@contoso.example").ThrowIfFailed();

        string dependencies = Path.Combine(Path.GetDirectoryName(RepositoryPaths.ModuleManifest)!, "Dependencies", "runtimes");
        var sqlite = Process.GetCurrentProcess().Modules.Cast<ProcessModule>()
            .Where(m => m.ModuleName.Contains("e_sqlite3", StringComparison.OrdinalIgnoreCase))
            .Select(m => m.FileName)
            .ToArray();

        Assert.NotEmpty(sqlite);
        Assert.All(sqlite, file => Assert.StartsWith(dependencies, file, StringComparison.Ordinal));
    }

    [Fact]
    public void Add_writes_nothing_to_the_pipeline_without_PassThru()
    {
        var r = Add("HardBounce", "gone@contoso.example");

        r.ThrowIfFailed();
        Assert.Empty(r.Output);
    }

    [Fact]
    public void PassThru_writes_the_stored_entry()
    {
        var r = f.Run(store, "Add-MailSuppression", new Dictionary<string, object?> { ["Address"] = new[] { "gone@contoso.example" }, ["Reason"] = "HardBounce", ["PassThru"] = true });

        var entry = r.Single();
        Assert.Equal("gone@contoso.example", entry.Str("Address"));
        Assert.IsType<DateTime>(entry.Prop("AddedAt"));
    }

    [Fact]
    public void WhatIf_on_Add_creates_no_store_and_adds_nothing()
    {
        var r = f.Run(store, "Add-MailSuppression", new Dictionary<string, object?> { ["Address"] = new[] { "gone@contoso.example" }, ["Reason"] = "HardBounce", ["WhatIf"] = true });

        r.ThrowIfFailed();
        Assert.Empty(r.Output);
        Assert.False(File.Exists(store));
        Assert.False(Directory.Exists(Path.GetDirectoryName(store)));
    }

    [Fact]
    public void WhatIf_on_Remove_keeps_the_entry()
    {
        Add("HardBounce", "gone@contoso.example").ThrowIfFailed();

        f.Run(store, "Remove-MailSuppression", new Dictionary<string, object?> { ["Address"] = new[] { "gone@contoso.example" }, ["WhatIf"] = true }).ThrowIfFailed();

        Assert.Equal(new[] { "gone@contoso.example" }, Listed());
    }

    [Fact]
    public void A_pipeline_of_many_addresses_is_stored_and_listed_in_address_order()
    {
        var addresses = Enumerable.Range(0, 400).Select(i => $"user{i:D3}@list.example").Reverse().ToArray();

        var r = f.Run(store, "Add-MailSuppression", new Dictionary<string, object?> { ["Reason"] = "Unsubscribed" }, addresses);

        r.ThrowIfFailed();
        Assert.Equal(addresses.Order(StringComparer.Ordinal).ToArray(), Listed());
    }

    [Fact]
    public void Invalid_address_is_an_error_and_the_other_addresses_are_still_added()
    {
        var r = Add("HardBounce", "first@contoso.example", "not an address", "second@contoso.example");

        var error = Assert.Single(r.Errors);
        Assert.StartsWith("InvalidEmailAddress", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal("not an address", error.TargetObject);
        Assert.Equal(new[] { "first@contoso.example", "second@contoso.example" }, Listed());
    }

    [Fact]
    public void Csv_like_rows_bind_Address_and_Reason_by_property_name()
    {
        var r = f.Script(store, """
            @([pscustomobject]@{ Address = 'a@contoso.example'; Reason = 'Complaint'; Owner = 'it' },
              [pscustomobject]@{ Address = 'b@contoso.example'; Reason = 'Unsubscribed'; Owner = 'hr' }) |
                Add-MailSuppression -Path $store -PassThru
            """);

        r.ThrowIfFailed();
        Assert.Equal(new[] { "a@contoso.example:Complaint", "b@contoso.example:Unsubscribed" }, r.Output.Select(o => o.Str("Address") + ":" + o.Str("Reason")));
    }

    [Fact]
    public void Bounce_objects_bind_Recipient_Kind_and_File()
    {
        var r = f.Script(store, """
            [pscustomobject]@{ Recipient = 'gone@contoso.example'; Kind = 'HardBounce'; Status = '5.1.1'; File = 'bounces.mbox' } |
                Add-MailSuppression -Path $store -PassThru
            """);

        var entry = r.Single();
        Assert.Equal("gone@contoso.example", entry.Str("Address"));
        Assert.Equal("HardBounce", entry.Str("Reason"));
        Assert.Equal("bounces.mbox", entry.Str("Source"));
    }

    [Fact]
    public void Adding_a_listed_address_again_updates_it_and_says_so()
    {
        Add("SoftBounce", "gone@contoso.example").ThrowIfFailed();

        var r = f.Run(store, "Add-MailSuppression", new Dictionary<string, object?> { ["Address"] = new[] { "GONE@contoso.example" }, ["Reason"] = "HardBounce", ["Verbose"] = true });

        r.ThrowIfFailed();
        Assert.Contains(r.Verbose, v => v.StartsWith("Updated gone@contoso.example", StringComparison.Ordinal) && v.Contains("SoftBounce"));
        var entry = Get().Single();
        Assert.Equal("HardBounce", entry.Str("Reason"));
    }

    [Fact]
    public void An_earlier_expiry_keeps_a_permanent_suppression_with_a_warning_unless_forced()
    {
        Add("HardBounce", "gone@contoso.example").ThrowIfFailed();
        var soon = DateTime.Now.AddDays(7);

        var kept = f.Run(store, "Add-MailSuppression", new Dictionary<string, object?> { ["Address"] = new[] { "gone@contoso.example" }, ["Reason"] = "SoftBounce", ["ExpiresAt"] = soon });
        Assert.Contains(kept.Warnings, w => w.Contains("-Force"));
        Assert.Null(Get().Single().Prop("ExpiresAt"));

        f.Run(store, "Add-MailSuppression", new Dictionary<string, object?> { ["Address"] = new[] { "gone@contoso.example" }, ["Reason"] = "SoftBounce", ["ExpiresAt"] = soon, ["Force"] = true }).ThrowIfFailed();
        var expires = (DateTime)Get().Single().Prop("ExpiresAt")!;
        Assert.Equal(soon.ToUniversalTime(), expires, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public void Expiry_in_the_past_is_an_InvalidSuppressionExpiry_error()
    {
        var r = f.Run(store, "Add-MailSuppression", new Dictionary<string, object?> { ["Address"] = new[] { "gone@contoso.example" }, ["Reason"] = "HardBounce", ["ExpiresAt"] = DateTime.Now.AddDays(-1) });

        var error = Assert.Single(r.Errors);
        Assert.StartsWith("InvalidSuppressionExpiry", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.False(File.Exists(store));
    }

    [Fact]
    public void Get_with_a_wildcard_returns_the_matching_entries()
    {
        Add("HardBounce", "a@contoso.example", "b@fabrikam.example", "c@contoso.example").ThrowIfFailed();

        var r = Get("*@contoso.example");

        r.ThrowIfFailed();
        Assert.Equal(new[] { "a@contoso.example", "c@contoso.example" }, r.Output.Select(o => o.Str("Address")));
    }

    [Fact]
    public void Get_of_an_address_not_listed_is_SuppressionNotFound_but_an_unmatched_wildcard_is_empty()
    {
        Add("HardBounce", "a@contoso.example").ThrowIfFailed();

        var literal = Get("nobody@contoso.example");
        var wildcard = Get("*@nowhere.example");

        var error = Assert.Single(literal.Errors);
        Assert.StartsWith("SuppressionNotFound", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        wildcard.ThrowIfFailed();
        Assert.Empty(wildcard.Output);
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
    public void Remove_takes_the_entries_piped_from_Get()
    {
        Add("HardBounce", "a@contoso.example", "b@fabrikam.example", "c@contoso.example").ThrowIfFailed();

        var r = f.Script(store, "Get-MailSuppression '*@contoso.example' -Path $store | Remove-MailSuppression -Path $store");

        r.ThrowIfFailed();
        Assert.Equal(new[] { "b@fabrikam.example" }, Listed());
    }

    [Fact]
    public void Removing_an_address_not_listed_is_SuppressionNotFound_and_the_others_are_removed()
    {
        Add("HardBounce", "a@contoso.example", "b@contoso.example").ThrowIfFailed();

        var r = f.Run(store, "Remove-MailSuppression", new Dictionary<string, object?> { ["Address"] = new[] { "a@contoso.example", "nobody@contoso.example", "b@contoso.example" } });

        var error = Assert.Single(r.Errors);
        Assert.StartsWith("SuppressionNotFound", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("nobody@contoso.example", error.TargetObject);
        Assert.Empty(Listed());
    }

    [Fact]
    public void Store_written_by_a_newer_MailOps_stops_the_cmdlet_with_StoreSchemaTooNew()
    {
        // A store file whose header says schema version 99: SQLite keeps PRAGMA user_version at
        // byte offset 60 of the header, big-endian.
        Add("HardBounce", "a@contoso.example").ThrowIfFailed();
        using (var file = new FileStream(store, FileMode.Open, FileAccess.ReadWrite))
        {
            file.Position = 60;
            file.Write(new byte[] { 0, 0, 0, 99 });
        }

        var r = Get();

        Assert.NotNull(r.Terminating);
        var error = Assert.IsAssignableFrom<IContainsErrorRecord>(r.Terminating).ErrorRecord;
        Assert.StartsWith("StoreSchemaTooNew", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.OpenError, error.CategoryInfo.Category);
    }

    [Fact]
    public void Without_Path_the_store_named_by_MAILOPS_STORE_is_used()
    {
        string? saved = Environment.GetEnvironmentVariable("MAILOPS_STORE");
        try
        {
            Environment.SetEnvironmentVariable("MAILOPS_STORE", store);

            f.Host.Invoke("Add-MailSuppression", new Dictionary<string, object?> { ["Address"] = new[] { "env@contoso.example" }, ["Reason"] = "HardBounce" }).ThrowIfFailed();
        }
        finally
        {
            Environment.SetEnvironmentVariable("MAILOPS_STORE", saved);
        }

        Assert.Equal(new[] { "env@contoso.example" }, Listed());
    }
}
