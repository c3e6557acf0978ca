namespace MailOps.Core.Dmarc;

/// <summary>
/// What New-DmarcRecord returns: the record to publish, where to publish it, and findings
/// (including the authorization records other domains must publish for external reports).
/// Nothing in DNS changes.
/// </summary>
public sealed class DmarcRecordProposal
{
    internal DmarcRecordProposal(string? domain, string record, string[] txtStrings, DmarcPolicyKind policy, string[] aggregateReportUri, string[] failureReportUri, DmarcAuthorizationRecord[] authorizationRecords, Finding[] findings)
    {
        Domain = domain;
        Name = domain is null ? null : DmarcTreeWalk.RecordName(domain);
        Record = record;
        TxtStrings = txtStrings;
        Policy = policy;
        AggregateReportUri = aggregateReportUri;
        FailureReportUri = failureReportUri;
        AuthorizationRecords = authorizationRecords;
        Findings = findings;
    }

    /// <summary>The domain (lower-case A-label form), or null when none was given.</summary>
    public string? Domain { get; }

    /// <summary>Where to publish the TXT record: "_dmarc.&lt;domain&gt;", or null without a domain.</summary>
    public string? Name { get; }

    /// <summary>The record text, tags in canonical order: v, p, sp, np, adkim, aspf, pct, fo, rua, ruf.</summary>
    public string Record { get; }

    /// <summary>The record cut into TXT character-strings of at most 255 octets, the way to enter
    /// it in a zone when it is longer than that (RFC 7489 section 6.1: joined with nothing between).</summary>
    public string[] TxtStrings { get; }

    /// <summary>p.</summary>
    public DmarcPolicyKind Policy { get; }

    /// <summary>The rua URIs as written in the record.</summary>
    public string[] AggregateReportUri { get; }

    /// <summary>The ruf URIs as written in the record.</summary>
    public string[] FailureReportUri { get; }

    /// <summary>The TXT records each external report destination must publish (RFC 7489 section 7.1).</summary>
    public DmarcAuthorizationRecord[] AuthorizationRecords { get; }

    /// <summary>What to know before publishing.</summary>
    public Finding[] Findings { get; }

    /// <inheritdoc />
    public override string ToString() => Record;
}

/// <summary>A TXT record an external report destination publishes to accept a domain's reports.</summary>
public sealed class DmarcAuthorizationRecord
{
    internal DmarcAuthorizationRecord(string name, string destination)
    {
        Name = name;
        Destination = destination;
    }

    /// <summary>"&lt;domain&gt;._report._dmarc.&lt;destination&gt;".</summary>
    public string Name { get; }

    /// <summary>The destination domain whose zone holds the record.</summary>
    public string Destination { get; }

    /// <summary>Always TXT.</summary>
    public string Type => "TXT";

    /// <summary>The minimal content: "v=DMARC1".</summary>
    public string Text => "v=" + DmarcRecordParser.Version;

    /// <inheritdoc />
    public override string ToString() => $"{Name} TXT \"{Text}\"";
}
