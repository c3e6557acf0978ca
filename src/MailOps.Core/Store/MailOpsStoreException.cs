using System;

namespace MailOps.Core.Store;

/// <summary>
/// A store failure. SQLite's own exception (Microsoft.Data.Sqlite) is kept as the inner exception;
/// callers outside the core only ever see this type, so the SQLite package stays an
/// implementation detail.
/// </summary>
public sealed class MailOpsStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MailOpsStoreException(StoreErrorKind kind, string path, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        Path = path;
    }

    /// <summary>What failed.</summary>
    public StoreErrorKind Kind { get; }

    /// <summary>The store file.</summary>
    public string Path { get; }
}
