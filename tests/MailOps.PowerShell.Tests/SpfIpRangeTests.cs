using System.Management.Automation;
using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>Get-SpfIpRange through real PowerShell and a real DNS server on loopback.</summary>
public sealed class SpfIpRangeTests : IClassFixture<SpfIpRangeFixture>
{
    private readonly SpfIpRangeFixture f;

    public SpfIpRangeTests(SpfIpRangeFixture fixture) => f = fixture;

    private IReadOnlyList<PSObject> Contoso()
    {
        var r = f.Run("contoso.example");
        r.ThrowIfFailed();
        return r.Output;
    }

    private static PSObject Network(IReadOnlyList<PSObject> rows, string cidr)
        => Assert.Single(rows, o => o.Str("Network") == cidr);

    [Fact]
    public void Own_ip4_network_is_a_pass_row_with_family_mechanism_and_source()
    {
        var row = Network(Contoso(), "198.51.100.0/24");

        Assert.Equal("contoso.example", row.Str("Domain"));
        Assert.Equal("IPv4", row.Str("AddressFamily"));
        Assert.Equal("Pass", row.Str("Qualifier"));
        Assert.Equal("ip4:198.51.100.0/24", row.Str("Mechanism"));
        Assert.Equal("contoso.example", row.Str("Source"));
        Assert.Equal(true, row.Prop("IsFlattenable"));
    }

    [Fact]
    public void Nested_include_networks_carry_the_include_chain()
    {
        var row = Network(Contoso(), "167.89.0.0/17");

        Assert.Equal("contoso.example > include:sendgrid.example > include:_spf2.sendgrid.example", row.Str("Source"));
        Assert.Equal(new[] { "contoso.example", "include:sendgrid.example", "include:_spf2.sendgrid.example" }, row.Items("SourceChain").Select(x => x.ToString()));
        Assert.Equal("Pass", row.Str("Qualifier"));
        Assert.Equal("IPv6", Network(Contoso(), "2001:db8:5::/48").Str("AddressFamily"));
    }

    [Fact]
    public void Fail_networks_inside_an_include_are_not_reported_as_authorized()
    {
        var networks = Contoso().Select(o => o.Str("Network")).ToArray();

        Assert.DoesNotContain("149.72.99.0/24", networks);
        Assert.DoesNotContain("167.89.200.0/24", networks);
        Assert.Contains("149.72.0.0/16", networks);
    }

    [Fact]
    public void Mx_with_a_prefix_length_resolves_to_the_masked_network_of_the_exchange()
    {
        var row = Network(Contoso(), "192.0.2.0/24");

        Assert.Equal("mx/24", row.Str("Mechanism"));
        Assert.Equal("mail.contoso.example", row.Str("HostName"));
        Assert.Equal(24, row.Prop("PrefixLength"));
    }

    [Fact]
    public void A_mechanism_lists_the_hosts_ipv4_and_ipv6_addresses()
    {
        var rows = Contoso();

        Assert.Equal("a:web.contoso.example", Network(rows, "203.0.113.10/32").Str("Mechanism"));
        Assert.Equal("IPv6", Network(rows, "2001:db8::10/128").Str("AddressFamily"));
        Assert.Equal("IPv6", Network(rows, "2001:db8:10::/48").Str("AddressFamily"));
    }

    [Fact]
    public void Exists_ptr_and_all_are_rows_without_network_with_a_code_and_reason()
    {
        var rows = Contoso().Where(o => Equals(o.Prop("IsFlattenable"), false)).ToList();

        Assert.Equal(new[] { "exists:%{i}._spf.contoso.example", "ptr", "~all" }, rows.Select(o => o.Str("Mechanism")));
        Assert.Equal(new[] { "SpfIpRangeExists", "SpfIpRangePtr", "SpfIpRangeAll" }, rows.Select(o => o.Str("Code")));
        Assert.All(rows, o => Assert.Null(o.Prop("Network")));
        Assert.All(rows, o => Assert.False(string.IsNullOrEmpty(o.Str("Reason"))));
    }

    [Fact]
    public void Networks_of_a_fail_include_are_listed_with_the_fail_qualifier()
    {
        var row = Network(Contoso(), "192.0.2.128/25");

        Assert.Equal("Fail", row.Str("Qualifier"));
        Assert.Equal("contoso.example > -include:blocked.example", row.Str("Source"));
    }

    [Fact]
    public void Rows_come_in_evaluation_order()
    {
        var networks = Contoso().Where(o => Equals(o.Prop("IsFlattenable"), true)).Select(o => o.Str("Network"));

        Assert.Equal(
            new[] { "198.51.100.0/24", "149.72.0.0/16", "167.89.0.0/17", "2001:db8:5::/48", "192.0.2.0/24", "203.0.113.10/32", "2001:db8::10/128", "2001:db8:10::/48", "192.0.2.128/25" },
            networks);
    }

    [Fact]
    public void Redirect_networks_count_as_the_records_own()
    {
        var r = f.Run("redirect.example");

        r.ThrowIfFailed();
        Assert.Equal(new[] { "10.1.0.0/16", "10.2.0.0/16" }, r.Output.Where(o => Equals(o.Prop("IsFlattenable"), true)).Select(o => o.Str("Network")));
        Assert.Equal("redirect.example > redirect=_spf.redirect.example", Network(r.Output, "10.2.0.0/16").Str("Source"));
    }

    [Fact]
    public void More_than_ten_lookups_stops_with_a_lookup_limit_row()
    {
        var r = f.Run("many.example");

        r.ThrowIfFailed();
        Assert.Equal(10, r.Output.Count(o => Equals(o.Prop("IsFlattenable"), true)));
        var last = r.Output[^1];
        Assert.Equal("SpfIpRangeLookupLimit", last.Str("Code"));
        Assert.Equal("include:p11.example", last.Str("Mechanism"));
    }

    [Fact]
    public void Domain_without_spf_is_a_SpfRecordNotFound_error_targeting_the_domain()
    {
        var r = f.Run("norecord.example");

        Assert.Empty(r.Output);
        var error = Assert.Single(r.Errors);
        Assert.StartsWith("SpfRecordNotFound", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("norecord.example", error.TargetObject);
    }

    [Fact]
    public void Servfail_on_the_domain_is_a_DnsQueryFailed_error()
    {
        var r = f.Run("servfail.example");

        var error = Assert.Single(r.Errors);
        Assert.StartsWith("DnsQueryFailed", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceUnavailable, error.CategoryInfo.Category);
    }

    [Fact]
    public void Invalid_domain_is_an_error_and_the_other_domains_still_run()
    {
        var r = f.Run("redirect.example", "bad..example", "slow.example");

        Assert.Equal(new[] { "redirect.example", "slow.example" }, r.Output.Select(o => o.Str("Domain")).Distinct());
        var error = Assert.Single(r.Errors);
        Assert.StartsWith("InvalidDomainName", error.FullyQualifiedErrorId);
        Assert.Equal("bad..example", error.TargetObject);
    }

    [Fact]
    public void Domains_come_back_in_input_order()
    {
        var r = f.Run("slow.example", "redirect.example");

        r.ThrowIfFailed();
        Assert.Equal(new[] { "slow.example", "slow.example", "redirect.example", "redirect.example", "redirect.example" }, r.Output.Select(o => o.Str("Domain")));
    }

    [Fact]
    public void Csv_like_rows_bind_Domain_and_pass_networks_filter_into_an_allowlist()
    {
        var r = f.Script("""
            @([pscustomobject]@{ Domain = 'contoso.example'; Owner = 'it' }, [pscustomobject]@{ Domain = 'redirect.example'; Owner = 'hr' }) |
                Get-SpfIpRange -Server $dns |
                Where-Object { $_.IsFlattenable -and $_.Qualifier -eq 'Pass' } |
                ForEach-Object { [pscustomobject]@{ Domain = $_.Domain; Network = $_.Network; Source = $_.Source } }
            """);

        r.ThrowIfFailed();
        var networks = r.Output.Select(o => o.Str("Network")).ToArray();
        Assert.Contains("149.72.0.0/16", networks);
        Assert.Contains("10.2.0.0/16", networks);
        Assert.DoesNotContain("192.0.2.128/25", networks);
        Assert.Equal("redirect.example", r.Output[^1].Str("Domain"));
    }

    [Fact]
    public void Verbose_shows_each_record_and_network_of_the_walk()
    {
        var r = f.Host.Invoke("Get-SpfIpRange", new Dictionary<string, object?> { ["Domain"] = new[] { "redirect.example" }, ["Server"] = new[] { f.Dns.Endpoint }, ["Verbose"] = true });

        r.ThrowIfFailed();
        Assert.Contains(r.Verbose, v => v.StartsWith("SPF ranges redirect.example: redirect.example > redirect=_spf.redirect.example: v=spf1 ip4:10.2.0.0/16 ~all", StringComparison.Ordinal));
        Assert.Contains(r.Verbose, v => v.Contains("'ip4:10.2.0.0/16' -> 10.2.0.0/16 (Pass)"));
    }
}
