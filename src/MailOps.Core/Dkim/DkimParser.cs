using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace MailOps.Core.Dkim;

/// <summary>
/// Parses and judges DKIM key records (RFC 6376 section 3.6.1, RFC 8463 for Ed25519, RFC 8301
/// for key sizes and hashes). Everything a verifier would reject, and everything that works but
/// should be fixed, becomes a finding; the parser itself never throws on any input.
/// </summary>
public static class DkimParser
{
    /// <summary>RSA keys below this many bits are too weak to use (RFC 8301 section 3.2).</summary>
    public const int MinimumRsaKeySize = 1024;

    /// <summary>RSA keys SHOULD have at least this many bits (RFC 8301 section 3.2).</summary>
    public const int RecommendedRsaKeySize = 2048;

    /// <summary>Verifiers must handle RSA keys up to this many bits (RFC 8301 section 3.2).</summary>
    public const int MaximumRsaKeySize = 4096;

    /// <summary>Parses one key record (its TXT character-strings already joined, RFC 6376 section 3.6.2.2).</summary>
    public static DkimParsedRecord Parse(string? text)
    {
        string record = text ?? string.Empty;
        var findings = new List<Finding>();
        List<DkimTag> tags = DkimTagList.Parse(record, findings);
        DkimTag? Tag(string name) => tags.FirstOrDefault(t => t.Name == name);

        // v=: optional, but when present it MUST be first and exactly "DKIM1"; records with any
        // other value MUST be discarded (RFC 6376 section 3.6.1).
        DkimTag? v = Tag("v");
        if (v is not null && v.Value != "DKIM1")
        {
            string hint = v.Value.StartsWith("DKIM1", StringComparison.Ordinal) ? " A ';' was probably typed as another character after DKIM1." : string.Empty;
            findings.Add(new Finding(
                FindingSeverity.Error,
                DkimFindingCodes.DkimVersionInvalid,
                $"v= is '{v.Value}'; it must be exactly DKIM1 or be left out, and verifiers discard this record (RFC 6376 section 3.6.1).{hint}",
                "v=" + v.Value));
        }
        else if (v is not null && v.Index != 0)
        {
            findings.Add(new Finding(
                FindingSeverity.Warning,
                DkimFindingCodes.DkimVersionNotFirst,
                "v=DKIM1 must be the first tag of the record (RFC 6376 section 3.6.1); strict verifiers discard it. Move v=DKIM1 to the front.",
                "v=" + v.Value));
        }

        // k=: default rsa (RFC 6376 section 3.6.1); ed25519 from RFC 8463.
        DkimKeyType? keyType = DkimKeyType.Rsa;
        DkimTag? k = Tag("k");
        if (k is not null)
        {
            keyType = ParseKeyType(k.Value);
            if (keyType is null)
            {
                findings.Add(new Finding(
                    FindingSeverity.Error,
                    DkimFindingCodes.DkimUnknownKeyType,
                    $"k={k.Value} is not a key type verifiers know (rsa or ed25519, RFC 6376 section 3.6.1 and RFC 8463), so no signature with this key can pass. Use k=rsa or k=ed25519.",
                    "k=" + k.Value));
            }
        }

        string[] hashes = ListOf(Tag("h"));
        if (Tag("h") is not null && !hashes.Any(h => string.Equals(h, "sha256", StringComparison.OrdinalIgnoreCase)))
        {
            // RFC 8301 section 3.1: verifiers MUST NOT consider sha1 signatures valid; ed25519
            // signs SHA-256 digests only (RFC 8463 section 3).
            findings.Add(new Finding(
                FindingSeverity.Error,
                DkimFindingCodes.DkimSha256NotAllowed,
                $"h={Tag("h")!.Value} does not allow sha256; verifiers reject sha1 signatures (RFC 8301 section 3.1), so no signature with this key can pass. Use h=sha256 or remove h=.",
                "h=" + Tag("h")!.Value));
        }

        string[] services = ListOf(Tag("s"));
        if (Tag("s") is not null && !services.Any(s => s == "*" || string.Equals(s, "email", StringComparison.OrdinalIgnoreCase)))
        {
            findings.Add(new Finding(
                FindingSeverity.Warning,
                DkimFindingCodes.DkimServiceRestricted,
                $"s={Tag("s")!.Value} restricts the key to other services, so it cannot verify e-mail (RFC 6376 section 3.6.1; s=tlsrpt keys sign TLS reports only, RFC 8460 section 3). Add 'email' if this key signs mail.",
                "s=" + Tag("s")!.Value));
        }

        string[] flags = ListOf(Tag("t"));
        if (flags.Contains("y"))
        {
            findings.Add(new Finding(
                FindingSeverity.Warning,
                DkimFindingCodes.DkimTestingMode,
                "t=y: the domain is testing DKIM, so verifiers treat failed signatures like unsigned mail (RFC 6376 section 3.6.1) and DMARC gains nothing. Remove y from t= once signatures pass.",
                "t=" + Tag("t")!.Value));
        }

        int? keySize = null;
        bool revoked = false;
        string? publicKey = null;
        DkimTag? p = Tag("p");
        if (p is null)
        {
            // A p= rejected for its characters is already reported; do not call it missing too.
            if (!findings.Any(f => f.Code == DkimFindingCodes.DkimSyntaxError && TagNameOf(f.Term) == "p"))
            {
                findings.Add(new Finding(
                    FindingSeverity.Error,
                    DkimFindingCodes.DkimSyntaxError,
                    "The record has no p= tag, which is required (RFC 6376 section 3.6.1); it is not a DKIM key record. Publish the key as p=<base64>.",
                    null));
            }
        }
        else
        {
            publicKey = DkimTagList.RemoveWhiteSpace(p.Value);
            if (publicKey.Length == 0)
            {
                revoked = true;
                findings.Add(new Finding(
                    FindingSeverity.Info,
                    DkimFindingCodes.DkimKeyRevoked,
                    "p= is empty: the key is revoked (RFC 6376 section 3.6.1) and signatures with this selector fail. Normal after a key rotation; remove the record once no mail is signed with it.",
                    "p="));
            }
            else if (keyType is not null)
            {
                keySize = JudgeKey(keyType.Value, publicKey, findings);
            }
        }

        return new DkimParsedRecord(
            record,
            v?.Value,
            keyType,
            keySize,
            revoked,
            flags,
            hashes,
            services,
            Tag("n")?.Value,
            publicKey,
            findings.ToArray());
    }

    private static DkimKeyType? ParseKeyType(string value)
    {
        if (string.Equals(value, "rsa", StringComparison.OrdinalIgnoreCase))
        {
            return DkimKeyType.Rsa;
        }

        if (string.Equals(value, "ed25519", StringComparison.OrdinalIgnoreCase))
        {
            return DkimKeyType.Ed25519;
        }

        return null;
    }

    private static string[] ListOf(DkimTag? tag) => tag is null ? Array.Empty<string>() : DkimTagList.SplitList(tag.Value);

    private static int? JudgeKey(DkimKeyType type, string publicKey, List<Finding> findings)
    {
        if (!DkimKeyParser.TryParse(type, publicKey, out DkimKeyInfo? key, out string error))
        {
            findings.Add(new Finding(FindingSeverity.Error, DkimFindingCodes.DkimKeyParseError, error + " Every signature with this selector fails; republish the key exactly as the signing system exports it.", "p=" + Shorten(publicKey)));
            return null;
        }

        int bits = key!.KeySize;
        string size = bits.ToString(CultureInfo.InvariantCulture);
        if (key.Encoding == DkimKeyEncoding.RsaPublicKey)
        {
            findings.Add(new Finding(
                FindingSeverity.Warning,
                DkimFindingCodes.DkimKeyNotSubjectPublicKeyInfo,
                "p= is a bare PKCS#1 RSAPublicKey; verifiers expect an X.509 SubjectPublicKeyInfo (RFC 6376 section 3.6.1, erratum 3017) and some (those reading keys with OpenSSL's PUBKEY functions) reject it. Republish the key in SubjectPublicKeyInfo form (openssl rsa -pubout).",
                "p=" + Shorten(publicKey)));
        }

        if (type == DkimKeyType.Rsa)
        {
            if (bits < MinimumRsaKeySize)
            {
                findings.Add(new Finding(
                    FindingSeverity.Error,
                    DkimFindingCodes.DkimWeakKey,
                    $"The RSA key has {size} bits; keys under 1024 bits can be broken and receivers treat their signatures as failed (RFC 8301 section 3.2). Publish a 2048-bit key under a new selector and switch signing to it.",
                    size));
            }
            else if (bits < RecommendedRsaKeySize)
            {
                findings.Add(new Finding(
                    FindingSeverity.Warning,
                    DkimFindingCodes.DkimKeyUpgradeRecommended,
                    $"The RSA key has {size} bits; RFC 8301 section 3.2 recommends at least 2048. Rotate to a 2048-bit key under a new selector.",
                    size));
            }
            else if (bits > MaximumRsaKeySize)
            {
                findings.Add(new Finding(
                    FindingSeverity.Warning,
                    DkimFindingCodes.DkimKeyTooLarge,
                    $"The RSA key has {size} bits; verifiers only have to handle 1024 to 4096 (RFC 8301 section 3.2), so some will fail its signatures. Use a 2048-bit key.",
                    size));
            }
        }

        return bits;
    }

    private static string? TagNameOf(string? tagSpec)
    {
        int equals = tagSpec?.IndexOf('=') ?? -1;
        return equals < 0 ? null : DkimTagList.Trim(tagSpec!.Substring(0, equals));
    }

    private static string Shorten(string value) => value.Length <= 24 ? value : value.Substring(0, 20) + "...";
}
