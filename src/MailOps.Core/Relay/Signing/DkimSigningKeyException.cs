using System;

namespace MailOps.Core.Relay.Signing;

/// <summary>
/// A private key file or text that cannot sign: unreadable, encrypted, of an unsupported type,
/// or too weak. <see cref="Reason"/> lets a cmdlet pick the ErrorRecord category without parsing
/// the message.
/// </summary>
public sealed class DkimSigningKeyException : Exception
{
    /// <summary>Creates the exception with its reason and a message that says what to do.</summary>
    public DkimSigningKeyException(DkimSigningKeyError reason, string message, Exception? inner = null)
        : base(message, inner)
    {
        Reason = reason;
    }

    /// <summary>Why the key was refused.</summary>
    public DkimSigningKeyError Reason { get; }
}

/// <summary>Why a signing key was refused.</summary>
public enum DkimSigningKeyError
{
    /// <summary>Neither a PEM private key nor a raw base64 Ed25519 seed.</summary>
    Unreadable,

    /// <summary>A passphrase-protected PEM: MailOps takes no passphrases, decrypt it first.</summary>
    Encrypted,

    /// <summary>A key type DKIM cannot sign with (EC P-256, DSA, a public key, ...).</summary>
    Unsupported,

    /// <summary>An RSA key under 1024 bits (RFC 8301 section 3.2).</summary>
    TooWeak,

    /// <summary>The key does not fit the requested algorithm (an RSA key for ed25519-sha256).</summary>
    AlgorithmMismatch,
}
