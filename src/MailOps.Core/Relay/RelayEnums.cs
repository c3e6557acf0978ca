namespace MailOps.Core.Relay;

/// <summary>
/// How a relay connection is secured. The names are the ones admins know from MailKit and mail
/// clients; Send-RelayMail maps them to the connection it opens.
/// </summary>
public enum RelaySecurity
{
    /// <summary>Implicit TLS on port 465, STARTTLS where the server offers it elsewhere.</summary>
    Auto,

    /// <summary>No encryption at all (internal relays on port 25 only); no AUTH is sent over it.</summary>
    None,

    /// <summary>STARTTLS is required (RFC 3207); a server that does not offer it is a failure.</summary>
    StartTls,

    /// <summary>STARTTLS when the server offers it, plain otherwise.</summary>
    StartTlsWhenAvailable,

    /// <summary>TLS from the first byte (implicit TLS, RFC 8314 3.3), usually port 465.</summary>
    SslOnConnect,
}

/// <summary>
/// The kind of mail a relay profile carries: invoices and password resets must not queue
/// behind a newsletter, and many providers want bulk mail on a dedicated server.
/// </summary>
public enum RelayCategory
{
    /// <summary>One-to-one mail triggered by an action: invoices, receipts, resets.</summary>
    Transactional,

    /// <summary>Newsletters and campaigns.</summary>
    Bulk,
}

/// <summary>
/// Where a profile's secret lives. A password is never written to the store in plain text, so
/// this says which protection, if any, keeps it.
/// </summary>
public enum RelayCredentialStorage
{
    /// <summary>No secret is stored: anonymous relay, or the credential is given at send time
    /// (a user name alone may be stored).</summary>
    None,

    /// <summary>The password is encrypted with Windows DPAPI for the current user
    /// (CryptProtectData): only the same user on the same machine can decrypt it.</summary>
    Dpapi,

    /// <summary>Only the name of a SecretManagement secret is stored; Get-Secret resolves it at
    /// send time.</summary>
    SecretManagement,
}

/// <summary>Why a relay profile operation was refused, so a cmdlet can pick the ErrorId and
/// category.</summary>
public enum RelayProfileErrorKind
{
    /// <summary>A setting is not valid (name, server, port, filter, default address).</summary>
    InvalidSetting,

    /// <summary>A profile of that name already exists.</summary>
    Exists,

    /// <summary>No profile of that name exists.</summary>
    NotFound,

    /// <summary>A password was given but this platform has no protected storage for it.</summary>
    CredentialStorageUnavailable,
}
