using System.Management.Automation;
using MailOps.Core.Store;

namespace MailOps.Commands;

/// <summary>
/// The ErrorRecord of a MailOps store failure, one mapping for every cmdlet that touches the
/// store (suppression cmdlets, Test-EmailAddress -StorePath, Import-MailBounce
/// -AddToSuppression), so the same failure always has the same ErrorId and category.
/// </summary>
internal static class StoreErrors
{
    public static ErrorRecord Create(MailOpsStoreException exception, object? target)
    {
        (string id, ErrorCategory category) = exception.Kind switch
        {
            StoreErrorKind.SchemaTooNew => (ErrorIds.StoreSchemaTooNew, ErrorCategory.OpenError),
            StoreErrorKind.ReadFailed => (ErrorIds.StoreReadFailed, ErrorCategory.ReadError),
            StoreErrorKind.WriteFailed => (ErrorIds.StoreWriteFailed, ErrorCategory.WriteError),
            _ => (ErrorIds.StoreOpenFailed, ErrorCategory.OpenError),
        };
        return new ErrorRecord(exception, id, category, target);
    }
}
