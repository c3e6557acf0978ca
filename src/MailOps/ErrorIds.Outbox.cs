namespace MailOps;

/// <summary>ErrorIds of the relay outbox cmdlets (Get-, Save-, Stop-RelayMessage).</summary>
public static partial class ErrorIds
{
    /// <summary>The outbox holds no message with that -Id (ObjectNotFound); the other ids go on.</summary>
    public const string RelayMessageNotFound = "RelayMessageNotFound";

    /// <summary>Stop-RelayMessage: the message is Sending, Sent, Failed or already Cancelled, so
    /// there is nothing to cancel (InvalidOperation).</summary>
    public const string RelayMessageNotCancellable = "RelayMessageNotCancellable";

    /// <summary>Save-RelayMessage: the file cannot be written (path, permissions, disk full), or
    /// it exists and -NoClobber was given (WriteError / ResourceExists).</summary>
    public const string RelayMessageSaveFailed = "RelayMessageSaveFailed";
}
