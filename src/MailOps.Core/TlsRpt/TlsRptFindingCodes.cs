namespace MailOps.Core.TlsRpt;

/// <summary>
/// The stable codes of the findings that <see cref="TlsRptRecordAnalyzer"/> reports. Scripts
/// filter on them and about_MailOps documents them, so a code is never renamed once released.
/// </summary>
public static class TlsRptFindingCodes
{
    /// <summary>Info: no "v=TLSRPTv1" TXT record at _smtp._tls.&lt;domain&gt;: nobody receives
    /// reports of TLS failures when senders deliver to the domain.</summary>
    public const string TlsRptNoRecord = "TlsRptNoRecord";

    /// <summary>Error: more than one "v=TLSRPTv1" record; senders then assume the domain does not
    /// implement TLS-RPT (RFC 8460 section 3).</summary>
    public const string TlsRptMultipleRecords = "TlsRptMultipleRecords";

    /// <summary>Error: the record breaks the grammar of RFC 8460 section 3.</summary>
    public const string TlsRptSyntax = "TlsRptSyntax";

    /// <summary>Error: the record has no rua= field, so there is nowhere to send reports.</summary>
    public const string TlsRptNoRua = "TlsRptNoRua";

    /// <summary>Error: a rua= URI is neither mailto: nor https:, or is malformed (RFC 8460 section 3).</summary>
    public const string TlsRptBadUri = "TlsRptBadUri";

    /// <summary>Error: the TXT lookup failed (SERVFAIL, timeout); senders cannot find the record.</summary>
    public const string TlsRptDnsError = "TlsRptDnsError";
}
