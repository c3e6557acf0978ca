namespace MailOps;

/// <summary>ErrorIds of Add-DkimSignature (DKIM signing). Message-file ids (MessageFileNotFound,
/// InvalidMessageFile, MessageFileReadFailed) and InvalidDomainName/InvalidDkimSelector are shared
/// with the cmdlets that defined them.</summary>
public static partial class ErrorIds
{
    /// <summary>-KeyPath names no file (ObjectNotFound).</summary>
    public const string DkimKeyFileNotFound = "DkimKeyFileNotFound";

    /// <summary>The key file exists but cannot be read: access denied, locked (ReadError).</summary>
    public const string DkimKeyFileReadFailed = "DkimKeyFileReadFailed";

    /// <summary>The key is not a usable private key: not PEM nor a raw Ed25519 seed, encrypted
    /// with a passphrase, a public key, or a type DKIM cannot sign with (InvalidData).</summary>
    public const string InvalidDkimSigningKey = "InvalidDkimSigningKey";

    /// <summary>An RSA key under 1024 bits, which RFC 8301 section 3.2 forbids (SecurityError).</summary>
    public const string DkimKeyTooWeak = "DkimKeyTooWeak";

    /// <summary>-Algorithm does not fit the key: rsa-sha256 with an Ed25519 key or the reverse
    /// (InvalidArgument).</summary>
    public const string DkimKeyAlgorithmMismatch = "DkimKeyAlgorithmMismatch";

    /// <summary>A -Headers value is not a header field name, or one a signer must not sign
    /// (InvalidArgument).</summary>
    public const string InvalidDkimHeaderList = "InvalidDkimHeaderList";

    /// <summary>The destination file exists and -Force was not given (ResourceExists).</summary>
    public const string DkimDestinationExists = "DkimDestinationExists";

    /// <summary>The signed message could not be written: folder missing, access denied, disk
    /// full (WriteError). Nothing is left half-written.</summary>
    public const string DkimSignatureWriteFailed = "DkimSignatureWriteFailed";
}
