namespace MailOps.Core.Spf;

/// <summary>
/// What New-SpfInclude returns: the one SPF record to publish after adding includes, what was
/// added or already there, and the lookup budget of the result. It describes a change; DNS is
/// not touched. Flat scalars and string arrays so the object exports cleanly to CSV and JSON.
/// </summary>
public sealed class SpfRecordChange
{
    internal SpfRecordChange(
        string? domain,
        string[] originalRecords,
        string record,
        string[] added,
        string[] alreadyPresent,
        string[] txtStrings,
        Finding[] findings,
        SpfRecord analysis)
    {
        Domain = domain;
        OriginalRecords = originalRecords;
        OriginalRecord = originalRecords.Length == 0 ? null : string.Join(" | ", originalRecords);
        Record = record;
        Added = added;
        AlreadyPresent = alreadyPresent;
        TxtStrings = txtStrings;
        ZoneFileText = SpfTxtStrings.ToPresentation(txtStrings);
        Findings = findings;
        Analysis = analysis;
        DnsLookupCount = analysis.DnsLookupCount;
    }

    /// <summary>The domain the record is for (lower-case A-label form), or null when only a record was given.</summary>
    public string? Domain { get; }

    /// <summary>
    /// The SPF record(s) the change starts from, or null when there was none. When the domain
    /// published several (a permerror the change repairs), they are joined with " | " so the value
    /// stays one CSV cell; <see cref="OriginalRecords"/> has them apart.
    /// </summary>
    public string? OriginalRecord { get; }

    /// <summary>The SPF records the change starts from, one element each, in DNS answer order.</summary>
    public string[] OriginalRecords { get; }

    /// <summary>The one SPF record to publish, replacing every record in <see cref="OriginalRecords"/>.</summary>
    public string Record { get; }

    /// <summary>True when <see cref="Record"/> differs from what was published (something was
    /// added, records were merged, or a record was created).</summary>
    public bool IsChanged => OriginalRecords.Length != 1 || OriginalRecords[0] != Record;

    /// <summary>The include targets that were added, in the order given.</summary>
    public string[] Added { get; }

    /// <summary>The include targets that the record already had (with any qualifier), so nothing was added for them.</summary>
    public string[] AlreadyPresent { get; }

    /// <summary>
    /// DNS-querying terms of the new record's whole tree as receivers count them (RFC 7208
    /// section 4.6.4); above 10 the record is a permerror and must not be published as it is.
    /// </summary>
    public int DnsLookupCount { get; }

    /// <summary>
    /// <see cref="Record"/> split into character-strings of at most 255 octets for DNS consoles
    /// that want them separately. Cuts are made after a space, so each string ends with whole
    /// terms; concatenated with nothing in between they are exactly <see cref="Record"/>
    /// (RFC 7208 section 3.3).
    /// </summary>
    public string[] TxtStrings { get; }

    /// <summary><see cref="TxtStrings"/> in zone-file form (<c>"v=spf1 ... " "..."</c>), ready to paste into BIND-style zones.</summary>
    public string ZoneFileText { get; }

    /// <summary>
    /// What the merge did (record created, records merged, include with another qualifier) and
    /// every finding of the new record's tree (lookup budget, missing include targets, ...).
    /// </summary>
    public Finding[] Findings { get; }

    /// <summary>The full analysis of <see cref="Record"/> as Get-SpfRecord would show it once published.</summary>
    public SpfRecord Analysis { get; }

    /// <inheritdoc />
    public override string ToString() => Record;
}
