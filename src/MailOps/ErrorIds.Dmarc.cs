namespace MailOps;

/// <summary>The ErrorIds of the DMARC cmdlets (Get-DmarcPolicy, New-DmarcRecord).</summary>
public static partial class ErrorIds
{
    /// <summary>A New-DmarcRecord -AggregateReportUri or -FailureReportUri value is neither an
    /// e-mail address nor a URI (InvalidArgument; the target is the value).</summary>
    public const string InvalidDmarcReportUri = "InvalidDmarcReportUri";

    /// <summary>A New-DmarcRecord -FailureOptions value is not 0, 1, d or s, several separated by
    /// ':' (InvalidArgument; the target is the value).</summary>
    public const string InvalidDmarcFailureOptions = "InvalidDmarcFailureOptions";
}
