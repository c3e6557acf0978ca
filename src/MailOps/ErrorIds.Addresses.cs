namespace MailOps;

/// <summary>ErrorIds of Test-EmailAddress. An invalid address is not an error: it is a result
/// with Verdict Invalid, so a CSV of addresses gives one row per input. Failures of the store
/// behind -StorePath use the store's ids (StoreOpenFailed, StoreSchemaTooNew, StoreReadFailed).</summary>
public static partial class ErrorIds
{
    /// <summary>Test-EmailAddress -StorePath names a store file that does not exist; the addresses
    /// are still checked, with IsSuppressed left null (ObjectNotFound).</summary>
    public const string SuppressionListNotFound = "SuppressionListNotFound";
}
