namespace MailOps;

/// <summary>ErrorIds of the MailOps store and the suppression list cmdlets.</summary>
public static partial class ErrorIds
{
    /// <summary>An -Address value is not an e-mail address (InvalidArgument); the other addresses go on.</summary>
    public const string InvalidEmailAddress = "InvalidEmailAddress";

    /// <summary>Add-MailSuppression -ExpiresAt is not in the future (InvalidArgument).</summary>
    public const string InvalidSuppressionExpiry = "InvalidSuppressionExpiry";

    /// <summary>The address is not on the suppression list (ObjectNotFound): Remove-MailSuppression,
    /// or Get-MailSuppression with an address that has no wildcard.</summary>
    public const string SuppressionNotFound = "SuppressionNotFound";

    /// <summary>The store file cannot be created or opened: path, permissions, not a SQLite file,
    /// or the native SQLite library is missing (OpenError, terminating).</summary>
    public const string StoreOpenFailed = "StoreOpenFailed";

    /// <summary>The store was written by a newer MailOps; it is left untouched (OpenError, terminating).</summary>
    public const string StoreSchemaTooNew = "StoreSchemaTooNew";

    /// <summary>A change could not be committed (locked too long, disk full, read-only); nothing of
    /// it was written (WriteError).</summary>
    public const string StoreWriteFailed = "StoreWriteFailed";

    /// <summary>A query of the store failed (ReadError).</summary>
    public const string StoreReadFailed = "StoreReadFailed";
}
