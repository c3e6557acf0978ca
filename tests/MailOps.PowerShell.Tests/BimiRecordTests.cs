using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>Get-BimiRecord through real PowerShell and a real DNS server on loopback.</summary>
public sealed class BimiRecordTests : IClassFixture<MxFixture>
{
    private readonly MxFixture f;

    public BimiRecordTests(MxFixture fixture) => f = fixture;

    private PowerShellResult Get(string[] domains, string? selector = null)
    {
        var parameters = new Dictionary<string, object?> { ["Domain"] = domains };
        if (selector is not null)
        {
            parameters["Selector"] = selector;
        }

        return f.Run("Get-BimiRecord", parameters);
    }

    [Fact]
    public void The_default_selector_record_gives_logo_and_evidence_urls()
    {
        var r = Get(new[] { "contoso.example" }).Single();

        Assert.Equal(("default", "https://contoso.example/logo.svg", "https://contoso.example/vmc.pem"), (r.Str("Selector"), r.Str("LogoUrl"), r.Str("AuthorityUrl")));
        Assert.Equal(true, r.Prop("IsValid"));
        Assert.Empty(r.Items("Findings"));
    }

    [Fact]
    public void Selector_reads_another_record_which_lacks_evidence()
    {
        var r = Get(new[] { "contoso.example" }, "brand").Single();

        Assert.Equal("https://contoso.example/brand.svg", r.Str("LogoUrl"));
        var finding = Assert.Single(r.Items("Findings"));
        Assert.Equal(("Info", "BimiNoAuthority"), (finding.Str("Severity"), finding.Str("Code")));
    }

    [Fact]
    public void An_invalid_selector_stops_the_command_with_InvalidBimiSelector()
    {
        var r = Get(new[] { "contoso.example" }, "bad selector");

        Assert.Empty(r.Output);
        var terminating = Assert.IsAssignableFrom<System.Management.Automation.IContainsErrorRecord>(r.Terminating);
        Assert.StartsWith("InvalidBimiSelector", terminating.ErrorRecord.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, terminating.ErrorRecord.CategoryInfo.Category);
    }

    [Fact]
    public void An_empty_logo_is_a_BimiDeclined_finding()
    {
        var r = Get(new[] { "fabrikam.example" }).Single();

        Assert.Null(r.Prop("LogoUrl"));
        Assert.Equal("BimiDeclined", Assert.Single(r.Items("Findings")).Str("Code"));
    }

    [Fact]
    public void An_http_logo_is_a_BimiLogoNotHttps_error()
    {
        var r = Get(new[] { "slow.example" }).Single();

        Assert.Equal(false, r.Prop("IsValid"));
        Assert.Contains(r.Items("Findings"), x => x.Str("Code") == "BimiLogoNotHttps" && x.Str("Severity") == "Error");
    }

    [Fact]
    public void No_record_is_a_BimiNoRecord_info_finding()
    {
        var finding = Assert.Single(Get(new[] { "nomx.example" }).Single().Items("Findings"));

        Assert.Equal(("Info", "BimiNoRecord"), (finding.Str("Severity"), finding.Str("Code")));
    }

    [Fact]
    public void Csv_like_rows_come_back_in_input_order_and_an_invalid_domain_is_an_error()
    {
        var r = f.Script("""
            @([pscustomobject]@{ Domain = 'slow.example' }, [pscustomobject]@{ Domain = '-bad-.example' }, [pscustomobject]@{ Domain = 'contoso.example' }) |
                Get-BimiRecord -Server $dns -ErrorAction SilentlyContinue -ErrorVariable problems
            $problems | ForEach-Object { "error:" + $_.FullyQualifiedErrorId + ":" + $_.TargetObject }
            """);

        Assert.Equal(new[] { "slow.example", "contoso.example" }, r.Output.Take(2).Select(o => o.Str("Domain")));
        Assert.StartsWith("error:InvalidDomainName", r.Output[2].BaseObject as string);
        Assert.EndsWith(":-bad-.example", r.Output[2].BaseObject as string);
    }
}
