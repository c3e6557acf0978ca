namespace MailOps.Core.Dkim;

/// <summary>
/// The stable codes of the findings that <see cref="DkimParser"/> and <see cref="DkimRecordReader"/>
/// report. Scripts filter on them and about_MailOps documents them, so a code is never renamed
/// once released; new conditions get new codes.
/// </summary>
public static class DkimFindingCodes
{
    /// <summary>Warning: none of the common selectors probed has a key record. DKIM may still be
    /// set up under a selector nobody can guess; the s= tag of a DKIM-Signature header of a
    /// real message names it (RFC 6376 section 3.5).</summary>
    public const string DkimNoSelectorFound = "DkimNoSelectorFound";

    /// <summary>Error: a selector given explicitly has no key record at
    /// selector._domainkey.domain; signatures made with it fail (RFC 6376 section 6.1.2).</summary>
    public const string DkimKeyNotFound = "DkimKeyNotFound";

    /// <summary>Error: the key lookup failed (SERVFAIL, REFUSED, timeout); receivers return a
    /// temporary failure (TEMPFAIL) for signatures with this selector (RFC 6376 section 6.1.2).</summary>
    public const string DkimDnsError = "DkimDnsError";

    /// <summary>Error: more than one TXT record at the selector's name; the result of a
    /// verification is then undefined (RFC 6376 section 3.6.2.2).</summary>
    public const string DkimMultipleRecords = "DkimMultipleRecords";

    /// <summary>Error: the record breaks the tag-list grammar (RFC 6376 section 3.2) or lacks the
    /// required "p=" tag (section 3.6.1); verifiers cannot use it. The offending text is in
    /// <see cref="Finding.Term"/>.</summary>
    public const string DkimSyntaxError = "DkimSyntaxError";

    /// <summary>Error: "v=" is present but not "DKIM1"; verifiers MUST discard the record
    /// (RFC 6376 section 3.6.1).</summary>
    public const string DkimVersionInvalid = "DkimVersionInvalid";

    /// <summary>Warning: "v=DKIM1" is present but not the first tag, which RFC 6376 section 3.6.1
    /// requires; strict verifiers discard the record.</summary>
    public const string DkimVersionNotFirst = "DkimVersionNotFirst";

    /// <summary>Error: "k=" names a key type other than rsa or ed25519; verifiers cannot use the
    /// key (RFC 6376 section 3.6.1, RFC 8463).</summary>
    public const string DkimUnknownKeyType = "DkimUnknownKeyType";

    /// <summary>Error: "p=" is not valid base64, not a DER-encoded RSA key, or not 32 raw bytes
    /// for ed25519; every signature with this selector fails (RFC 6376 section 3.6.1).</summary>
    public const string DkimKeyParseError = "DkimKeyParseError";

    /// <summary>Warning: the RSA key is a bare PKCS#1 RSAPublicKey instead of the
    /// SubjectPublicKeyInfo that verifiers expect (RFC 6376 section 3.6.1 and erratum 3017);
    /// verifiers built on OpenSSL's PUBKEY reader reject it.</summary>
    public const string DkimKeyNotSubjectPublicKeyInfo = "DkimKeyNotSubjectPublicKeyInfo";

    /// <summary>Error: the RSA key is shorter than 1024 bits; signers MUST NOT use such keys and
    /// receivers treat the signatures as failed (RFC 8301 section 3.2).</summary>
    public const string DkimWeakKey = "DkimWeakKey";

    /// <summary>Warning: the RSA key has 1024 to 2047 bits; RFC 8301 section 3.2 says signers
    /// SHOULD use at least 2048 bits.</summary>
    public const string DkimKeyUpgradeRecommended = "DkimKeyUpgradeRecommended";

    /// <summary>Warning: the RSA key is longer than 4096 bits; verifiers are only required to
    /// handle 1024 to 4096 bits (RFC 8301 section 3.2).</summary>
    public const string DkimKeyTooLarge = "DkimKeyTooLarge";

    /// <summary>Info: "p=" is empty, so the key is revoked (RFC 6376 section 3.6.1); signatures
    /// with this selector fail. Normal after a key rotation.</summary>
    public const string DkimKeyRevoked = "DkimKeyRevoked";

    /// <summary>Warning: "t=y" marks the domain as testing DKIM; verifiers MUST NOT treat
    /// failures differently from unsigned mail (RFC 6376 section 3.6.1).</summary>
    public const string DkimTestingMode = "DkimTestingMode";

    /// <summary>Warning: "s=" lists neither "email" nor "*", so the key cannot verify e-mail
    /// (RFC 6376 section 3.6.1); "s=tlsrpt" keys sign TLS reports only (RFC 8460 section 3).</summary>
    public const string DkimServiceRestricted = "DkimServiceRestricted";

    /// <summary>Error: "h=" does not allow sha256; verifiers MUST NOT accept sha1 signatures
    /// (RFC 8301 section 3.1), so no signature with this key can pass.</summary>
    public const string DkimSha256NotAllowed = "DkimSha256NotAllowed";
}
