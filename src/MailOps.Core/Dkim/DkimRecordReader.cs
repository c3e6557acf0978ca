using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailOps.Core.Dns;

namespace MailOps.Core.Dkim;

/// <summary>
/// Reads the DKIM keys of a domain from DNS: for given selectors, or by probing the common ones
/// of <see cref="DkimSelectorCatalog"/> concurrently. Each key record is judged by
/// <see cref="DkimParser"/>; lookups that find nothing or fail become findings, never
/// exceptions, so a bulk audit keeps a row for every domain.
/// </summary>
public sealed class DkimRecordReader
{
    /// <summary>How many selector lookups of one domain run at once.</summary>
    public const int MaxConcurrentLookups = 8;

    /// <summary>CNAME chains longer than this are not followed further (resolvers give up near here too).</summary>
    private const int MaxCnameHops = 8;

    private readonly IDnsResolver resolver;
    private readonly IProgress<string>? trace;
    private readonly IReadOnlyList<DkimSelector> catalog;

    /// <summary>
    /// Creates a reader. <paramref name="trace"/> receives one line per step worth explaining
    /// (keys found, delegations followed, failures), from thread-pool threads and concurrently;
    /// <paramref name="catalog"/> replaces the selectors probed (default <see cref="DkimSelectorCatalog.All"/>).
    /// </summary>
    public DkimRecordReader(IDnsResolver resolver, IProgress<string>? trace = null, IReadOnlyList<DkimSelector>? catalog = null)
    {
        this.resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        this.trace = trace;
        this.catalog = catalog ?? DkimSelectorCatalog.All;
    }

    /// <summary>
    /// The keys of <paramref name="domain"/>. With <paramref name="selectors"/> (null or empty
    /// probes the catalogue instead, as <see cref="ProbeAsync"/> does): one record per distinct
    /// selector, in the order given, found or not (DkimKeyNotFound, DkimDnsError).
    /// </summary>
    /// <exception cref="ArgumentException">The domain or a selector is not valid.</exception>
    public Task<DkimRecord[]> ReadAsync(string domain, IEnumerable<string>? selectors, CancellationToken cancellationToken)
    {
        string normalized = Normalize(domain);
        List<DkimSelector> given = Resolve(selectors);
        return given.Count == 0
            ? ProbeCoreAsync(normalized, catalog, cancellationToken)
            : ReadGivenAsync(normalized, given, cancellationToken);
    }

    /// <summary>
    /// Probes the catalogue's selectors, then <paramref name="alsoProbe"/> (for example the
    /// selectors a known provider signs with): one record per selector that has a key or whose
    /// lookup failed, in that order; when none has a key, exactly one record with a null selector
    /// and the finding DkimNoSelectorFound (and DkimDnsError when lookups failed). Selectors
    /// without a key are not reported one by one, since most of any list is expected to miss.
    /// </summary>
    /// <exception cref="ArgumentException">The domain or a selector is not valid.</exception>
    public Task<DkimRecord[]> ProbeAsync(string domain, IEnumerable<string>? alsoProbe, CancellationToken cancellationToken)
    {
        string normalized = Normalize(domain);
        List<DkimSelector> list = catalog.ToList();
        foreach (DkimSelector extra in Resolve(alsoProbe))
        {
            if (!list.Any(s => s.Name == extra.Name))
            {
                list.Add(extra);
            }
        }

        return ProbeCoreAsync(normalized, list, cancellationToken);
    }

    /// <summary>The key of one selector: found, not found (DkimKeyNotFound) or failed (DkimDnsError).</summary>
    /// <exception cref="ArgumentException">The domain or the selector is not valid.</exception>
    public async Task<DkimRecord> ReadSelectorAsync(string domain, string selector, CancellationToken cancellationToken)
    {
        if (selector is null || selector.Trim().Length == 0)
        {
            throw new ArgumentException("The selector is empty.", nameof(selector));
        }

        DkimRecord[] records = await ReadAsync(domain, new[] { selector }, cancellationToken).ConfigureAwait(false);
        return records[0];
    }

    private static string Normalize(string domain)
        => DomainName.TryNormalize(domain, out string normalized, out string? reason)
            ? normalized
            : throw new ArgumentException(reason, nameof(domain));

    private async Task<DkimRecord[]> ReadGivenAsync(string domain, IReadOnlyList<DkimSelector> selectors, CancellationToken cancellationToken)
    {
        Lookup[] lookups = await LookupAllAsync(domain, selectors, true, cancellationToken).ConfigureAwait(false);
        return lookups.Select(l => l.Result!).ToArray();
    }

    private async Task<DkimRecord[]> ProbeCoreAsync(string domain, IReadOnlyList<DkimSelector> selectors, CancellationToken cancellationToken)
    {
        Trace($"{domain}: probing {selectors.Count} common selectors");
        Lookup[] lookups = await LookupAllAsync(domain, selectors, false, cancellationToken).ConfigureAwait(false);
        Lookup[] reported = lookups.Where(l => l.Result is not null).ToArray();
        if (reported.Any(l => l.Parsed is not null))
        {
            Trace($"{domain}: keys found under {string.Join(", ", reported.Where(l => l.Parsed is not null).Select(l => l.Selector.Name))}");
            return reported.Select(l => l.Result!).ToArray();
        }

        return new[] { NothingFound(domain, lookups) };
    }

    private List<DkimSelector> Resolve(IEnumerable<string>? selectors)
    {
        var list = new List<DkimSelector>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string? text in selectors ?? Enumerable.Empty<string>())
        {
            if (text is null || text.Trim().Length == 0)
            {
                // An empty CSV cell means "no selector given", not an invalid one.
                continue;
            }

            if (!DkimSelector.TryNormalize(text, out string name, out string? error))
            {
                throw new ArgumentException(error, nameof(selectors));
            }

            if (seen.Add(name))
            {
                DkimSelector? known = catalog.FirstOrDefault(s => s.Name == name) ?? DkimSelectorCatalog.Find(name);
                list.Add(known ?? new DkimSelector(name, null));
            }
        }

        return list;
    }

    private async Task<Lookup[]> LookupAllAsync(string domain, IReadOnlyList<DkimSelector> selectors, bool explicitSelectors, CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(MaxConcurrentLookups, MaxConcurrentLookups);
        var tasks = new Task<Lookup>[selectors.Count];
        for (int i = 0; i < selectors.Count; i++)
        {
            DkimSelector selector = selectors[i];
            tasks[i] = RunAsync(selector);
        }

        return await Task.WhenAll(tasks).ConfigureAwait(false);

        async Task<Lookup> RunAsync(DkimSelector selector)
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await LookupAsync(domain, selector, explicitSelectors, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                slots.Release();
            }
        }
    }

    private async Task<Lookup> LookupAsync(string domain, DkimSelector selector, bool explicitSelector, CancellationToken cancellationToken)
    {
        // RFC 6376 section 3.6.2.1: the key of selector s for domain d is the TXT record at
        // s._domainkey.d.
        string name = selector.Name + "._domainkey." + domain;
        DnsAnswer answer = await resolver.QueryAsync(name, DnsRecordType.TXT, cancellationToken).ConfigureAwait(false);
        if (answer.Outcome == DnsOutcome.Success)
        {
            DnsTxtRecord[] records = answer.RecordsOf<DnsTxtRecord>().ToArray();
            string[] chain = await CnameChainAsync(name, records[0].Name, cancellationToken).ConfigureAwait(false);
            DkimParsedRecord parsed = DkimParser.Parse(records[0].Text);
            var findings = new List<Finding>();
            if (records.Length > 1)
            {
                // RFC 6376 section 3.6.2.2: several key records at one name give undefined results.
                findings.Add(new Finding(
                    FindingSeverity.Error,
                    DkimFindingCodes.DkimMultipleRecords,
                    $"{name} has {records.Length} TXT records; with more than one, verification results are undefined (RFC 6376 section 3.6.2.2). Keep only the current key record; the first is shown.",
                    name));
            }

            findings.AddRange(parsed.Findings);
            Trace($"{name}: key found ({Describe(parsed)}){(chain.Length > 0 ? " via CNAME " + string.Join(" -> ", chain) : string.Empty)}");
            return new Lookup(selector, parsed, new DkimRecord(domain, selector, name, chain, parsed, findings.ToArray()));
        }

        if (answer.IsFailure)
        {
            Trace($"{name}: lookup failed ({answer.Outcome})");
            var failed = new Finding(
                FindingSeverity.Error,
                DkimFindingCodes.DkimDnsError,
                $"The lookup of {name} failed: {answer.Error ?? answer.Outcome.ToString()}. Receivers get a temporary failure (TEMPFAIL) for signatures with this selector (RFC 6376 section 6.1.2). Check the DNS servers of the domain, or try -Server or a longer -TimeoutSec.",
                name);
            return new Lookup(selector, null, new DkimRecord(domain, selector, name, Array.Empty<string>(), null, new[] { failed }), answer);
        }

        if (!explicitSelector)
        {
            return new Lookup(selector, null, null, answer);
        }

        // A selector asked for by name: say whether a delegation exists but leads nowhere, the
        // usual sign of a provider-side key that was never set up or was removed.
        string[] dangling = await CnameChainAsync(name, null, cancellationToken).ConfigureAwait(false);
        string where = dangling.Length > 0
            ? $"{name} is a CNAME to {dangling[dangling.Length - 1]}, which publishes no key: finish or remove the setup at the provider."
            : $"{name} has no TXT record ({(answer.Outcome == DnsOutcome.NxDomain ? "the name does not exist" : "the name exists without a TXT record")}).";
        Trace($"{name}: no key");
        var missing = new Finding(
            FindingSeverity.Error,
            DkimFindingCodes.DkimKeyNotFound,
            where + " Signatures with this selector fail (RFC 6376 section 6.1.2). Publish the key your signing system or provider gives you, or check the s= tag of a DKIM-Signature header for the right selector.",
            name);
        return new Lookup(selector, null, new DkimRecord(domain, selector, name, dangling, null, new[] { missing }), answer);
    }

    /// <summary>
    /// The CNAME targets from <paramref name="name"/> on. The DNS layer returns only records of
    /// the asked type, so the chain is asked for explicitly with CNAME questions. When the key
    /// record's owner (<paramref name="keyOwner"/>) is the name itself there is no CNAME (a CNAME
    /// cannot coexist with other data, RFC 1034 section 3.6.2) and nothing is asked.
    /// </summary>
    private async Task<string[]> CnameChainAsync(string name, string? keyOwner, CancellationToken cancellationToken)
    {
        if (keyOwner is not null && SameName(keyOwner, name))
        {
            return Array.Empty<string>();
        }

        var chain = new List<string>();
        string current = name;
        for (int hop = 0; hop < MaxCnameHops; hop++)
        {
            if (keyOwner is not null && SameName(current, keyOwner))
            {
                break;
            }

            DnsAnswer answer = await resolver.QueryAsync(current, DnsRecordType.CNAME, cancellationToken).ConfigureAwait(false);
            DnsNameRecord? cname = answer.Outcome == DnsOutcome.Success ? answer.RecordsOf<DnsNameRecord>().FirstOrDefault() : null;
            if (cname is null || cname.Target.Length == 0 || chain.Any(c => SameName(c, cname.Target)))
            {
                break;
            }

            chain.Add(cname.Target.ToLowerInvariant());
            current = cname.Target;
        }

        if (keyOwner is not null && (chain.Count == 0 || !SameName(chain[chain.Count - 1], keyOwner)))
        {
            // The CNAME questions failed or were answered differently: the key's owner name is
            // still where the key lives.
            chain.Add(keyOwner.ToLowerInvariant());
        }

        return chain.ToArray();
    }

    private DkimRecord NothingFound(string domain, Lookup[] lookups)
    {
        Lookup[] failed = lookups.Where(l => l.Answer is not null && l.Answer.IsFailure).ToArray();
        int answered = lookups.Length - failed.Length;
        var findings = new List<Finding>();
        if (answered > 0)
        {
            findings.Add(new Finding(
                FindingSeverity.Warning,
                DkimFindingCodes.DkimNoSelectorFound,
                $"No DKIM key found among {answered.ToString(CultureInfo.InvariantCulture)} common selectors. DKIM may still be set up under another selector: give -Selector with the selector from the s= tag of a DKIM-Signature header of a message the domain sent.",
                null));
        }

        if (failed.Length > 0)
        {
            findings.Add(new Finding(
                FindingSeverity.Error,
                DkimFindingCodes.DkimDnsError,
                $"The lookup of {failed.Length.ToString(CultureInfo.InvariantCulture)} of {lookups.Length.ToString(CultureInfo.InvariantCulture)} selectors failed ({failed[0].Answer!.Outcome}); a key may exist there. Check the domain's DNS servers, or try -Server or a longer -TimeoutSec.",
                string.Join(",", failed.Select(l => l.Selector.Name))));
        }

        Trace($"{domain}: no key found among {lookups.Length} common selectors");
        return new DkimRecord(domain, null, null, Array.Empty<string>(), null, findings.ToArray());
    }

    private static string Describe(DkimParsedRecord parsed)
    {
        if (parsed.IsRevoked)
        {
            return "revoked";
        }

        string type = parsed.KeyType?.ToString().ToLowerInvariant() ?? "unknown type";
        return parsed.KeySize is int bits ? $"{type}, {bits.ToString(CultureInfo.InvariantCulture)} bits" : type;
    }

    private static bool SameName(string a, string b)
        => string.Equals(a.TrimEnd('.'), b.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);

    private void Trace(string line)
    {
        try
        {
            trace?.Report(line);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A diagnostics hook must never change a result.
        }
    }

    /// <summary>One selector's lookup: the key found, the row to report, the DNS answer.</summary>
    private sealed class Lookup
    {
        public Lookup(DkimSelector selector, DkimParsedRecord? parsed, DkimRecord? result, DnsAnswer? answer = null)
        {
            Selector = selector;
            Parsed = parsed;
            Result = result;
            Answer = answer;
        }

        public DkimSelector Selector { get; }

        public DkimParsedRecord? Parsed { get; }

        public DkimRecord? Result { get; }

        public DnsAnswer? Answer { get; }
    }
}
