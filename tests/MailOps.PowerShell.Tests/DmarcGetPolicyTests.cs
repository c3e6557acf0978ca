using System.Management.Automation;
using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>Get-DmarcPolicy as a cmdlet: pipeline binding, order, errors, verbose, findings.</summary>
public sealed class DmarcGetPolicyTests : IClassFixture<DmarcFixture>
{
    private readonly DmarcFixture f;

    public DmarcGetPolicyTests(DmarcFixture fixture) => f = fixture;

    private PowerShellResult Get(params string[] domains)
        => f.Run("Get-DmarcPolicy", new Dictionary<string, object?> { ["Domain"] = domains });

    private static string[] Codes(PSObject policy) => policy.Items("Findings").Select(x => x.Str("Code")!).ToArray();

    [Fact]
    public void Output_is_a_typed_DmarcPolicy_with_flat_columns_for_csv()
    {
        var r = Get("contoso.example").Single();

        Assert.Equal("MailOps.Core.Dmarc.DmarcPolicy", r.BaseObject.GetType().FullName);
        Assert.Equal("contoso.example", r.Str("Domain"));
        Assert.Equal("v=DMARC1; p=quarantine; rua=mailto:dmarc@contoso.example", r.Str("Record"));
        Assert.Equal("mailto:dmarc@contoso.example", r.Str("Rua"));
        Assert.Equal(100, r.Prop("Percentage"));
        Assert.Equal("Relaxed", r.Str("DkimAlignment"));
        Assert.Equal("Relaxed", r.Str("SpfAlignment"));
        Assert.Equal("0", r.Str("FailureOptions"));
        Assert.Equal("TreeWalk", r.Str("DiscoveryMethod"));
    }

    [Fact]
    public void Several_domains_come_back_in_input_order()
    {
        var r = Get("slow.example", "contoso.example", "example.org");

        r.ThrowIfFailed();
        Assert.Equal(new[] { "slow.example", "contoso.example", "example.org" }, r.Output.Select(o => o.Str("Domain")));
    }

    [Fact]
    public void Csv_like_rows_bind_Domain_by_property_name()
    {
        var r = f.Script("""
            @([pscustomobject]@{ Domain = 'contoso.example'; Owner = 'it' }, [pscustomobject]@{ Domain = 'example.net'; Owner = 'hr' }) |
                Get-DmarcPolicy -Server $dns
            """);

        r.ThrowIfFailed();
        Assert.Equal(new[] { "contoso.example", "example.net" }, r.Output.Select(o => o.Str("Domain")));
        Assert.Equal(new[] { "Quarantine", "None" }, r.Output.Select(o => o.Str("EffectivePolicy")));
    }

    [Fact]
    public void Strings_pipe_into_Domain()
    {
        var r = f.Script("'contoso.example', 'yahoo.com' | Get-DmarcPolicy -Server $dns");

        r.ThrowIfFailed();
        Assert.Equal(new[] { "contoso.example", "yahoo.com" }, r.Output.Select(o => o.Str("Domain")));
    }

    [Fact]
    public void Invalid_names_are_errors_per_item_and_the_other_domains_still_run()
    {
        string rtlOverride = "\u202Eevil.example";

        var r = Get("contoso.example", "bad..example", rtlOverride, "com", "example.org");

        Assert.Equal(new[] { "contoso.example", "example.org" }, r.Output.Select(o => o.Str("Domain")));
        Assert.Equal(3, r.Errors.Count);
        Assert.All(r.Errors, e => Assert.StartsWith("InvalidDomainName", e.FullyQualifiedErrorId));
        Assert.All(r.Errors, e => Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category));
        Assert.Equal(new object[] { "bad..example", rtlOverride, "com" }, r.Errors.Select(e => e.TargetObject));
    }

    [Fact]
    public void Unicode_domain_is_looked_up_by_its_punycode_name()
    {
        f.Dns.ClearLog();

        var r = Get("bücher.example").Single();

        Assert.Equal("xn--bcher-kva.example", r.Str("Domain"));
        Assert.Equal(1, f.Dns.CountQueries("_dmarc.xn--bcher-kva.example", "TXT"));
        Assert.Contains("DmarcNoRecord", Codes(r));
    }

    [Fact]
    public void Servfail_is_a_DmarcDnsError_finding_so_audits_keep_the_row()
    {
        var r = Get("servfail.example").Single();

        Assert.Null(r.Prop("Record"));
        Assert.Null(r.Prop("EffectivePolicy"));
        var finding = Assert.Single(r.Items("Findings"));
        Assert.Equal("DmarcDnsError", finding.Str("Code"));
        Assert.Equal("Error", finding.Str("Severity"));
    }

    [Fact]
    public void Big_mailbox_provider_with_p_reject_warns_that_relayed_mail_will_be_rejected()
    {
        var r = Get("yahoo.com").Single();

        var finding = Assert.Single(r.Items("Findings"), x => x.Str("Code") == "DmarcRelayWillBeRejected");
        Assert.Equal("Error", finding.Str("Severity"));
        Assert.Contains("your own domain", finding.Str("Message"));
    }

    [Fact]
    public void ThirdParty_marks_any_enforcing_domain_as_not_yours()
    {
        var own = Get("contoso.example").Single();
        var theirs = f.Run("Get-DmarcPolicy", new Dictionary<string, object?> { ["Domain"] = "contoso.example", ["ThirdParty"] = true }).Single();

        Assert.DoesNotContain("DmarcRelayWillBeRejected", Codes(own));
        Assert.Contains("DmarcRelayWillBeRejected", Codes(theirs));
    }

    [Fact]
    public void Pct_below_100_is_a_finding_and_removed_tag_under_the_tree_walk()
    {
        var walk = Get("legacy.example").Single();
        var psl = f.Run("Get-DmarcPolicy", new Dictionary<string, object?> { ["Domain"] = "legacy.example", ["DiscoveryMethod"] = "PublicSuffixList" }).Single();

        Assert.Equal(50, walk.Prop("Percentage"));
        Assert.Contains("DmarcPercentageBelow100", Codes(walk));
        Assert.Contains("DmarcRemovedTag", Codes(walk));
        Assert.Contains("DmarcPercentageBelow100", Codes(psl));
        Assert.DoesNotContain("DmarcRemovedTag", Codes(psl));
    }

    [Fact]
    public void Verbose_shows_each_dns_query_and_each_discovery_step()
    {
        var r = f.Run("Get-DmarcPolicy", new Dictionary<string, object?> { ["Domain"] = "sub.example.net", ["Verbose"] = true });

        r.ThrowIfFailed();
        Assert.Contains(r.Verbose, v => v.StartsWith("DNS TXT _dmarc.sub.example.net", StringComparison.Ordinal));
        Assert.Contains(r.Verbose, v => v.StartsWith("DMARC sub.example.net: Organizational Domain: example.net", StringComparison.Ordinal));
        Assert.Contains(r.Verbose, v => v.Contains("sp applies: reject", StringComparison.Ordinal));
    }

    [Fact]
    public void Invalid_server_is_an_InvalidDnsServer_error()
    {
        var r = f.Host.Invoke("Get-DmarcPolicy", new Dictionary<string, object?> { ["Domain"] = "contoso.example", ["Server"] = "not a server:99999" });

        Assert.Empty(r.Output);
        var error = Assert.Single(r.Errors);
        Assert.StartsWith("InvalidDnsServer", error.FullyQualifiedErrorId);
    }

    [Fact]
    public void Get_DmarcPolicy_declares_its_output_type()
    {
        var r = f.Host.InvokeScript("(Get-Command Get-DmarcPolicy).OutputType.Name");

        r.ThrowIfFailed();
        Assert.Equal("MailOps.Core.Dmarc.DmarcPolicy", r.Output.Single().BaseObject);
    }
}
