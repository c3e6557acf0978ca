namespace MailOps.Core.Dmarc;

/// <summary>
/// How the policy record and the Organizational Domain are found. Receivers are migrating from
/// the RFC 7489 method to the RFC 9989 one; the two can disagree (a psd= record, a private
/// registry missing from the list), so an admin can ask for either.
/// </summary>
public enum DmarcDiscoveryMethod
{
    /// <summary>RFC 9989 (DMARCbis) section 4.10: the DNS Tree Walk, at most 8 queries, with
    /// psd= deciding the Organizational Domain.</summary>
    TreeWalk,

    /// <summary>RFC 7489 section 6.6.3: _dmarc.&lt;domain&gt;, then _dmarc.&lt;Organizational
    /// Domain&gt; where the Organizational Domain comes from the Public Suffix List (section 3.2).</summary>
    PublicSuffixList,
}
