using System.Net;
using MailOps.Core.Dns;

namespace MailOps.Core.Tests.SpfAnalysis;

/// <summary>
/// An in-memory resolver for pure unit tests of the SPF analyzer and merger: answers come from a
/// table, unknown names are NXDOMAIN, known names without the asked type are NODATA. Every
/// question is recorded so tests can assert what was (not) asked. No network, ever.
/// </summary>
internal sealed class FakeDnsResolver : IDnsResolver
{
    private readonly Dictionary<(string Name, DnsRecordType Type), List<DnsRecord>> records = new();
    private readonly Dictionary<(string Name, DnsRecordType Type), DnsOutcome> failures = new();
    private readonly HashSet<string> throwing = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(string Name, DnsRecordType Type)> queries = new();

    /// <summary>Every question asked, in order.</summary>
    public IReadOnlyList<(string Name, DnsRecordType Type)> Queries
    {
        get
        {
            lock (queries)
            {
                return queries.ToList();
            }
        }
    }

    /// <summary>Adds one TXT record made of one character-string.</summary>
    public FakeDnsResolver Txt(string name, string text) => TxtStrings(name, text);

    /// <summary>Adds one TXT record made of several character-strings.</summary>
    public FakeDnsResolver TxtStrings(string name, params string[] strings)
        => Add(name, DnsRecordType.TXT, new DnsTxtRecord(name, 300, strings));

    /// <summary>Adds A and/or AAAA records, by address family.</summary>
    public FakeDnsResolver Address(string name, params string[] addresses)
    {
        foreach (string text in addresses)
        {
            IPAddress address = IPAddress.Parse(text);
            DnsRecordType type = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? DnsRecordType.AAAA : DnsRecordType.A;
            Add(name, type, new DnsAddressRecord(name, type, 300, address));
        }

        return this;
    }

    /// <summary>Adds MX records with increasing preference.</summary>
    public FakeDnsResolver Mx(string name, params string[] exchanges)
    {
        int preference = 10;
        foreach (string exchange in exchanges)
        {
            Add(name, DnsRecordType.MX, new DnsMxRecord(name, 300, preference, exchange));
            preference += 10;
        }

        return this;
    }

    /// <summary>Makes one question fail with <paramref name="outcome"/>.</summary>
    public FakeDnsResolver Fail(string name, DnsRecordType type, DnsOutcome outcome)
    {
        failures[(name.ToLowerInvariant(), type)] = outcome;
        return this;
    }

    /// <summary>Makes every question for <paramref name="name"/> throw, breaking the interface contract on purpose.</summary>
    public FakeDnsResolver Throw(string name)
    {
        throwing.Add(name);
        return this;
    }

    /// <summary>How many times a question was asked.</summary>
    public int CountOf(string name, DnsRecordType type)
        => Queries.Count(q => string.Equals(q.Name, name, StringComparison.OrdinalIgnoreCase) && q.Type == type);

    public async Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken)
    {
        lock (queries)
        {
            queries.Add((name, type));
        }

        // Yield so callers really run concurrently and cannot depend on synchronous completion.
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        string key = name.ToLowerInvariant();
        if (throwing.Contains(key))
        {
            throw new InvalidOperationException("resolver exploded");
        }

        if (failures.TryGetValue((key, type), out DnsOutcome outcome))
        {
            return DnsAnswer.Empty(name, type, outcome, "fake", "injected " + outcome);
        }

        if (records.TryGetValue((key, type), out List<DnsRecord>? list))
        {
            return new DnsAnswer(name, type, DnsOutcome.Success, list.ToArray(), "fake");
        }

        bool nameExists = records.Keys.Any(k => k.Name == key);
        return DnsAnswer.Empty(name, type, nameExists ? DnsOutcome.NoData : DnsOutcome.NxDomain, "fake");
    }

    private FakeDnsResolver Add(string name, DnsRecordType type, DnsRecord record)
    {
        var key = (name.ToLowerInvariant(), type);
        if (!records.TryGetValue(key, out List<DnsRecord>? list))
        {
            list = new List<DnsRecord>();
            records.Add(key, list);
        }

        list.Add(record);
        return this;
    }
}
