using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>Get-TlsRptRecord through real PowerShell and a real DNS server on loopback.</summary>
public sealed class TlsRptRecordTests : IClassFixture<MxFixture>
{
    private readonly MxFixture f;

    public TlsRptRecordTests(MxFixture fixture) => f = fixture;

    private PowerShellResult Get(params string[] domains)
        => f.Run("Get-TlsRptRecord", new Dictionary<string, object?> { ["Domain"] = domains });

    [Fact]
    public void A_valid_record_gives_its_report_uris()
    {
        var r = Get("contoso.example").Single();

        Assert.Equal(true, r.Prop("IsValid"));
        Assert.Equal(new[] { "mailto:tls-reports@contoso.example", "https://reports.contoso.example/tlsrpt" }, Assert.IsType<string[]>(r.Prop("ReportUri")));
        Assert.Empty(r.Items("Findings"));
    }

    [Fact]
    public void An_http_uri_is_a_TlsRptBadUri_error_finding()
    {
        var r = Get("fabrikam.example").Single();

        Assert.Equal(false, r.Prop("IsValid"));
        var finding = Assert.Single(r.Items("Findings"));
        Assert.Equal(("Error", "TlsRptBadUri"), (finding.Str("Severity"), finding.Str("Code")));
    }

    [Fact]
    public void No_record_is_a_TlsRptNoRecord_info_finding()
    {
        var r = Get("nomx.example").Single();

        Assert.Null(r.Prop("Record"));
        var finding = Assert.Single(r.Items("Findings"));
        Assert.Equal(("Info", "TlsRptNoRecord"), (finding.Str("Severity"), finding.Str("Code")));
    }

    [Fact]
    public void Csv_like_rows_come_back_in_input_order()
    {
        var r = f.Script("""
            @([pscustomobject]@{ Domain = 'slow.example' }, [pscustomobject]@{ Domain = 'contoso.example' }) |
                Get-TlsRptRecord -Server $dns
            """);

        r.ThrowIfFailed();
        Assert.Equal(new[] { "slow.example", "contoso.example" }, r.Output.Select(o => o.Str("Domain")));
    }

    [Fact]
    public void Invalid_domain_is_an_error_and_the_other_domains_still_run()
    {
        var r = Get("contoso.example", "not a domain", "fabrikam.example");

        Assert.Equal(2, r.Output.Count);
        var error = Assert.Single(r.Errors);
        Assert.StartsWith("InvalidDomainName", error.FullyQualifiedErrorId);
        Assert.Equal("not a domain", error.TargetObject);
    }
}
