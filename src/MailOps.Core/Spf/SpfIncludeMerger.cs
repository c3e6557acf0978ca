using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailOps.Core.Dns;

namespace MailOps.Core.Spf;

/// <summary>
/// Computes the one SPF record to publish when a provider asks for "include:x". Admins who add a
/// second "v=spf1" record break SPF for the whole domain (RFC 7208 section 4.5: permerror), and
/// admins who append after "all" add nothing (section 5.1), so this merges the includes into the
/// existing record, in the one place where they take effect, and changes nothing else.
/// It only reads DNS; it never writes it.
/// </summary>
/// <remarks>
/// Rules:
/// <list type="bullet">
/// <item>Every existing term is kept with its qualifier, spelling, order and spacing; new includes
/// are inserted as text.</item>
/// <item>New includes go immediately before the first "all"; with no "all", right after the last
/// mechanism (so before a trailing "redirect="); with no mechanism, right after "v=spf1".</item>
/// <item>An include already evaluated (before "all") with the same target, compared
/// case-insensitively, is not added again. With a qualifier other than "+" it is left alone and
/// reported as <see cref="SpfFindingCodes.SpfIncludeQualifierDiffers"/>.</item>
/// <item>Several published records are merged into one: the mechanisms before "all" of each record
/// in order without duplicates, then the most restrictive "all" of them ("-all" over "~all" over
/// "?all" over "+all"), then mechanisms that stood after an "all" (still unevaluated), then the
/// modifiers, keeping only the first "redirect=" and "exp=".</item>
/// <item>With no record, <c>v=spf1 include:x ~all</c> is created: "~all" (softfail) is the safe
/// start until every sender is listed.</item>
/// <item>A result over 10 lookups is still returned, with an Error finding.</item>
/// </list>
/// </remarks>
public sealed class SpfIncludeMerger
{
    private const string IncludePrefix = "include:";
    private const string VersionText = "v=spf1";

    private readonly IDnsResolver resolver;

    /// <summary>Creates a merger that reads records and analyzes the result through <paramref name="resolver"/>.</summary>
    public SpfIncludeMerger(IDnsResolver resolver)
    {
        this.resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
    }

    /// <summary>
    /// Adds <paramref name="includes"/> to the SPF record of <paramref name="domain"/> (read from
    /// DNS) or to <paramref name="existingRecord"/> when it is given; an empty
    /// <paramref name="existingRecord"/> means "no record yet". Each include may be written
    /// "_spf.example.net", "include:_spf.example.net" or "+include:_spf.example.net".
    /// </summary>
    /// <exception cref="ArgumentException">An include is not a valid domain-spec (the message names
    /// it), no include is given, both <paramref name="domain"/> and <paramref name="existingRecord"/>
    /// are null, <paramref name="domain"/> is not a domain name, or <paramref name="existingRecord"/>
    /// is not an SPF record.</exception>
    /// <exception cref="TimeoutException">Reading the domain's TXT records timed out; nothing can
    /// be merged safely without knowing what is published.</exception>
    /// <exception cref="InvalidOperationException">Reading the domain's TXT records failed
    /// (SERVFAIL, REFUSED, another DNS error).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<SpfRecordChange> MergeAsync(string? domain, string? existingRecord, IReadOnlyList<string> includes, CancellationToken cancellationToken)
    {
        List<string> targets = ReadIncludes(includes);
        string? name = domain is null ? null : SpfRecordAnalyzer.NormalizeDomain(domain);
        if (name is null && existingRecord is null)
        {
            throw new ArgumentException("Give the domain to read the SPF record from, or the existing record text.", nameof(domain));
        }

        string[] originals = existingRecord is not null
            ? existingRecord.Trim().Length == 0
                ? Array.Empty<string>()
                : new[] { string.Concat(SpfRecordAnalyzer.ReadRecordText(existingRecord, nameof(existingRecord))) }
            : await ReadPublishedAsync(name!, cancellationToken).ConfigureAwait(false);

        var findings = new List<Finding>();
        var added = new List<string>();
        var alreadyPresent = new List<string>();
        string record;
        if (originals.Length == 0)
        {
            added.AddRange(targets);
            record = VersionText + " " + string.Join(" ", targets.Select(t => IncludePrefix + t)) + " ~all";
            findings.Add(new Finding(
                FindingSeverity.Info,
                SpfFindingCodes.SpfRecordCreated,
                $"{name ?? "The domain"} has no SPF record, so a new one ending in '~all' was created. Add every other service that sends as this domain before publishing it, and tighten to '-all' once all are listed."));
        }
        else
        {
            string baseText = originals.Length == 1 ? originals[0] : MergeRecords(originals, findings);
            record = AddIncludes(baseText, targets, added, alreadyPresent, findings);
        }

        var analyzer = new SpfRecordAnalyzer(resolver);
        SpfRecord analysis = await analyzer.AnalyzeRecordCoreAsync(name, record, cancellationToken).ConfigureAwait(false);
        findings.AddRange(analysis.AllFindings);
        return new SpfRecordChange(
            name,
            originals,
            record,
            added.ToArray(),
            alreadyPresent.ToArray(),
            SpfTxtStrings.Split(record),
            findings.ToArray(),
            analysis);
    }

    /// <summary>Validates the includes and returns their domain-specs, duplicates removed, in the given order.</summary>
    private static List<string> ReadIncludes(IReadOnlyList<string>? includes)
    {
        if (includes is null)
        {
            throw new ArgumentNullException(nameof(includes));
        }

        var targets = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string? raw in includes)
        {
            string value = raw?.Trim() ?? string.Empty;
            string spec = value;
            if (spec.StartsWith("+" + IncludePrefix, StringComparison.OrdinalIgnoreCase))
            {
                spec = spec.Substring(IncludePrefix.Length + 1);
            }
            else if (spec.StartsWith(IncludePrefix, StringComparison.OrdinalIgnoreCase))
            {
                spec = spec.Substring(IncludePrefix.Length);
            }
            else if (spec.Length > 0 && "-~?".IndexOf(spec[0]) >= 0 && spec.Substring(1).StartsWith(IncludePrefix, StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"'{value}': New-SpfInclude adds includes that authorize senders ('include:' or '+include:'); a '{spec[0]}' qualifier would not. Give the bare domain instead.", nameof(includes));
            }

            if (spec.Any(c => c > 0x7F) && DomainName.TryNormalize(spec, out string aLabel, out _))
            {
                // RFC 7208 section 3.1: records are ASCII, so a Unicode name goes in as its A-label.
                spec = aLabel;
            }

            if (!SpfParser.TryValidateDomainSpec(spec, out string? error))
            {
                throw new ArgumentException($"'{raw}' is not a valid include: {error} Give a domain such as '_spf.example.net' or 'include:_spf.example.net'.", nameof(includes));
            }

            if (seen.Add(TargetKey(spec)))
            {
                targets.Add(spec);
            }
        }

        if (targets.Count == 0)
        {
            throw new ArgumentException("Give at least one include to add.", nameof(includes));
        }

        return targets;
    }

    /// <summary>Reads the published SPF records; a failed lookup throws because merging blind could create a second record.</summary>
    private async Task<string[]> ReadPublishedAsync(string domain, CancellationToken cancellationToken)
    {
        DnsAnswer answer;
        try
        {
            answer = await resolver.QueryAsync(domain, DnsRecordType.TXT, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"Could not read the TXT records of {domain}: {ex.Message}", ex);
        }

        if (answer.IsFailure)
        {
            string message = $"Could not read the TXT records of {domain} ({answer.Outcome}{(answer.Error is null ? string.Empty : ": " + answer.Error)}); without knowing the published record a merge could create a second one. Try again, or pass the current record with -Record.";
            if (answer.Outcome == DnsOutcome.Timeout)
            {
                throw new TimeoutException(message);
            }

            throw new InvalidOperationException(message);
        }

        return answer.RecordsOf<DnsTxtRecord>().Select(t => t.Text).Where(SpfParser.IsSpfRecord).ToArray();
    }

    /// <summary>Inserts the includes that are not evaluated yet, as text, so nothing else changes.</summary>
    private static string AddIncludes(string text, List<string> targets, List<string> added, List<string> alreadyPresent, List<Finding> findings)
    {
        SpfParsedRecord parsed = SpfParser.Parse(text);
        List<SpfMechanism> mechanisms = parsed.Mechanisms.ToList();
        SpfMechanism? all = mechanisms.FirstOrDefault(m => m.Kind == SpfMechanismKind.All);

        // RFC 7208 section 5.1: an include after "all" is never evaluated, so it does not count as present.
        List<SpfMechanism> evaluated = all is null ? mechanisms : mechanisms.Where(m => m.Position < all.Position).ToList();
        foreach (string target in targets)
        {
            SpfMechanism? existing = evaluated.FirstOrDefault(m => m.Kind == SpfMechanismKind.Include && m.DomainSpec is not null && TargetKey(m.DomainSpec) == TargetKey(target));
            if (existing is null)
            {
                added.Add(target);
                continue;
            }

            alreadyPresent.Add(target);
            if (existing.Qualifier != SpfQualifier.Pass)
            {
                // RFC 7208 section 4.6.2: a matching "~include:" or "-include:" yields softfail or fail, not pass.
                findings.Add(new Finding(
                    FindingSeverity.Warning,
                    SpfFindingCodes.SpfIncludeQualifierDiffers,
                    $"The record already has '{existing.Text}', which does not authorize {target}'s servers: when it matches, the result is {existing.Qualifier}, not pass. Change it to 'include:{existing.DomainSpec}' if those servers send your mail.",
                    existing.Text));
            }
        }

        if (added.Count == 0)
        {
            return text;
        }

        string terms = string.Join(" ", added.Select(t => IncludePrefix + t));
        if (all is not null)
        {
            // Immediately before "all": the last place that is still evaluated (section 5.1).
            return text.Insert(all.Position, terms + " ");
        }

        // No "all": after the last mechanism, so before a trailing "redirect=" (section 6.1). Terms
        // that do not parse count as mechanisms here, so the include never lands between them.
        var byPosition = parsed.Terms.ToDictionary(t => t.Position);
        int insertAt = VersionText.Length;
        foreach (KeyValuePair<int, string> token in Tokens(text))
        {
            if (!IsModifier(byPosition, token))
            {
                insertAt = token.Key + token.Value.Length;
            }
        }

        return text.Insert(insertAt, " " + terms);
    }

    /// <summary>
    /// Merges several records into one (see the class remarks for the rules). Terms that do not
    /// parse are kept in place too: the admin wrote them and the analysis reports them.
    /// </summary>
    private static string MergeRecords(string[] records, List<Finding> findings)
    {
        var before = new List<string>();
        var after = new List<string>();
        var modifiers = new List<string>();
        var alls = new List<SpfMechanism>();
        foreach (string record in records)
        {
            SpfParsedRecord parsed = SpfParser.Parse(record);
            var byPosition = parsed.Terms.ToDictionary(t => t.Position);
            SpfMechanism? all = parsed.Mechanisms.FirstOrDefault(m => m.Kind == SpfMechanismKind.All);
            if (all is not null)
            {
                alls.Add(all);
            }

            foreach (KeyValuePair<int, string> token in Tokens(record))
            {
                byPosition.TryGetValue(token.Key, out SpfTerm? term);
                if (term == all && all is not null)
                {
                    continue;
                }

                if (IsModifier(byPosition, token))
                {
                    modifiers.Add(token.Value);
                }
                else if (all is null || token.Key < all.Position)
                {
                    before.Add(token.Value);
                }
                else
                {
                    after.Add(token.Value);
                }
            }
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var terms = new List<string>();
        terms.AddRange(before.Where(t => seen.Add(TermKey(t))));

        // The most restrictive "all" keeps the policy the strictest record had; the union of the
        // mechanisms above it still authorizes every sender any of the records listed.
        SpfMechanism? chosen = alls.OrderByDescending(a => Strictness(a.Qualifier)).FirstOrDefault();
        if (chosen is not null)
        {
            seen.Add(TermKey(chosen.Text));
            terms.Add(chosen.Text);
        }

        terms.AddRange(after.Where(t => seen.Add(TermKey(t))));

        // Section 6: redirect and exp may appear once; the first record's win.
        bool hasRedirect = false;
        bool hasExplanation = false;
        foreach (string modifier in modifiers)
        {
            string key = TermKey(modifier);
            bool isRedirect = key.StartsWith("redirect=", StringComparison.Ordinal);
            bool isExplanation = key.StartsWith("exp=", StringComparison.Ordinal);
            if ((isRedirect && hasRedirect) || (isExplanation && hasExplanation) || !seen.Add(key))
            {
                continue;
            }

            hasRedirect |= isRedirect;
            hasExplanation |= isExplanation;
            terms.Add(modifier);
        }

        string allNote = chosen is null
            ? string.Empty
            : alls.Count > 1 ? $" Kept '{chosen.Text}', the most restrictive of {string.Join(", ", alls.Select(a => "'" + a.Text + "'"))}." : string.Empty;
        findings.Add(new Finding(
            FindingSeverity.Warning,
            SpfFindingCodes.SpfRecordsMerged,
            $"The domain publishes {records.Length} SPF records, which receivers treat as permerror; they were merged into one.{allNote} Publish the merged record and delete the old ones in the same change.",
            string.Join(" | ", records)));

        string version = records[0].Substring(0, VersionText.Length);
        return terms.Count == 0 ? version : version + " " + string.Join(" ", terms);
    }

    /// <summary>The space-separated terms of a record after the version, with their offsets (section 12: only SP separates).</summary>
    private static IEnumerable<KeyValuePair<int, string>> Tokens(string record)
    {
        int i = VersionText.Length;
        while (i < record.Length)
        {
            if (record[i] == ' ')
            {
                i++;
                continue;
            }

            int end = record.IndexOf(' ', i);
            if (end < 0)
            {
                end = record.Length;
            }

            yield return new KeyValuePair<int, string>(i, record.Substring(i, end - i));
            i = end;
        }
    }

    /// <summary>True when the token is a modifier: parsed as one, or, when it did not parse, shaped like one.</summary>
    private static bool IsModifier(Dictionary<int, SpfTerm> byPosition, KeyValuePair<int, string> token)
        => byPosition.TryGetValue(token.Key, out SpfTerm? term) ? term is SpfModifier : LooksLikeModifier(token.Value);

    /// <summary>Section 4.6.1: name "=" before any ":" or "/" makes a modifier.</summary>
    private static bool LooksLikeModifier(string token)
    {
        int equals = token.IndexOf('=');
        int colon = token.IndexOfAny(new[] { ':', '/' });
        return equals > 0 && (colon < 0 || equals < colon);
    }

    private static int Strictness(SpfQualifier qualifier) => qualifier switch
    {
        SpfQualifier.Fail => 3,
        SpfQualifier.SoftFail => 2,
        SpfQualifier.Neutral => 1,
        _ => 0,
    };

    /// <summary>Compares terms as receivers do: case-insensitively, "+" being the default qualifier (section 4.6.2).</summary>
    private static string TermKey(string term)
    {
        string key = term.ToLowerInvariant();
        return key.StartsWith("+", StringComparison.Ordinal) ? key.Substring(1) : key;
    }

    private static string TargetKey(string domainSpec) => domainSpec.TrimEnd('.').ToLowerInvariant();
}
