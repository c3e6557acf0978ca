using System.Management.Automation;
using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>Get-MtaStsPolicy through real PowerShell, a real DNS server and a real HTTPS server on loopback port 443.</summary>
public sealed class MtaStsPolicyTests : IClassFixture<MtaStsFixture>
{
    private readonly MtaStsFixture f;

    public MtaStsPolicyTests(MtaStsFixture fixture) => f = fixture;

    private PSObject One(string domain, bool trustTestCa = true) => f.Get(new[] { domain }, trustTestCa).Single();

    private static PSObject Finding(PSObject policy, string code) => Assert.Single(policy.Items("Findings"), x => x.Str("Code") == code);

    [Fact]
    public void A_valid_enforce_policy_is_read_with_its_record_mode_patterns_and_coverage()
    {
        var p = One("contoso.example");

        Assert.Equal(true, p.Prop("IsValid"));
        Assert.Empty(p.Items("Findings"));
        Assert.Equal("20250101T000000", p.Str("RecordId"));
        Assert.Equal("https://mta-sts.contoso.example/.well-known/mta-sts.txt", p.Str("PolicyUrl"));
        Assert.Equal("Enforce", p.Str("Mode"));
        Assert.Equal(604800L, p.Prop("MaxAge"));
        Assert.Equal(new[] { "mx1.contoso.example", "*.backup.contoso.example" }, Assert.IsType<string[]>(p.Prop("MxPatterns")));
        Assert.Equal(MtaStsFixture.EnforcePolicy, p.Str("PolicyText"));
        Assert.Equal(
            new[] { ("mx1.contoso.example", "True", "mx1.contoso.example"), ("b.backup.contoso.example", "True", "*.backup.contoso.example") },
            p.Items("MxCoverage").Select(c => (c.Str("Exchange")!, c.Str("IsCovered")!, c.Str("Pattern")!)));
    }

    [Fact]
    public void The_policy_host_is_reached_on_port_443_of_the_address_our_dns_gave()
    {
        One("contoso.example");

        Assert.Equal(443, f.Https.Port);
        Assert.Contains(f.Https.Requests, r => r.ServerName == "mta-sts.contoso.example" && r.Host == "mta-sts.contoso.example" && r.Path == "/.well-known/mta-sts.txt");
    }

    [Fact]
    public void Testing_mode_is_an_info_finding_and_the_policy_is_valid()
    {
        var p = One("testing.example");

        Assert.Equal(true, p.Prop("IsValid"));
        Assert.Equal("Testing", p.Str("Mode"));
        Assert.Equal("Info", Finding(p, "MtaStsModeTesting").Str("Severity"));
    }

    [Fact]
    public void A_redirect_is_an_MtaStsRedirect_error_and_is_not_followed()
    {
        var p = One("redirect.example");

        Assert.Equal(false, p.Prop("IsValid"));
        var finding = Finding(p, "MtaStsRedirect");
        Assert.Equal(("Error", "https://www.redirect.example/.well-known/mta-sts.txt"), (finding.Str("Severity"), finding.Str("Term")));
        Assert.DoesNotContain(f.Https.Requests, r => r.Host == "www.redirect.example");
    }

    [Fact]
    public void A_policy_served_as_html_is_an_MtaStsWrongContentType_error()
    {
        var p = One("html.example");

        Assert.Equal(false, p.Prop("IsValid"));
        Assert.Equal("text/html; charset=utf-8", Finding(p, "MtaStsWrongContentType").Str("Term"));
    }

    [Fact]
    public void Max_age_over_a_year_is_an_MtaStsBadMaxAge_error()
    {
        var p = One("badage.example");

        Assert.Equal(false, p.Prop("IsValid"));
        Assert.Equal("Error", Finding(p, "MtaStsBadMaxAge").Str("Severity"));
    }

    [Fact]
    public void An_mx_not_covered_by_an_enforce_policy_is_an_MtaStsMxNotCovered_error()
    {
        var p = One("uncovered.example");

        var finding = Finding(p, "MtaStsMxNotCovered");
        Assert.Equal(("Error", "relay.elsewhere.example"), (finding.Str("Severity"), finding.Str("Term")));
        Assert.Equal(new[] { "True", "False" }, p.Items("MxCoverage").Select(c => c.Str("IsCovered")));
    }

    [Fact]
    public void No_txt_record_is_an_MtaStsNoRecord_info_finding_and_nothing_is_fetched()
    {
        var p = One("nosts.example");

        Assert.Equal(false, p.Prop("IsValid"));
        Assert.Null(p.Prop("Record"));
        Assert.Null(p.Prop("Mode"));
        Assert.Equal("Info", Finding(p, "MtaStsNoRecord").Str("Severity"));
        Assert.DoesNotContain(f.Https.Requests, r => r.Host == "mta-sts.nosts.example");
    }

    [Fact]
    public void Two_txt_records_are_an_MtaStsMultipleRecords_error()
    {
        var p = One("twice.example");

        Assert.Equal(false, p.Prop("IsValid"));
        Assert.Equal("Error", Finding(p, "MtaStsMultipleRecords").Str("Severity"));
    }

    [Fact]
    public void A_certificate_for_the_wrong_name_is_an_MtaStsCertificateInvalid_error()
    {
        var p = One("wrongname.example");

        Assert.Equal(false, p.Prop("IsValid"));
        var finding = Finding(p, "MtaStsCertificateInvalid");
        Assert.Equal("Error", finding.Str("Severity"));
        Assert.Contains("www.wrongname.example", finding.Str("Message"));
        Assert.Null(p.Prop("HttpStatusCode"));
    }

    [Fact]
    public void A_certificate_from_an_internal_ca_is_untrusted_without_TrustedRootCertificate()
    {
        var p = One("contoso.example", trustTestCa: false);

        Assert.Equal(false, p.Prop("IsValid"));
        Assert.Contains("-TrustedRootCertificate", Finding(p, "MtaStsCertificateInvalid").Str("Message"));
    }

    [Fact]
    public void TrustedRootCertificate_does_not_make_another_ca_trusted()
    {
        var p = One("rogue.example");

        Assert.Contains("Rogue Root", Finding(p, "MtaStsCertificateInvalid").Str("Message"));
    }

    [Fact]
    public void Verbose_shows_the_dns_questions_and_every_step_of_the_fetch()
    {
        var r = f.Get(new[] { "contoso.example" }, verbose: true);

        r.ThrowIfFailed();
        Assert.Contains(r.Verbose, v => v.StartsWith("DNS TXT _mta-sts.contoso.example", StringComparison.Ordinal));
        Assert.Contains(r.Verbose, v => v.StartsWith("MTA-STS: connecting to " + f.Https.Address + ":443", StringComparison.Ordinal));
        Assert.Contains(r.Verbose, v => v.StartsWith("MTA-STS: TLS", StringComparison.Ordinal));
        Assert.Contains(r.Verbose, v => v.StartsWith("MTA-STS: HTTP/1.1 200 OK", StringComparison.Ordinal));
    }

    [Fact]
    public void Csv_like_rows_come_back_in_input_order_with_an_error_for_an_invalid_domain()
    {
        var r = f.Script("""
            @([pscustomobject]@{ Domain = 'slow.example' }, [pscustomobject]@{ Domain = 'bad..example' }, [pscustomobject]@{ Domain = 'testing.example' }) |
                Get-MtaStsPolicy -Server $dns -TrustedRootCertificate $ca
            """);

        Assert.Equal(new[] { "slow.example", "testing.example" }, r.Output.Select(o => o.Str("Domain")));
        Assert.All(r.Output, o => Assert.Equal(true, o.Prop("IsValid")));
        var error = Assert.Single(r.Errors);
        Assert.StartsWith("InvalidDomainName", error.FullyQualifiedErrorId);
        Assert.Equal("bad..example", error.TargetObject);
    }
}
