using System;
using System.Collections.Generic;

namespace MailOps.Core.Store;

/// <summary>
/// The schema of the MailOps store, as the ordered list of migrations that build it. This is the
/// one place tables are defined: an area that needs storage appends a step here and never edits
/// a released one, because stores in the field are already at those versions.
/// </summary>
/// <remarks>
/// Conventions for every table: names in snake_case; timestamps as TEXT in UTC, ISO 8601 with
/// milliseconds and a Z (<c>2025-01-31T08:00:00.000Z</c>), which sorts and compares as text;
/// e-mail addresses and domain names COLLATE NOCASE. Foreign keys are enforced
/// (PRAGMA foreign_keys=ON on every connection).
/// </remarks>
public static class StoreSchema
{
    /// <summary>
    /// Every step, in version order: 1 the suppression list, 2 relay profiles and defaults,
    /// 3 the relay outbox, 4 the DKIM signing settings of relay profiles. A new area appends the
    /// next version; a released step is never edited, because stores in the field have already
    /// run it. The outbox keeps the relay server as text, with no foreign key to a profile:
    /// unregistering a profile must never delete mail.
    /// </summary>
    public static IReadOnlyList<StoreMigration> Migrations { get; } = new[]
    {
        new StoreMigration(
            1,
            "Suppression list",
            @"CREATE TABLE suppression (
                address     TEXT NOT NULL COLLATE NOCASE PRIMARY KEY,
                domain      TEXT NOT NULL COLLATE NOCASE,
                reason      TEXT NOT NULL,
                source      TEXT NULL,
                added_at    TEXT NOT NULL,
                updated_at  TEXT NOT NULL,
                expires_at  TEXT NULL
            ) WITHOUT ROWID;
            CREATE INDEX suppression_domain ON suppression (domain);
            CREATE INDEX suppression_expires_at ON suppression (expires_at) WHERE expires_at IS NOT NULL;"),

        // Relay profiles (Register-RelayServer) and the default sender (Set-RelayDefault).
        // from_filter holds one normalised filter per line. protected_password is only ever the
        // output of the platform protector (DPAPI): never a plain-text password. relay_default
        // has at most one row (id 1). The outbox appends its tables as version 3 with
        // profile_id REFERENCES relay_profile(id).
        new StoreMigration(
            2,
            "Relay profiles and default sender",
            @"CREATE TABLE relay_profile (
                id                  INTEGER PRIMARY KEY,
                name                TEXT NOT NULL COLLATE NOCASE UNIQUE,
                server              TEXT NOT NULL COLLATE NOCASE,
                port                INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
                security            TEXT NOT NULL,
                priority            INTEGER NOT NULL,
                from_filter         TEXT NOT NULL,
                category            TEXT NOT NULL,
                enabled             INTEGER NOT NULL,
                user_name           TEXT NULL,
                credential_storage  TEXT NOT NULL,
                protected_password  BLOB NULL,
                secret_name         TEXT NULL,
                created_at          TEXT NOT NULL,
                updated_at          TEXT NOT NULL
            );
            CREATE TABLE relay_default (
                id            INTEGER PRIMARY KEY CHECK (id = 1),
                default_from  TEXT NOT NULL,
                domain_alias  TEXT NOT NULL COLLATE NOCASE,
                updated_at    TEXT NOT NULL
            );"),

        // The relay outbox (RelayOutbox, Send-RelayMail, Get-/Save-/Stop-RelayMessage). A message
        // is written here before its SMTP transaction and changes status in one transaction each
        // (Queued -> Sending -> Sent/Deferred/Failed, or -> Cancelled). relay_server is the profile
        // name or host as text, with no foreign key: unregistering a profile must never delete
        // mail waiting in the outbox. The MIME lives in its own table so listing the outbox never
        // reads message bodies. AUTOINCREMENT: an id is never reused after a purge, so an id an
        // admin noted down never names another message. No credential column, by design.
        new StoreMigration(
            3,
            "Relay outbox",
            @"CREATE TABLE outbox_message (
                id                          INTEGER PRIMARY KEY AUTOINCREMENT,
                message_id                  TEXT NOT NULL,
                status                      TEXT NOT NULL CHECK (status IN ('Queued', 'Sending', 'Sent', 'Deferred', 'Failed', 'Cancelled')),
                envelope_from               TEXT NOT NULL COLLATE NOCASE,
                recipients                  TEXT NOT NULL,
                header_from                 TEXT NULL,
                subject                     TEXT NULL,
                category                    TEXT NOT NULL,
                relay_server                TEXT NULL COLLATE NOCASE,
                attempts                    INTEGER NOT NULL DEFAULT 0,
                created_at                  TEXT NOT NULL,
                updated_at                  TEXT NOT NULL,
                next_attempt_at             TEXT NULL,
                claimed_at                  TEXT NULL,
                sent_at                     TEXT NULL,
                last_error                  TEXT NULL,
                last_status_code            INTEGER NULL,
                last_enhanced_status_code   TEXT NULL,
                size                        INTEGER NOT NULL,
                rejected_recipients         TEXT NOT NULL DEFAULT ''
            );
            CREATE INDEX outbox_message_due ON outbox_message (status, next_attempt_at);
            CREATE INDEX outbox_message_updated_at ON outbox_message (status, updated_at);
            CREATE TABLE outbox_mime (
                message  INTEGER PRIMARY KEY REFERENCES outbox_message (id) ON DELETE CASCADE,
                mime     BLOB NOT NULL
            );"),

        // DKIM signing configured on a relay profile (Register-/Set-RelayServer -DkimSigningKey,
        // -DkimSelector, -DkimDomain). dkim_key_path holds the absolute PATH of the PEM key file,
        // never the key: a private key is a secret and stays in its own file, protected by file
        // permissions, so a copy of the store (a backup, a shared path) leaks no signing key.
        // dkim_selector and dkim_domain become s= and d= (RFC 6376 section 3.5); a NULL
        // dkim_domain means the From domain of each message at send time, so the signature
        // aligns for DMARC (RFC 7489 section 3.1.1). All NULL: the profile does not sign.
        // Existing profiles keep their rows and get NULLs (ADD COLUMN rewrites no row).
        new StoreMigration(
            4,
            "DKIM signing settings of relay profiles",
            @"ALTER TABLE relay_profile ADD COLUMN dkim_key_path TEXT NULL;
            ALTER TABLE relay_profile ADD COLUMN dkim_selector TEXT NULL;
            ALTER TABLE relay_profile ADD COLUMN dkim_domain TEXT NULL COLLATE NOCASE;"),
    };

    /// <summary>The version a store has after every step: the last step's version.</summary>
    public static int CurrentVersion => Migrations[Migrations.Count - 1].Version;

    /// <summary>Checks that versions run 1, 2, 3... without gaps, so a store at version n
    /// needs exactly the steps after the n-th.</summary>
    internal static void Validate(IReadOnlyList<StoreMigration> migrations)
    {
        if (migrations.Count == 0)
        {
            throw new ArgumentException("A schema needs at least one migration.", nameof(migrations));
        }

        for (int i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new ArgumentException($"Migration {i + 1} has version {migrations[i].Version}; versions must run 1, 2, 3... in order.", nameof(migrations));
            }
        }
    }
}
