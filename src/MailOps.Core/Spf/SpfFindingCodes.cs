namespace MailOps.Core.Spf;

/// <summary>
/// The stable codes of the findings that <see cref="SpfRecordAnalyzer"/> and
/// <see cref="SpfIncludeMerger"/> report. Scripts filter on them and about_MailOps documents
/// them, so a code is never renamed once released; new conditions get new codes.
/// </summary>
public static class SpfFindingCodes
{
    /// <summary>Warning: the domain publishes no SPF record, so receivers get "none" and any host
    /// may use the domain in MAIL FROM (RFC 7208 section 4.5).</summary>
    public const string SpfNoRecord = "SpfNoRecord";

    /// <summary>Error: more than one "v=spf1" record at one name; check_host() returns permerror
    /// and none of them is used (RFC 7208 sections 3.2 and 4.5).</summary>
    public const string SpfMultipleRecords = "SpfMultipleRecords";

    /// <summary>Error: the record breaks the grammar; one finding per error, the term in
    /// <see cref="Finding.Term"/>. Any syntax error is a permerror (RFC 7208 section 4.6).</summary>
    public const string SpfSyntaxError = "SpfSyntaxError";

    /// <summary>Error: the tree needs more than 10 DNS-querying terms; receivers stop and return
    /// permerror (RFC 7208 section 4.6.4).</summary>
    public const string SpfTooManyLookups = "SpfTooManyLookups";

    /// <summary>Warning: the tree needs 8 to 10 DNS-querying terms; one more include (or a
    /// provider growing its own record) tips it into permerror.</summary>
    public const string SpfLookupBudgetHigh = "SpfLookupBudgetHigh";

    /// <summary>Error: more than 2 lookups in the tree return NXDOMAIN or no records; receivers
    /// return permerror (RFC 7208 section 4.6.4).</summary>
    public const string SpfTooManyVoidLookups = "SpfTooManyVoidLookups";

    /// <summary>Warning: one a, mx, exists, include or redirect target returns no records (a void
    /// lookup): the term never matches, costs a lookup and counts toward the void limit.</summary>
    public const string SpfVoidLookup = "SpfVoidLookup";

    /// <summary>Error: an include: target publishes no SPF record, which makes the include and
    /// so the whole check a permerror (RFC 7208 section 5.2).</summary>
    public const string SpfIncludeTargetNoRecord = "SpfIncludeTargetNoRecord";

    /// <summary>Error: a redirect= target publishes no SPF record: permerror
    /// (RFC 7208 section 6.1).</summary>
    public const string SpfRedirectTargetNoRecord = "SpfRedirectTargetNoRecord";

    /// <summary>Error: an include: or redirect= leads back to a record already on the path; a
    /// receiver loops until the lookup limit and returns permerror (RFC 7208 section 4.6.4).</summary>
    public const string SpfIncludeLoop = "SpfIncludeLoop";

    /// <summary>Error: "+all" or "all" authorizes every host on the internet (RFC 7208 section 5.1).</summary>
    public const string SpfPassAll = "SpfPassAll";

    /// <summary>Warning: the effective policy ends in "?all", which asserts nothing about
    /// unlisted hosts (RFC 7208 section 8.2).</summary>
    public const string SpfNeutralAll = "SpfNeutralAll";

    /// <summary>Warning: the effective policy has neither "all" nor "redirect=", so unlisted hosts
    /// get the default result neutral (RFC 7208 section 4.7).</summary>
    public const string SpfNoAllOrRedirect = "SpfNoAllOrRedirect";

    /// <summary>Warning: "ptr" is slow, unreliable and SHOULD NOT be published (RFC 7208 section 5.5).</summary>
    public const string SpfPtrMechanism = "SpfPtrMechanism";

    /// <summary>Warning: a mechanism after "all" is never evaluated (RFC 7208 section 5.1).</summary>
    public const string SpfTermsAfterAll = "SpfTermsAfterAll";

    /// <summary>Warning: "redirect=" is ignored because the record has an "all" mechanism
    /// (RFC 7208 section 6.1).</summary>
    public const string SpfRedirectIgnored = "SpfRedirectIgnored";

    /// <summary>Error: a TXT character-string is longer than 255 octets, so the record cannot have
    /// been published as intended (RFC 7208 section 3.3, RFC 1035 section 3.3).</summary>
    public const string SpfTxtStringTooLong = "SpfTxtStringTooLong";

    /// <summary>Warning: the TXT answer for the name exceeds the 512 octets of a plain UDP DNS
    /// reply, so receivers must fall back to TCP and some fail (RFC 7208 section 3.4).</summary>
    public const string SpfRecordTooLongForUdp = "SpfRecordTooLongForUdp";

    /// <summary>Error: a lookup in the tree failed (SERVFAIL, REFUSED, timeout); receivers return
    /// temperror and defer or accept the mail unchecked (RFC 7208 sections 4.4 and 5).</summary>
    public const string SpfDnsError = "SpfDnsError";

    /// <summary>Error: an mx target has more than 10 MX records; the mx mechanism is then a
    /// permerror (RFC 7208 section 4.6.4).</summary>
    public const string SpfMxTooManyNames = "SpfMxTooManyNames";

    /// <summary>Info: a domain-spec contains macros, so its target depends on the connection and
    /// cannot be followed statically; its lookup is counted, its subtree is not (RFC 7208 section 7).</summary>
    public const string SpfMacroNotEvaluated = "SpfMacroNotEvaluated";

    /// <summary>Warning: the walk stopped following includes (depth or size cap). This only
    /// happens far past the lookup limit; counts are then lower bounds.</summary>
    public const string SpfTreeTruncated = "SpfTreeTruncated";

    /// <summary>Info: New-SpfInclude found no SPF record and created a new one.</summary>
    public const string SpfRecordCreated = "SpfRecordCreated";

    /// <summary>Warning: New-SpfInclude merged two or more published SPF records into one; delete
    /// the old records when publishing the merged one.</summary>
    public const string SpfRecordsMerged = "SpfRecordsMerged";

    /// <summary>Warning: an include asked for is already present with a qualifier other than "+",
    /// so it is left as it is and does not authorize the provider's hosts.</summary>
    public const string SpfIncludeQualifierDiffers = "SpfIncludeQualifierDiffers";
}
