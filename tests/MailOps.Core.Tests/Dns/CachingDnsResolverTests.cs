using System.Collections.Concurrent;
using MailOps.Core.Dns;
using MailOps.TestSupport.Dns;
using Xunit;

namespace MailOps.Core.Tests.Dns;

/// <summary>The per-invocation cache: one query per question, shared in-flight queries, per-server keys.</summary>
public sealed class CachingDnsResolverTests
{
    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task Second_identical_question_is_answered_from_the_cache()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddTxt("example.com", "v=spf1 -all"));
        var resolver = new CachingDnsResolver(TestResolvers.For(server));

        var first = await resolver.QueryAsync("example.com", DnsRecordType.TXT, None);
        var second = await resolver.QueryAsync("example.com", DnsRecordType.TXT, None);

        Assert.Same(first, second);
        Assert.Equal(1, server.QueryCount);
    }

    [Fact]
    public async Task Cache_key_ignores_case_and_trailing_dot()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddTxt("example.com", "v=spf1 -all"));
        var resolver = new CachingDnsResolver(TestResolvers.For(server));

        await resolver.QueryAsync("example.com", DnsRecordType.TXT, None);
        await resolver.QueryAsync("EXAMPLE.com.", DnsRecordType.TXT, None);

        Assert.Equal(1, server.QueryCount);
    }

    [Fact]
    public async Task Different_types_are_different_questions()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddTxt("example.com", "v=spf1 -all"));
        var resolver = new CachingDnsResolver(TestResolvers.For(server));

        await resolver.QueryAsync("example.com", DnsRecordType.TXT, None);
        await resolver.QueryAsync("example.com", DnsRecordType.A, None);

        Assert.Equal(2, server.QueryCount);
    }

    [Fact]
    public async Task Void_answers_are_cached_too()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone());
        var resolver = new CachingDnsResolver(TestResolvers.For(server));

        await resolver.QueryAsync("missing.example.com", DnsRecordType.TXT, None);
        var second = await resolver.QueryAsync("missing.example.com", DnsRecordType.TXT, None);

        Assert.Equal(DnsOutcome.NxDomain, second.Outcome);
        Assert.Equal(1, server.QueryCount);
    }

    [Fact]
    public async Task Concurrent_identical_questions_share_one_query()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddTxt("example.com", "v=spf1 -all"));
        server.Latency = TimeSpan.FromMilliseconds(200);
        var resolver = new CachingDnsResolver(TestResolvers.For(server));

        var answers = await Task.WhenAll(Enumerable.Range(0, 20)
            .Select(_ => Task.Run(() => resolver.QueryAsync("example.com", DnsRecordType.TXT, None))));

        Assert.All(answers, a => Assert.Equal(DnsOutcome.Success, a.Outcome));
        Assert.Single(answers.Distinct());
        Assert.Equal(1, server.QueryCount);
    }

    [Fact]
    public async Task Resolvers_sharing_a_cache_keep_each_servers_answers_apart()
    {
        await using var serverA = await DnsTestServer.StartAsync(new DnsZone().AddTxt("example.com", "from A"));
        await using var serverB = await DnsTestServer.StartAsync(new DnsZone().AddTxt("example.com", "from B"));
        var shared = new DnsAnswerCache();
        var viaA = new CachingDnsResolver(TestResolvers.For(serverA), shared);
        var viaB = new CachingDnsResolver(TestResolvers.For(serverB), shared);

        var a = await viaA.QueryAsync("example.com", DnsRecordType.TXT, None);
        var b = await viaB.QueryAsync("example.com", DnsRecordType.TXT, None);

        Assert.Equal("from A", Assert.Single(a.RecordsOf<DnsTxtRecord>()).Text);
        Assert.Equal("from B", Assert.Single(b.RecordsOf<DnsTxtRecord>()).Text);
        Assert.Equal(1, serverB.QueryCount);
    }

    [Fact]
    public async Task Resolvers_for_the_same_server_sharing_a_cache_share_answers()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddTxt("example.com", "v=spf1 -all"));
        var shared = new DnsAnswerCache();

        await new CachingDnsResolver(TestResolvers.For(server), shared).QueryAsync("example.com", DnsRecordType.TXT, None);
        await new CachingDnsResolver(TestResolvers.For(server), shared).QueryAsync("example.com", DnsRecordType.TXT, None);

        Assert.Equal(1, server.QueryCount);
    }

    [Fact]
    public async Task Cancelled_query_is_not_cached()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddTxt("example.com", "v=spf1 -all"));
        server.Fault = DnsFault.Timeout;
        var resolver = new CachingDnsResolver(TestResolvers.For(server, TimeSpan.FromSeconds(30)));
        using var cts = new CancellationTokenSource();

        var cancelled = resolver.QueryAsync("example.com", DnsRecordType.TXT, cts.Token);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        server.Fault = DnsFault.None;
        var answer = await resolver.QueryAsync("example.com", DnsRecordType.TXT, None);

        Assert.Equal(DnsOutcome.Success, answer.Outcome);
    }

    [Fact]
    public async Task Faulted_query_is_not_cached()
    {
        var inner = new ThrowOnceResolver();
        var resolver = new CachingDnsResolver(inner);

        await Assert.ThrowsAsync<InvalidOperationException>(() => resolver.QueryAsync("example.com", DnsRecordType.TXT, None));
        var answer = await resolver.QueryAsync("example.com", DnsRecordType.TXT, None);

        Assert.Equal(DnsOutcome.NoData, answer.Outcome);
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task Waiter_whose_starter_cancels_gets_its_own_answer()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddTxt("example.com", "v=spf1 -all"));
        server.Latency = TimeSpan.FromMilliseconds(300);
        var resolver = new CachingDnsResolver(TestResolvers.For(server));
        using var starter = new CancellationTokenSource();

        var first = resolver.QueryAsync("example.com", DnsRecordType.TXT, starter.Token);
        var second = resolver.QueryAsync("example.com", DnsRecordType.TXT, None);
        starter.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.Equal(DnsOutcome.Success, (await second).Outcome);
    }

    [Fact]
    public async Task Observer_sees_the_real_query_and_the_cache_hit()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddTxt("example.com", "v=spf1 -all"));
        var observer = new RecordingObserver();
        var resolver = new CachingDnsResolver(TestResolvers.For(server), observer);

        await resolver.QueryAsync("example.com", DnsRecordType.TXT, None);
        await resolver.QueryAsync("example.com", DnsRecordType.TXT, None);

        Assert.Equal(new[] { false, true }, observer.Calls.Select(c => c.FromCache));
        Assert.All(observer.Calls, c => Assert.Equal("example.com", c.Answer.Name));
    }

    [Fact]
    public async Task Throwing_observer_does_not_change_the_answer()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddTxt("example.com", "v=spf1 -all"));
        var resolver = new CachingDnsResolver(TestResolvers.For(server), new ThrowingObserver());

        var answer = await resolver.QueryAsync("example.com", DnsRecordType.TXT, None);

        Assert.Equal(DnsOutcome.Success, answer.Outcome);
    }

    private sealed class RecordingObserver : IDnsQueryObserver
    {
        public ConcurrentQueue<(DnsAnswer Answer, bool FromCache)> Calls { get; } = new();

        public void OnQuery(DnsAnswer answer, TimeSpan elapsed, bool fromCache) => Calls.Enqueue((answer, fromCache));
    }

    private sealed class ThrowingObserver : IDnsQueryObserver
    {
        public void OnQuery(DnsAnswer answer, TimeSpan elapsed, bool fromCache) => throw new InvalidOperationException("observer bug");
    }

    private sealed class ThrowOnceResolver : IDnsResolver
    {
        private int _calls;

        public int Calls => _calls;

        public Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken)
            => Interlocked.Increment(ref _calls) == 1
                ? Task.FromException<DnsAnswer>(new InvalidOperationException("transient bug"))
                : Task.FromResult(DnsAnswer.Empty(name, type, DnsOutcome.NoData, "test"));
    }
}
