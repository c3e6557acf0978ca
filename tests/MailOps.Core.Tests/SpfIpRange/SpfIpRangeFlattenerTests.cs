using System.Net;
using MailOps.Core.Dns;
using MailOps.Core.Spf;
using MailOps.Core.Tests.SpfAnalysis;
using Xunit;

namespace MailOps.Core.Tests.SpfIpRange;

/// <summary>
/// Flattening SPF policies to networks with RFC 7208 semantics: what an include contributes,
/// redirects, a/mx with prefix lengths, terms that cannot be listed, and where receivers stop.
/// </summary>
public sealed class SpfIpRangeFlattenerTests
{
    private static async Task<SpfIpRangeResult> Flatten(FakeDnsResolver dns, string domain = "contoso.example")
        => await new SpfIpRangeFlattener(dns).FlattenAsync(domain, CancellationToken.None);

    private static string[] Networks(SpfIpRangeResult result)
        => result.Ranges.Where(r => r.IsFlattenable).Select(r => r.Network!).ToArray();

    private static Core.Spf.SpfIpRange Row(SpfIpRangeResult result, string network)
        => Assert.Single(result.Ranges, r => r.Network == network);

    [Fact]
    public async Task Ip4_and_ip6_terms_become_networks_with_host_bits_cleared()
    {
        var dns = new FakeDnsResolver().Txt("contoso.example", "v=spf1 ip4:192.0.2.77/24 ip4:198.51.100.5 ip6:2001:DB8:1:2::5/48 -all");

        var result = await Flatten(dns);

        Assert.Equal(SpfIpRangeStatus.Found, result.Status);
        Assert.Equal(new[] { "192.0.2.0/24", "198.51.100.5/32", "2001:db8:1::/48" }, Networks(result));
        var v6 = Row(result, "2001:db8:1::/48");
        Assert.Equal(SpfIpRangeAddressFamily.IPv6, v6.AddressFamily);
        Assert.Equal(48, v6.PrefixLength);
        Assert.Equal("ip6:2001:DB8:1:2::5/48", v6.Mechanism);
        Assert.Equal(SpfQualifier.Pass, v6.Qualifier);
        Assert.Equal("contoso.example", v6.Source);
    }

    [Fact]
    public async Task Qualifiers_of_the_domains_own_record_are_kept()
    {
        var dns = new FakeDnsResolver().Txt("contoso.example", "v=spf1 -ip4:192.0.2.1 ~ip4:192.0.2.2 ?ip4:192.0.2.3 +ip4:192.0.2.4 -all");

        var result = await Flatten(dns);

        Assert.Equal(
            new SpfQualifier?[] { SpfQualifier.Fail, SpfQualifier.SoftFail, SpfQualifier.Neutral, SpfQualifier.Pass },
            result.Ranges.Where(r => r.IsFlattenable).Select(r => r.Qualifier));
    }

    [Fact]
    public async Task Nested_include_networks_carry_the_include_chain()
    {
        var dns = new FakeDnsResolver()
            .Txt("contoso.example", "v=spf1 include:sendgrid.example -all")
            .Txt("sendgrid.example", "v=spf1 ip4:149.72.0.0/16 include:_spf2.sendgrid.example ~all")
            .Txt("_spf2.sendgrid.example", "v=spf1 ip4:167.89.0.0/17 -all");

        var result = await Flatten(dns);

        var nested = Row(result, "167.89.0.0/17");
        Assert.Equal("contoso.example > include:sendgrid.example > include:_spf2.sendgrid.example", nested.Source);
        Assert.Equal(new[] { "contoso.example", "include:sendgrid.example", "include:_spf2.sendgrid.example" }, nested.SourceChain);
        Assert.Equal("_spf2.sendgrid.example", nested.SourceDomain);
        Assert.Equal(SpfQualifier.Pass, nested.Qualifier);
        Assert.Equal(new[] { "149.72.0.0/16", "167.89.0.0/17" }, Networks(result));
    }

    [Fact]
    public async Task Non_pass_terms_inside_an_include_authorize_nothing_and_are_not_listed()
    {
        var dns = new FakeDnsResolver()
            .Txt("contoso.example", "v=spf1 include:provider.example -all")
            .Txt("provider.example", "v=spf1 -ip4:10.9.9.0/24 ~ip4:10.8.8.0/24 ?ip4:10.7.7.0/24 ip4:10.0.0.0/8 -include:other.example -all")
            .Txt("other.example", "v=spf1 ip4:172.16.0.0/12 -all");

        var result = await Flatten(dns);

        Assert.Equal(new[] { "10.0.0.0/8" }, Networks(result));
        Assert.DoesNotContain(result.Ranges, r => r.SourceDomain != "contoso.example" && !r.IsFlattenable);
        Assert.Equal("-all", result.Ranges[^1].Mechanism);
        Assert.Equal("contoso.example", result.Ranges[^1].SourceDomain);
    }

    [Fact]
    public async Task Networks_of_a_fail_include_at_the_top_level_are_listed_as_fail()
    {
        var dns = new FakeDnsResolver()
            .Txt("contoso.example", "v=spf1 -include:blocked.example ip4:192.0.2.0/24 -all")
            .Txt("blocked.example", "v=spf1 ip4:203.0.113.0/24 ~all");

        var result = await Flatten(dns);

        Assert.Equal(SpfQualifier.Fail, Row(result, "203.0.113.0/24").Qualifier);
        Assert.Equal(SpfQualifier.Pass, Row(result, "192.0.2.0/24").Qualifier);
    }

    [Fact]
    public async Task A_with_prefix_lengths_lists_the_masked_ipv4_and_ipv6_networks_of_the_host()
    {
        var dns = new FakeDnsResolver()
            .Txt("contoso.example", "v=spf1 a:web.contoso.example/24//64 -all")
            .Address("web.contoso.example", "203.0.113.10", "2001:db8:7:8::10");

        var result = await Flatten(dns);

        Assert.Equal(new[] { "203.0.113.0/24", "2001:db8:7:8::/64" }, Networks(result));
        var networks = result.Ranges.Where(r => r.IsFlattenable).ToList();
        Assert.All(networks, r => Assert.Equal("web.contoso.example", r.HostName));
        Assert.All(networks, r => Assert.Equal("a:web.contoso.example/24//64", r.Mechanism));
    }

    [Fact]
    public async Task Mx_lists_each_exchange_address_once_per_network()
    {
        var dns = new FakeDnsResolver()
            .Txt("contoso.example", "v=spf1 mx/24 -all")
            .Mx("contoso.example", "mx1.contoso.example", "mx2.contoso.example")
            .Address("mx1.contoso.example", "198.51.100.25")
            .Address("mx2.contoso.example", "198.51.100.26", "192.0.2.9");

        var result = await Flatten(dns);

        Assert.Equal(new[] { "198.51.100.0/24", "192.0.2.0/24" }, Networks(result));
        Assert.Equal("mx1.contoso.example", Row(result, "198.51.100.0/24").HostName);
    }

    [Fact]
    public async Task Exists_ptr_macros_and_all_are_rows_without_a_network()
    {
        var dns = new FakeDnsResolver()
            .Txt("contoso.example", "v=spf1 exists:%{i}._spf.contoso.example ptr a:%{d}.hosts.example include:%{l}.users.example ~all");

        var result = await Flatten(dns);

        Assert.All(result.Ranges, r => Assert.False(r.IsFlattenable));
        Assert.All(result.Ranges, r => Assert.Null(r.Network));
        Assert.Equal(
            new[] { SpfIpRangeFindingCodes.SpfIpRangeExists, SpfIpRangeFindingCodes.SpfIpRangePtr, SpfIpRangeFindingCodes.SpfIpRangeMacro, SpfIpRangeFindingCodes.SpfIpRangeMacro, SpfIpRangeFindingCodes.SpfIpRangeAll },
            result.Ranges.Select(r => r.Code));
        Assert.Equal(SpfQualifier.SoftFail, result.Ranges[^1].Qualifier);
        Assert.All(result.Ranges, r => Assert.False(string.IsNullOrEmpty(r.Reason)));
    }

    [Fact]
    public async Task Pass_all_inside_an_include_is_reported_as_authorizing_everything()
    {
        var dns = new FakeDnsResolver()
            .Txt("contoso.example", "v=spf1 include:open.example -all")
            .Txt("open.example", "v=spf1 +all");

        var result = await Flatten(dns);

        var all = result.Ranges[0];
        Assert.Equal(SpfIpRangeFindingCodes.SpfIpRangeAll, all.Code);
        Assert.Equal(FindingSeverity.Error, all.Finding!.Severity);
        Assert.Equal(SpfQualifier.Pass, all.Qualifier);
    }

    [Fact]
    public async Task Redirect_networks_count_as_the_records_own()
    {
        var dns = new FakeDnsResolver()
            .Txt("contoso.example", "v=spf1 ip4:10.1.0.0/16 redirect=_spf.contoso.example")
            .Txt("_spf.contoso.example", "v=spf1 ip4:10.2.0.0/16 ~ip4:10.3.0.0/16 -all");

        var result = await Flatten(dns);

        Assert.Equal(new[] { "10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16" }, Networks(result));
        Assert.Equal(SpfQualifier.SoftFail, Row(result, "10.3.0.0/16").Qualifier);
        Assert.Equal("contoso.example > redirect=_spf.contoso.example", Row(result, "10.2.0.0/16").Source);
    }

    [Fact]
    public async Task Redirect_next_to_all_and_terms_after_all_are_never_reached()
    {
        var dns = new FakeDnsResolver()
            .Txt("contoso.example", "v=spf1 ip4:10.1.0.0/16 -all ip4:10.9.0.0/16 redirect=_spf.contoso.example")
            .Txt("_spf.contoso.example", "v=spf1 ip4:10.2.0.0/16 -all");

        var result = await Flatten(dns);

        Assert.Equal(new[] { "10.1.0.0/16" }, Networks(result));
        Assert.Equal(0, dns.CountOf("_spf.contoso.example", DnsRecordType.TXT));
    }

    [Fact]
    public async Task Eleventh_lookup_stops_the_walk_with_a_lookup_limit_row()
    {
        var dns = new FakeDnsResolver()
            .Txt("contoso.example", "v=spf1 " + string.Join(" ", Enumerable.Range(1, 11).Select(i => $"include:p{i}.example")) + " ip4:192.0.2.0/24 -all");
        for (int i = 1; i <= 11; i++)
        {
            dns.Txt($"p{i}.example", $"v=spf1 ip4:10.0.{i}.0/24 -all");
        }

        var result = await Flatten(dns);

        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"10.0.{i}.0/24"), Networks(result));
        var last = result.Ranges[^1];
        Assert.Equal(SpfIpRangeFindingCodes.SpfIpRangeLookupLimit, last.Code);
        Assert.Equal("include:p11.example", last.Mechanism);
        Assert.Null(last.Qualifier);
        Assert.Equal(0, dns.CountOf("p11.example", DnsRecordType.TXT));
    }

    [Fact]
    public async Task Include_of_a_domain_without_record_stops_the_walk_with_a_permerror_row()
    {
        var dns = new FakeDnsResolver()
            .Txt("contoso.example", "v=spf1 ip4:192.0.2.0/24 include:gone.example ip4:198.51.100.0/24 -all");

        var result = await Flatten(dns);

        Assert.Equal(new[] { "192.0.2.0/24" }, Networks(result));
        var stop = result.Ranges[^1];
        Assert.Equal(SpfIpRangeFindingCodes.SpfIpRangePermError, stop.Code);
        Assert.Equal("include:gone.example", stop.Mechanism);
    }

    [Fact]
    public async Task Include_loop_is_a_permerror_row()
    {
        var dns = new FakeDnsResolver()
            .Txt("contoso.example", "v=spf1 include:a.example -all")
            .Txt("a.example", "v=spf1 ip4:10.0.0.0/8 include:contoso.example -all");

        var result = await Flatten(dns);

        Assert.Equal(new[] { "10.0.0.0/8" }, Networks(result));
        Assert.Equal(SpfIpRangeFindingCodes.SpfIpRangePermError, result.Ranges[^1].Code);
        Assert.Contains("leads back", result.Ranges[^1].Reason);
    }

    [Fact]
    public async Task Record_with_a_syntax_error_authorizes_nothing()
    {
        var dns = new FakeDnsResolver().Txt("contoso.example", "v=spf1 ip4:192.0.2.0/24 ip4:300.1.1.1 -all");

        var result = await Flatten(dns);

        var row = Assert.Single(result.Ranges);
        Assert.Equal(SpfIpRangeFindingCodes.SpfIpRangePermError, row.Code);
        Assert.Equal("ip4:300.1.1.1", row.Mechanism);
    }

    [Fact]
    public async Task Void_a_lookup_is_reported_and_the_third_stops_the_walk()
    {
        var dns = new FakeDnsResolver()
            .Txt("contoso.example", "v=spf1 a:v1.example a:v2.example a:v3.example ip4:192.0.2.0/24 -all");

        var result = await Flatten(dns);

        Assert.Equal(
            new[] { SpfIpRangeFindingCodes.SpfIpRangeVoidLookup, SpfIpRangeFindingCodes.SpfIpRangeVoidLookup, SpfIpRangeFindingCodes.SpfIpRangeVoidLookupLimit },
            result.Ranges.Select(r => r.Code));
        Assert.Empty(Networks(result));
    }

    [Fact]
    public async Task Dns_failure_on_a_term_is_a_row_and_the_walk_goes_on()
    {
        var dns = new FakeDnsResolver()
            .Txt("contoso.example", "v=spf1 a:broken.example ip4:192.0.2.0/24 -all")
            .Fail("broken.example", DnsRecordType.A, DnsOutcome.ServerFailure)
            .Fail("broken.example", DnsRecordType.AAAA, DnsOutcome.ServerFailure);

        var result = await Flatten(dns);

        Assert.Equal(SpfIpRangeFindingCodes.SpfIpRangeDnsError, result.Ranges[0].Code);
        Assert.Equal(new[] { "192.0.2.0/24" }, Networks(result));
    }

    [Fact]
    public async Task Domain_without_spf_record_has_status_no_record_and_no_rows()
    {
        var dns = new FakeDnsResolver().Txt("contoso.example", "google-site-verification=abc");

        var result = await Flatten(dns);

        Assert.Equal(SpfIpRangeStatus.NoRecord, result.Status);
        Assert.Empty(result.Ranges);
        Assert.Contains("no SPF record", result.FailureMessage);
    }

    [Fact]
    public async Task Failed_txt_lookup_of_the_domain_has_status_dns_failure()
    {
        var dns = new FakeDnsResolver().Fail("contoso.example", DnsRecordType.TXT, DnsOutcome.Timeout);

        var result = await Flatten(dns);

        Assert.Equal(SpfIpRangeStatus.DnsFailure, result.Status);
        Assert.Equal(DnsOutcome.Timeout, result.FailureOutcome);
    }

    [Fact]
    public async Task Invalid_domain_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Flatten(new FakeDnsResolver(), "bad..example"));
    }

    [Theory]
    [InlineData("192.0.2.77", 24, "192.0.2.0/24")]
    [InlineData("192.0.2.77", 32, "192.0.2.77/32")]
    [InlineData("192.0.2.77", 0, "0.0.0.0/0")]
    [InlineData("10.255.255.255", 9, "10.128.0.0/9")]
    [InlineData("2001:db8:abcd:12::1", 52, "2001:db8:abcd::/52")]
    [InlineData("2001:db8::1", 128, "2001:db8::1/128")]
    public void Cidr_clears_the_host_bits(string address, int prefix, string expected)
    {
        Assert.Equal(expected, SpfIpRangeFlattener.ToCidr(IPAddress.Parse(address), prefix));
    }
}
