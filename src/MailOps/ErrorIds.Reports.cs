namespace MailOps;

/// <summary>The ErrorIds of the report cmdlets (Import-DmarcReport, Import-TlsRptReport).</summary>
public static partial class ErrorIds
{
    /// <summary>A file is not a readable DMARC aggregate report: not XML, not a &lt;feedback&gt;
    /// document, a truncated gzip, a zip or e-mail without a report, a DTD (InvalidData; the
    /// target is the file path). The other files are still read.</summary>
    public const string InvalidDmarcReport = "InvalidDmarcReport";

    /// <summary>A file is not a readable SMTP TLS report (RFC 8460): not JSON, no report-id or
    /// policies, a truncated gzip, an e-mail without a report (InvalidData; the target is the
    /// file path).</summary>
    public const string InvalidTlsRptReport = "InvalidTlsRptReport";

    /// <summary>A -Path or -LiteralPath names no file, or a wildcard matches none
    /// (ObjectNotFound; the target is the path as given).</summary>
    public const string ReportFileNotFound = "ReportFileNotFound";

    /// <summary>A -Path or -LiteralPath names a folder or an item outside the file system
    /// (InvalidArgument; the target is the path).</summary>
    public const string ReportPathNotFile = "ReportPathNotFile";

    /// <summary>A report file could not be opened or read: locked, no permission, I/O error
    /// (ReadError or PermissionDenied; the target is the file path).</summary>
    public const string ReportFileReadFailed = "ReportFileReadFailed";
}
