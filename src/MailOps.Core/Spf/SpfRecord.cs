using System.Collections.Generic;
using System.Linq;

namespace MailOps.Core.Spf;

/// <summary>How a record in the tree was reached, so a walker can tell the redirect apart from includes.</summary>
public enum SpfRecordSource
{
    /// <summary>The domain that was asked about.</summary>
    Root,

    /// <summary>The target of an "include:" mechanism (RFC 7208 section 5.2).</summary>
    Include,

    /// <summary>The target of a "redirect=" modifier (RFC 7208 section 6.1).</summary>
    Redirect,
}

/// <summary>
/// What Get-SpfRecord returns: one domain's SPF record with the records it includes or redirects
/// to as a tree, the DNS lookup budget counted the way check_host() counts it, and findings that
/// say what to fix. Scalars stay flat so Export-Csv gives a useful row; the tree is in
/// <see cref="Includes"/> for ConvertTo-Json and scripts.
/// </summary>
public sealed class SpfRecord
{
    internal SpfRecord(
        string domain,
        SpfRecordSource source,
        string? term,
        int depth,
        string[] records,
        string[] txtStrings,
        bool isValid,
        string? all,
        string? redirect,
        int dnsLookupCount,
        int voidLookupCount,
        SpfRecord[] includes,
        Finding[] findings)
    {
        Domain = domain;
        Source = source;
        Term = term;
        Depth = depth;
        Records = records;
        Record = records.Length > 0 ? records[0] : null;
        TxtStrings = txtStrings;
        IsValid = isValid;
        All = all;
        Redirect = redirect;
        DnsLookupCount = dnsLookupCount;
        VoidLookupCount = voidLookupCount;
        Includes = includes;
        Findings = findings;

        // Flattened once: own findings first, then each child's, depth first in record order.
        var flat = new List<Finding>(findings);
        foreach (SpfRecord child in includes)
        {
            flat.AddRange(child.AllFindings);
        }

        AllFindings = flat.ToArray();
        ErrorCount = AllFindings.Count(f => f.Severity == FindingSeverity.Error);
        WarningCount = AllFindings.Count(f => f.Severity == FindingSeverity.Warning);
    }

    /// <summary>The domain whose record this is: the lower-case A-label form for the root, the
    /// include or redirect target for the others. Binds to -Domain of the next cmdlet.</summary>
    public string Domain { get; }

    /// <summary>How this record was reached: the root, an include or the redirect.</summary>
    public SpfRecordSource Source { get; }

    /// <summary>The term of the parent record that led here ("include:_spf.example.net"), null for the root.</summary>
    public string? Term { get; }

    /// <summary>Nesting level: 0 for the root, 1 for its includes and redirect, and so on.</summary>
    public int Depth { get; }

    /// <summary>The SPF record text (character-strings joined with nothing between them,
    /// RFC 7208 section 3.3), or null when none was found. With several records, the first one,
    /// which is the one the tree below is built from.</summary>
    public string? Record { get; }

    /// <summary>Every "v=spf1" record found at the name, in answer order; more than one is a permerror.</summary>
    public string[] Records { get; }

    /// <summary>How many SPF records the name publishes: 1 is right, 0 is none, more is a permerror.</summary>
    public int RecordCount => Records.Length;

    /// <summary>The character-strings of <see cref="Record"/> as published (each at most 255 octets).</summary>
    public string[] TxtStrings { get; }

    /// <summary>True when exactly one SPF record is published and it follows the grammar. Tree-level
    /// problems (lookup budget, missing include targets) are in <see cref="AllFindings"/>;
    /// <see cref="ErrorCount"/> tells whether any exist.</summary>
    public bool IsValid { get; }

    /// <summary>The first "all" mechanism as written ("~all", "-all", "all"), or null when there is none.</summary>
    public string? All { get; }

    /// <summary>The domain-spec of the "redirect=" modifier, or null when there is none.</summary>
    public string? Redirect { get; }

    /// <summary>
    /// DNS-querying terms of this record and everything below it, counted as check_host() counts
    /// them (RFC 7208 section 4.6.4): include, a, mx, ptr, exists and redirect each count 1, and
    /// included and redirected records add their own. Terms after "all" and a redirect ignored
    /// because of "all" are never evaluated and so not counted. For the root this is the number
    /// receivers compare with the limit of 10.
    /// </summary>
    public int DnsLookupCount { get; }

    /// <summary>Lookups in this record and below that return NXDOMAIN or no records (void
    /// lookups, RFC 7208 section 4.6.4); more than 2 in the tree is a permerror.</summary>
    public int VoidLookupCount { get; }

    /// <summary>The records reached through "include:" and "redirect=", in record order (the
    /// redirect last, as it is evaluated last). Each has its own findings.</summary>
    public SpfRecord[] Includes { get; }

    /// <summary>Findings about this record; for the root also the tree-level ones (lookup and void
    /// budgets). Findings of included records stay on them.</summary>
    public Finding[] Findings { get; }

    /// <summary>This record's findings followed by those of every record below it, depth first.</summary>
    public Finding[] AllFindings { get; }

    /// <summary>Number of Error findings in <see cref="AllFindings"/>.</summary>
    public int ErrorCount { get; }

    /// <summary>Number of Warning findings in <see cref="AllFindings"/>.</summary>
    public int WarningCount { get; }

    /// <summary>Walks the tree depth first, this record first.</summary>
    public IEnumerable<SpfRecord> Descendants()
    {
        yield return this;
        foreach (SpfRecord child in Includes)
        {
            foreach (SpfRecord record in child.Descendants())
            {
                yield return record;
            }
        }
    }

    /// <inheritdoc />
    public override string ToString() => Record is null ? $"{Domain}: no SPF record" : $"{Domain}: {Record}";
}
