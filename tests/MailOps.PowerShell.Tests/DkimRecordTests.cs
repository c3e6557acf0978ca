using System.Management.Automation;
using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>Get-DkimRecord through real PowerShell and a real DNS server on loopback.</summary>
public sealed class DkimRecordTests : IClassFixture<DkimFixture>
{
    private readonly DkimFixture f;

    public DkimRecordTests(DkimFixture fixture) => f = fixture;

    private PowerShellResult Get(string[] domains, params string[] selectors)
    {
        var parameters = new Dictionary<string, object?> { ["Domain"] = domains };
        if (selectors.Length > 0)
        {
            parameters["Selector"] = selectors;
        }

        return f.Run("Get-DkimRecord", parameters);
    }

    private static string[] Codes(PSObject record)
        => record.Items("Findings").Select(x => x.Str("Code")!).ToArray();

    [Fact]
    public void Explicit_selector_returns_one_DkimRecord_with_key_type_and_size()
    {
        var r = Get(new[] { "contoso.example" }, "selector1");

        r.ThrowIfFailed();
        var key = r.Single();
        Assert.Equal("MailOps.Core.Dkim.DkimRecord", key.TypeNames[0]);
        Assert.Equal("contoso.example", key.Str("Domain"));
        Assert.Equal("selector1", key.Str("Selector"));
        Assert.Equal("selector1._domainkey.contoso.example", key.Str("Name"));
        Assert.Equal("Rsa", key.Str("KeyType"));
        Assert.Equal(2048, (int)key.Prop("KeySize")!);
        Assert.Equal("v=DKIM1; k=rsa; p=" + f.Key2048, key.Str("Record"));
        Assert.Empty(Codes(key));
    }

    [Fact]
    public void Probing_without_selector_reports_every_key_found_in_catalogue_order()
    {
        var r = Get(new[] { "contoso.example" });

        r.ThrowIfFailed();
        Assert.Equal(new[] { "google", "selector1", "selector2", "s1" }, r.Output.Select(o => o.Str("Selector")));
        Assert.Equal(new[] { "Google Workspace", "Microsoft 365", "Microsoft 365" }, r.Output.Take(3).Select(o => o.Str("Provider")));
    }

    [Fact]
    public void Key_of_1024_bits_carries_a_DkimKeyUpgradeRecommended_warning()
    {
        var key = Get(new[] { "contoso.example" }, "selector2").Single();

        Assert.Equal(1024, (int)key.Prop("KeySize")!);
        var finding = Assert.Single(key.Items("Findings"));
        Assert.Equal("DkimKeyUpgradeRecommended", finding.Str("Code"));
        Assert.Equal("Warning", finding.Str("Severity"));
    }

    [Fact]
    public void Cname_delegated_key_reports_the_provider_name_it_is_read_from()
    {
        var key = Get(new[] { "contoso.example" }, "s1").Single();

        Assert.Equal("s1._domainkey.contoso.example", key.Str("Name"));
        Assert.Equal("s1.domainkey.u123.wl.sendgrid.example", key.Str("CnameTarget"));
        Assert.Equal(2048, (int)key.Prop("KeySize")!);
    }

    [Fact]
    public void Ed25519_key_is_256_bits()
    {
        var key = Get(new[] { "football.example" }, "brisbane").Single();

        Assert.Equal("Ed25519", key.Str("KeyType"));
        Assert.Equal(256, (int)key.Prop("KeySize")!);
        Assert.Empty(Codes(key));
    }

    [Fact]
    public void Testing_flag_sets_IsTesting_and_a_DkimTestingMode_finding()
    {
        var key = Get(new[] { "testing.example" }, "dkim").Single();

        Assert.Equal(true, key.Prop("IsTesting"));
        Assert.Contains("DkimTestingMode", Codes(key));
    }

    [Fact]
    public void Domain_without_any_common_selector_returns_one_object_with_DkimNoSelectorFound()
    {
        var r = Get(new[] { "nokey.example" });

        r.ThrowIfFailed();
        var row = r.Single();
        Assert.Equal("nokey.example", row.Str("Domain"));
        Assert.Null(row.Prop("Selector"));
        Assert.Null(row.Prop("KeyType"));
        var finding = Assert.Single(row.Items("Findings"));
        Assert.Equal("DkimNoSelectorFound", finding.Str("Code"));
        Assert.Equal("Warning", finding.Str("Severity"));
        Assert.Contains("-Selector", finding.Str("Message"));
    }

    [Fact]
    public void Explicit_selector_without_a_key_is_a_DkimKeyNotFound_finding_not_an_error()
    {
        var r = Get(new[] { "contoso.example" }, "nosuch", "selector1");

        Assert.Empty(r.Errors);
        Assert.Equal(new[] { "nosuch", "selector1" }, r.Output.Select(o => o.Str("Selector")));
        var finding = Assert.Single(r.Output[0].Items("Findings"));
        Assert.Equal("DkimKeyNotFound", finding.Str("Code"));
        Assert.Equal("Error", finding.Str("Severity"));
    }

    [Fact]
    public void Servfail_is_a_DkimDnsError_finding_so_audits_keep_the_row()
    {
        var r = Get(new[] { "servfail.example" }, "selector1");

        Assert.Empty(r.Errors);
        var row = r.Single();
        Assert.Null(row.Prop("Record"));
        Assert.Equal(new[] { "DkimDnsError" }, Codes(row));
    }

    [Fact]
    public void Several_domains_come_back_in_input_order()
    {
        var r = Get(new[] { "slow.example", "contoso.example", "football.example" }, "default", "selector1", "brisbane");

        r.ThrowIfFailed();
        Assert.Equal(
            new[] { "slow.example", "slow.example", "slow.example", "contoso.example", "contoso.example", "contoso.example", "football.example", "football.example", "football.example" },
            r.Output.Select(o => o.Str("Domain")));
        Assert.Equal(new[] { "default", "selector1", "brisbane" }, r.Output.Take(3).Select(o => o.Str("Selector")));
    }

    [Fact]
    public void Csv_like_rows_bind_Domain_and_Selector_by_property_name_and_an_empty_selector_probes()
    {
        var r = f.Script("""
            @(
                [pscustomobject]@{ Domain = 'contoso.example'; Selector = 's1' },
                [pscustomobject]@{ Domain = 'football.example'; Selector = 'brisbane' },
                [pscustomobject]@{ Domain = 'nokey.example'; Selector = '' }
            ) | Get-DkimRecord -Server $dns
            """);

        r.ThrowIfFailed();
        Assert.Equal(new[] { "contoso.example", "football.example", "nokey.example" }, r.Output.Select(o => o.Str("Domain")));
        Assert.Equal("s1", r.Output[0].Str("Selector"));
        Assert.Equal("brisbane", r.Output[1].Str("Selector"));
        Assert.Equal(new[] { "DkimNoSelectorFound" }, Codes(r.Output[2]));
    }

    [Fact]
    public void Csv_like_rows_with_only_a_Domain_column_probe_each_domain()
    {
        var r = f.Script("""
            @([pscustomobject]@{ Domain = 'football.example'; Owner = 'it' }, [pscustomobject]@{ Domain = 'testing.example'; Owner = 'hr' }) |
                Get-DkimRecord -Server $dns
            """);

        r.ThrowIfFailed();
        // brisbane is not a common selector, so football.example has no key to find by probing.
        Assert.Equal(new[] { "football.example", "testing.example" }, r.Output.Select(o => o.Str("Domain")));
        Assert.Null(r.Output[0].Prop("Selector"));
        Assert.Equal("dkim", r.Output[1].Str("Selector"));
    }

    [Fact]
    public void Invalid_domain_is_an_error_and_the_other_domains_still_run()
    {
        var r = Get(new[] { "contoso.example", "bad..example", "football.example" }, "selector1", "brisbane");

        var error = Assert.Single(r.Errors);
        Assert.StartsWith("InvalidDomainName", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal("bad..example", error.TargetObject);
        Assert.Equal(new[] { "contoso.example", "contoso.example", "football.example", "football.example" }, r.Output.Select(o => o.Str("Domain")));
    }

    [Fact]
    public void Invalid_selector_is_an_InvalidDkimSelector_error_and_the_valid_selectors_still_run()
    {
        var r = Get(new[] { "contoso.example", "football.example" }, "bad selector", "selector1");

        var error = Assert.Single(r.Errors);
        Assert.StartsWith("InvalidDkimSelector", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal("bad selector", error.TargetObject);
        Assert.Equal(new[] { "selector1", "selector1" }, r.Output.Select(o => o.Str("Selector")));
        Assert.Equal(new[] { "DkimKeyNotFound" }, Codes(r.Output[1]));
    }

    [Fact]
    public void Only_invalid_selectors_write_errors_and_probe_nothing()
    {
        f.Dns.ClearLog();

        var r = Get(new[] { "nokey.example" }, "selector1._domainkey.nokey.example");

        Assert.Empty(r.Output);
        var error = Assert.Single(r.Errors);
        Assert.StartsWith("InvalidDkimSelector", error.FullyQualifiedErrorId);
        Assert.Equal(0, f.Dns.CountQueries("google._domainkey.nokey.example"));
    }

    [Fact]
    public void Verbose_shows_the_dns_queries_and_the_key_found()
    {
        var r = f.Run("Get-DkimRecord", new Dictionary<string, object?> { ["Domain"] = "contoso.example", ["Selector"] = "s1", ["Verbose"] = true });

        r.ThrowIfFailed();
        Assert.Contains(r.Verbose, v => v.StartsWith("DNS TXT s1._domainkey.contoso.example", StringComparison.Ordinal));
        Assert.Contains(r.Verbose, v => v.StartsWith("DNS CNAME s1._domainkey.contoso.example", StringComparison.Ordinal));
        Assert.Contains(r.Verbose, v => v.Contains("key found (rsa, 2048 bits) via CNAME s1.domainkey.u123.wl.sendgrid.example", StringComparison.Ordinal));
    }

    [Fact]
    public void Findings_filter_by_severity_in_a_pipeline()
    {
        var r = f.Script("""
            Get-DkimRecord contoso.example -Server $dns | Where-Object { $_.Findings.Severity -contains 'Warning' } |
                ForEach-Object Selector
            """);

        r.ThrowIfFailed();
        Assert.Equal(new[] { "selector2" }, r.Output.Select(o => o.ToString()));
    }
}
