namespace MailOps.Core.Store;

/// <summary>What went wrong with the store, so a cmdlet can pick the ErrorId and category.</summary>
public enum StoreErrorKind
{
    /// <summary>The file could not be created, opened or upgraded (path, permissions, not a database).</summary>
    OpenFailed,

    /// <summary>The store was written by a newer MailOps (its schema version is higher than this
    /// build knows); it is left untouched.</summary>
    SchemaTooNew,

    /// <summary>A query failed.</summary>
    ReadFailed,

    /// <summary>A change could not be committed (disk full, locked longer than the busy timeout,
    /// read-only file); nothing of it was written.</summary>
    WriteFailed,
}
