using System.Net;
using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>Get-MxRecord through real PowerShell and a real DNS server on loopback.</summary>
public sealed class MxRecordTests : IClassFixture<MxFixture>
{
    private readonly MxFixture f;

    public MxRecordTests(MxFixture fixture) => f = fixture;

    private PowerShellResult Get(params string[] domains)
        => f.Run("Get-MxRecord", new Dictionary<string, object?> { ["Domain"] = domains });

    private static string[] Codes(System.Management.Automation.PSObject row)
        => row.Items("Findings").Select(x => x.Str("Code")!).ToArray();

    [Fact]
    public void Each_mx_is_its_own_row_sorted_by_preference_with_addresses_and_provider()
    {
        var r = Get("contoso.example");

        r.ThrowIfFailed();
        Assert.Equal(new[] { "aspmx.l.google.com", "alt1.aspmx.l.google.com" }, r.Output.Select(o => o.Str("Exchange")));
        Assert.Equal(new object[] { 1, 5 }, r.Output.Select(o => o.Prop("Preference")));
        Assert.All(r.Output, o => Assert.Equal("Google Workspace", o.Str("Provider")));
        Assert.All(r.Output, o => Assert.Equal("contoso.example", o.Str("Domain")));
        Assert.All(r.Output, o => Assert.Empty(o.Items("Findings")));
    }

    [Fact]
    public void IPAddress_holds_every_A_and_AAAA_of_the_exchange_as_IPAddress_objects()
    {
        var first = Get("contoso.example").Output[0];

        var addresses = Assert.IsType<IPAddress[]>(first.Prop("IPAddress"));
        Assert.Equal(new[] { IPAddress.Parse("142.250.0.26"), IPAddress.Parse("2607:f8b0:4004:c1b::1a") }, addresses);
    }

    [Fact]
    public void A_self_hosted_mx_has_no_provider()
    {
        var row = Get("fabrikam.example").Single();

        Assert.Null(row.Prop("Provider"));
        Assert.Equal("mail.fabrikam.example", row.Str("Exchange"));
    }

    [Fact]
    public void A_null_mx_is_one_row_with_IsNullMx()
    {
        var row = Get("nullmx.example").Single();

        Assert.Equal(true, row.Prop("IsNullMx"));
        Assert.Equal(".", row.Str("Exchange"));
        Assert.Equal(new[] { "MxNullMx" }, Codes(row));
    }

    [Fact]
    public void A_domain_without_mx_is_one_row_with_a_null_exchange_and_MxNoRecord()
    {
        var row = Get("nomx.example").Single();

        Assert.Null(row.Prop("Exchange"));
        var finding = Assert.Single(row.Items("Findings"));
        Assert.Equal(("Info", "MxNoRecord"), (finding.Str("Severity"), finding.Str("Code")));
        Assert.Contains("198.51.100.27", finding.Str("Message"));
    }

    [Fact]
    public void A_domain_that_does_not_exist_is_a_row_with_MxDomainNotFound_not_an_error()
    {
        var r = Get("missing.example");

        Assert.Empty(r.Errors);
        var row = r.Single();
        Assert.Equal(new[] { "MxDomainNotFound" }, Codes(row));
    }

    [Fact]
    public void An_mx_without_address_is_an_MxNoAddress_error_finding()
    {
        var finding = Get("nowhere.example").Single().Items("Findings").Single();

        Assert.Equal(("Error", "MxNoAddress", "gone.nowhere.example"), (finding.Str("Severity"), finding.Str("Code"), finding.Str("Term")));
    }

    [Fact]
    public void An_mx_that_is_an_alias_is_an_MxTargetIsCname_warning()
    {
        var finding = Get("alias.example").Single().Items("Findings").Single();

        Assert.Equal(("Warning", "MxTargetIsCname", "host.alias.example"), (finding.Str("Severity"), finding.Str("Code"), finding.Str("Term")));
    }

    [Fact]
    public void Rows_of_several_domains_come_back_in_input_order()
    {
        var r = Get("slow.example", "fabrikam.example", "contoso.example");

        r.ThrowIfFailed();
        Assert.Equal(new[] { "slow.example", "fabrikam.example", "contoso.example", "contoso.example" }, r.Output.Select(o => o.Str("Domain")));
    }

    [Fact]
    public void Csv_like_rows_bind_Domain_by_property_name()
    {
        var r = f.Script("""
            @([pscustomobject]@{ Domain = 'fabrikam.example'; Owner = 'it' }, [pscustomobject]@{ Domain = 'nullmx.example'; Owner = 'hr' }) |
                Get-MxRecord -Server $dns
            """);

        r.ThrowIfFailed();
        Assert.Equal(new[] { "fabrikam.example", "nullmx.example" }, r.Output.Select(o => o.Str("Domain")));
    }

    [Fact]
    public void Rows_pipe_into_Where_Object_one_by_one()
    {
        var r = f.Script("Get-MxRecord contoso.example -Server $dns | Where-Object Preference -gt 1");

        r.ThrowIfFailed();
        Assert.Equal("alt1.aspmx.l.google.com", r.Single().Str("Exchange"));
    }

    [Fact]
    public void Invalid_domain_is_an_error_and_the_other_domains_still_run()
    {
        var r = Get("fabrikam.example", "bad..example", "nullmx.example");

        Assert.Equal(new[] { "fabrikam.example", "nullmx.example" }, r.Output.Select(o => o.Str("Domain")));
        var error = Assert.Single(r.Errors);
        Assert.StartsWith("InvalidDomainName", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal("bad..example", error.TargetObject);
    }

    [Fact]
    public void Verbose_shows_the_dns_questions()
    {
        var r = f.Script("Get-MxRecord fabrikam.example -Server $dns -Verbose");

        r.ThrowIfFailed();
        Assert.Contains(r.Verbose, v => v.StartsWith("DNS MX fabrikam.example", StringComparison.Ordinal));
        Assert.Contains(r.Verbose, v => v.StartsWith("DNS A mail.fabrikam.example", StringComparison.Ordinal));
    }
}
