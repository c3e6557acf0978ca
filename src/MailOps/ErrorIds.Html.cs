namespace MailOps;

/// <summary>ErrorIds of Export-MailReport.</summary>
public static partial class ErrorIds
{
    /// <summary>A pipeline object that is neither a Test-MailDomain result nor an Import-DmarcReport row.</summary>
    public const string UnsupportedReportInput = "UnsupportedReportInput";

    /// <summary>The report file exists and -NoClobber was given.</summary>
    public const string ReportFileExists = "ReportFileExists";

    /// <summary>The report file could not be written (permissions, missing folder, disk full).</summary>
    public const string ReportWriteFailed = "ReportWriteFailed";
}
