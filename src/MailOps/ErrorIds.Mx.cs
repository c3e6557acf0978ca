namespace MailOps;

/// <summary>ErrorIds of the MX, MTA-STS, TLS-RPT and BIMI cmdlets.</summary>
public static partial class ErrorIds
{
    /// <summary>Get-BimiRecord -Selector is not a valid selector (letters, digits, hyphens, underscores, dots).</summary>
    public const string InvalidBimiSelector = "InvalidBimiSelector";
}
