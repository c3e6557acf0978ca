using System.Diagnostics;
using MailOps.Core.Dns;
using MailOps.TestSupport.Dns;
using Xunit;

namespace MailOps.Core.Tests.Dns;

/// <summary>The test server's own controls, which every other DNS test relies on.</summary>
public sealed class DnsTestServerTests
{
    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task Servers_listen_on_distinct_loopback_ports()
    {
        await using var first = await DnsTestServer.StartAsync();
        await using var second = await DnsTestServer.StartAsync();

        Assert.NotEqual(first.Port, second.Port);
        Assert.Equal($"127.0.0.1:{first.Port}", first.Endpoint);
    }

    [Fact]
    public async Task Query_log_records_name_type_and_transport()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddA("example.com", "192.0.2.1"));

        await TestResolvers.For(server).QueryAsync("Example.COM.", DnsRecordType.A, None);

        Assert.Equal(new DnsQueryLogEntry("example.com", "A", DnsTransport.Udp), Assert.Single(server.Queries));
        Assert.Equal(1, server.UdpQueryCount);
        Assert.Equal(0, server.TcpQueryCount);
    }

    [Fact]
    public async Task Clearing_the_log_resets_the_counters()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddA("example.com", "192.0.2.1"));
        await TestResolvers.For(server).QueryAsync("example.com", DnsRecordType.A, None);

        server.ClearLog();

        Assert.Equal(0, server.QueryCount);
        Assert.Empty(server.Queries);
    }

    [Fact]
    public async Task Zone_changes_are_seen_by_the_running_server()
    {
        var zone = new DnsZone();
        await using var server = await DnsTestServer.StartAsync(zone);
        var resolver = TestResolvers.For(server);
        var before = await resolver.QueryAsync("example.com", DnsRecordType.A, None);

        zone.AddA("example.com", "192.0.2.1");
        var after = await resolver.QueryAsync("example.com", DnsRecordType.A, None);

        Assert.Equal(DnsOutcome.NxDomain, before.Outcome);
        Assert.Equal(DnsOutcome.Success, after.Outcome);
    }

    [Fact]
    public async Task Zone_can_be_replaced_while_running()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone());

        server.Zone = new DnsZone().AddA("example.com", "192.0.2.1");
        var answer = await TestResolvers.For(server).QueryAsync("example.com", DnsRecordType.A, None);

        Assert.Equal(DnsOutcome.Success, answer.Outcome);
    }

    [Fact]
    public async Task Per_name_fault_applies_only_to_that_name_and_type()
    {
        var zone = new DnsZone().AddA("bad.example.com", "192.0.2.1").AddTxt("bad.example.com", "ok").AddA("good.example.com", "192.0.2.2");
        await using var server = await DnsTestServer.StartAsync(zone);
        server.SetFault("bad.example.com", "A", DnsFault.ServerFailure);
        var resolver = TestResolvers.For(server);

        Assert.Equal(DnsOutcome.ServerFailure, (await resolver.QueryAsync("bad.example.com", DnsRecordType.A, None)).Outcome);
        Assert.Equal(DnsOutcome.Success, (await resolver.QueryAsync("bad.example.com", DnsRecordType.TXT, None)).Outcome);
        Assert.Equal(DnsOutcome.Success, (await resolver.QueryAsync("good.example.com", DnsRecordType.A, None)).Outcome);
    }

    [Fact]
    public async Task Per_name_fault_without_type_applies_to_every_type()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddA("bad.example.com", "192.0.2.1"));
        server.SetFault("bad.example.com", null, DnsFault.Refused);
        var resolver = TestResolvers.For(server);

        Assert.Equal(DnsOutcome.Refused, (await resolver.QueryAsync("bad.example.com", DnsRecordType.A, None)).Outcome);
        Assert.Equal(DnsOutcome.Refused, (await resolver.QueryAsync("bad.example.com", DnsRecordType.MX, None)).Outcome);
    }

    [Fact]
    public async Task Per_name_fault_wins_over_the_global_fault()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddA("example.com", "192.0.2.1"));
        server.Fault = DnsFault.ServerFailure;
        server.SetFault("example.com", "A", DnsFault.Refused);

        var answer = await TestResolvers.For(server).QueryAsync("example.com", DnsRecordType.A, None);

        Assert.Equal(DnsOutcome.Refused, answer.Outcome);
    }

    [Fact]
    public async Task Clearing_faults_restores_normal_answers()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddA("example.com", "192.0.2.1"));
        server.Fault = DnsFault.ServerFailure;
        server.SetFault("example.com", "A", DnsFault.Refused);

        server.ClearFaults();
        var answer = await TestResolvers.For(server).QueryAsync("example.com", DnsRecordType.A, None);

        Assert.Equal(DnsOutcome.Success, answer.Outcome);
    }

    [Fact]
    public async Task Latency_delays_the_answer()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddA("example.com", "192.0.2.1"));
        server.Latency = TimeSpan.FromMilliseconds(100);
        var stopwatch = Stopwatch.StartNew();

        var answer = await TestResolvers.For(server).QueryAsync("example.com", DnsRecordType.A, None);

        Assert.Equal(DnsOutcome.Success, answer.Outcome);
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(90), $"answered after {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task Name_with_only_an_unlisted_types_fault_still_answers_its_records()
    {
        var zone = new DnsZone().AddTxt("example.com", "v=spf1 -all").SetUnlistedTypesFault("example.com", DnsFault.ServerFailure);
        await using var server = await DnsTestServer.StartAsync(zone);
        var resolver = TestResolvers.For(server);

        Assert.Equal(DnsOutcome.Success, (await resolver.QueryAsync("example.com", DnsRecordType.TXT, None)).Outcome);
        Assert.Equal(DnsOutcome.ServerFailure, (await resolver.QueryAsync("example.com", DnsRecordType.A, None)).Outcome);
    }

    [Fact]
    public async Task Dispose_does_not_wait_for_queries_held_by_a_timeout_fault()
    {
        var server = await DnsTestServer.StartAsync(new DnsZone().AddA("example.com", "192.0.2.1"));
        server.Fault = DnsFault.Timeout;
        var pending = TestResolvers.For(server, TimeSpan.FromSeconds(1)).QueryAsync("example.com", DnsRecordType.A, None);

        await server.DisposeAsync();

        Assert.NotEqual(DnsOutcome.Success, (await pending).Outcome);
    }

    [Fact]
    public void Txt_string_longer_than_255_octets_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => new DnsZone().AddTxt("example.com", new string('a', 256)));
    }
}
