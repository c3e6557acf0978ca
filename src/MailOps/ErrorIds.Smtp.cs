namespace MailOps;

/// <summary>ErrorIds of the SMTP cmdlets (Test-SmtpServer). Failures of the server itself are
/// data in the result (Error, Hint), not ErrorRecords; these ids are for input that cannot be tested.</summary>
public static partial class ErrorIds
{
    /// <summary>-Server is not a host name or IP address.</summary>
    public const string InvalidSmtpServerName = "InvalidSmtpServerName";

    /// <summary>-From or -To is not an address usable in MAIL FROM / RCPT TO (RFC 5321 section 4.1.2).</summary>
    public const string InvalidSmtpAddress = "InvalidSmtpAddress";
}
