using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using MailOps.Core.Dns;

namespace MailOps.Core.Spf;

/// <summary>
/// Turns a domain's SPF policy into the networks it gives a result for, the way check_host()
/// would reach them for a client that matches nothing (so every term is visited, in evaluation
/// order): ip4/ip6 as written, a and mx resolved to their addresses with the term's prefix
/// lengths, includes and redirects followed. This is what an allowlist of "the provider's IPs"
/// needs, and what a receiver would accept.
/// </summary>
/// <remarks>
/// RFC 7208 semantics decide what is listed: an include matches only when the included record
/// returns pass (section 5.2), so inside an include only the pass terms authorize anything and
/// they take the qualifier of the include; a redirect's record counts as the record's own
/// (section 6.1); terms after "all" are never reached (5.1). The walk stops where a receiver
/// would return permerror (the 11th DNS-querying term, the 3rd void lookup, a missing include
/// target, a loop) because nothing after that point can authorize a client (4.6.4).
/// </remarks>
public sealed class SpfIpRangeFlattener
{
    private readonly IDnsResolver resolver;

    /// <summary>Creates a flattener that asks <paramref name="resolver"/> every question.</summary>
    public SpfIpRangeFlattener(IDnsResolver resolver)
    {
        this.resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
    }

    /// <summary>
    /// Reads <paramref name="domain"/>'s SPF record and lists what it authorizes. A domain
    /// without a record, or whose own TXT lookup fails, gives a result with no rows and a
    /// <see cref="SpfIpRangeResult.Status"/> that says why; it never throws for DNS data.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="domain"/> is not a valid domain name.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<SpfIpRangeResult> FlattenAsync(string domain, CancellationToken cancellationToken)
    {
        string name = SpfRecordAnalyzer.NormalizeDomain(domain);
        return new Walk(resolver, name, cancellationToken).RunAsync();
    }

    /// <summary>
    /// Clears the host bits of <paramref name="address"/> beyond <paramref name="prefixLength"/>
    /// and writes the network in CIDR notation ("192.0.2.0/24", "2001:db8::/32").
    /// </summary>
    internal static string ToCidr(IPAddress address, int prefixLength)
    {
        byte[] bytes = address.GetAddressBytes();
        for (int i = 0; i < bytes.Length; i++)
        {
            int bitsInByte = Math.Max(0, Math.Min(8, prefixLength - (i * 8)));
            bytes[i] &= (byte)(0xFF << (8 - bitsInByte));
        }

        return new IPAddress(bytes).ToString() + "/" + prefixLength.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Where a record sits relative to the result that decides the policy.</summary>
    private enum Mode
    {
        /// <summary>The domain's own record or its redirect target: every term's qualifier is a result.</summary>
        Effective,

        /// <summary>Inside an include that can match: pass terms authorize, with the include's qualifier.</summary>
        Authorizing,

        /// <summary>Inside a non-pass term of an include: nothing here authorizes; lookups still count.</summary>
        CountOnly,
    }

    /// <summary>One walk over one domain's tree: counters, rows and trace in evaluation order.</summary>
    private sealed class Walk
    {
        private readonly IDnsResolver resolver;
        private readonly string root;
        private readonly CancellationToken cancellationToken;
        private readonly List<SpfIpRange> rows = new List<SpfIpRange>();
        private readonly List<string> trace = new List<string>();
        private int lookups;
        private int voids;
        private bool stopped;

        public Walk(IDnsResolver resolver, string root, CancellationToken cancellationToken)
        {
            this.resolver = resolver;
            this.root = root;
            this.cancellationToken = cancellationToken;
        }

        public async Task<SpfIpRangeResult> RunAsync()
        {
            DnsAnswer answer = await QueryAsync(root, DnsRecordType.TXT).ConfigureAwait(false);
            if (answer.IsFailure)
            {
                string message = $"The TXT lookup for {root} failed ({answer.Outcome}{(answer.Error is null ? string.Empty : ": " + answer.Error)}); its SPF policy cannot be read. Check the domain's name servers and run this again.";
                trace.Add(message);
                return new SpfIpRangeResult(root, SpfIpRangeStatus.DnsFailure, Array.Empty<SpfIpRange>(), 0, answer.Outcome, message, trace.ToArray());
            }

            string[] records = SpfTexts(answer);
            if (records.Length == 0)
            {
                string message = $"{root} publishes no SPF record (no TXT record starting with \"v=spf1\"), so it authorizes no networks.";
                trace.Add(message);
                return new SpfIpRangeResult(root, SpfIpRangeStatus.NoRecord, Array.Empty<SpfIpRange>(), 0, null, message, trace.ToArray());
            }

            var chain = new List<string> { root };
            await WalkRecordAsync(root, records, chain, Mode.Effective, null, null).ConfigureAwait(false);
            return new SpfIpRangeResult(root, SpfIpRangeStatus.Found, rows.ToArray(), lookups, null, null, trace.ToArray());
        }

        private static string[] SpfTexts(DnsAnswer answer)
            => answer.Outcome != DnsOutcome.Success
                ? Array.Empty<string>()
                : answer.RecordsOf<DnsTxtRecord>().Select(t => t.Text).Where(SpfParser.IsSpfRecord).ToArray();

        /// <summary>
        /// Visits one record's terms. <paramref name="inherited"/> is the qualifier of the
        /// top-level include that leads here (null in <see cref="Mode.Effective"/>);
        /// <paramref name="via"/> the include or redirect term that reached it, for error rows.
        /// </summary>
        private async Task WalkRecordAsync(string domain, string[] records, List<string> chain, Mode mode, SpfQualifier? inherited, string? via)
        {
            trace.Add($"{Path(chain)}: {records[0]}");
            if (records.Length > 1)
            {
                // RFC 7208 section 4.5: more than one record is a permerror, whichever would match.
                Stop(chain, domain, via ?? records[0], SpfIpRangeFindingCodes.SpfIpRangePermError, $"{domain} publishes {records.Length} SPF records; receivers return permerror and use none of them, so nothing from here on is authorized. Merge them into one record.");
                return;
            }

            SpfParsedRecord parsed = SpfParser.Parse(records[0]);
            if (!parsed.IsValid)
            {
                // RFC 7208 section 4.6: a syntax error anywhere makes the whole record a permerror.
                SpfSyntaxError error = parsed.Errors[0];
                Stop(chain, domain, via ?? error.Term ?? records[0], SpfIpRangeFindingCodes.SpfIpRangePermError, $"The record of {domain} has a syntax error ({error.Message}); receivers return permerror, so nothing from here on is authorized. Correct the term '{error.Term}'.");
                return;
            }

            bool hasAll = false;
            foreach (SpfMechanism mechanism in parsed.Mechanisms)
            {
                if (stopped)
                {
                    return;
                }

                if (mechanism.CountsTowardLookupLimit && !CountLookup(chain, domain, mechanism.Text))
                {
                    return;
                }

                // In the effective record every qualifier is a result; inside an include only a
                // pass term makes the included record pass, and then the include's qualifier applies.
                bool authorizes = mode == Mode.Effective || (mode == Mode.Authorizing && mechanism.Qualifier == SpfQualifier.Pass);
                SpfQualifier qualifier = mode == Mode.Effective ? mechanism.Qualifier : inherited.GetValueOrDefault();
                switch (mechanism.Kind)
                {
                    case SpfMechanismKind.All:
                        hasAll = true;
                        if (authorizes)
                        {
                            ReportAll(chain, domain, mechanism, qualifier);
                        }

                        break;
                    case SpfMechanismKind.Ip4:
                    case SpfMechanismKind.Ip6:
                        if (authorizes)
                        {
                            int prefix = mechanism.Kind == SpfMechanismKind.Ip4 ? mechanism.Ip4PrefixLength ?? 32 : mechanism.Ip6PrefixLength ?? 128;
                            AddNetwork(chain, domain, mechanism, qualifier, mechanism.Network!, prefix, null, null);
                        }

                        break;
                    case SpfMechanismKind.A:
                    case SpfMechanismKind.Mx:
                        await ResolveHostsAsync(chain, domain, mechanism, authorizes, qualifier).ConfigureAwait(false);
                        break;
                    case SpfMechanismKind.Ptr:
                        if (authorizes)
                        {
                            // RFC 7208 section 5.5: ptr matches by the client's validated reverse name.
                            AddNote(chain, domain, mechanism, qualifier, FindingSeverity.Warning, SpfIpRangeFindingCodes.SpfIpRangePtr, $"'{mechanism.Text}' matches clients by their reverse DNS name, so its networks cannot be listed; it is also deprecated. Ask the owner of {domain} for the ranges and replace it with ip4:/ip6:.");
                        }

                        break;
                    case SpfMechanismKind.Exists:
                        if (authorizes)
                        {
                            // RFC 7208 section 5.7: exists matches when a name (usually built from macros) resolves.
                            AddNote(chain, domain, mechanism, qualifier, FindingSeverity.Info, SpfIpRangeFindingCodes.SpfIpRangeExists, $"'{mechanism.Text}' matches when a name built for each message has an A record, so the clients it admits cannot be listed. Test a given address with Test-SpfRecord.");
                        }

                        break;
                    case SpfMechanismKind.Include:
                        await FollowAsync(chain, domain, mechanism.Text, mechanism.DomainSpec!, IncludeMode(mode, mechanism.Qualifier), mode == Mode.Effective ? mechanism.Qualifier : inherited, authorizes, qualifier, isRedirect: false).ConfigureAwait(false);
                        break;
                }

                if (hasAll)
                {
                    // RFC 7208 section 5.1: mechanisms after "all" are never evaluated, and
                    // section 6.1: redirect is ignored when the record has "all".
                    return;
                }
            }

            SpfModifier? redirect = parsed.Redirect;
            if (redirect is not null && !stopped)
            {
                // RFC 7208 section 4.6.4: redirect costs a lookup like include.
                if (!CountLookup(chain, domain, redirect.Text))
                {
                    return;
                }

                // RFC 7208 section 6.1: the target's result is this record's result, so its terms
                // count as this record's own, in the same mode.
                await FollowAsync(chain, domain, redirect.Text, redirect.Value, mode, inherited, mode != Mode.CountOnly, inherited, isRedirect: true).ConfigureAwait(false);
            }
        }

        private static Mode IncludeMode(Mode mode, SpfQualifier qualifier)
            => mode == Mode.Effective || (mode == Mode.Authorizing && qualifier == SpfQualifier.Pass) ? Mode.Authorizing : Mode.CountOnly;

        /// <summary>Follows an include or redirect: macro check, loop check, TXT lookup, recursion.</summary>
        private async Task FollowAsync(List<string> chain, string domain, string term, string domainSpec, Mode childMode, SpfQualifier? childInherited, bool reportNotes, SpfQualifier? noteQualifier, bool isRedirect)
        {
            if (domainSpec.IndexOf('%') >= 0)
            {
                // RFC 7208 section 7: the target depends on the sender and client of each message.
                if (reportNotes)
                {
                    Add(chain, domain, term, noteQualifier, FindingSeverity.Info, SpfIpRangeFindingCodes.SpfIpRangeMacro, $"'{term}' uses macros, so what it points to depends on each message and its networks cannot be listed. Test a given address with Test-SpfRecord.");
                }

                return;
            }

            string target = NormalizeTarget(domainSpec);
            if (chain.Skip(1).Select(TargetOf).Concat(new[] { chain[0] }).Any(d => string.Equals(d, target, StringComparison.OrdinalIgnoreCase)))
            {
                // RFC 7208 section 4.6.4: a loop repeats until the lookup limit ends it with permerror.
                Stop(chain, domain, term, SpfIpRangeFindingCodes.SpfIpRangePermError, $"'{term}' in {domain} leads back to {target}, which is already on the path ({Path(chain)}); receivers loop until the lookup limit and return permerror. Remove the include or redirect that closes the loop.");
                return;
            }

            DnsAnswer answer = await QueryAsync(target, DnsRecordType.TXT).ConfigureAwait(false);
            if (answer.IsFailure)
            {
                // RFC 7208 section 5.2 / 4.4: a DNS error fetching the target is a temperror.
                Add(chain, domain, term, null, FindingSeverity.Error, SpfIpRangeFindingCodes.SpfIpRangeDnsError, $"The TXT lookup for {target} ('{term}') failed ({answer.Outcome}); the networks it authorizes are unknown and receivers return temperror when they reach it. Run this again, or check the name servers of {target}.");
                return;
            }

            string[] records = SpfTexts(answer);
            if (records.Length == 0)
            {
                // RFC 7208 sections 5.2 and 6.1: an include or redirect target without a record is a permerror.
                Stop(chain, domain, term, SpfIpRangeFindingCodes.SpfIpRangePermError, $"'{term}' points to {target}, which publishes no SPF record; receivers return permerror when they reach it, so nothing from here on is authorized. Fix or remove the {(isRedirect ? "redirect" : "include")}.");
                return;
            }

            var childChain = new List<string>(chain) { term };
            await WalkRecordAsync(target, records, childChain, childMode, childInherited, term).ConfigureAwait(false);
        }

        /// <summary>The domain an include: or redirect= chain element points to.</summary>
        private static string TargetOf(string term)
        {
            int colon = term.IndexOf(':');
            int equals = term.IndexOf('=');
            int at = colon >= 0 && (equals < 0 || colon < equals) ? colon : equals;
            return at < 0 ? term : NormalizeTarget(term.Substring(at + 1));
        }

        /// <summary>Resolves a or mx to network rows (RFC 7208 sections 5.3 and 5.4).</summary>
        private async Task ResolveHostsAsync(List<string> chain, string domain, SpfMechanism mechanism, bool authorizes, SpfQualifier qualifier)
        {
            string spec = mechanism.DomainSpec ?? domain;
            if (spec.IndexOf('%') >= 0)
            {
                if (authorizes)
                {
                    Add(chain, domain, mechanism.Text, qualifier, FindingSeverity.Info, SpfIpRangeFindingCodes.SpfIpRangeMacro, $"'{mechanism.Text}' uses macros, so the host it resolves depends on each message and its addresses cannot be listed. Test a given address with Test-SpfRecord.");
                }

                return;
            }

            string target = NormalizeTarget(spec);
            int ip4Prefix = mechanism.Ip4PrefixLength ?? 32;
            int ip6Prefix = mechanism.Ip6PrefixLength ?? 128;
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            List<string> hosts;
            if (mechanism.Kind == SpfMechanismKind.Mx)
            {
                DnsAnswer mx = await QueryAsync(target, DnsRecordType.MX).ConfigureAwait(false);
                if (mx.IsFailure)
                {
                    AddDnsError(chain, domain, mechanism, mx, target);
                    return;
                }

                if (mx.IsVoid)
                {
                    CountVoid(chain, domain, mechanism, target, authorizes, "MX records");
                    return;
                }

                hosts = mx.RecordsOf<DnsMxRecord>().OrderBy(r => r.Preference).Select(r => r.Exchange).Where(e => e.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                if (mx.RecordsOf<DnsMxRecord>().Count() > SpfRecordAnalyzer.MxNameLimit)
                {
                    // RFC 7208 section 4.6.4: more than 10 MX names make the mx mechanism a permerror.
                    Stop(chain, domain, mechanism.Text, SpfIpRangeFindingCodes.SpfIpRangePermError, $"'{mechanism.Text}' resolves to more than {SpfRecordAnalyzer.MxNameLimit} MX names; receivers return permerror when they reach it, so nothing from here on is authorized. Replace it with ip4:/ip6: ranges.");
                    return;
                }
            }
            else
            {
                hosts = new List<string> { target };
            }

            // RFC 7208 section 5.3/5.4: A records for IPv4 clients, AAAA for IPv6 clients; both are listed.
            var queries = hosts.Select(h => (Host: h, A: QueryAsync(h, DnsRecordType.A), Aaaa: QueryAsync(h, DnsRecordType.AAAA))).ToList();
            await Task.WhenAll(queries.SelectMany(q => new[] { q.A, q.Aaaa })).ConfigureAwait(false);
            bool any = false;
            foreach (var lookup in queries)
            {
                foreach (DnsAnswer answer in new[] { lookup.A.Result, lookup.Aaaa.Result })
                {
                    if (answer.IsFailure)
                    {
                        AddDnsError(chain, domain, mechanism, answer, lookup.Host);
                        continue;
                    }

                    foreach (DnsAddressRecord record in answer.RecordsOf<DnsAddressRecord>())
                    {
                        any = true;
                        bool v6 = record.Address.AddressFamily == AddressFamily.InterNetworkV6;
                        if (authorizes)
                        {
                            AddNetwork(chain, domain, mechanism, qualifier, record.Address, v6 ? ip6Prefix : ip4Prefix, lookup.Host, seen);
                        }
                    }
                }
            }

            if (!any && mechanism.Kind == SpfMechanismKind.A && queries.All(q => q.A.Result.IsVoid && q.Aaaa.Result.IsVoid))
            {
                CountVoid(chain, domain, mechanism, target, authorizes, "addresses");
            }
        }

        private void CountVoid(List<string> chain, string domain, SpfMechanism mechanism, string target, bool authorizes, string what)
        {
            // RFC 7208 section 4.6.4: more than two void lookups is a permerror.
            if (++voids > SpfRecordAnalyzer.VoidLookupLimit)
            {
                Stop(chain, domain, mechanism.Text, SpfIpRangeFindingCodes.SpfIpRangeVoidLookupLimit, $"'{mechanism.Text}' is void lookup number {voids} ({target} has no {what}); receivers allow {SpfRecordAnalyzer.VoidLookupLimit} and return permerror here, so nothing from here on is authorized. Remove the terms that point to names without records.");
                return;
            }

            if (authorizes)
            {
                Add(chain, domain, mechanism.Text, null, FindingSeverity.Warning, SpfIpRangeFindingCodes.SpfIpRangeVoidLookup, $"'{mechanism.Text}' looks up {target}, which has no {what}; the term authorizes nothing and counts toward the limit of {SpfRecordAnalyzer.VoidLookupLimit} void lookups. Remove it or correct the name.");
            }
        }

        private void AddDnsError(List<string> chain, string domain, SpfMechanism mechanism, DnsAnswer answer, string host)
            => Add(chain, domain, mechanism.Text, null, FindingSeverity.Error, SpfIpRangeFindingCodes.SpfIpRangeDnsError, $"The {answer.Type} lookup for {host} ('{mechanism.Text}') failed ({answer.Outcome}); the addresses it authorizes are unknown and receivers return temperror when they reach it. Run this again, or check the name servers of {host}.", host);

        /// <summary>Counts one DNS-querying term; past the limit adds the stop row and returns false.</summary>
        private bool CountLookup(List<string> chain, string domain, string term)
        {
            // RFC 7208 section 4.6.4: include, a, mx, ptr, exists and redirect each cost one
            // lookup; the 11th makes check_host() return permerror.
            if (++lookups > SpfRecordAnalyzer.LookupLimit)
            {
                Stop(chain, domain, term, SpfIpRangeFindingCodes.SpfIpRangeLookupLimit, $"'{term}' is DNS lookup number {lookups}; receivers stop at {SpfRecordAnalyzer.LookupLimit} and return permerror, so it and every term after it authorize nothing. Shorten the record (remove unused includes, replace a and mx with ip4:/ip6:).");
                return false;
            }

            return true;
        }

        private void ReportAll(List<string> chain, string domain, SpfMechanism all, SpfQualifier qualifier)
        {
            if (qualifier == SpfQualifier.Pass)
            {
                // RFC 7208 section 5.1: a passing "all" authorizes every host there is.
                AddNote(chain, domain, all, qualifier, FindingSeverity.Error, SpfIpRangeFindingCodes.SpfIpRangeAll, $"'{all.Text}' in {domain} authorizes every address on the internet (0.0.0.0/0 and ::/0); no allowlist should be built from it. Remove it, or end the record with '~all' or '-all'.");
            }
            else
            {
                AddNote(chain, domain, all, qualifier, FindingSeverity.Info, SpfIpRangeFindingCodes.SpfIpRangeAll, $"'{all.Text}' gives {qualifier} to every address not matched by the rows before it; it is the policy's default, not a network.");
            }
        }

        private void AddNetwork(List<string> chain, string domain, SpfMechanism mechanism, SpfQualifier qualifier, IPAddress address, int prefix, string? host, HashSet<string>? seen)
        {
            string cidr = ToCidr(address, prefix);
            if (seen is not null && !seen.Add(cidr))
            {
                // Two MX hosts in one /24 make one network for this term.
                return;
            }

            var family = address.AddressFamily == AddressFamily.InterNetworkV6 ? SpfIpRangeAddressFamily.IPv6 : SpfIpRangeAddressFamily.IPv4;
            rows.Add(new SpfIpRange(root, cidr, family, prefix, qualifier, mechanism.Text, host, chain.ToArray(), domain, null));
            trace.Add($"{Path(chain)}: '{mechanism.Text}' -> {cidr} ({qualifier}){(host is null ? string.Empty : " via " + host)}");
        }

        private void AddNote(List<string> chain, string domain, SpfMechanism mechanism, SpfQualifier? qualifier, FindingSeverity severity, string code, string message)
            => Add(chain, domain, mechanism.Text, qualifier, severity, code, message);

        private void Add(List<string> chain, string domain, string term, SpfQualifier? qualifier, FindingSeverity severity, string code, string message, string? host = null)
        {
            rows.Add(new SpfIpRange(root, null, null, null, qualifier, term, host, chain.ToArray(), domain, new Finding(severity, code, message, term)));
            trace.Add($"{Path(chain)}: '{term}' not listed as a network: {code}");
        }

        private void Stop(List<string> chain, string domain, string term, string code, string message)
        {
            Add(chain, domain, term, null, FindingSeverity.Error, code, message);
            stopped = true;
            trace.Add($"{Path(chain)}: walk stopped at '{term}' ({code}).");
        }

        private static string Path(List<string> chain) => string.Join(" > ", chain);

        private static string NormalizeTarget(string domainSpec)
            => DomainName.TryNormalize(domainSpec, out string normalized, out _)
                ? normalized
                : domainSpec.Trim().TrimEnd('.').ToLowerInvariant();

        /// <summary>Asks one question; failures come back as outcomes, never as exceptions.</summary>
        private Task<DnsAnswer> QueryAsync(string name, DnsRecordType type)
            => resolver.QueryGuardedAsync(name, type, cancellationToken);
    }
}
