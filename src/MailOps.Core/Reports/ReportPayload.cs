namespace MailOps.Core.Reports;

/// <summary>What a report document holds once every container (gzip, zip, e-mail) is opened.</summary>
internal enum ReportPayload
{
    /// <summary>A DMARC aggregate report: XML (RFC 7489 appendix C, RFC 9990).</summary>
    Xml,

    /// <summary>An SMTP TLS report: JSON (RFC 8460 section 4).</summary>
    Json,
}
