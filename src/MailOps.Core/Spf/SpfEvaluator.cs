using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MailOps.Core.Dns;

namespace MailOps.Core.Spf;

/// <summary>
/// check_host() of RFC 7208 sections 4 and 5: finds the record, evaluates its mechanisms in
/// order, follows include and redirect, applies the processing limits of section 4.6.4 and
/// expands the explanation on Fail. It depends only on <see cref="IDnsResolver"/>, so the same
/// engine runs against real DNS, a test server or an in-memory fake; DNS failures come back
/// as TempError, never as exceptions.
/// </summary>
public sealed class SpfEvaluator
{
    /// <summary>A guard against runaway recursion when a caller raises the lookup limit very high.</summary>
    private const int MaxDepth = 64;

    private readonly IDnsResolver resolver;
    private readonly SpfEvaluatorOptions options;

    /// <summary>Creates an evaluator that asks <paramref name="resolver"/> every DNS question.</summary>
    public SpfEvaluator(IDnsResolver resolver, SpfEvaluatorOptions? options = null)
    {
        this.resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        this.options = options ?? new SpfEvaluatorOptions();
    }

    /// <summary>
    /// Runs check_host() for <paramref name="request"/>. Never throws for DNS problems or bad
    /// records (they become TempError/PermError); throws <see cref="OperationCanceledException"/>
    /// when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async Task<SpfCheckResult> CheckHostAsync(SpfCheckRequest request, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        if (request.IPAddress is null)
        {
            throw new ArgumentException("The request has no IP address.", nameof(request));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var ip = NormalizeAddress(request.IPAddress);
        var domain = string.IsNullOrEmpty(request.Domain) ? DomainOf(request.Sender, request.HeloName) : request.Domain;
        var context = new SpfMacroContext(
            request.Sender,
            domain,
            ip,
            request.HeloName,
            validatedDomain: null,
            request.ReceiverName,
            options.Clock?.Invoke() ?? DateTimeOffset.UtcNow);
        var check = new Check(this, context, cancellationToken);

        // Section 4.3: a trailing dot is the root label, not part of the name.
        var name = domain.EndsWith(".", StringComparison.Ordinal) ? domain.Substring(0, domain.Length - 1) : domain;
        var outcome = await check.EvaluateAsync(name, request.Record, 0, wantExplanation: true).ConfigureAwait(false);

        var explanation = outcome.Explanation;
        if (outcome.Result == SpfResult.Fail && explanation is null && options.DefaultExplanation is not null)
        {
            // Section 6.2: without a usable exp= the receiver may use a default explanation.
            explanation = await check.ExpandDefaultExplanationAsync(options.DefaultExplanation).ConfigureAwait(false);
        }

        check.Trace($"result {outcome.Result.ToString().ToLowerInvariant()}" + (outcome.Error is null ? string.Empty : $" ({outcome.Error})"));
        return new SpfCheckResult(
            name,
            ip,
            context.Sender,
            request.HeloName,
            outcome.Result,
            outcome.Mechanism,
            explanation,
            check.Lookups,
            check.VoidLookups,
            check.TraceLines.ToArray(),
            check.TopRecord,
            outcome.Error);
    }

    /// <summary>Section 5: an IPv4-mapped IPv6 address is an IPv4 client; zone indexes mean nothing to SPF.</summary>
    private static IPAddress NormalizeAddress(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0
            ? new IPAddress(address.GetAddressBytes())
            : address;
    }

    /// <summary>Section 2.4: the MAIL FROM domain, or the HELO name for the null sender.</summary>
    private static string DomainOf(string? sender, string? heloName)
    {
        if (!string.IsNullOrEmpty(sender))
        {
            var at = sender!.LastIndexOf('@');
            return at < 0 ? sender : sender.Substring(at + 1);
        }

        return heloName ?? string.Empty;
    }

    /// <summary>
    /// Section 4.3: check_host() returns None for a malformed domain: empty label, label longer
    /// than 63 characters, not multi-label. A top label that is not a valid toplabel (an address
    /// literal such as "[192.0.2.1]" or a bare IP) cannot be a domain either.
    /// </summary>
    private static bool IsValidDomain(string name, out string? reason)
    {
        reason = null;
        if (name.Length == 0)
        {
            reason = "the domain is empty";
        }
        else if (name.Length > 253)
        {
            reason = "the domain is longer than 253 characters";
        }
        else
        {
            var labels = name.Split('.');
            if (labels.Length < 2)
            {
                reason = "the domain is not a multi-label (fully qualified) name";
            }
            else if (labels.Any(l => l.Length == 0))
            {
                reason = "the domain has an empty label";
            }
            else if (labels.Any(l => l.Length > 63))
            {
                reason = "the domain has a label longer than 63 characters";
            }
            else if (name.Any(c => c <= ' ' || c > '\x7e'))
            {
                reason = "the domain contains spaces, control or non-ASCII characters";
            }
            else if (!SpfParser.IsTopLabel(labels[labels.Length - 1]))
            {
                reason = "the domain's top-level label is not a name (an address literal?)";
            }
        }

        return reason is null;
    }

    /// <summary>
    /// Whether a target name can be put in a DNS question at all. Section 4.8 and the RFC 1035
    /// label rules: a name with an empty label or a label over 63 octets does not exist.
    /// </summary>
    private static bool IsQueryable(string name)
    {
        if (name.Length == 0 || name.Length > 253)
        {
            return false;
        }

        foreach (var label in name.Split('.'))
        {
            if (label.Length == 0 || label.Length > 63)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when <paramref name="address"/> lies in <paramref name="network"/>/<paramref name="prefix"/> (section 5.6).</summary>
    private static bool InNetwork(IPAddress address, IPAddress network, int prefix)
    {
        if (address.AddressFamily != network.AddressFamily)
        {
            return false;
        }

        var a = address.GetAddressBytes();
        var n = network.GetAddressBytes();
        var bytes = prefix / 8;
        for (var i = 0; i < bytes; i++)
        {
            if (a[i] != n[i])
            {
                return false;
            }
        }

        var bits = prefix % 8;
        if (bits == 0)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - bits));
        return (a[bytes] & mask) == (n[bytes] & mask);
    }

    /// <summary>Section 5.5: the reverse-lookup name, in-addr.arpa for IPv4 and nibbles under ip6.arpa for IPv6.</summary>
    private static string ReverseName(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        var text = new StringBuilder();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            for (var i = bytes.Length - 1; i >= 0; i--)
            {
                text.Append(bytes[i]).Append('.');
            }

            return text.Append("in-addr.arpa").ToString();
        }

        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            text.Append("0123456789abcdef"[bytes[i] & 0xF]).Append('.').Append("0123456789abcdef"[bytes[i] >> 4]).Append('.');
        }

        return text.Append("ip6.arpa").ToString();
    }

    /// <summary>Compares names the way DNS does: case-insensitive, trailing dot ignored.</summary>
    private static string Canonical(string name) => (name.EndsWith(".", StringComparison.Ordinal) ? name.Substring(0, name.Length - 1) : name).ToLowerInvariant();

    /// <summary>True when <paramref name="name"/> is <paramref name="domain"/> or one of its subdomains (section 5.5).</summary>
    private static bool IsSameOrSubdomain(string name, string domain)
    {
        var n = Canonical(name);
        var d = Canonical(domain);
        return n == d || n.EndsWith("." + d, StringComparison.Ordinal);
    }

    private static SpfResult ResultOf(SpfQualifier qualifier)
    {
        switch (qualifier)
        {
            case SpfQualifier.Fail: return SpfResult.Fail;
            case SpfQualifier.SoftFail: return SpfResult.SoftFail;
            case SpfQualifier.Neutral: return SpfResult.Neutral;
            default: return SpfResult.Pass;
        }
    }

    private static string Describe(DnsAnswer answer)
    {
        if (answer.Outcome != DnsOutcome.Success)
        {
            return answer.Outcome + (answer.Error is null ? string.Empty : $" ({answer.Error})");
        }

        var values = answer.Records.Select(r => r switch
        {
            DnsAddressRecord a => a.Address.ToString(),
            DnsMxRecord m => $"{m.Preference} {(m.Exchange.Length == 0 ? "." : m.Exchange)}",
            DnsTxtRecord t => "\"" + t.Text + "\"",
            DnsNameRecord n => n.Target,
            _ => r.Type.ToString(),
        });
        return string.Join(", ", values);
    }

    /// <summary>The outcome of one check_host() level: a result, the deciding term, an explanation, a reason.</summary>
    private sealed class Outcome
    {
        public Outcome(SpfResult result, string? mechanism = null, string? explanation = null, string? error = null)
        {
            Result = result;
            Mechanism = mechanism;
            Explanation = explanation;
            Error = error;
        }

        public SpfResult Result { get; }

        public string? Mechanism { get; }

        public string? Explanation { get; }

        public string? Error { get; }
    }

    private enum MatchKind
    {
        NoMatch,
        Match,
        TempError,
        PermError,
    }

    /// <summary>How one mechanism ended; errors end the whole check (sections 4.6.2 and 5).</summary>
    private readonly struct MatchOutcome
    {
        private MatchOutcome(MatchKind kind, string? error)
        {
            Kind = kind;
            Error = error;
        }

        public MatchKind Kind { get; }

        public string? Error { get; }

        public static MatchOutcome Match => new MatchOutcome(MatchKind.Match, null);

        public static MatchOutcome NoMatch => new MatchOutcome(MatchKind.NoMatch, null);

        public static MatchOutcome If(bool matched) => matched ? Match : NoMatch;

        public static MatchOutcome Temp(string error) => new MatchOutcome(MatchKind.TempError, error);

        public static MatchOutcome Perm(string error) => new MatchOutcome(MatchKind.PermError, error);
    }

    /// <summary>The state of one check_host() run: shared counters, the trace and the "p" cache.</summary>
    private sealed class Check
    {
        private readonly SpfEvaluator owner;
        private readonly SpfMacroContext root;
        private readonly CancellationToken cancellationToken;
        private List<string>? validatedNames;

        public Check(SpfEvaluator owner, SpfMacroContext root, CancellationToken cancellationToken)
        {
            this.owner = owner;
            this.root = root;
            this.cancellationToken = cancellationToken;
        }

        public int Lookups { get; private set; }

        public int VoidLookups { get; private set; }

        public List<string> TraceLines { get; } = new List<string>();

        public string? TopRecord { get; private set; }

        private SpfEvaluatorOptions Options => owner.options;

        public void Trace(string line) => TraceLines.Add(line);

        /// <summary>check_host(&lt;ip&gt;, &lt;domain&gt;, &lt;sender&gt;) for one domain (section 4).</summary>
        public async Task<Outcome> EvaluateAsync(string domain, string? givenRecord, int depth, bool wantExplanation)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var indent = new string(' ', depth * 2);
            if (depth > MaxDepth)
            {
                return Fail(indent, SpfResult.PermError, $"include/redirect nesting deeper than {MaxDepth}");
            }

            if (!IsValidDomain(domain, out var reason))
            {
                // Section 4.3: a malformed domain gives None, not an error.
                return Fail(indent, SpfResult.None, $"'{domain}': {reason} (RFC 7208 section 4.3)");
            }

            string recordText;
            if (givenRecord is not null)
            {
                Trace($"{indent}record given for {domain} -> {givenRecord}");
                if (!SpfParser.IsSpfRecord(givenRecord))
                {
                    return Fail(indent, SpfResult.None, "the given record does not start with \"v=spf1\" (RFC 7208 section 4.5)");
                }

                recordText = givenRecord;
            }
            else
            {
                // Section 4.4: only TXT is asked; type 99 SPF records are never queried (section 3.1).
                var answer = await QueryAsync(domain, DnsRecordType.TXT, indent).ConfigureAwait(false);
                if (answer.IsFailure)
                {
                    return Fail(indent, SpfResult.TempError, $"the TXT lookup of {domain} failed: {answer.Outcome} (RFC 7208 section 4.4)");
                }

                // Section 4.5: records not starting with "v=spf1" are discarded; strings are already joined.
                var records = answer.RecordsOf<DnsTxtRecord>().Select(r => r.Text).Where(SpfParser.IsSpfRecord).ToList();
                if (records.Count == 0)
                {
                    return Fail(indent, SpfResult.None, $"{domain} has no SPF record (RFC 7208 section 4.5)");
                }

                if (records.Count > 1)
                {
                    return Fail(indent, SpfResult.PermError, $"{domain} has {records.Count} SPF records; there must be one (RFC 7208 section 4.5)");
                }

                recordText = records[0];
            }

            if (depth == 0)
            {
                TopRecord = recordText;
            }

            // Section 4.6: the whole record is parsed first; a syntax error anywhere is a permerror
            // even when an earlier mechanism would have matched.
            var parsed = SpfParser.Parse(recordText);
            if (!parsed.IsValid)
            {
                return Fail(indent, SpfResult.PermError, $"syntax error in the record of {domain}: {parsed.Errors[0]}");
            }

            var context = root.WithDomain(domain);
            foreach (var mechanism in parsed.Mechanisms)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (mechanism.CountsTowardLookupLimit && !CountLookup(mechanism.Text, indent, out var limit))
                {
                    return limit!;
                }

                var match = await MatchAsync(mechanism, context, depth, indent).ConfigureAwait(false);
                switch (match.Kind)
                {
                    case MatchKind.TempError:
                        return Fail(indent, SpfResult.TempError, match.Error!);
                    case MatchKind.PermError:
                        return Fail(indent, SpfResult.PermError, match.Error!);
                    case MatchKind.NoMatch:
                        Trace($"{indent}{mechanism.Text} did not match");
                        continue;
                }

                // Section 4.6.2: the first matching mechanism decides; its qualifier is the result.
                var result = ResultOf(mechanism.Qualifier);
                Trace($"{indent}{mechanism.Text} matched -> {result.ToString().ToLowerInvariant()}");
                string? explanation = null;
                if (result == SpfResult.Fail && wantExplanation && parsed.Explanation is not null)
                {
                    explanation = await ExplainAsync(parsed.Explanation, context, indent).ConfigureAwait(false);
                }

                return new Outcome(result, mechanism.Text, explanation);
            }

            // Section 6.1: redirect applies only when no mechanism matched (an "all" always matches,
            // so a record with "all" never gets here).
            if (parsed.Redirect is { } redirect)
            {
                if (!CountLookup(redirect.Text, indent, out var limit))
                {
                    return limit!;
                }

                var target = await ExpandTargetAsync(redirect.Value, context).ConfigureAwait(false);
                if (target is null)
                {
                    return Fail(indent, SpfResult.PermError, $"'{redirect.Text}' could not be expanded");
                }

                Trace($"{indent}{redirect.Text} -> {target}");
                var redirected = await EvaluateAsync(target, null, depth + 1, wantExplanation).ConfigureAwait(false);
                if (redirected.Result == SpfResult.None)
                {
                    // Section 6.1: a redirect target without an SPF record is a permerror.
                    return Fail(indent, SpfResult.PermError, $"the redirect target {target} has no SPF record (RFC 7208 section 6.1)");
                }

                // Section 6.1: the result of the redirected check_host() is the result.
                return redirected;
            }

            // Section 4.7: no match and no redirect gives Neutral.
            Trace($"{indent}no mechanism matched -> neutral (default)");
            return new Outcome(SpfResult.Neutral, "default");
        }

        /// <summary>Expands the receiver's default explanation, or returns it as it is when it is not valid macro text.</summary>
        public async Task<string> ExpandDefaultExplanationAsync(string text)
        {
            var context = await WithValidatedDomainAsync(text, root).ConfigureAwait(false);
            return SpfMacro.TryExpandExplanation(text, context, out var expanded, out _) ? expanded : text;
        }

        private Outcome Fail(string indent, SpfResult result, string error)
        {
            Trace($"{indent}{result.ToString().ToLowerInvariant()}: {error}");
            return new Outcome(result, error: error);
        }

        /// <summary>Section 4.6.4: at most 10 DNS-querying terms per check, counted as they are evaluated.</summary>
        private bool CountLookup(string term, string indent, out Outcome? limit)
        {
            limit = null;
            Lookups++;
            if (Lookups > Options.MaxDnsLookups)
            {
                limit = Fail(indent, SpfResult.PermError, $"'{term}' is DNS-querying term number {Lookups}; the limit is {Options.MaxDnsLookups} (RFC 7208 section 4.6.4)");
                return false;
            }

            return true;
        }

        /// <summary>Section 4.6.4: lookups that return NXDOMAIN or no records are limited to 2.</summary>
        private bool CountVoid(string name, DnsRecordType type, out MatchOutcome limit)
        {
            limit = MatchOutcome.NoMatch;
            VoidLookups++;
            if (VoidLookups > Options.MaxVoidLookups)
            {
                limit = MatchOutcome.Perm($"{type} {name} is void lookup number {VoidLookups}; the limit is {Options.MaxVoidLookups} (RFC 7208 section 4.6.4)");
                return false;
            }

            return true;
        }

        private async Task<MatchOutcome> MatchAsync(SpfMechanism mechanism, SpfMacroContext context, int depth, string indent)
        {
            var ip = context.IPAddress;
            switch (mechanism.Kind)
            {
                case SpfMechanismKind.All:
                    // Section 5.1: "all" always matches.
                    return MatchOutcome.Match;

                case SpfMechanismKind.Ip4:
                    // Section 5.6: ip4 matches only IPv4 clients (IPv4-mapped ones included, section 5).
                    return MatchOutcome.If(!context.IsIPv6 && InNetwork(ip, mechanism.Network!, mechanism.Ip4PrefixLength ?? 32));

                case SpfMechanismKind.Ip6:
                    // Section 5.6: ip6 matches only IPv6 clients.
                    return MatchOutcome.If(context.IsIPv6 && InNetwork(ip, mechanism.Network!, mechanism.Ip6PrefixLength ?? 128));
            }

            var target = mechanism.DomainSpec is null ? context.Domain : await ExpandTargetAsync(mechanism.DomainSpec, context).ConfigureAwait(false);
            if (target is null)
            {
                return MatchOutcome.Perm($"'{mechanism.Text}' could not be expanded");
            }

            switch (mechanism.Kind)
            {
                case SpfMechanismKind.Include:
                    return await MatchIncludeAsync(mechanism, target, depth, indent).ConfigureAwait(false);
                case SpfMechanismKind.A:
                    return await MatchAddressesAsync(mechanism, target, context, indent).ConfigureAwait(false);
                case SpfMechanismKind.Mx:
                    return await MatchMxAsync(mechanism, target, context, indent).ConfigureAwait(false);
                case SpfMechanismKind.Ptr:
                    return await MatchPtrAsync(target, context, indent).ConfigureAwait(false);
                default:
                    return await MatchExistsAsync(target, indent).ConfigureAwait(false);
            }
        }

        /// <summary>Section 5.2: include runs check_host() for the target and maps its result.</summary>
        private async Task<MatchOutcome> MatchIncludeAsync(SpfMechanism mechanism, string target, int depth, string indent)
        {
            Trace($"{indent}{mechanism.Text} -> check {target}");
            var included = await EvaluateAsync(target, null, depth + 1, wantExplanation: false).ConfigureAwait(false);
            Trace($"{indent}{mechanism.Text} -> {included.Result.ToString().ToLowerInvariant()}");
            switch (included.Result)
            {
                case SpfResult.Pass:
                    return MatchOutcome.Match;
                case SpfResult.Fail:
                case SpfResult.SoftFail:
                case SpfResult.Neutral:
                    return MatchOutcome.NoMatch;
                case SpfResult.TempError:
                    return MatchOutcome.Temp($"'{mechanism.Text}': {included.Error}");
                case SpfResult.None:
                    return MatchOutcome.Perm($"'{mechanism.Text}': {target} has no SPF record (RFC 7208 section 5.2)");
                default:
                    return MatchOutcome.Perm($"'{mechanism.Text}': {included.Error}");
            }
        }

        /// <summary>
        /// Section 5.3: "a" matches when any address of the target is in the client's network: A
        /// records for IPv4 clients, AAAA for IPv6, with the dual CIDR length of the mechanism.
        /// </summary>
        private async Task<MatchOutcome> MatchAddressesAsync(SpfMechanism mechanism, string target, SpfMacroContext context, string indent)
        {
            var type = context.IsIPv6 ? DnsRecordType.AAAA : DnsRecordType.A;
            if (!IsQueryable(target))
            {
                // Section 4.8: a target that is not a valid DNS name is treated as non-existent.
                Trace($"{indent}{type} {target} -> not a valid DNS name, treated as non-existent");
                return MatchOutcome.NoMatch;
            }

            var answer = await QueryAsync(target, type, indent).ConfigureAwait(false);
            if (answer.IsFailure)
            {
                return MatchOutcome.Temp($"'{mechanism.Text}': {type} {target} failed: {answer.Outcome} (RFC 7208 section 5)");
            }

            if (answer.IsVoid)
            {
                return CountVoid(target, type, out var limit) ? MatchOutcome.NoMatch : limit;
            }

            var prefix = context.IsIPv6 ? mechanism.Ip6PrefixLength ?? 128 : mechanism.Ip4PrefixLength ?? 32;
            return MatchOutcome.If(answer.RecordsOf<DnsAddressRecord>().Any(r => r.Address is not null && InNetwork(context.IPAddress, r.Address, prefix)));
        }

        /// <summary>
        /// Section 5.4: "mx" matches the addresses of the target's mail exchangers. More than 10 MX
        /// names is a permerror (section 4.6.4); a null MX (RFC 7505) names no host.
        /// </summary>
        private async Task<MatchOutcome> MatchMxAsync(SpfMechanism mechanism, string target, SpfMacroContext context, string indent)
        {
            if (!IsQueryable(target))
            {
                Trace($"{indent}MX {target} -> not a valid DNS name, treated as non-existent");
                return MatchOutcome.NoMatch;
            }

            var answer = await QueryAsync(target, DnsRecordType.MX, indent).ConfigureAwait(false);
            if (answer.IsFailure)
            {
                return MatchOutcome.Temp($"'{mechanism.Text}': MX {target} failed: {answer.Outcome} (RFC 7208 section 5)");
            }

            if (answer.IsVoid)
            {
                return CountVoid(target, DnsRecordType.MX, out var limit) ? MatchOutcome.NoMatch : limit;
            }

            var exchanges = answer.RecordsOf<DnsMxRecord>()
                .Where(r => !string.IsNullOrEmpty(r.Exchange) && r.Exchange != ".")
                .OrderBy(r => r.Preference)
                .Select(r => r.Exchange)
                .ToList();
            if (exchanges.Count > Options.MaxNamesPerLookup)
            {
                return MatchOutcome.Perm($"'{mechanism.Text}': {target} has {exchanges.Count} MX names; at most {Options.MaxNamesPerLookup} may be looked up (RFC 7208 section 4.6.4)");
            }

            var type = context.IsIPv6 ? DnsRecordType.AAAA : DnsRecordType.A;
            var prefix = context.IsIPv6 ? mechanism.Ip6PrefixLength ?? 128 : mechanism.Ip4PrefixLength ?? 32;
            foreach (var exchange in exchanges)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!IsQueryable(exchange))
                {
                    continue;
                }

                var addresses = await QueryAsync(exchange, type, indent).ConfigureAwait(false);
                if (addresses.IsFailure)
                {
                    return MatchOutcome.Temp($"'{mechanism.Text}': {type} {exchange} failed: {addresses.Outcome} (RFC 7208 section 5)");
                }

                if (addresses.RecordsOf<DnsAddressRecord>().Any(r => r.Address is not null && InNetwork(context.IPAddress, r.Address, prefix)))
                {
                    return MatchOutcome.Match;
                }
            }

            return MatchOutcome.NoMatch;
        }

        /// <summary>
        /// Section 5.5: "ptr" matches when a validated reverse name of the client is the target or a
        /// subdomain of it. DNS errors here mean no match rather than temperror, and only the first
        /// 10 PTR names are considered (section 4.6.4).
        /// </summary>
        private async Task<MatchOutcome> MatchPtrAsync(string target, SpfMacroContext context, string indent)
        {
            var reverse = ReverseName(context.IPAddress);
            var answer = await QueryAsync(reverse, DnsRecordType.PTR, indent).ConfigureAwait(false);
            if (answer.IsFailure)
            {
                return MatchOutcome.NoMatch;
            }

            if (answer.IsVoid)
            {
                return CountVoid(reverse, DnsRecordType.PTR, out var limit) ? MatchOutcome.NoMatch : limit;
            }

            var names = answer.RecordsOf<DnsNameRecord>().Select(r => r.Target).Where(t => !string.IsNullOrEmpty(t)).Take(Options.MaxNamesPerLookup);
            foreach (var name in names)
            {
                // Only names under the target can make the mechanism match, so only those are validated.
                if (IsSameOrSubdomain(name, target) && await IsValidatedAsync(name, context, indent).ConfigureAwait(false))
                {
                    Trace($"{indent}{name} is a validated name of {context.IPAddress} under {target}");
                    return MatchOutcome.Match;
                }
            }

            return MatchOutcome.NoMatch;
        }

        /// <summary>Section 5.7: "exists" matches when the target has an A record, whatever the client's family.</summary>
        private async Task<MatchOutcome> MatchExistsAsync(string target, string indent)
        {
            if (!IsQueryable(target))
            {
                Trace($"{indent}A {target} -> not a valid DNS name, treated as non-existent");
                return MatchOutcome.NoMatch;
            }

            var answer = await QueryAsync(target, DnsRecordType.A, indent).ConfigureAwait(false);
            if (answer.IsFailure)
            {
                return MatchOutcome.Temp($"exists: A {target} failed: {answer.Outcome} (RFC 7208 section 5)");
            }

            if (answer.IsVoid)
            {
                return CountVoid(target, DnsRecordType.A, out var limit) ? MatchOutcome.NoMatch : limit;
            }

            return MatchOutcome.If(answer.RecordsOf<DnsAddressRecord>().Any());
        }

        /// <summary>Section 5.5: a PTR name is validated when one of its addresses is the client's.</summary>
        private async Task<bool> IsValidatedAsync(string name, SpfMacroContext context, string indent)
        {
            var host = Canonical(name);
            if (!IsQueryable(host))
            {
                return false;
            }

            var type = context.IsIPv6 ? DnsRecordType.AAAA : DnsRecordType.A;
            var answer = await QueryAsync(host, type, indent).ConfigureAwait(false);

            // Section 5.5: "If a DNS error occurs while doing an A RR lookup, then that domain name is skipped."
            return answer.Outcome == DnsOutcome.Success
                && answer.RecordsOf<DnsAddressRecord>().Any(r => r.Address is not null && r.Address.Equals(context.IPAddress));
        }

        /// <summary>
        /// Section 6.2: the explanation on Fail. Any problem (DNS error, no or several TXT records,
        /// bad macro text) silently gives no explanation; it is never an error.
        /// </summary>
        private async Task<string?> ExplainAsync(SpfModifier exp, SpfMacroContext context, string indent)
        {
            var target = await ExpandTargetAsync(exp.Value, context).ConfigureAwait(false);
            if (target is null || !IsQueryable(target))
            {
                Trace($"{indent}{exp.Text}: not a usable name, no explanation");
                return null;
            }

            var answer = await QueryAsync(target, DnsRecordType.TXT, indent).ConfigureAwait(false);
            var texts = answer.RecordsOf<DnsTxtRecord>().ToList();
            if (answer.Outcome != DnsOutcome.Success || texts.Count != 1)
            {
                Trace($"{indent}{exp.Text}: {(answer.Outcome == DnsOutcome.Success ? texts.Count + " TXT records" : answer.Outcome.ToString())}; there must be exactly one, no explanation");
                return null;
            }

            var text = texts[0].Text;
            var withP = await WithValidatedDomainAsync(text, context).ConfigureAwait(false);
            if (!SpfMacro.TryExpandExplanation(text, withP, out var expanded, out var error))
            {
                Trace($"{indent}{exp.Text}: {error}; no explanation");
                return null;
            }

            Trace($"{indent}explanation: {expanded}");
            return expanded;
        }

        /// <summary>Expands a domain-spec into a target name (section 4.8), finding "p" first when it is used.</summary>
        private async Task<string?> ExpandTargetAsync(string domainSpec, SpfMacroContext context)
        {
            var withP = await WithValidatedDomainAsync(domainSpec, context).ConfigureAwait(false);
            return SpfMacro.TryExpandDomainSpec(domainSpec, withP, out var target, out _) ? target : null;
        }

        /// <summary>
        /// Section 7.3: "p" is the validated name of the client: the current domain if it is one of
        /// the validated names, else a subdomain of it, else any; "unknown" when there is none. Its
        /// lookups do not count as terms, but only the first 10 PTR names are used (section 4.6.4).
        /// </summary>
        private async Task<SpfMacroContext> WithValidatedDomainAsync(string macroString, SpfMacroContext context)
        {
            if (!SpfMacro.UsesValidatedDomain(macroString))
            {
                return context;
            }

            if (validatedNames is null)
            {
                validatedNames = new List<string>();
                var reverse = ReverseName(context.IPAddress);
                var answer = await QueryAsync(reverse, DnsRecordType.PTR, "  ").ConfigureAwait(false);
                if (answer.Outcome == DnsOutcome.Success)
                {
                    foreach (var name in answer.RecordsOf<DnsNameRecord>().Select(r => r.Target).Where(t => !string.IsNullOrEmpty(t)).Take(Options.MaxNamesPerLookup))
                    {
                        if (await IsValidatedAsync(name, context, "  ").ConfigureAwait(false))
                        {
                            validatedNames.Add(Canonical(name));
                        }
                    }
                }
            }

            var domain = Canonical(context.Domain);
            var chosen = validatedNames.FirstOrDefault(n => n == domain)
                ?? validatedNames.FirstOrDefault(n => IsSameOrSubdomain(n, domain))
                ?? validatedNames.FirstOrDefault();
            return context.WithValidatedDomain(chosen);
        }

        /// <summary>Asks the resolver, turning anything but cancellation into a failed answer (bad DNS data never throws).</summary>
        private async Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, string indent)
        {
            cancellationToken.ThrowIfCancellationRequested();
            DnsAnswer? answer;
            try
            {
                answer = await owner.resolver.QueryAsync(name, type, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (OperationCanceledException ex)
            {
                answer = DnsAnswer.Empty(name, type, DnsOutcome.Timeout, null, ex.Message);
            }
            catch (Exception ex)
            {
                answer = DnsAnswer.Empty(name, type, DnsOutcome.Error, null, ex.Message);
            }

            answer ??= DnsAnswer.Empty(name, type, DnsOutcome.Error, null, "the resolver returned no answer");
            Trace($"{indent}{type} {name} -> {Describe(answer)}");
            return answer;
        }
    }
}
