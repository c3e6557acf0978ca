using System;

namespace MailOps.Core.Store;

/// <summary>
/// One step of the store's schema: the SQL that takes a store from version
/// <c><see cref="Version"/> - 1</c> to <see cref="Version"/>. Steps are applied in order, each in
/// its own transaction together with the new PRAGMA user_version, so a store is always at exactly
/// one version: a step that fails leaves it where it was.
/// </summary>
public sealed class StoreMigration
{
    /// <summary>Creates a step. <paramref name="sql"/> may hold several statements.</summary>
    public StoreMigration(int version, string description, string sql)
    {
        if (version < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(version), "Schema versions start at 1.");
        }

        Version = version;
        Description = description ?? throw new ArgumentNullException(nameof(description));
        Sql = sql ?? throw new ArgumentNullException(nameof(sql));
    }

    /// <summary>The schema version this step produces (PRAGMA user_version after it).</summary>
    public int Version { get; }

    /// <summary>What the step adds, for -Verbose and for the reader of StoreSchema.</summary>
    public string Description { get; }

    /// <summary>The DDL (and any data moves) of the step.</summary>
    public string Sql { get; }
}
