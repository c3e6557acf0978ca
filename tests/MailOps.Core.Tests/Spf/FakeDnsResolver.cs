using System.Net;
using MailOps.Core.Dns;

namespace MailOps.Core.Tests.Spf;

/// <summary>
/// An in-memory <see cref="IDnsResolver"/> for SPF unit tests: names are case-insensitive, a name
/// with records of another type answers NODATA, an unknown name NXDOMAIN, and failures can be
/// forced per name and type. Every question is logged so tests can assert what was (not) asked.
/// </summary>
internal sealed class FakeDnsResolver : IDnsResolver
{
    private readonly Dictionary<string, List<DnsRecord>> records = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<(string Name, DnsRecordType? Type), DnsOutcome> failures = new();
    private readonly List<(string Name, DnsRecordType Type)> log = new();

    public IReadOnlyList<(string Name, DnsRecordType Type)> Queries
    {
        get
        {
            lock (log)
            {
                return log.ToArray();
            }
        }
    }

    public Exception? ThrowOnQuery { get; set; }

    public FakeDnsResolver Txt(string name, params string[] strings) => Add(name, new DnsTxtRecord(name, 300, strings));

    public FakeDnsResolver A(string name, params string[] addresses)
    {
        foreach (var address in addresses)
        {
            Add(name, new DnsAddressRecord(name, DnsRecordType.A, 300, IPAddress.Parse(address)));
        }

        return this;
    }

    public FakeDnsResolver Aaaa(string name, params string[] addresses)
    {
        foreach (var address in addresses)
        {
            Add(name, new DnsAddressRecord(name, DnsRecordType.AAAA, 300, IPAddress.Parse(address)));
        }

        return this;
    }

    public FakeDnsResolver Mx(string name, int preference, string exchange) => Add(name, new DnsMxRecord(name, 300, preference, exchange));

    public FakeDnsResolver Ptr(string name, string target) => Add(name, new DnsNameRecord(name, DnsRecordType.PTR, 300, target));

    /// <summary>Makes questions for <paramref name="name"/> (of <paramref name="type"/>, or of any type) fail.</summary>
    public FakeDnsResolver Fail(string name, DnsRecordType? type, DnsOutcome outcome)
    {
        failures[(name.ToLowerInvariant(), type)] = outcome;
        return this;
    }

    public int CountQueries(string name, DnsRecordType? type = null)
        => Queries.Count(q => string.Equals(q.Name, name, StringComparison.OrdinalIgnoreCase) && (type is null || q.Type == type));

    public Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (log)
        {
            log.Add((name, type));
        }

        if (ThrowOnQuery is not null)
        {
            throw ThrowOnQuery;
        }

        var key = name.ToLowerInvariant();
        if (failures.TryGetValue((key, type), out var outcome) || failures.TryGetValue((key, null), out outcome))
        {
            return Task.FromResult(DnsAnswer.Empty(name, type, outcome, "fake"));
        }

        if (!records.TryGetValue(name, out var all))
        {
            return Task.FromResult(DnsAnswer.Empty(name, type, DnsOutcome.NxDomain, "fake"));
        }

        var matching = all.Where(r => r.Type == type).ToArray();
        return Task.FromResult(matching.Length == 0
            ? DnsAnswer.Empty(name, type, DnsOutcome.NoData, "fake")
            : new DnsAnswer(name, type, DnsOutcome.Success, matching, "fake"));
    }

    private FakeDnsResolver Add(string name, DnsRecord record)
    {
        if (!records.TryGetValue(name, out var list))
        {
            records[name] = list = new List<DnsRecord>();
        }

        list.Add(record);
        return this;
    }
}
