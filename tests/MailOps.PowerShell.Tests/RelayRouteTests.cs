using System.Management.Automation;
using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>Set-RelayDefault, Get-RelayDefault and Get-RelayRoute (the server choice an admin
/// checks before sending) through real PowerShell, each test on its own store file.</summary>
public sealed class RelayRouteTests : IClassFixture<RelayFixture>
{
    private readonly RelayFixture f;
    private readonly string store;

    public RelayRouteTests(RelayFixture fixture)
    {
        f = fixture;
        store = fixture.NewStorePath();
    }

    private void Register(string name, int priority, string category, params string[] filter)
        => f.Run(store, "Register-RelayServer", new() { ["Name"] = name, ["Server"] = "smtp." + name + ".example", ["Priority"] = priority, ["Category"] = category, ["FromFilter"] = filter }).ThrowIfFailed();

    private PowerShellResult Route(string from, string? category = null)
    {
        var p = new Dictionary<string, object?> { ["From"] = new[] { from } };
        if (category is not null)
        {
            p["Category"] = category;
        }

        return f.Run(store, "Get-RelayRoute", p);
    }

    private static string[] Candidates(PSObject decision) => decision.Items("Candidates").Select(c => c.Str("Name")!).ToArray();

    [Fact]
    public void Set_RelayDefault_stores_the_fallback_sender_and_Get_RelayDefault_returns_it()
    {
        f.Run(store, "Set-RelayDefault", new() { ["DefaultFrom"] = "noreply", ["DomainAlias"] = "Alias.Example" }).ThrowIfFailed();

        var d = f.Run(store, "Get-RelayDefault", new()).Single();

        Assert.Equal("MailOps.Core.Relay.RelayDefaults", d.BaseObject.GetType().FullName);
        Assert.Equal("noreply", d.Str("DefaultFrom"));
        Assert.Equal("alias.example", d.Str("DomainAlias"));
        Assert.Equal("noreply@alias.example", d.Str("Address"));
    }

    [Fact]
    public void Set_RelayDefault_WhatIf_writes_nothing()
    {
        f.Run(store, "Set-RelayDefault", new() { ["DefaultFrom"] = "noreply", ["DomainAlias"] = "alias.example", ["WhatIf"] = true }).ThrowIfFailed();

        Assert.False(File.Exists(store));
        Assert.Empty(f.Run(store, "Get-RelayDefault", new()).Output);
    }

    [Fact]
    public void Set_RelayDefault_with_a_full_address_is_InvalidRelayDefault()
    {
        var r = f.Run(store, "Set-RelayDefault", new() { ["DefaultFrom"] = "noreply@alias.example", ["DomainAlias"] = "alias.example" });

        var error = Assert.Single(r.Errors);
        Assert.StartsWith("InvalidRelayDefault,", error.FullyQualifiedErrorId);
        Assert.Equal("InvalidArgument", error.CategoryInfo.Category.ToString());
        Assert.False(File.Exists(store));
    }

    [Fact]
    public void Set_RelayDefault_Clear_removes_the_fallback_sender()
    {
        f.Run(store, "Set-RelayDefault", new() { ["DefaultFrom"] = "noreply", ["DomainAlias"] = "alias.example" }).ThrowIfFailed();

        f.Run(store, "Set-RelayDefault", new() { ["Clear"] = true, ["Confirm"] = false }).ThrowIfFailed();

        Assert.Empty(f.Run(store, "Get-RelayDefault", new()).Output);
    }

    [Fact]
    public void Route_lists_matching_profiles_of_the_category_lowest_priority_first()
    {
        Register("second", 20, "Transactional", "contoso.example");
        Register("first", 10, "Transactional");
        Register("other", 1, "Transactional", "fabrikam.example");
        Register("bulk", 1, "Bulk");

        var d = Route("Jane <jane@contoso.example>").Single();

        Assert.Equal("MailOps.Core.Relay.RelayRouteDecision", d.BaseObject.GetType().FullName);
        Assert.Equal(new[] { "first", "second" }, Candidates(d));
        Assert.Equal("first", d.Str("RelayServer"));
        Assert.Equal(false, d.Prop("FromRewritten"));
        Assert.Equal("\"Jane\" <jane@contoso.example>", d.Str("From"));
        Assert.Null(d.Prop("ReplyTo"));
    }

    [Fact]
    public void Route_for_bulk_mail_uses_the_bulk_profiles()
    {
        Register("tx", 1, "Transactional");
        Register("bulk", 50, "Bulk");

        Assert.Equal(new[] { "bulk" }, Candidates(Route("news@contoso.example", "Bulk").Single()));
    }

    [Fact]
    public void Route_rewrites_a_From_no_profile_may_use_to_the_default_sender()
    {
        Register("alias", 10, "Transactional", "alias.example");
        f.Run(store, "Set-RelayDefault", new() { ["DefaultFrom"] = "noreply", ["DomainAlias"] = "alias.example" }).ThrowIfFailed();

        var d = Route("Jane Doe <jane@contoso.example>").Single();

        Assert.Equal(true, d.Prop("FromRewritten"));
        Assert.Equal("\"Jane Doe\" <noreply@alias.example>", d.Str("From"));
        Assert.Equal("\"Jane Doe\" <jane@contoso.example>", d.Str("OriginalFrom"));
        Assert.Equal("\"Jane Doe\" <jane@contoso.example>", d.Str("ReplyTo"));
        Assert.Equal(new[] { "alias" }, Candidates(d));
        Assert.Contains("From rewritten", d.Str("Reason"));
    }

    [Fact]
    public void Route_without_a_match_or_defaults_has_no_candidates_and_a_reason()
    {
        Register("fabrikam", 10, "Transactional", "fabrikam.example");

        var d = Route("jane@contoso.example").Single();

        Assert.Empty(d.Items("Candidates"));
        Assert.Equal(false, d.Prop("CanSend"));
        Assert.Contains("Set-RelayDefault", d.Str("Reason"));
    }

    [Fact]
    public void Route_rows_from_a_pipeline_keep_their_order_and_a_bad_From_is_an_error_for_its_row()
    {
        Register("contoso", 10, "Transactional", "contoso.example");
        Register("news", 10, "Bulk");

        var r = f.Script(store, @"
            [pscustomobject]@{ From = 'a@contoso.example'; Category = 'Transactional' },
            [pscustomobject]@{ From = 'not an address'; Category = 'Transactional' },
            [pscustomobject]@{ From = 'b@contoso.example'; Category = 'Bulk' } | Get-RelayRoute -Path $store");

        var error = Assert.Single(r.Errors);
        Assert.StartsWith("InvalidRelayFromAddress,", error.FullyQualifiedErrorId);
        Assert.Equal("not an address", error.TargetObject);
        Assert.Equal(new[] { "contoso", "news" }, r.Output.Select(o => o.Str("RelayServer")));
    }
}
