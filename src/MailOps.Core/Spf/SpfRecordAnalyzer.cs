using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailOps.Core.Dns;

namespace MailOps.Core.Spf;

/// <summary>
/// Reads a domain's SPF record and everything it includes or redirects to, and reports what a
/// receiver would trip over: the lookup and void budgets, missing targets, loops, dangerous or
/// ineffective terms, and publishing problems (string length, UDP size). This is a static audit,
/// not check_host(): there is no client address, so every term that could be evaluated is
/// followed and macros are left alone. It never throws for bad DNS data.
/// </summary>
public sealed class SpfRecordAnalyzer
{
    /// <summary>RFC 7208 section 4.6.4: at most 10 DNS-querying terms per check_host().</summary>
    internal const int LookupLimit = 10;

    /// <summary>From this many lookups on, the budget is reported as close to the limit.</summary>
    internal const int LookupWarningThreshold = 8;

    /// <summary>RFC 7208 section 4.6.4: void lookups SHOULD be limited to two.</summary>
    internal const int VoidLookupLimit = 2;

    /// <summary>RFC 7208 section 4.6.4: an mx target with more than 10 MX records is a permerror.</summary>
    internal const int MxNameLimit = 10;

    /// <summary>Deepest include level followed. Every level costs a lookup, so anything deeper is
    /// already past the limit of 10 and following it would only show more of the same.</summary>
    internal const int MaxDepth = LookupLimit;

    /// <summary>Most records fetched for one tree; each costs a lookup, so this is far past the limit.</summary>
    internal const int MaxRecords = 100;

    private readonly IDnsResolver resolver;

    /// <summary>Creates an analyzer that asks <paramref name="resolver"/> every question.</summary>
    public SpfRecordAnalyzer(IDnsResolver resolver)
    {
        this.resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
    }

    /// <summary>
    /// Reads the TXT records of <paramref name="domain"/> and analyzes its SPF record and the tree
    /// below it. A domain without a record, or whose DNS fails, gives a result with findings, not
    /// an exception.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="domain"/> is not a valid domain name.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<SpfRecord> AnalyzeAsync(string domain, CancellationToken cancellationToken)
    {
        string name = NormalizeDomain(domain);
        var walk = new Walk(resolver, cancellationToken);
        return walk.AnalyzeRootAsync(name);
    }

    /// <summary>
    /// Analyzes <paramref name="recordText"/> as if <paramref name="domain"/> published it (for a
    /// record not yet published); includes, redirect and a/mx targets are still read from DNS.
    /// The text may be the plain record or zone-file form (<c>"v=spf1 ..." "..."</c>); plain text
    /// is taken as split into strings of 255 octets, as DNS providers do, while quoted strings
    /// are checked as given. The UDP size estimate counts only this record, since the other TXT
    /// records at the name are not known.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="domain"/> is not a valid domain name,
    /// or <paramref name="recordText"/> is not an SPF record (does not start with "v=spf1").</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<SpfRecord> AnalyzeRecordAsync(string domain, string recordText, CancellationToken cancellationToken)
        => AnalyzeRecordCoreAsync(NormalizeDomain(domain), recordText, cancellationToken);

    /// <summary>
    /// <see cref="AnalyzeRecordAsync"/> where the domain may be unknown (New-SpfInclude -Record):
    /// then a and mx without a domain-spec are counted but not looked up.
    /// </summary>
    internal Task<SpfRecord> AnalyzeRecordCoreAsync(string? domain, string recordText, CancellationToken cancellationToken)
    {
        string[] strings = ReadRecordText(recordText, nameof(recordText));
        var walk = new Walk(resolver, cancellationToken);
        return walk.AnalyzeGivenRootAsync(domain, strings);
    }

    /// <summary>Turns record text (plain or zone-file form) into its character-strings, or throws
    /// <see cref="ArgumentException"/> when it is not an SPF record.</summary>
    internal static string[] ReadRecordText(string? recordText, string parameterName)
    {
        if (recordText is null)
        {
            throw new ArgumentNullException(parameterName);
        }

        bool quoted = SpfTxtStrings.TryParsePresentation(recordText, out string[] strings);
        string text = quoted ? string.Concat(strings) : recordText.Trim();
        if (!SpfParser.IsSpfRecord(text))
        {
            throw new ArgumentException($"'{Shorten(text)}' is not an SPF record: an SPF record starts with \"v=spf1\" (RFC 7208 section 4.5).", parameterName);
        }

        return quoted ? strings : SpfTxtStrings.Split(text);
    }

    /// <summary>Validates and normalizes a domain argument, or throws <see cref="ArgumentException"/>.</summary>
    internal static string NormalizeDomain(string? domain)
    {
        if (!DomainName.TryNormalize(domain, out string normalized, out string? error))
        {
            throw new ArgumentException(error, nameof(domain));
        }

        return normalized;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text.Substring(0, 57) + "...";

    /// <summary>The names of the ancestors of a record, for loop detection by include chain.</summary>
    private sealed class Chain
    {
        public Chain(string domain, string? text, Chain? parent)
        {
            Domain = domain;
            Text = text;
            Parent = parent;
        }

        public string Domain { get; }

        public string? Text { get; }

        public Chain? Parent { get; }

        public Chain? Find(string domain)
        {
            for (Chain? link = this; link is not null; link = link.Parent)
            {
                if (string.Equals(link.Domain, domain, StringComparison.OrdinalIgnoreCase))
                {
                    return link;
                }
            }

            return null;
        }
    }

    /// <summary>The mutable state of one record while its terms are processed.</summary>
    private sealed class Node
    {
        public Node(string domain, SpfRecordSource source, string? term, int depth)
        {
            Domain = domain;
            Source = source;
            Term = term;
            Depth = depth;
        }

        public string Domain { get; }

        public SpfRecordSource Source { get; }

        public string? Term { get; }

        public int Depth { get; }

        public string[] Records { get; set; } = Array.Empty<string>();

        public string[] TxtStrings { get; set; } = Array.Empty<string>();

        public bool IsValid { get; set; }

        public string? All { get; set; }

        public string? Redirect { get; set; }

        public int OwnLookups { get; set; }

        public int OwnVoidLookups { get; set; }

        public List<SpfRecord> Children { get; } = new List<SpfRecord>();

        public List<Finding> Findings { get; } = new List<Finding>();

        public void Add(FindingSeverity severity, string code, string message, string? term = null)
            => Findings.Add(new Finding(severity, code, message, term));

        public SpfRecord Build() => new SpfRecord(
            Domain,
            Source,
            Term,
            Depth,
            Records,
            TxtStrings,
            IsValid,
            All,
            Redirect,
            OwnLookups + Children.Sum(c => c.DnsLookupCount),
            OwnVoidLookups + Children.Sum(c => c.VoidLookupCount),
            Children.ToArray(),
            Findings.ToArray());
    }

    /// <summary>A lookup-causing term, with its DNS questions already started.</summary>
    private sealed class Step
    {
        public Step(SpfTerm term, string? target)
        {
            Term = term;
            Target = target;
        }

        public SpfTerm Term { get; }

        /// <summary>The normalized target name, or null when it cannot be followed (macros, no domain).</summary>
        public string? Target { get; }

        public List<Task<DnsAnswer>> Queries { get; } = new List<Task<DnsAnswer>>();
    }

    /// <summary>
    /// One tree walk. DNS questions are asked once per walk (a name included twice is counted
    /// twice, as check_host() would, but fetched once) and the questions of one record run
    /// concurrently; records are then built one after another in record order, so the output,
    /// and where the size caps cut, never depend on timing.
    /// </summary>
    private sealed class Walk
    {
        private readonly IDnsResolver resolver;
        private readonly CancellationToken cancellationToken;
        private readonly Dictionary<string, Task<DnsAnswer>> answers = new Dictionary<string, Task<DnsAnswer>>(StringComparer.OrdinalIgnoreCase);
        private readonly object gate = new object();
        private int recordsFetched;
        private bool truncated;

        public Walk(IDnsResolver resolver, CancellationToken cancellationToken)
        {
            this.resolver = resolver;
            this.cancellationToken = cancellationToken;
        }

        public async Task<SpfRecord> AnalyzeRootAsync(string domain)
        {
            var node = new Node(domain, SpfRecordSource.Root, null, 0);
            string? text = await ReadPublishedAsync(node).ConfigureAwait(false);
            if (text is not null)
            {
                await AnalyzeTermsAsync(node, text, new Chain(domain, text, null), effective: true).ConfigureAwait(false);
            }

            return BuildRoot(node, text is not null);
        }

        public async Task<SpfRecord> AnalyzeGivenRootAsync(string? domain, string[] strings)
        {
            string text = string.Concat(strings);
            var node = new Node(domain ?? string.Empty, SpfRecordSource.Root, null, 0)
            {
                Records = new[] { text },
                TxtStrings = strings,
            };
            CheckStrings(node, strings);
            CheckUdpSize(node, new[] { (IReadOnlyList<string>)strings });
            Chain? chain = domain is null ? null : new Chain(domain, text, null);
            await AnalyzeTermsAsync(node, text, chain, effective: true).ConfigureAwait(false);
            return BuildRoot(node, analyzed: true);
        }

        /// <summary>Adds the tree-level findings that only make sense once the whole tree is counted.</summary>
        private SpfRecord BuildRoot(Node node, bool analyzed)
        {
            if (analyzed)
            {
                int lookups = node.OwnLookups + node.Children.Sum(c => c.DnsLookupCount);
                int voids = node.OwnVoidLookups + node.Children.Sum(c => c.VoidLookupCount);
                if (lookups > LookupLimit)
                {
                    // RFC 7208 section 4.6.4: past 10 DNS-querying terms check_host() returns permerror.
                    node.Add(
                        FindingSeverity.Error,
                        SpfFindingCodes.SpfTooManyLookups,
                        $"The record needs {lookups} DNS lookups; receivers stop at {LookupLimit} and return permerror, so SPF fails for all mail. Remove unused include:, a, mx and ptr terms, replace a and mx with ip4:/ip6: ranges, or flatten includes into ip4:/ip6: (and keep them up to date).");
                }
                else if (lookups >= LookupWarningThreshold)
                {
                    node.Add(
                        FindingSeverity.Warning,
                        SpfFindingCodes.SpfLookupBudgetHigh,
                        $"The record needs {lookups} of the {LookupLimit} DNS lookups receivers allow (RFC 7208 section 4.6.4); one more include, or a provider adding one to its own record, makes it a permerror. Remove unused terms or replace a and mx with ip4:/ip6: ranges to keep headroom.");
                }

                if (voids > VoidLookupLimit)
                {
                    // RFC 7208 section 4.6.4: more than two void lookups is a permerror.
                    node.Add(
                        FindingSeverity.Error,
                        SpfFindingCodes.SpfTooManyVoidLookups,
                        $"{voids} lookups in the tree return no records (NXDOMAIN or NODATA); receivers allow {VoidLookupLimit} and return permerror after that. Remove the terms reported as SpfVoidLookup or the includes of domains that no longer publish SPF.");
                }
            }

            if (truncated)
            {
                node.Add(
                    FindingSeverity.Warning,
                    SpfFindingCodes.SpfTreeTruncated,
                    $"The include tree was followed to {MaxDepth} levels and {MaxRecords} records only; lookup counts are a lower bound. The record is far beyond the limit of {LookupLimit} lookups: cut it down before auditing it further.");
            }

            return node.Build();
        }

        /// <summary>
        /// Fetches the TXT records of the node's domain, selects the SPF records (RFC 7208 section
        /// 4.5) and reports what is wrong with what is published. Returns the record text to
        /// analyze, or null when there is none.
        /// </summary>
        private async Task<string?> ReadPublishedAsync(Node node)
        {
            DnsAnswer answer = await QueryAsync(node.Domain, DnsRecordType.TXT).ConfigureAwait(false);
            if (answer.IsFailure)
            {
                // RFC 7208 section 4.4: SERVFAIL or a timeout on the record lookup is a temperror.
                node.Add(
                    FindingSeverity.Error,
                    SpfFindingCodes.SpfDnsError,
                    $"The TXT lookup for {node.Domain} failed ({answer.Outcome}{(answer.Error is null ? string.Empty : ": " + answer.Error)}); receivers return temperror and defer or skip the SPF check. Check the domain's name servers (all of them must answer), then run this again.",
                    node.Term ?? node.Domain);
                return null;
            }

            List<DnsTxtRecord> txt = answer.Outcome == DnsOutcome.Success ? answer.RecordsOf<DnsTxtRecord>().ToList() : new List<DnsTxtRecord>();
            List<DnsTxtRecord> spf = txt.Where(t => SpfParser.IsSpfRecord(t.Text)).ToList();
            node.Records = spf.Select(t => t.Text).ToArray();
            if (spf.Count == 0)
            {
                ReportNoRecord(node, answer.IsVoid);
                return null;
            }

            node.TxtStrings = spf[0].Strings.ToArray();
            if (spf.Count > 1)
            {
                // RFC 7208 section 4.5: more than one record is a permerror, whichever would match.
                node.Add(
                    FindingSeverity.Error,
                    SpfFindingCodes.SpfMultipleRecords,
                    $"{node.Domain} publishes {spf.Count} SPF records; receivers return permerror and use none of them. Merge them into one record (New-SpfInclude does this) and delete the others.",
                    string.Join(" | ", node.Records));
            }

            foreach (DnsTxtRecord record in spf)
            {
                CheckStrings(node, record.Strings);
            }

            CheckUdpSize(node, txt.Select(t => t.Strings));
            return spf[0].Text;
        }

        private static void ReportNoRecord(Node node, bool isVoid)
        {
            switch (node.Source)
            {
                case SpfRecordSource.Include:
                    // RFC 7208 section 5.2: an include whose target returns "none" is a permerror.
                    node.Add(
                        FindingSeverity.Error,
                        SpfFindingCodes.SpfIncludeTargetNoRecord,
                        $"{node.Term} points to {node.Domain}, which publishes no SPF record; receivers return permerror for the whole check. Fix the name (see the provider's documentation) or remove the include.",
                        node.Term);
                    break;
                case SpfRecordSource.Redirect:
                    // RFC 7208 section 6.1: a redirect to a domain without a record is a permerror.
                    node.Add(
                        FindingSeverity.Error,
                        SpfFindingCodes.SpfRedirectTargetNoRecord,
                        $"{node.Term} points to {node.Domain}, which publishes no SPF record; receivers return permerror. Fix the redirect target or replace the redirect with the mechanisms and an 'all' of your own.",
                        node.Term);
                    break;
                default:
                    node.Add(
                        FindingSeverity.Warning,
                        SpfFindingCodes.SpfNoRecord,
                        $"{node.Domain} publishes no SPF record, so receivers get 'none' and anyone can use it in MAIL FROM. Publish one (New-SpfInclude builds it); a domain that sends no mail should publish \"v=spf1 -all\".");
                    break;
            }

            if (isVoid && node.Source != SpfRecordSource.Root)
            {
                // RFC 7208 section 4.6.4: the target lookup returned NXDOMAIN or NODATA.
                node.OwnVoidLookups++;
            }
        }

        private static void CheckStrings(Node node, IEnumerable<string> strings)
        {
            foreach (string s in strings)
            {
                int octets = SpfTxtStrings.OctetLength(s);
                if (octets > SpfTxtStrings.MaxStringOctets)
                {
                    // RFC 7208 section 3.3 / RFC 1035 section 3.3: a character-string holds 255 octets.
                    node.Add(
                        FindingSeverity.Error,
                        SpfFindingCodes.SpfTxtStringTooLong,
                        $"A TXT string of {node.Domain} is {octets} octets long; DNS allows {SpfTxtStrings.MaxStringOctets}, so the record was not published as intended. Split it into several quoted strings of at most {SpfTxtStrings.MaxStringOctets} characters in one TXT record (New-SpfInclude gives TxtStrings).",
                        s.Length <= 40 ? s : s.Substring(0, 37) + "...");
                }
            }
        }

        private static void CheckUdpSize(Node node, IEnumerable<IReadOnlyList<string>> records)
        {
            int size = SpfTxtStrings.EstimateTxtResponseSize(node.Domain.Length == 0 ? "example.com" : node.Domain, records);
            if (size > SpfTxtStrings.UdpMessageLimit)
            {
                // RFC 7208 section 3.4: the answer, with every TXT record at the name, should fit in 512 octets.
                node.Add(
                    FindingSeverity.Warning,
                    SpfFindingCodes.SpfRecordTooLongForUdp,
                    $"The TXT answer for {node.Domain} is about {size} bytes, over the {SpfTxtStrings.UdpMessageLimit} bytes of a plain UDP DNS reply; resolvers must retry over TCP (or rely on EDNS0) and some receivers fail and return temperror. Shorten the record (move address ranges into an include: of your own) or move other TXT records off this name.");
            }
        }

        /// <summary>
        /// Checks the record's terms, counts its lookups and follows its includes and redirect.
        /// <paramref name="effective"/> is true for the record whose result is the final one (the
        /// root and its redirect targets), where a weak "all" matters; inside an include a
        /// non-pass result only means "no match" (RFC 7208 section 5.2).
        /// </summary>
        private async Task AnalyzeTermsAsync(Node node, string text, Chain? chain, bool effective)
        {
            SpfParsedRecord parsed = SpfParser.Parse(text);
            node.IsValid = parsed.IsValid && node.Records.Length == 1;
            foreach (SpfSyntaxError error in parsed.Errors)
            {
                // RFC 7208 section 4.6: a syntax error anywhere makes the record a permerror.
                node.Add(
                    FindingSeverity.Error,
                    SpfFindingCodes.SpfSyntaxError,
                    $"{error.Message} Receivers return permerror for any syntax error; correct or remove the term.",
                    error.Term);
            }

            SpfMechanism? all = parsed.Mechanisms.FirstOrDefault(m => m.Kind == SpfMechanismKind.All);
            node.All = all?.Text;
            node.Redirect = parsed.Redirect?.Value;

            var steps = new List<Step>();
            bool afterAll = false;
            foreach (SpfTerm term in parsed.Terms)
            {
                if (term is not SpfMechanism mechanism)
                {
                    continue;
                }

                if (afterAll)
                {
                    // RFC 7208 section 5.1: mechanisms after "all" MUST be ignored.
                    node.Add(
                        FindingSeverity.Warning,
                        SpfFindingCodes.SpfTermsAfterAll,
                        $"'{mechanism.Text}' comes after '{all!.Text}' and is never evaluated. Move it before '{all.Text}' if it is needed, otherwise delete it.",
                        mechanism.Text);
                    if (mechanism.Kind == SpfMechanismKind.Ptr)
                    {
                        ReportPtr(node, mechanism);
                    }

                    continue;
                }

                if (mechanism.CountsTowardLookupLimit)
                {
                    // RFC 7208 section 4.6.4: include, a, mx, ptr and exists each cost one lookup.
                    node.OwnLookups++;
                }

                switch (mechanism.Kind)
                {
                    case SpfMechanismKind.All:
                        ReportAll(node, mechanism, effective);
                        afterAll = true;
                        break;
                    case SpfMechanismKind.Ptr:
                        ReportPtr(node, mechanism);
                        break;
                    case SpfMechanismKind.Include:
                    case SpfMechanismKind.A:
                    case SpfMechanismKind.Mx:
                    case SpfMechanismKind.Exists:
                        steps.Add(StartStep(node, mechanism, mechanism.DomainSpec ?? (mechanism.Kind == SpfMechanismKind.A || mechanism.Kind == SpfMechanismKind.Mx ? NullIfEmpty(node.Domain) : null), mechanism.Kind));
                        break;
                }
            }

            SpfModifier? redirect = parsed.Redirect;
            if (redirect is not null)
            {
                if (all is not null)
                {
                    // RFC 7208 section 6.1: redirect MUST be ignored when the record has "all".
                    node.Add(
                        FindingSeverity.Warning,
                        SpfFindingCodes.SpfRedirectIgnored,
                        $"'{redirect.Text}' is ignored because the record has '{all.Text}'. Remove one of them: keep the redirect to use {redirect.Value}'s policy, or keep '{all.Text}' and delete the redirect.",
                        redirect.Text);
                }
                else
                {
                    // RFC 7208 section 4.6.4: redirect costs a lookup like include; evaluated last (section 6.1).
                    node.OwnLookups++;
                    steps.Add(StartStep(node, redirect, redirect.Value, null));
                }
            }
            else if (all is null && effective)
            {
                // RFC 7208 section 4.7: nothing matched and no redirect: the result is neutral.
                node.Add(
                    FindingSeverity.Warning,
                    SpfFindingCodes.SpfNoAllOrRedirect,
                    $"The record of {node.Domain} ends without 'all' or 'redirect=', so hosts it does not list get 'neutral' and receivers accept them. End it with '~all' (or '-all' once every sender is listed).");
            }

            foreach (Step step in steps)
            {
                await CompleteStepAsync(node, step, chain, effective).ConfigureAwait(false);
            }
        }

        private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

        private static void ReportAll(Node node, SpfMechanism all, bool effective)
        {
            if (all.Qualifier == SpfQualifier.Pass)
            {
                // RFC 7208 section 5.1: a passing "all" authorizes every host there is.
                node.Add(
                    FindingSeverity.Error,
                    SpfFindingCodes.SpfPassAll,
                    node.Source == SpfRecordSource.Include
                        ? $"'{all.Text}' in {node.Domain} authorizes every host on the internet, so every record that includes it passes all mail. Remove the include, or ask the owner of {node.Domain} to end with '~all' or '-all'."
                        : $"'{all.Text}' authorizes every host on the internet to send as {node.Domain}. Replace it with '~all' (or '-all' once every sender is listed).",
                    all.Text);
            }
            else if (all.Qualifier == SpfQualifier.Neutral && effective)
            {
                // RFC 7208 section 8.2: neutral asserts nothing; receivers treat it like "none".
                node.Add(
                    FindingSeverity.Warning,
                    SpfFindingCodes.SpfNeutralAll,
                    $"'{all.Text}' makes no assertion about hosts the record does not list, so forged mail gets 'neutral', not a fail. Use '~all', or '-all' once every sender is listed.",
                    all.Text);
            }
        }

        private static void ReportPtr(Node node, SpfMechanism ptr)
        {
            // RFC 7208 section 5.5: ptr SHOULD NOT be published; it is slow and many receivers skip it.
            node.Add(
                FindingSeverity.Warning,
                SpfFindingCodes.SpfPtrMechanism,
                $"'{ptr.Text}' uses the deprecated ptr mechanism: it is slow, costs extra lookups and large receivers ignore it. Replace it with ip4:/ip6: ranges or a of the sending hosts.",
                ptr.Text);
        }

        /// <summary>Starts the DNS questions of one lookup-causing term without waiting for them.</summary>
        private Step StartStep(Node node, SpfTerm term, string? domainSpec, SpfMechanismKind? kind)
        {
            if (domainSpec is null)
            {
                // a or mx without a domain-spec and no domain known (a record given without domain).
                return new Step(term, null);
            }

            if (domainSpec.IndexOf('%') >= 0)
            {
                // RFC 7208 section 7: the target depends on the sender and client; it is counted only.
                node.Add(
                    FindingSeverity.Info,
                    SpfFindingCodes.SpfMacroNotEvaluated,
                    $"'{term.Text}' uses macros, so its target depends on each message; its lookup is counted but what it leads to is not checked. Test it with Test-SpfRecord and a real sender and address.",
                    term.Text);
                return new Step(term, null);
            }

            string target = NormalizeTarget(domainSpec);
            var step = new Step(term, target);
            switch (kind)
            {
                case SpfMechanismKind.A:
                    // RFC 7208 section 5.3: A for IPv4 clients, AAAA for IPv6 clients.
                    step.Queries.Add(QueryAsync(target, DnsRecordType.A));
                    step.Queries.Add(QueryAsync(target, DnsRecordType.AAAA));
                    break;
                case SpfMechanismKind.Mx:
                    step.Queries.Add(QueryAsync(target, DnsRecordType.MX));
                    break;
                case SpfMechanismKind.Exists:
                    // RFC 7208 section 5.7: exists always asks for A, whatever the client.
                    step.Queries.Add(QueryAsync(target, DnsRecordType.A));
                    break;
                default:
                    // include or redirect: warm the cache; the child fetches it when its turn comes.
                    step.Queries.Add(QueryAsync(target, DnsRecordType.TXT));
                    break;
            }

            return step;
        }

        private async Task CompleteStepAsync(Node node, Step step, Chain? chain, bool effective)
        {
            if (step.Target is null)
            {
                return;
            }

            var mechanism = step.Term as SpfMechanism;
            if (mechanism is null || mechanism.Kind == SpfMechanismKind.Include)
            {
                SpfRecordSource source = mechanism is null ? SpfRecordSource.Redirect : SpfRecordSource.Include;
                SpfRecord? child = await AnalyzeChildAsync(node, step.Target, source, step.Term.Text, chain, effective && source == SpfRecordSource.Redirect).ConfigureAwait(false);
                if (child is not null)
                {
                    node.Children.Add(child);
                }

                return;
            }

            DnsAnswer[] results = await Task.WhenAll(step.Queries).ConfigureAwait(false);
            DnsAnswer? failed = results.FirstOrDefault(r => r.IsFailure);
            if (failed is not null)
            {
                // RFC 7208 section 5: a DNS error while evaluating a mechanism is a temperror.
                node.Add(
                    FindingSeverity.Error,
                    SpfFindingCodes.SpfDnsError,
                    $"The {failed.Type} lookup for {step.Target} ('{mechanism.Text}') failed ({failed.Outcome}); receivers that reach this term return temperror. Check the name servers of {step.Target}.",
                    mechanism.Text);
                return;
            }

            if (results.All(r => r.IsVoid))
            {
                // RFC 7208 section 4.6.4: an answer with no records or NXDOMAIN is a void lookup.
                node.OwnVoidLookups++;
                string what = mechanism.Kind == SpfMechanismKind.Mx ? "MX records" : "addresses";
                node.Add(
                    FindingSeverity.Warning,
                    SpfFindingCodes.SpfVoidLookup,
                    $"'{mechanism.Text}' looks up {step.Target}, which has no {what}; the term never matches, costs a lookup and counts toward the limit of {VoidLookupLimit} void lookups. Remove it or correct the name.",
                    mechanism.Text);
                return;
            }

            if (mechanism.Kind == SpfMechanismKind.Mx)
            {
                int names = results[0].RecordsOf<DnsMxRecord>().Count();
                if (names > MxNameLimit)
                {
                    // RFC 7208 section 4.6.4: more than 10 MX names make the mx mechanism a permerror.
                    node.Add(
                        FindingSeverity.Error,
                        SpfFindingCodes.SpfMxTooManyNames,
                        $"'{mechanism.Text}' resolves to {names} MX names; receivers look at no more than {MxNameLimit} and return permerror. Replace it with ip4:/ip6: ranges of the hosts that really send.",
                        mechanism.Text);
                }
            }
        }

        /// <summary>Builds the record an include or redirect leads to, or null past the size caps.</summary>
        private async Task<SpfRecord?> AnalyzeChildAsync(Node parent, string target, SpfRecordSource source, string term, Chain? chain, bool effective)
        {
            int depth = parent.Depth + 1;
            var node = new Node(target, source, term, depth);
            Chain? ancestor = chain?.Find(target);
            if (ancestor is not null)
            {
                // RFC 7208 section 4.6.4: a cycle repeats until the lookup limit ends it with permerror.
                node.Records = ancestor.Text is null ? Array.Empty<string>() : new[] { ancestor.Text };
                node.Add(
                    FindingSeverity.Error,
                    SpfFindingCodes.SpfIncludeLoop,
                    $"'{term}' in {parent.Domain} leads back to {target}, which is already on the include path ({Path(chain!)}); receivers loop until the lookup limit and return permerror. Remove the include or redirect that closes the loop.",
                    term);
                return node.Build();
            }

            lock (gate)
            {
                if (depth > MaxDepth || recordsFetched >= MaxRecords)
                {
                    truncated = true;
                    return null;
                }

                recordsFetched++;
            }

            string? text = await ReadPublishedAsync(node).ConfigureAwait(false);
            if (text is not null)
            {
                await AnalyzeTermsAsync(node, text, new Chain(target, text, chain), effective).ConfigureAwait(false);
            }

            return node.Build();
        }

        private static string Path(Chain chain)
        {
            var names = new List<string>();
            for (Chain? link = chain; link is not null; link = link.Parent)
            {
                names.Add(link.Domain);
            }

            names.Reverse();
            return string.Join(" -> ", names);
        }

        private static string NormalizeTarget(string domainSpec)
            => DomainName.TryNormalize(domainSpec, out string normalized, out _)
                ? normalized
                : domainSpec.Trim().TrimEnd('.').ToLowerInvariant();

        /// <summary>Asks a question once per walk; failures come back as outcomes, never as exceptions.</summary>
        private Task<DnsAnswer> QueryAsync(string name, DnsRecordType type)
        {
            string key = ((int)type).ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + name;
            lock (gate)
            {
                if (!answers.TryGetValue(key, out Task<DnsAnswer>? task))
                {
                    task = QueryUncachedAsync(name, type);
                    answers.Add(key, task);
                }

                return task;
            }
        }

        private Task<DnsAnswer> QueryUncachedAsync(string name, DnsRecordType type)
            => resolver.QueryGuardedAsync(name, type, cancellationToken);
    }
}
