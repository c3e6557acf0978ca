using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>Get-SpfRecord through real PowerShell and a real DNS server on loopback.</summary>
public sealed class GetSpfRecordTests : IClassFixture<SpfFixture>
{
    private readonly SpfFixture f;

    public GetSpfRecordTests(SpfFixture fixture) => f = fixture;

    private PowerShellResult Get(params string[] domains)
        => f.Run("Get-SpfRecord", new Dictionary<string, object?> { ["Domain"] = domains });

    private static string[] Codes(System.Management.Automation.PSObject record)
        => record.Items("Findings").Select(x => x.Str("Code")!).ToArray();

    [Fact]
    public void Published_record_comes_back_with_its_include_tree_and_lookup_count()
    {
        var r = Get("contoso.example").Single();

        Assert.Equal("v=spf1 ip4:198.51.100.0/24 include:sendgrid.example mx ~all", r.Str("Record"));
        Assert.Equal(true, r.Prop("IsValid"));
        Assert.Equal("~all", r.Str("All"));
        Assert.Equal(2, (int)r.Prop("DnsLookupCount")!);
        var include = Assert.Single(r.Items("Includes"));
        Assert.Equal("sendgrid.example", include.Str("Domain"));
        Assert.Equal("v=spf1 ip4:149.72.0.0/16 ~all", include.Str("Record"));
    }

    [Fact]
    public void Two_records_are_invalid_with_a_SpfMultipleRecords_finding()
    {
        var r = Get("twice.example").Single();

        Assert.Equal(false, r.Prop("IsValid"));
        Assert.Contains("SpfMultipleRecords", Codes(r));
    }

    [Fact]
    public void Domain_without_spf_has_null_record_and_a_SpfNoRecord_finding()
    {
        var r = Get("norecord.example").Single();

        Assert.Null(r.Prop("Record"));
        Assert.Contains("SpfNoRecord", Codes(r));
    }

    [Fact]
    public void Include_of_a_domain_without_record_is_reported()
    {
        var r = Get("dangling.example").Single();

        var all = r.Items("AllFindings").Select(x => x.Str("Code")).ToArray();
        Assert.Contains("SpfIncludeTargetNoRecord", all);
    }

    [Fact]
    public void More_than_ten_lookups_is_a_SpfTooManyLookups_error_finding()
    {
        var r = Get("many.example").Single();

        Assert.Equal(11, (int)r.Prop("DnsLookupCount")!);
        var finding = Assert.Single(r.Items("Findings"), x => x.Str("Code") == "SpfTooManyLookups");
        Assert.Equal("Error", finding.Str("Severity"));
    }

    [Fact]
    public void Several_domains_come_back_in_input_order()
    {
        var r = Get("slow.example", "contoso.example", "strict.example");

        r.ThrowIfFailed();
        Assert.Equal(new[] { "slow.example", "contoso.example", "strict.example" }, r.Output.Select(o => o.Str("Domain")));
    }

    [Fact]
    public void Csv_like_rows_bind_Domain_by_property_name()
    {
        var r = f.Script("""
            @([pscustomobject]@{ Domain = 'contoso.example'; Owner = 'it' }, [pscustomobject]@{ Domain = 'strict.example'; Owner = 'hr' }) |
                Get-SpfRecord -Server $dns
            """);

        r.ThrowIfFailed();
        Assert.Equal(new[] { "contoso.example", "strict.example" }, r.Output.Select(o => o.Str("Domain")));
    }

    [Fact]
    public void Invalid_domain_is_an_error_and_the_other_domains_still_run()
    {
        var r = Get("contoso.example", "bad..example", "strict.example");

        Assert.Equal(2, r.Output.Count);
        var error = Assert.Single(r.Errors);
        Assert.StartsWith("InvalidDomainName", error.FullyQualifiedErrorId);
        Assert.Equal("bad..example", error.TargetObject);
    }

    [Fact]
    public void Unicode_domain_is_looked_up_by_its_punycode_name()
    {
        var r = Get("bücher.example").Single();

        Assert.Equal("xn--bcher-kva.example", r.Str("Domain"));
        Assert.Contains("SpfNoRecord", Codes(r));
    }

    [Fact]
    public void Servfail_on_the_domain_is_reported_as_a_SpfDnsError_finding_so_audits_keep_the_row()
    {
        var r = Get("servfail.example").Single();

        Assert.Null(r.Prop("Record"));
        var finding = Assert.Single(r.Items("Findings"), x => x.Str("Code") == "SpfDnsError");
        Assert.Equal("Error", finding.Str("Severity"));
    }
}
