namespace MailOps.Core.Spf;

/// <summary>
/// The stable codes of the rows Get-SpfIpRange returns without a network (the <c>Code</c>
/// column). Scripts filter on them and about_MailOps documents them, so a code is never renamed
/// once released; new conditions get new codes.
/// </summary>
public static class SpfIpRangeFindingCodes
{
    /// <summary>Info (Error for a passing all): "all" matches every address the terms before
    /// it did not match; it is the policy's default, not a network (RFC 7208 section 5.1).</summary>
    public const string SpfIpRangeAll = "SpfIpRangeAll";

    /// <summary>Info: "exists" matches when a name built for each message resolves; which
    /// clients it admits cannot be listed (RFC 7208 section 5.7).</summary>
    public const string SpfIpRangeExists = "SpfIpRangeExists";

    /// <summary>Warning: "ptr" matches by the client's reverse DNS; its clients cannot be
    /// listed, and the mechanism is deprecated (RFC 7208 section 5.5).</summary>
    public const string SpfIpRangePtr = "SpfIpRangePtr";

    /// <summary>Info: the term's domain-spec contains macros, so its target depends on each
    /// message and cannot be resolved ahead of time (RFC 7208 section 7).</summary>
    public const string SpfIpRangeMacro = "SpfIpRangeMacro";

    /// <summary>Warning: an a or mx target has no addresses (a void lookup): the term
    /// authorizes nothing and counts toward the void limit (RFC 7208 section 4.6.4).</summary>
    public const string SpfIpRangeVoidLookup = "SpfIpRangeVoidLookup";

    /// <summary>Error: the term is the 11th DNS-querying term; receivers return permerror here,
    /// so it and everything after it authorize nothing and the walk stops (RFC 7208 section 4.6.4).</summary>
    public const string SpfIpRangeLookupLimit = "SpfIpRangeLookupLimit";

    /// <summary>Error: the term is the third void lookup; receivers return permerror here and
    /// the walk stops (RFC 7208 section 4.6.4).</summary>
    public const string SpfIpRangeVoidLookupLimit = "SpfIpRangeVoidLookupLimit";

    /// <summary>Error: receivers return permerror at this term (syntax error, several records,
    /// include or redirect target without a record, include loop, mx with more than 10 names),
    /// so nothing after it is reached and the walk stops (RFC 7208 sections 4.6, 5.2, 6.1).</summary>
    public const string SpfIpRangePermError = "SpfIpRangePermError";

    /// <summary>Error: a DNS lookup for the term failed (SERVFAIL, REFUSED, timeout); what it
    /// authorizes is unknown. The walk goes on, since the failure may be passing
    /// (RFC 7208 section 2.6.6: temperror).</summary>
    public const string SpfIpRangeDnsError = "SpfIpRangeDnsError";
}
