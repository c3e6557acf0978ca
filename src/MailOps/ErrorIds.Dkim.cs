namespace MailOps;

/// <summary>ErrorIds of the DKIM cmdlets (Get-DkimRecord).</summary>
public static partial class ErrorIds
{
    /// <summary>A -Selector value is not a valid selector (dot-separated DNS labels, RFC 6376
    /// section 3.1), or is a whole key record name instead of the selector alone.</summary>
    public const string InvalidDkimSelector = "InvalidDkimSelector";
}
