using MailOps.Core.Dns;
using MailOps.Core.Spf;
using Xunit;

namespace MailOps.Core.Tests.SpfAnalysis;

/// <summary>How <see cref="SpfRecordAnalyzer"/> counts lookups (RFC 7208 section 4.6.4) and shapes the include tree.</summary>
public sealed class SpfAnalyzerLookupCountTests
{
    private const string Domain = "example.com";

    private static Task<SpfRecord> AnalyzeAsync(IDnsResolver dns)
        => new SpfRecordAnalyzer(dns).AnalyzeAsync(Domain, CancellationToken.None);

    /// <summary>The example of the specification: 1 + 3 (google's includes) + 1 + 1 (mx) + 1 (a) = 7.</summary>
    private static FakeDnsResolver GoogleAndSendgrid() => new FakeDnsResolver()
        .Txt(Domain, "v=spf1 include:_spf.google.com include:sendgrid.net mx a ~all")
        .Txt("_spf.google.com", "v=spf1 include:_netblocks.google.com include:_netblocks2.google.com include:_netblocks3.google.com ~all")
        .Txt("_netblocks.google.com", "v=spf1 ip4:35.190.247.0/24 ip4:64.233.160.0/19 ~all")
        .Txt("_netblocks2.google.com", "v=spf1 ip6:2001:4860:4000::/36 ~all")
        .Txt("_netblocks3.google.com", "v=spf1 ip4:172.217.0.0/19 ~all")
        .Txt("sendgrid.net", "v=spf1 ip4:167.89.0.0/17 ip4:208.117.48.0/20 ~all")
        .Mx(Domain, "mail.example.com")
        .Address(Domain, "192.0.2.10");

    [Fact]
    public async Task Nested_includes_mx_and_a_count_as_check_host_counts_them()
    {
        SpfRecord record = await AnalyzeAsync(GoogleAndSendgrid());

        Assert.Equal(7, record.DnsLookupCount);
        Assert.Empty(record.AllFindings);
    }

    [Fact]
    public async Task Each_record_counts_its_own_subtree()
    {
        SpfRecord record = await AnalyzeAsync(GoogleAndSendgrid());

        SpfRecord google = record.Includes[0];
        Assert.Equal("_spf.google.com", google.Domain);
        Assert.Equal(3, google.DnsLookupCount);
        Assert.Equal(0, record.Includes[1].DnsLookupCount);
        Assert.All(google.Includes, c => Assert.Equal(0, c.DnsLookupCount));
    }

    [Fact]
    public async Task Tree_is_in_record_order_with_depth_source_and_term()
    {
        SpfRecord record = await AnalyzeAsync(GoogleAndSendgrid());

        Assert.Equal(new[] { "_spf.google.com", "sendgrid.net" }, record.Includes.Select(c => c.Domain));
        Assert.Equal(
            new[] { "_netblocks.google.com", "_netblocks2.google.com", "_netblocks3.google.com" },
            record.Includes[0].Includes.Select(c => c.Domain));
        SpfRecord netblocks = record.Includes[0].Includes[0];
        Assert.Equal(2, netblocks.Depth);
        Assert.Equal(SpfRecordSource.Include, netblocks.Source);
        Assert.Equal("include:_netblocks.google.com", netblocks.Term);
        Assert.Equal(6, record.Descendants().Count());
    }

    [Fact]
    public async Task Redirect_counts_one_plus_its_target_and_comes_last_in_the_tree()
    {
        var dns = new FakeDnsResolver()
            .Txt(Domain, "v=spf1 redirect=_spf.example.net include:a.example.net")
            .Txt("a.example.net", "v=spf1 ip4:192.0.2.1 -all")
            .Txt("_spf.example.net", "v=spf1 include:b.example.net mx:example.net -all")
            .Txt("b.example.net", "v=spf1 ip4:192.0.2.2 -all")
            .Mx("example.net", "mx.example.net");

        SpfRecord record = await AnalyzeAsync(dns);

        Assert.Equal(1 + 1 + 2 + 0, record.DnsLookupCount);
        Assert.Equal("_spf.example.net", record.Redirect);
        Assert.Equal(new[] { SpfRecordSource.Include, SpfRecordSource.Redirect }, record.Includes.Select(c => c.Source));
        Assert.Equal("redirect=_spf.example.net", record.Includes[1].Term);
        Assert.Empty(record.AllFindings);
    }

    [Fact]
    public async Task Same_include_twice_is_counted_twice_but_fetched_once()
    {
        var dns = new FakeDnsResolver()
            .Txt(Domain, "v=spf1 include:a.example.net include:b.example.net -all")
            .Txt("a.example.net", "v=spf1 include:shared.example.net -all")
            .Txt("b.example.net", "v=spf1 include:shared.example.net -all")
            .Txt("shared.example.net", "v=spf1 a:host.example.net -all")
            .Address("host.example.net", "192.0.2.1");

        SpfRecord record = await AnalyzeAsync(dns);

        Assert.Equal(2 + 1 + 1 + 1 + 1, record.DnsLookupCount);
        Assert.Equal(1, dns.CountOf("shared.example.net", DnsRecordType.TXT));
        Assert.Equal(1, dns.CountOf("host.example.net", DnsRecordType.A));
    }

    [Fact]
    public async Task Ip4_ip6_and_all_cost_no_lookup()
    {
        var dns = new FakeDnsResolver().Txt(Domain, "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all");

        SpfRecord record = await AnalyzeAsync(dns);

        Assert.Equal(0, record.DnsLookupCount);
        Assert.Single(dns.Queries);
    }

    [Fact]
    public async Task Exists_and_ptr_each_cost_one_lookup()
    {
        var dns = new FakeDnsResolver().Txt(Domain, "v=spf1 exists:ok.example.com ptr -all").Address("ok.example.com", "127.0.0.2");

        SpfRecord record = await AnalyzeAsync(dns);

        Assert.Equal(2, record.DnsLookupCount);
    }

    [Fact]
    public async Task Void_lookups_below_an_include_add_up_at_the_root()
    {
        var dns = new FakeDnsResolver()
            .Txt(Domain, "v=spf1 include:a.example.net a:gone.example.com -all")
            .Txt("a.example.net", "v=spf1 a:gone.example.net include:nx.example.net -all");

        SpfRecord record = await AnalyzeAsync(dns);

        Assert.Equal(3, record.VoidLookupCount);
        Assert.Equal(2, record.Includes[0].VoidLookupCount);
        Assert.Contains(record.Findings, f => f.Code == SpfFindingCodes.SpfTooManyVoidLookups);
    }

    [Fact]
    public async Task Lookups_across_a_large_tree_reach_the_limit_through_nesting()
    {
        var dns = new FakeDnsResolver()
            .Txt(Domain, "v=spf1 include:a.example.net include:b.example.net -all")
            .Txt("a.example.net", "v=spf1 include:a1.example.net include:a2.example.net include:a3.example.net -all")
            .Txt("b.example.net", "v=spf1 include:b1.example.net include:b2.example.net include:b3.example.net include:b4.example.net -all");
        foreach (string leaf in new[] { "a1", "a2", "a3", "b1", "b2", "b3", "b4" })
        {
            dns.Txt(leaf + ".example.net", "v=spf1 exists:x.example.net -all");
        }

        dns.Address("x.example.net", "127.0.0.2");

        SpfRecord record = await AnalyzeAsync(dns);

        Assert.Equal(2 + 3 + 4 + 7, record.DnsLookupCount);
        Assert.Contains(record.Findings, f => f.Code == SpfFindingCodes.SpfTooManyLookups);
    }

    [Fact]
    public async Task Includes_of_one_record_are_fetched_concurrently()
    {
        var gate = new GateResolver(new FakeDnsResolver()
            .Txt(Domain, "v=spf1 include:a.example.net include:b.example.net -all")
            .Txt("a.example.net", "v=spf1 -all")
            .Txt("b.example.net", "v=spf1 -all"));

        SpfRecord record = await AnalyzeAsync(gate);

        Assert.Equal(2, gate.MaxInFlight);
        Assert.Equal(2, record.Includes.Length);
    }

    /// <summary>Holds include answers until two questions are in flight at once, proving concurrency.</summary>
    private sealed class GateResolver : IDnsResolver
    {
        private readonly IDnsResolver inner;
        private readonly TaskCompletionSource<bool> bothAsked = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int inFlight;
        private int maxInFlight;

        public GateResolver(IDnsResolver inner) => this.inner = inner;

        public int MaxInFlight => Volatile.Read(ref maxInFlight);

        public async Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken)
        {
            if (name == Domain)
            {
                return await inner.QueryAsync(name, type, cancellationToken);
            }

            int now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref maxInFlight, now);
            if (now >= 2)
            {
                bothAsked.TrySetResult(true);
            }

            // Without concurrency the first question would wait here until the timeout.
            await Task.WhenAny(bothAsked.Task, Task.Delay(TimeSpan.FromSeconds(5), cancellationToken));
            DnsAnswer answer = await inner.QueryAsync(name, type, cancellationToken);
            Interlocked.Decrement(ref inFlight);
            return answer;
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int current;
            while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
            {
            }
        }
    }
}
