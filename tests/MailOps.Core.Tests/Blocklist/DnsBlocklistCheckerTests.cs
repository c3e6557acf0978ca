using System.Net;
using MailOps.Core.Blocklist;
using MailOps.Core.Dns;
using MailOps.Core.Tests.Dns;
using MailOps.TestSupport.Dns;
using Xunit;

namespace MailOps.Core.Tests.Blocklist;

/// <summary>
/// The checker against the wire-protocol test server: how answers are read, the RFC 5782
/// section 5 self-test (with the entries of dnsbl-vectors.yml), and result order.
/// </summary>
public sealed class DnsBlocklistCheckerTests
{
    private static CancellationToken None => CancellationToken.None;

    private static DnsBlocklist Zen => DnsBlocklistCatalog.BuiltIn.Find("zen.spamhaus.org")!;

    /// <summary>A healthy list: the vectors' listed entries listed, the others absent.</summary>
    private static DnsZone HealthyList(string zone)
    {
        var dns = new DnsZone();
        foreach (var entry in DnsblVectors.Section("ipv4").Where(e => e["expect"] == "listed"))
        {
            dns.AddA(entry["query_name"].Replace("<zone>", zone), "127.0.0.2");
        }

        foreach (var entry in DnsblVectors.Section("ipv6").Where(e => e["expect"] == "listed"))
        {
            dns.AddA(DnsBlocklistQueryName.ForIPv6Nibbles(IPAddress.Parse(entry["query_ip"]), zone), "127.0.0.2");
        }

        foreach (var entry in DnsblVectors.Section("domain_lists").Where(e => e["expect"] == "listed"))
        {
            dns.AddA(entry["query_name"].Replace("<zone>", zone), "127.0.0.2");
        }

        return dns;
    }

    private static DnsAnswer Answer(params string[] addresses)
        => new("x.bl.example", DnsRecordType.A, DnsOutcome.Success, addresses.Select(a => (DnsRecord)new DnsAddressRecord("x.bl.example", DnsRecordType.A, 300, IPAddress.Parse(a))).ToArray(), "test");

    [Fact]
    public void Nxdomain_reads_as_not_listed()
    {
        var reading = DnsBlocklistChecker.Read(Zen, DnsAnswer.Empty("x", DnsRecordType.A, DnsOutcome.NxDomain, "test"));

        Assert.Equal(DnsBlocklistStatus.NotListed, reading.Status);
        Assert.Null(reading.Error);
    }

    [Fact]
    public void Answer_in_127_slash_8_reads_as_listed_with_the_catalogue_meaning()
    {
        var reading = DnsBlocklistChecker.Read(Zen, Answer("127.0.0.2", "127.0.0.4"));

        Assert.Equal(DnsBlocklistStatus.Listed, reading.Status);
        Assert.Equal(new[] { "127.0.0.2", "127.0.0.4" }, reading.Codes);
        Assert.StartsWith("SBL", reading.Meaning);
        Assert.Contains("; XBL", reading.Meaning);
    }

    [Theory]
    [InlineData("127.255.255.252", "typing error")]
    [InlineData("127.255.255.254", "public")]
    [InlineData("127.255.255.255", "excessive")]
    public void Spamhaus_error_codes_read_as_errors_never_as_listings(string code, string words)
    {
        var reading = DnsBlocklistChecker.Read(Zen, Answer(code));

        Assert.Equal(DnsBlocklistStatus.Error, reading.Status);
        Assert.Contains(words, reading.Error);
    }

    [Fact]
    public void Any_127_255_255_answer_is_an_error_even_on_a_custom_list()
    {
        var reading = DnsBlocklistChecker.Read(DnsBlocklist.Custom("bl.example"), Answer("127.255.255.1"));

        Assert.Equal(DnsBlocklistStatus.Error, reading.Status);
    }

    [Fact]
    public void Answer_outside_127_slash_8_is_an_error()
    {
        var reading = DnsBlocklistChecker.Read(DnsBlocklist.Custom("bl.example"), Answer("198.51.100.7"));

        Assert.Equal(DnsBlocklistStatus.Error, reading.Status);
        Assert.Contains("outside 127.0.0.0/8", reading.Error);
    }

    [Fact]
    public void Uribl_refusal_code_127_0_0_1_is_an_error()
    {
        var reading = DnsBlocklistChecker.Read(DnsBlocklistCatalog.BuiltIn.Find("multi.uribl.com")!, Answer("127.0.0.1"));

        Assert.Equal(DnsBlocklistStatus.Error, reading.Status);
        Assert.Contains("refused", reading.Error);
    }

    [Fact]
    public void Servfail_reads_as_an_error()
    {
        var reading = DnsBlocklistChecker.Read(Zen, DnsAnswer.Empty("x", DnsRecordType.A, DnsOutcome.ServerFailure, "test"));

        Assert.Equal(DnsBlocklistStatus.Error, reading.Status);
        Assert.Contains("ServerFailure", reading.Error);
    }

    [Fact]
    public async Task List_that_follows_the_rfc_5782_test_entries_passes_its_self_test()
    {
        await using var server = await DnsTestServer.StartAsync(HealthyList("bl.example"));
        var checker = new DnsBlocklistChecker(TestResolvers.For(server));

        var v4 = await checker.SelfTestAsync(DnsBlocklist.Custom("bl.example"), DnsBlocklistTestScope.IPv4, None);
        var v6 = await checker.SelfTestAsync(DnsBlocklist.Custom("bl.example"), DnsBlocklistTestScope.IPv6, None);
        var domain = await checker.SelfTestAsync(DnsBlocklist.Custom("bl.example"), DnsBlocklistTestScope.Domain, None);

        Assert.True(v4.Passed, v4.Message);
        Assert.True(v6.Passed, v6.Message);
        Assert.True(domain.Passed, domain.Message);
        Assert.Equal(1, server.CountQueries("2.0.0.127.bl.example", "A"));
        Assert.Equal(1, server.CountQueries("1.0.0.127.bl.example", "A"));
        Assert.Equal(1, server.CountQueries("test.bl.example", "A"));
        Assert.Equal(1, server.CountQueries("invalid.bl.example", "A"));
    }

    [Fact]
    public async Task Dead_list_fails_its_self_test_because_the_listed_entry_is_missing()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone());
        var checker = new DnsBlocklistChecker(TestResolvers.For(server));

        var test = await checker.SelfTestAsync(DnsBlocklist.Custom("dead.example"), DnsBlocklistTestScope.IPv4, None);

        Assert.False(test.Passed);
        Assert.Contains("127.0.0.2 must be listed", test.Message);
    }

    [Fact]
    public async Task Wildcarding_list_fails_its_self_test_because_the_unlisted_entry_is_listed()
    {
        var zone = HealthyList("wild.example").AddA("1.0.0.127.wild.example", "127.0.0.2");
        await using var server = await DnsTestServer.StartAsync(zone);
        var checker = new DnsBlocklistChecker(TestResolvers.For(server));

        var test = await checker.SelfTestAsync(DnsBlocklist.Custom("wild.example"), DnsBlocklistTestScope.IPv4, None);

        Assert.False(test.Passed);
        Assert.Contains("127.0.0.1 must not be listed", test.Message);
    }

    [Fact]
    public async Task List_answering_its_test_entry_with_a_refusal_code_fails_its_self_test()
    {
        var zone = new DnsZone().AddA("2.0.0.127.zen.spamhaus.org", "127.255.255.254");
        await using var server = await DnsTestServer.StartAsync(zone);
        var checker = new DnsBlocklistChecker(TestResolvers.For(server));

        var test = await checker.SelfTestAsync(Zen, DnsBlocklistTestScope.IPv4, None);

        Assert.False(test.Passed);
        Assert.Contains("public", test.Message);
    }

    [Fact]
    public async Task Domain_list_self_test_uses_the_test_entry_the_catalogue_documents()
    {
        DnsBlocklist dbl = DnsBlocklistCatalog.BuiltIn.Find("dbl.spamhaus.org")!;
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddA("dbltest.com.dbl.spamhaus.org", "127.0.1.2"));
        var checker = new DnsBlocklistChecker(TestResolvers.For(server));

        var test = await checker.SelfTestAsync(dbl, DnsBlocklistTestScope.Domain, None);

        Assert.True(test.Passed, test.Message);
        Assert.Equal(1, server.CountQueries("invalid.dbl.spamhaus.org", "A"));
    }

    [Fact]
    public async Task Self_test_runs_once_per_list_for_many_targets()
    {
        var zone = HealthyList("bl.example");
        await using var server = await DnsTestServer.StartAsync(zone);
        var checker = new DnsBlocklistChecker(TestResolvers.For(server));
        var lists = new[] { DnsBlocklist.Custom("bl.example") };

        await Task.WhenAll(Enumerable.Range(1, 8).Select(i => checker.CheckAddressAsync(IPAddress.Parse($"192.0.2.{i}"), lists, None)));

        Assert.Equal(1, server.CountQueries("2.0.0.127.bl.example", "A"));
    }

    [Fact]
    public async Task Listed_address_comes_with_its_txt_reason()
    {
        var zone = HealthyList("bl.example")
            .AddA("99.2.0.192.bl.example", "127.0.0.2")
            .AddTxt("99.2.0.192.bl.example", "Listed for spam, see https://bl.example/lookup?ip=192.0.2.99");
        await using var server = await DnsTestServer.StartAsync(zone);
        var checker = new DnsBlocklistChecker(TestResolvers.For(server));

        var row = Assert.Single(await checker.CheckAddressAsync(IPAddress.Parse("192.0.2.99"), new[] { DnsBlocklist.Custom("bl.example") }, None));

        Assert.True(row.IsListed);
        Assert.Equal("127.0.0.2", row.ReturnCode);
        Assert.Equal("Listed for spam, see https://bl.example/lookup?ip=192.0.2.99", row.Reason);
        Assert.Equal("99.2.0.192.bl.example", row.QueryName);
    }

    [Fact]
    public async Task Targets_on_a_list_that_failed_its_self_test_get_errors_and_are_not_queried()
    {
        var zone = new DnsZone().AddA("99.2.0.192.dead.example", "127.0.0.2");
        await using var server = await DnsTestServer.StartAsync(zone);
        var checker = new DnsBlocklistChecker(TestResolvers.For(server));

        var row = Assert.Single(await checker.CheckAddressAsync(IPAddress.Parse("192.0.2.99"), new[] { DnsBlocklist.Custom("dead.example") }, None));

        Assert.False(row.IsListed);
        Assert.Equal(DnsBlocklistStatus.Error, row.Status);
        Assert.StartsWith("self-test failed: ", row.Error);
        Assert.Equal(0, server.CountQueries("99.2.0.192.dead.example"));
    }

    [Fact]
    public async Task Address_is_never_asked_of_a_domain_list_and_rows_keep_list_order()
    {
        var zone = HealthyList("b.example").AddA("test.dbl.spamhaus.org", "127.0.1.2");
        zone.AddA("2.0.0.127.a.example", "127.0.0.2");
        await using var server = await DnsTestServer.StartAsync(zone);
        server.SetLatency("2.0.0.127.a.example", null, TimeSpan.FromMilliseconds(150));
        var checker = new DnsBlocklistChecker(TestResolvers.For(server));
        var lists = new[] { DnsBlocklist.Custom("a.example"), DnsBlocklistCatalog.BuiltIn.Find("dbl.spamhaus.org")!, DnsBlocklist.Custom("b.example") };

        var rows = await checker.CheckAddressAsync(IPAddress.Parse("192.0.2.1"), lists, None);

        Assert.Equal(new[] { "a.example", "b.example" }, rows.Select(r => r.Blocklist));
        Assert.Equal(0, server.CountQueries("1.2.0.192.dbl.spamhaus.org"));
        Assert.All(rows, r => Assert.Equal(DnsBlocklistStatus.NotListed, r.Status));
    }

    [Fact]
    public async Task Ipv6_address_on_an_ipv4_only_catalogue_list_is_not_applicable_and_not_queried()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone());
        var checker = new DnsBlocklistChecker(TestResolvers.For(server));

        var row = Assert.Single(await checker.CheckAddressAsync(IPAddress.Parse("2001:db8::1"), new[] { DnsBlocklistCatalog.BuiltIn.Find("bl.spamcop.net")! }, None));

        Assert.Equal(DnsBlocklistStatus.NotApplicable, row.Status);
        Assert.Null(row.Error);
        Assert.Equal(0, server.QueryCount);
    }
}
