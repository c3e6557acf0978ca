namespace MailOps.Core.Dmarc;

/// <summary>
/// The stable codes of the findings that <see cref="DmarcPolicyDiscovery"/>,
/// <see cref="DmarcRecordParser"/> and <see cref="DmarcRecordBuilder"/> report. Scripts filter on
/// them and about_MailOps documents them, so a code is never renamed once released; new
/// conditions get new codes.
/// </summary>
public static class DmarcFindingCodes
{
    /// <summary>Warning: no DMARC record applies to the domain (none at the domain, its
    /// Organizational Domain or a Public Suffix Domain), so receivers apply no DMARC policy and
    /// anyone can send mail that shows the domain in From (RFC 9989 section 4.10.1).</summary>
    public const string DmarcNoRecord = "DmarcNoRecord";

    /// <summary>Error: more than one "v=DMARC1" record at one _dmarc name; receivers discard them
    /// all (RFC 7489 section 6.6.3 ends discovery, RFC 9989 section 4.10 walks on).</summary>
    public const string DmarcMultipleRecords = "DmarcMultipleRecords";

    /// <summary>Error: a TXT record at the _dmarc name looks like DMARC but does not start with
    /// "v=DMARC1" exactly, so receivers ignore it (RFC 7489 section 6.4).</summary>
    public const string DmarcVersionInvalid = "DmarcVersionInvalid";

    /// <summary>Error: a tag-spec breaks the grammar, a known tag has a value outside its
    /// syntax, or a rua/ruf entry is not a URI; receivers ignore it and use the default
    /// (RFC 7489 section 6.3). One finding per problem, the offending text in <see cref="Finding.Term"/>.</summary>
    public const string DmarcSyntaxError = "DmarcSyntaxError";

    /// <summary>Warning: a tag that is not a DMARC tag (often a typo); receivers ignore it
    /// (RFC 7489 section 6.3, RFC 9989 section 4.7).</summary>
    public const string DmarcUnknownTag = "DmarcUnknownTag";

    /// <summary>Info: pct, rf or ri, which RFC 9989 removed; receivers that follow it ignore the
    /// tag (reported under the TreeWalk method only).</summary>
    public const string DmarcRemovedTag = "DmarcRemovedTag";

    /// <summary>Error: the record has no valid p tag (or an invalid sp or np). With a valid rua
    /// receivers act as if p=none; without one they apply no DMARC processing at all
    /// (RFC 7489 section 6.6.3, RFC 9989 section 4.10.1).</summary>
    public const string DmarcPolicyMissing = "DmarcPolicyMissing";

    /// <summary>Warning: the policy that applies is "none" (monitoring only): spoofed mail is
    /// delivered as usual. Move to quarantine, then reject, once the aggregate reports show that
    /// all legitimate mail passes.</summary>
    public const string DmarcPolicyNone = "DmarcPolicyNone";

    /// <summary>Warning: sp or np is weaker than p, so subdomains (existing or not) are an easier
    /// target for spoofing than the domain itself.</summary>
    public const string DmarcSubdomainPolicyWeaker = "DmarcSubdomainPolicyWeaker";

    /// <summary>Warning: pct is below 100; RFC 7489 receivers apply the policy to only that
    /// share of failing mail (section 6.3), RFC 9989 receivers ignore pct.</summary>
    public const string DmarcPercentageBelow100 = "DmarcPercentageBelow100";

    /// <summary>Warning: t=y (RFC 9989 section 4.7): the owner is testing, and receivers are asked
    /// not to apply the policy.</summary>
    public const string DmarcTestMode = "DmarcTestMode";

    /// <summary>Warning: no rua tag, so no receiver sends aggregate reports and the owner cannot
    /// see who sends mail as the domain (RFC 9989 section 4.7).</summary>
    public const string DmarcNoReportUri = "DmarcNoReportUri";

    /// <summary>Warning: a rua or ruf URI is not "mailto:"; receivers are only required to support
    /// mailto and ignore URIs they do not support (RFC 7489 section 6.2).</summary>
    public const string DmarcReportUriNotMailto = "DmarcReportUriNotMailto";

    /// <summary>Warning: a rua or ruf mailto URI holds no usable e-mail address
    /// ("mailto://example.com"); it is a URI, but receivers cannot send reports there
    /// (RFC 6068, RFC 7489 section 6.2).</summary>
    public const string DmarcReportUriInvalid = "DmarcReportUriInvalid";

    /// <summary>Warning: reports go to another organization's domain, which has not published
    /// "&lt;domain&gt;._report._dmarc.&lt;destination&gt;" TXT "v=DMARC1"; receivers drop those
    /// reports (RFC 7489 section 7.1, RFC 9990 section 3).</summary>
    public const string DmarcExternalReportUnauthorized = "DmarcExternalReportUnauthorized";

    /// <summary>Info: New-DmarcRecord sends reports outside the domain; the destination must
    /// publish the authorization record named in <see cref="Finding.Term"/> (RFC 7489 section 7.1).</summary>
    public const string DmarcExternalReportAuthorizationRequired = "DmarcExternalReportAuthorizationRequired";

    /// <summary>Info: fo is set but there is no ruf, so the failure-report options do nothing
    /// (RFC 7489 section 6.3).</summary>
    public const string DmarcFailureOptionsIgnored = "DmarcFailureOptionsIgnored";

    /// <summary>Error: receivers will reject (or quarantine) mail with this From domain sent
    /// through a relay it does not authorize, e.g. a big mailbox provider's domain (yahoo.com,
    /// gmail.com). Do not send as this From through your relay: use an address of your own domain
    /// and put the user's address in Reply-To.</summary>
    public const string DmarcRelayWillBeRejected = "DmarcRelayWillBeRejected";

    /// <summary>Info: the policy comes from a Public Suffix Domain's record (psd=y) because the
    /// Organizational Domain publishes none; publish your own record.</summary>
    public const string DmarcPublicSuffixPolicy = "DmarcPublicSuffixPolicy";

    /// <summary>Info: the domain does not exist (NXDOMAIN), so the np policy applies
    /// (RFC 9989 section 4.7).</summary>
    public const string DmarcNonexistentDomain = "DmarcNonexistentDomain";

    /// <summary>Error: a DMARC lookup failed (SERVFAIL, REFUSED, timeout); receivers then defer or
    /// accept the mail unchecked (RFC 9989 section 4.10.1), and the result may be incomplete.
    /// Warning when only a secondary lookup failed (whether the domain exists, or a report
    /// destination's authorization record).</summary>
    public const string DmarcDnsError = "DmarcDnsError";
}
