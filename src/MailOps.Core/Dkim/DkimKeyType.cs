namespace MailOps.Core.Dkim;

/// <summary>
/// The key types a DKIM key record can declare with "k=" (RFC 6376 section 3.6.1, RFC 8463).
/// A closed set: a record naming any other type cannot verify a signature, which is reported as
/// the finding <see cref="DkimFindingCodes.DkimUnknownKeyType"/> with a null key type.
/// </summary>
public enum DkimKeyType
{
    /// <summary>"k=rsa", also the default when "k=" is absent (RFC 6376 section 3.6.1).</summary>
    Rsa,

    /// <summary>"k=ed25519": a raw 32-byte Ed25519 public key (RFC 8463 section 4.2).</summary>
    Ed25519,
}
