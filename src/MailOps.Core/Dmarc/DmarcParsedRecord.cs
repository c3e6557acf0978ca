using System.Linq;

namespace MailOps.Core.Dmarc;

/// <summary>
/// One DMARC record read tag by tag (RFC 7489 section 6.3, RFC 9989 section 4.7): the values
/// receivers use (defaults filled in, malformed values dropped as receivers drop them) and the
/// findings about the text. <see cref="DmarcPolicyDiscovery"/> decides which of p, sp and np
/// applies to a domain.
/// </summary>
public sealed class DmarcParsedRecord
{
    internal DmarcParsedRecord(string text, DmarcDiscoveryMethod method)
    {
        Text = text;
        Method = method;
    }

    /// <summary>The record text (character-strings joined with nothing between them).</summary>
    public string Text { get; }

    /// <summary>The rules the record was read under: removed tags (pct, rf, ri) are only
    /// validated under <see cref="DmarcDiscoveryMethod.PublicSuffixList"/> (RFC 7489).</summary>
    public DmarcDiscoveryMethod Method { get; }

    /// <summary>True when the text starts with "v=DMARC1" (RFC 7489 section 6.4); anything else
    /// is not a DMARC record and receivers discard it.</summary>
    public bool IsDmarcRecord { get; internal set; }

    /// <summary>p as published, or null when absent or not none/quarantine/reject.</summary>
    public DmarcPolicyKind? Policy { get; internal set; }

    /// <summary>sp as published, or null when absent or invalid.</summary>
    public DmarcPolicyKind? SubdomainPolicy { get; internal set; }

    /// <summary>np as published (RFC 9989, RFC 9091), or null when absent or invalid.</summary>
    public DmarcPolicyKind? NonexistentSubdomainPolicy { get; internal set; }

    /// <summary>False when p is missing or invalid, or sp or np is present but invalid: the
    /// record then counts as p=none when it has a valid rua, and as no policy otherwise
    /// (RFC 7489 section 6.6.3, RFC 9989 section 4.10.1).</summary>
    public bool HasValidPolicy { get; internal set; }

    /// <summary>adkim, default relaxed.</summary>
    public DmarcAlignment DkimAlignment { get; internal set; }

    /// <summary>aspf, default relaxed.</summary>
    public DmarcAlignment SpfAlignment { get; internal set; }

    /// <summary>pct when it is a valid 0-100 value, else 100 (the default).</summary>
    public int Percentage { get; internal set; } = 100;

    /// <summary>fo, normalized to lower case, default "0".</summary>
    public string FailureOptions { get; internal set; } = "0";

    /// <summary>psd (RFC 9989), default <see cref="DmarcPublicSuffixFlag.Unspecified"/>.</summary>
    public DmarcPublicSuffixFlag PublicSuffixFlag { get; internal set; }

    /// <summary>t=y (RFC 9989): the owner asks receivers not to apply the policy yet.</summary>
    public bool Testing { get; internal set; }

    /// <summary>The rua tag value as published, or null.</summary>
    public string? Rua { get; internal set; }

    /// <summary>The ruf tag value as published, or null.</summary>
    public string? Ruf { get; internal set; }

    /// <summary>The URIs of rua that are URIs (entries that are not are findings only).</summary>
    public DmarcReportUri[] AggregateReportUri { get; internal set; } = System.Array.Empty<DmarcReportUri>();

    /// <summary>The URIs of ruf that are URIs.</summary>
    public DmarcReportUri[] FailureReportUri { get; internal set; } = System.Array.Empty<DmarcReportUri>();

    /// <summary>Findings about the text, in record order.</summary>
    public Finding[] Findings { get; internal set; } = System.Array.Empty<Finding>();

    /// <summary>True when the text breaks the record grammar (a DmarcSyntaxError finding): a
    /// tag-spec without "=", a value outside its tag's syntax, a rua/ruf entry that is no URI.</summary>
    public bool HasGrammarErrors { get; internal set; }

    /// <summary>True when any finding about the text is an Error.</summary>
    public bool HasErrors => Findings.Any(f => f.Severity == FindingSeverity.Error);

    /// <summary>True when receivers act as if the record said p=none because p (or sp, np) is
    /// unusable but rua holds a valid URI.</summary>
    public bool FallsBackToNone => IsDmarcRecord && !HasValidPolicy && AggregateReportUri.Length > 0;

    /// <summary>True when receivers apply DMARC at all with this record.</summary>
    public bool AppliesPolicy => IsDmarcRecord && (HasValidPolicy || FallsBackToNone);

    /// <summary>
    /// The policy a receiver applies to mail from a domain related to the record as given:
    /// p for the record's own domain, sp for an existing subdomain, np for a non-existent one,
    /// each falling back as RFC 9989 section 4.7 says (np to sp to p, sp to p); null when the
    /// record applies no policy.
    /// </summary>
    public DmarcPolicyKind? PolicyFor(bool ownDomain, bool domainExists)
    {
        if (!AppliesPolicy)
        {
            return null;
        }

        if (!HasValidPolicy)
        {
            // "act as if a record containing p=none was retrieved": sp and np fall back to it.
            return DmarcPolicyKind.None;
        }

        if (ownDomain)
        {
            return Policy;
        }

        return domainExists
            ? SubdomainPolicy ?? Policy
            : NonexistentSubdomainPolicy ?? SubdomainPolicy ?? Policy;
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}
