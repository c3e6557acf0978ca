namespace MailOps;

/// <summary>ErrorIds of Test-MailMessage.</summary>
public static partial class ErrorIds
{
    // InvalidMessageFile (a file that is not a readable message, InvalidData) is shared with
    // Import-MailBounce and defined in ErrorIds.Bounces.cs.

    /// <summary>A -Path or -LiteralPath value names no file (ObjectNotFound).</summary>
    public const string MessageFileNotFound = "MessageFileNotFound";

    /// <summary>A message file exists but cannot be read: access denied, locked (ReadError).</summary>
    public const string MessageFileReadFailed = "MessageFileReadFailed";
}
