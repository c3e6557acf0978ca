namespace MailOps;

/// <summary>ErrorIds of Import-MailBounce.</summary>
public static partial class ErrorIds
{
    /// <summary>A -Path or -LiteralPath names no file, or a wildcard matches none (ObjectNotFound).</summary>
    public const string BounceFileNotFound = "BounceFileNotFound";

    /// <summary>A path is a folder or not on the file system (InvalidArgument).</summary>
    public const string BouncePathNotFile = "BouncePathNotFile";

    /// <summary>A bounce file exists but cannot be read: locked, or no permission (ReadError, PermissionDenied).</summary>
    public const string BounceFileReadFailed = "BounceFileReadFailed";

    /// <summary>A file holding one message that is not a bounce: an ordinary message or an
    /// auto-reply (InvalidData). Messages of an mbox that are not bounces are skipped silently.</summary>
    public const string NotABounce = "NotABounce";

    /// <summary>A file that is not a readable message or mbox: empty, binary, or a delivery
    /// report cut off before its recipients (InvalidData).</summary>
    public const string InvalidMessageFile = "InvalidMessageFile";
}
