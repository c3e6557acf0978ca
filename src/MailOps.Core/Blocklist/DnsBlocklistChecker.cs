using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using MailOps.Core.Dns;

namespace MailOps.Core.Blocklist;

/// <summary>
/// Asks blocklists about addresses and domains (RFC 5782). Each list is self-tested once per
/// checker before its answers are used (section 5), so a dead or wildcarding zone gives errors
/// instead of false results; error codes and answers outside 127.0.0.0/8 are errors, never
/// listings. One checker serves one cmdlet invocation: its self-test results are cached.
/// </summary>
public sealed class DnsBlocklistChecker
{
    private readonly IDnsResolver resolver;
    private readonly Action<string>? trace;
    private readonly ConcurrentDictionary<string, Lazy<Task<DnsBlocklistSelfTest>>> selfTests =
        new ConcurrentDictionary<string, Lazy<Task<DnsBlocklistSelfTest>>>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Creates a checker. <paramref name="trace"/> receives one line per step (self-tests,
    /// queries and how answers were read); it may be called from any thread.
    /// </summary>
    public DnsBlocklistChecker(IDnsResolver resolver, Action<string>? trace = null)
    {
        this.resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        this.trace = trace;
    }

    /// <summary>
    /// Checks <paramref name="address"/> on each list that takes addresses, concurrently; rows
    /// come back in the order of <paramref name="lists"/>. Domain lists are skipped.
    /// </summary>
    public async Task<DnsBlocklistResult[]> CheckAddressAsync(IPAddress address, IReadOnlyList<DnsBlocklist> lists, CancellationToken cancellationToken)
    {
        if (address is null)
        {
            throw new ArgumentNullException(nameof(address));
        }

        IPAddress effective = DnsBlocklistQueryName.Normalize(address);
        bool v6 = effective.AddressFamily == AddressFamily.InterNetworkV6;
        string target = effective.ToString();
        DnsBlocklistTestScope scope = v6 ? DnsBlocklistTestScope.IPv6 : DnsBlocklistTestScope.IPv4;
        Task<DnsBlocklistResult>[] tasks = lists
            .Where(l => l.Covers(DnsBlocklistKind.IPAddress))
            .Select(list => v6 && !list.SupportsIPv6
                ? Task.FromResult(new DnsBlocklistResult(target, DnsBlocklistKind.IPAddress, list, null, DnsBlocklistStatus.NotApplicable, Array.Empty<string>(), $"not queried: {list.Name} lists IPv4 addresses only", null, null))
                : CheckOneAsync(target, DnsBlocklistKind.IPAddress, list, scope, DnsBlocklistQueryName.ForAddress(effective, list.Zone), cancellationToken))
            .ToArray();
        return await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks <paramref name="domain"/> on each list that takes domains, concurrently; rows come
    /// back in the order of <paramref name="lists"/>. IP lists are skipped.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="domain"/> is not a valid domain name.</exception>
    public async Task<DnsBlocklistResult[]> CheckDomainAsync(string domain, IReadOnlyList<DnsBlocklist> lists, CancellationToken cancellationToken)
    {
        if (!DomainName.TryNormalize(domain, out string name, out string? error))
        {
            throw new ArgumentException(error, nameof(domain));
        }

        Task<DnsBlocklistResult>[] tasks = lists
            .Where(l => l.Covers(DnsBlocklistKind.Domain))
            .Select(list => CheckOneAsync(name, DnsBlocklistKind.Domain, list, DnsBlocklistTestScope.Domain, DnsBlocklistQueryName.ForDomain(name, list.Zone), cancellationToken))
            .ToArray();
        return await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs (once per checker, list and scope) the RFC 5782 section 5 self-test: the
    /// always-listed entry must be listed and the never-listed entry must not be.
    /// </summary>
    public Task<DnsBlocklistSelfTest> SelfTestAsync(DnsBlocklist list, DnsBlocklistTestScope scope, CancellationToken cancellationToken)
    {
        if (list is null)
        {
            throw new ArgumentNullException(nameof(list));
        }

        string key = scope + " " + list.Zone;
        Lazy<Task<DnsBlocklistSelfTest>> lazy = selfTests.GetOrAdd(key, _ => new Lazy<Task<DnsBlocklistSelfTest>>(() => RunSelfTestAsync(list, scope, cancellationToken)));
        return lazy.Value;
    }

    /// <summary>
    /// Reads one answer the way RFC 5782 and the operators define it. Failures, the operators'
    /// error codes, 127.255.255.0/24 and anything outside 127.0.0.0/8 are errors; other
    /// addresses in 127.0.0.0/8 are listings; NXDOMAIN or no A record is "not listed".
    /// </summary>
    internal static Reading Read(DnsBlocklist list, DnsAnswer answer)
    {
        if (answer.IsFailure)
        {
            return new Reading(DnsBlocklistStatus.Error, Array.Empty<string>(), null, $"DNS query failed ({answer.Outcome}{(answer.Error is null ? string.Empty : ": " + answer.Error)})");
        }

        IPAddress[] addresses = answer.Outcome == DnsOutcome.Success
            ? answer.RecordsOf<DnsAddressRecord>().Select(r => r.Address).Where(a => a.AddressFamily == AddressFamily.InterNetwork).ToArray()
            : Array.Empty<IPAddress>();
        if (addresses.Length == 0)
        {
            // RFC 5782 section 2.1: a name that is not listed does not exist (NXDOMAIN).
            return new Reading(DnsBlocklistStatus.NotListed, Array.Empty<string>(), null, null);
        }

        string[] codes = addresses.Select(a => a.ToString()).ToArray();
        foreach (IPAddress address in addresses)
        {
            byte[] b = address.GetAddressBytes();
            string code = address.ToString();
            if (b[0] != 127)
            {
                // RFC 5782 section 2.1: listings are A records in 127.0.0.0/8; anything else is a
                // parked or hijacked zone, or a resolver that rewrites NXDOMAIN.
                return new Reading(DnsBlocklistStatus.Error, codes, null, $"the answer {code} is outside 127.0.0.0/8, so it is not a blocklist answer (RFC 5782 section 2.1): the zone may be parked or expired, or the resolver rewrites NXDOMAIN answers");
            }

            string? errorMeaning = list.ErrorMeaning(code);
            if (errorMeaning is null && b[1] == 255 && b[2] == 255)
            {
                // Operators (Spamhaus first) answer 127.255.255.x to say the query was refused.
                errorMeaning = "an operator error code (127.255.255.x): the query was refused, for example because it came through a public resolver or over the free-use limit";
            }

            if (errorMeaning is not null)
            {
                return new Reading(DnsBlocklistStatus.Error, codes, null, $"{code}: {errorMeaning}");
            }
        }

        string meaning = string.Join("; ", addresses.Select(list.Meaning).Distinct());
        return new Reading(DnsBlocklistStatus.Listed, codes, meaning, null);
    }

    private async Task<DnsBlocklistResult> CheckOneAsync(string target, DnsBlocklistKind kind, DnsBlocklist list, DnsBlocklistTestScope scope, string queryName, CancellationToken cancellationToken)
    {
        DnsBlocklistSelfTest selfTest = await SelfTestAsync(list, scope, cancellationToken).ConfigureAwait(false);
        if (!selfTest.Passed)
        {
            // RFC 5782 section 5: a list that fails its test entries is not to be trusted.
            return new DnsBlocklistResult(target, kind, list, null, DnsBlocklistStatus.Error, Array.Empty<string>(), null, null, "self-test failed: " + selfTest.Message);
        }

        DnsAnswer answer = await QueryAsync(queryName, DnsRecordType.A, cancellationToken).ConfigureAwait(false);
        Reading reading = Read(list, answer);
        string? reason = null;
        if (reading.Status == DnsBlocklistStatus.Listed)
        {
            // RFC 5782 section 2.1: a TXT record at the same name may give the reason.
            DnsAnswer txt = await QueryAsync(queryName, DnsRecordType.TXT, cancellationToken).ConfigureAwait(false);
            string[] texts = txt.Outcome == DnsOutcome.Success ? txt.RecordsOf<DnsTxtRecord>().Select(t => t.Text).Where(t => t.Length > 0).ToArray() : Array.Empty<string>();
            reason = texts.Length == 0 ? null : string.Join(" | ", texts);
        }

        trace?.Invoke($"DNSBL {queryName}: {reading.Status}{(reading.Codes.Length == 0 ? string.Empty : " " + string.Join(", ", reading.Codes))}{(reading.Error is null ? string.Empty : " (" + reading.Error + ")")}");
        return new DnsBlocklistResult(target, kind, list, queryName, reading.Status, reading.Codes, reading.Meaning, reason, reading.Error);
    }

    private async Task<DnsBlocklistSelfTest> RunSelfTestAsync(DnsBlocklist list, DnsBlocklistTestScope scope, CancellationToken cancellationToken)
    {
        (string listedName, string listedLabel, string notListedName, string notListedLabel) = TestNames(list, scope);
        Task<DnsAnswer> listedQuery = QueryAsync(listedName, DnsRecordType.A, cancellationToken);
        Task<DnsAnswer> notListedQuery = QueryAsync(notListedName, DnsRecordType.A, cancellationToken);
        await Task.WhenAll(listedQuery, notListedQuery).ConfigureAwait(false);
        Reading listed = Read(list, listedQuery.Result);
        Reading notListed = Read(list, notListedQuery.Result);

        DnsBlocklistSelfTest result;
        if (listed.Status == DnsBlocklistStatus.Error)
        {
            result = Fail($"the test entry {listedLabel} gave an error: {listed.Error}");
        }
        else if (listed.Status != DnsBlocklistStatus.Listed)
        {
            string why = scope == DnsBlocklistTestScope.IPv6
                ? "the list does not cover IPv6, or the zone is dead"
                : "the zone is dead, not a blocklist, or this resolver is not allowed to query it";
            result = Fail($"the test entry {listedLabel} must be listed and is not ({why})");
        }
        else if (notListed.Status == DnsBlocklistStatus.Listed)
        {
            result = Fail($"the test entry {notListedLabel} must not be listed and is ({string.Join(", ", notListed.Codes)}): the zone lists everything (a wildcard, typical of an expired zone)");
        }
        else if (notListed.Status == DnsBlocklistStatus.Error)
        {
            result = Fail($"the test entry {notListedLabel} gave an error: {notListed.Error}");
        }
        else
        {
            result = new DnsBlocklistSelfTest(list.Zone, scope, true, $"{listedLabel} is listed ({string.Join(", ", listed.Codes)}) and {notListedLabel} is not");
        }

        trace?.Invoke($"DNSBL {list.Zone} {scope} self-test {(result.Passed ? "passed" : "failed")}: {result.Message}");
        return result;

        DnsBlocklistSelfTest Fail(string message) => new DnsBlocklistSelfTest(list.Zone, scope, false, message);
    }

    /// <summary>The two RFC 5782 section 5 test query names for a list and scope, with labels for messages.</summary>
    internal static (string ListedName, string ListedLabel, string NotListedName, string NotListedLabel) TestNames(DnsBlocklist list, DnsBlocklistTestScope scope)
    {
        switch (scope)
        {
            case DnsBlocklistTestScope.Domain:
            {
                string listed = list.ListedTest ?? DnsBlocklist.DefaultDomainListedTest;
                string notListed = list.NotListedTest ?? DnsBlocklist.DefaultDomainNotListedTest;
                return (DnsBlocklistQueryName.ForDomain(listed, list.Zone), listed, DnsBlocklistQueryName.ForDomain(notListed, list.Zone), notListed);
            }

            case DnsBlocklistTestScope.IPv6:
                // The IPv6 test entries are IPv4-mapped, yet are queried as 32 nibbles (section 5).
                return (
                    DnsBlocklistQueryName.ForIPv6Nibbles(IPAddress.Parse(DnsBlocklist.DefaultIPv6ListedTest), list.Zone),
                    DnsBlocklist.DefaultIPv6ListedTest,
                    DnsBlocklistQueryName.ForIPv6Nibbles(IPAddress.Parse(DnsBlocklist.DefaultIPv6NotListedTest), list.Zone),
                    DnsBlocklist.DefaultIPv6NotListedTest);

            default:
            {
                // Domain-list test entries never apply to IP scopes; catalogue overrides are for domain lists.
                IPAddress listed = IPAddress.Parse(DnsBlocklist.DefaultIPv4ListedTest);
                IPAddress notListed = IPAddress.Parse(DnsBlocklist.DefaultIPv4NotListedTest);
                return (DnsBlocklistQueryName.ForAddress(listed, list.Zone), DnsBlocklist.DefaultIPv4ListedTest, DnsBlocklistQueryName.ForAddress(notListed, list.Zone), DnsBlocklist.DefaultIPv4NotListedTest);
            }
        }
    }

    /// <summary>Asks one question; failures come back as outcomes, never as exceptions.</summary>
    private Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken)
        => resolver.QueryGuardedAsync(name, type, cancellationToken);

    /// <summary>How one answer reads: status, the answer addresses, their meaning or the error.</summary>
    internal readonly struct Reading
    {
        public Reading(DnsBlocklistStatus status, string[] codes, string? meaning, string? error)
        {
            Status = status;
            Codes = codes;
            Meaning = meaning;
            Error = error;
        }

        public DnsBlocklistStatus Status { get; }

        public string[] Codes { get; }

        public string? Meaning { get; }

        public string? Error { get; }
    }
}
