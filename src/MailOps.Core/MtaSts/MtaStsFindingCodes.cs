namespace MailOps.Core.MtaSts;

/// <summary>
/// The stable codes of the findings that <see cref="MtaStsPolicyAnalyzer"/> reports. Scripts
/// filter on them and about_MailOps documents them, so a code is never renamed once released.
/// </summary>
public static class MtaStsFindingCodes
{
    /// <summary>Info: no "v=STSv1" TXT record at _mta-sts.&lt;domain&gt;: MTA-STS is not deployed.</summary>
    public const string MtaStsNoRecord = "MtaStsNoRecord";

    /// <summary>Error: more than one "v=STSv1" record; senders then assume there is no policy
    /// (RFC 8461 section 3.1).</summary>
    public const string MtaStsMultipleRecords = "MtaStsMultipleRecords";

    /// <summary>Error: the TXT record breaks the grammar of RFC 8461 section 3.1 (missing or bad id);
    /// senders then assume there is no policy.</summary>
    public const string MtaStsRecordSyntax = "MtaStsRecordSyntax";

    /// <summary>Error: a DNS lookup failed (SERVFAIL, timeout); senders cannot discover the policy
    /// (Warning when only the MX lookup for the coverage check failed).</summary>
    public const string MtaStsDnsError = "MtaStsDnsError";

    /// <summary>Error: the policy could not be fetched (no address, connection refused, timeout,
    /// TLS handshake or HTTP protocol failure); the message gives the reason.</summary>
    public const string MtaStsFetchFailed = "MtaStsFetchFailed";

    /// <summary>Error: the policy host's certificate does not validate for mta-sts.&lt;domain&gt;
    /// (wrong name, untrusted issuer, expired): RFC 8461 section 3.3.</summary>
    public const string MtaStsCertificateInvalid = "MtaStsCertificateInvalid";

    /// <summary>Error: the policy URL answers with a redirect, which senders MUST NOT follow
    /// (RFC 8461 section 3.3).</summary>
    public const string MtaStsRedirect = "MtaStsRedirect";

    /// <summary>Error: the policy URL answers with a status other than 200 (RFC 8461 section 3.3).</summary>
    public const string MtaStsStatusNot200 = "MtaStsStatusNot200";

    /// <summary>Error: the policy is not served as text/plain (RFC 8461 section 3.2); parameters
    /// such as charset are allowed.</summary>
    public const string MtaStsWrongContentType = "MtaStsWrongContentType";

    /// <summary>Error: the policy file breaks the grammar of RFC 8461 section 3.2 (missing or bad
    /// version, mode, mx); Warning for a repeated field, where the first one counts.</summary>
    public const string MtaStsPolicySyntax = "MtaStsPolicySyntax";

    /// <summary>Error: max_age is missing, not a number or above 31557600 (RFC 8461 section 3.2);
    /// Warning when it is under one day, which leaves little protection between refreshes.</summary>
    public const string MtaStsBadMaxAge = "MtaStsBadMaxAge";

    /// <summary>Info: the policy is in testing mode: failures are only reported (TLS-RPT).</summary>
    public const string MtaStsModeTesting = "MtaStsModeTesting";

    /// <summary>Warning: the policy is in mode none: senders apply no MTA-STS protection.</summary>
    public const string MtaStsModeNone = "MtaStsModeNone";

    /// <summary>Error (enforce) or Warning (testing): an MX host of the domain matches no mx
    /// pattern of the policy, so senders refuse (enforce) or report (testing) delivery to it
    /// (RFC 8461 section 4.1).</summary>
    public const string MtaStsMxNotCovered = "MtaStsMxNotCovered";
}
