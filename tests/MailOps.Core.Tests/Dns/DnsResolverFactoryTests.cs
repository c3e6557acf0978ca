using MailOps.Core.Dns;
using MailOps.TestSupport.Dns;
using Xunit;

namespace MailOps.Core.Tests.Dns;

/// <summary>The resolver cmdlets get: parsed servers, caching, the observer.</summary>
public sealed class DnsResolverFactoryTests
{
    [Fact]
    public async Task Created_resolver_queries_the_given_server_and_caches()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddTxt("example.com", "v=spf1 -all"));
        var resolver = DnsResolverFactory.Create(new DnsResolverOptions { Servers = { server.Endpoint } });

        await resolver.QueryAsync("example.com", DnsRecordType.TXT, CancellationToken.None);
        var answer = await resolver.QueryAsync("example.com", DnsRecordType.TXT, CancellationToken.None);

        Assert.Equal(DnsOutcome.Success, answer.Outcome);
        Assert.Equal(1, server.QueryCount);
    }

    [Fact]
    public async Task Host_name_servers_are_resolved_when_the_resolver_is_created()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddA("example.com", "192.0.2.1"));
        var resolver = await DnsResolverFactory.CreateAsync(new DnsResolverOptions { Servers = { "localhost:" + server.Port }, Timeout = TimeSpan.FromSeconds(1) });

        var answer = await resolver.QueryAsync("example.com", DnsRecordType.A, CancellationToken.None);

        // localhost may also resolve to ::1, where nothing listens; failover reaches 127.0.0.1.
        Assert.Equal(DnsOutcome.Success, answer.Outcome);
    }

    [Fact]
    public async Task Observer_is_told_about_every_query()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddA("example.com", "192.0.2.1"));
        var observer = new CountingObserver();
        var resolver = DnsResolverFactory.Create(new DnsResolverOptions { Servers = { server.Endpoint } }, observer);

        await resolver.QueryAsync("example.com", DnsRecordType.A, CancellationToken.None);
        await resolver.QueryAsync("missing.example.com", DnsRecordType.A, CancellationToken.None);

        Assert.Equal(2, observer.Count);
    }

    [Fact]
    public void Invalid_server_string_throws_FormatException_naming_it()
    {
        var error = Assert.Throws<FormatException>(() => DnsResolverFactory.Create(new DnsResolverOptions { Servers = { "a b" } }));

        Assert.Contains("'a b'", error.Message);
    }

    [Fact]
    public void Non_positive_timeout_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(
            () => DnsResolverFactory.Create(new DnsResolverOptions { Servers = { "127.0.0.1" }, Timeout = TimeSpan.Zero }));
    }

    [Fact]
    public void Options_have_documented_defaults()
    {
        var options = new DnsResolverOptions();

        Assert.Empty(options.Servers);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Timeout);
        Assert.Equal(1, options.Retries);
        Assert.True(options.UseTcpFallback);
    }

    private sealed class CountingObserver : IDnsQueryObserver
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void OnQuery(DnsAnswer answer, TimeSpan elapsed, bool fromCache) => Interlocked.Increment(ref _count);
    }
}
