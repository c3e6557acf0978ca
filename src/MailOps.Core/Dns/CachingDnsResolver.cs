using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace MailOps.Core.Dns;

/// <summary>
/// Answers repeated questions from memory for the life of one cmdlet invocation. An SPF check
/// of a large include tree, or a bulk audit of many domains sharing providers, asks the same
/// questions again and again; identical questions asked at the same time share one query.
/// Every outcome is kept (a timeout included, so one evaluation sees one consistent view and
/// does not wait twice); a query that was cancelled or threw is forgotten and asked again.
/// </summary>
public sealed class CachingDnsResolver : IDnsResolver
{
    private readonly IDnsResolver _inner;
    private readonly DnsAnswerCache _cache;
    private readonly IDnsQueryObserver? _observer;
    private readonly object _server;

    /// <summary>Creates a resolver with its own, empty cache.</summary>
    public CachingDnsResolver(IDnsResolver inner, IDnsQueryObserver? observer = null)
        : this(inner, new DnsAnswerCache(), observer)
    {
    }

    /// <summary>
    /// Creates a resolver over a cache that may be shared with other resolvers. Entries are keyed
    /// by the inner resolver's servers (<see cref="DnsClientResolver.ServerIdentity"/>, or the
    /// resolver instance itself for other resolvers), so sharing never answers a question meant
    /// for one server with another server's answer.
    /// </summary>
    public CachingDnsResolver(IDnsResolver inner, DnsAnswerCache cache, IDnsQueryObserver? observer = null)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _cache = cache ?? throw new ArgumentNullException(nameof(cache));
        _observer = observer;
        _server = inner is DnsClientResolver client ? client.ServerIdentity : inner;
    }

    /// <summary>The resolver that sends the queries.</summary>
    public IDnsResolver Inner => _inner;

    /// <summary>The cache answers are kept in.</summary>
    public DnsAnswerCache Cache => _cache;

    /// <inheritdoc />
    public async Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken)
    {
        var key = new DnsAnswerCache.Key(_server, DnsName.Key(name), type);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();

            Lazy<Task<DnsAnswer>>? mine = null;
            mine = new Lazy<Task<DnsAnswer>>(() => RunAsync(key, name, type, mine!, cancellationToken), LazyThreadSafetyMode.ExecutionAndPublication);
            var entry = _cache.Entries.GetOrAdd(key, mine);
            var owner = ReferenceEquals(entry, mine);
            try
            {
                var answer = await WithCancellation(entry.Value, cancellationToken).ConfigureAwait(false);
                if (!owner)
                {
                    Notify(answer, waited.Elapsed, fromCache: true);
                }

                return answer;
            }
            catch (OperationCanceledException) when (!owner && !cancellationToken.IsCancellationRequested)
            {
                // The caller who started the shared query gave up; this caller did not. The entry
                // is already gone (RunAsync removes it), so the next round asks again.
                _cache.Remove(key, entry);
            }
        }
    }

    private async Task<DnsAnswer> RunAsync(DnsAnswerCache.Key key, string name, DnsRecordType type, Lazy<Task<DnsAnswer>> self, CancellationToken cancellationToken)
    {
        var elapsed = Stopwatch.StartNew();
        DnsAnswer answer;
        try
        {
            answer = await _inner.QueryAsync(name, type, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Cancelled or faulted: not an answer, so it must not be served to later questions.
            _cache.Remove(key, self);
            throw;
        }

        Notify(answer, elapsed.Elapsed, fromCache: false);
        return answer;
    }

    private void Notify(DnsAnswer answer, TimeSpan elapsed, bool fromCache)
    {
        if (_observer is null)
        {
            return;
        }

        try
        {
            _observer.OnQuery(answer, elapsed, fromCache);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A diagnostics hook must never change a DNS outcome or poison the cache.
        }
    }

    private static async Task<T> WithCancellation<T>(Task<T> task, CancellationToken cancellationToken)
    {
        // netstandard2.0 has no Task.WaitAsync: a waiter stops waiting on its own token without
        // cancelling the shared query other waiters still need.
        if (task.IsCompleted || !cancellationToken.CanBeCanceled)
        {
            return await task.ConfigureAwait(false);
        }

        var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using (cancellationToken.Register(s => ((TaskCompletionSource<bool>)s!).TrySetResult(true), cancelled))
        {
            if (await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false) != task)
            {
                throw new OperationCanceledException(cancellationToken);
            }
        }

        return await task.ConfigureAwait(false);
    }
}

/// <summary>
/// The answers of a <see cref="CachingDnsResolver"/>: in-flight and completed, keyed by server,
/// name (lower case, no trailing dot) and type. Thread-safe. One per cmdlet invocation is the
/// intended life: answers are never expired, so a long-lived cache would serve stale data.
/// </summary>
public sealed class DnsAnswerCache
{
    internal ConcurrentDictionary<Key, Lazy<Task<DnsAnswer>>> Entries { get; } = new ConcurrentDictionary<Key, Lazy<Task<DnsAnswer>>>();

    /// <summary>Number of questions held (answered or in flight).</summary>
    public int Count => Entries.Count;

    /// <summary>Forgets every answer.</summary>
    public void Clear() => Entries.Clear();

    /// <summary>Removes an entry only if it is still the given one (a retry may have replaced it).</summary>
    internal void Remove(Key key, Lazy<Task<DnsAnswer>> entry)
        => ((ICollection<KeyValuePair<Key, Lazy<Task<DnsAnswer>>>>)Entries).Remove(new KeyValuePair<Key, Lazy<Task<DnsAnswer>>>(key, entry));

    /// <summary>Server identity, normalised name and type.</summary>
    internal readonly struct Key : IEquatable<Key>
    {
        public Key(object server, string name, DnsRecordType type)
        {
            Server = server;
            Name = name;
            Type = type;
        }

        /// <summary>A server identity string (compared by value) or a resolver instance (by reference).</summary>
        public object Server { get; }

        public string Name { get; }

        public DnsRecordType Type { get; }

        public bool Equals(Key other)
            => Type == other.Type
                && string.Equals(Name, other.Name, StringComparison.Ordinal)
                && Equals(Server, other.Server);

        public override bool Equals(object? obj) => obj is Key other && Equals(other);

        public override int GetHashCode()
        {
            unchecked
            {
                var hash = StringComparer.Ordinal.GetHashCode(Name);
                hash = (hash * 397) ^ (int)Type;
                return (hash * 397) ^ Server.GetHashCode();
            }
        }
    }
}
