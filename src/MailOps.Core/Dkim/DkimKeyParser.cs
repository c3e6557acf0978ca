using System;
using System.Globalization;
using System.Text;

namespace MailOps.Core.Dkim;

/// <summary>The encodings a DKIM public key was found in.</summary>
internal enum DkimKeyEncoding
{
    /// <summary>X.509 SubjectPublicKeyInfo with the rsaEncryption OID: what RFC 6376 publishers use.</summary>
    SubjectPublicKeyInfo,

    /// <summary>A bare PKCS#1 RSAPublicKey, without the algorithm wrapper.</summary>
    RsaPublicKey,

    /// <summary>The 32 raw bytes of an Ed25519 key (RFC 8463 section 4.2).</summary>
    Raw,
}

/// <summary>What <see cref="DkimKeyParser"/> learned about a "p=" value.</summary>
internal sealed class DkimKeyInfo
{
    public DkimKeyInfo(int keySize, DkimKeyEncoding encoding)
    {
        KeySize = keySize;
        Encoding = encoding;
    }

    /// <summary>Bits of the RSA modulus, or 256 for Ed25519.</summary>
    public int KeySize { get; }

    /// <summary>How the key was encoded.</summary>
    public DkimKeyEncoding Encoding { get; }
}

/// <summary>
/// Decodes the public key of a "p=" tag far enough to tell whether a verifier can load it and
/// how strong it is: the RSA modulus length or the Ed25519 key length. It never throws: any
/// input, however broken, gives either a key or a reason.
/// </summary>
internal static class DkimKeyParser
{
    /// <summary>DER of the OID 1.2.840.113549.1.1.1, rsaEncryption (RFC 8017 appendix A.1).</summary>
    private static readonly byte[] RsaEncryptionOid = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01 };

    /// <summary>DER of the OID 1.3.101.112, id-Ed25519 (RFC 8410 section 3).</summary>
    private static readonly byte[] Ed25519Oid = { 0x2B, 0x65, 0x70 };

    /// <summary>Ed25519 public keys are 32 octets (RFC 8032 section 5.1.5).</summary>
    private const int Ed25519KeyLength = 32;

    /// <summary>Parses <paramref name="base64"/> (whitespace already removed) as a key of <paramref name="type"/>.</summary>
    public static bool TryParse(DkimKeyType type, string base64, out DkimKeyInfo? key, out string error)
    {
        key = null;
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            // RFC 6376 section 3.6.1: p= is base64 (RFC 2045 alphabet, whole 4-character groups).
            error = "p= is not valid base64 (RFC 6376 section 3.6.1): a character outside A-Z a-z 0-9 + / =, or a length that is not a multiple of 4. The value was probably cut or mangled when it was published.";
            return false;
        }

        return type == DkimKeyType.Ed25519
            ? TryParseEd25519(bytes, out key, out error)
            : TryParseRsa(bytes, out key, out error);
    }

    private static bool TryParseEd25519(byte[] bytes, out DkimKeyInfo? key, out string error)
    {
        key = null;
        if (bytes.Length == Ed25519KeyLength)
        {
            // RFC 8463 section 4.2: p= is the raw public key, not wrapped in any structure.
            key = new DkimKeyInfo(256, DkimKeyEncoding.Raw);
            error = string.Empty;
            return true;
        }

        var reader = new DerReader(bytes);
        if (reader.TryReadNested(DerReader.Sequence, out DerReader spki) && !reader.HasData
            && TryReadAlgorithm(spki, out byte[] oid) && Same(oid, Ed25519Oid))
        {
            error = $"The ed25519 key is wrapped in an X.509 SubjectPublicKeyInfo ({bytes.Length} bytes); RFC 8463 section 4.2 requires the 32 raw key bytes. Publish only the last 32 bytes of the structure.";
            return false;
        }

        error = $"An ed25519 key is 32 bytes (RFC 8463 section 4.2); p= decodes to {bytes.Length} bytes.";
        return false;
    }

    private static bool TryParseRsa(byte[] bytes, out DkimKeyInfo? key, out string error)
    {
        key = null;
        var reader = new DerReader(bytes);
        if (!reader.TryReadNested(DerReader.Sequence, out DerReader outer))
        {
            error = "p= is not a DER-encoded RSA public key: it does not start with a complete ASN.1 SEQUENCE (the data is cut short or is not a key).";
            return false;
        }

        if (reader.HasData)
        {
            error = "p= has data after the end of the RSA public key structure; the value was probably mangled when it was published.";
            return false;
        }

        if (outer.PeekTag() == DerReader.Integer)
        {
            // Some publishers put the bare PKCS#1 RSAPublicKey in p=; it names no algorithm but
            // has the modulus, so its strength can still be judged.
            if (!TryReadRsaPublicKey(outer, out int pkcs1Bits, out error))
            {
                return false;
            }

            key = new DkimKeyInfo(pkcs1Bits, DkimKeyEncoding.RsaPublicKey);
            return true;
        }

        // RFC 5280 section 4.1.2.7: SEQUENCE { AlgorithmIdentifier, BIT STRING subjectPublicKey }.
        if (!TryReadAlgorithm(outer, out byte[] algorithm))
        {
            error = "p= is not an X.509 SubjectPublicKeyInfo: the algorithm identifier is missing or damaged.";
            return false;
        }

        if (!Same(algorithm, RsaEncryptionOid))
        {
            error = Same(algorithm, Ed25519Oid)
                ? "p= holds an Ed25519 key but the record says k=rsa (or has no k=, whose default is rsa). Set k=ed25519 and publish the 32 raw key bytes (RFC 8463 section 4.2)."
                : $"p= holds a key of algorithm {FormatOid(algorithm)}, not rsaEncryption (1.2.840.113549.1.1.1).";
            return false;
        }

        if (!outer.TryRead(DerReader.BitString, out byte[] bitString) || bitString.Length < 2 || bitString[0] != 0)
        {
            error = "p= is not a complete SubjectPublicKeyInfo: the public key BIT STRING is missing, cut short or damaged.";
            return false;
        }

        if (outer.HasData)
        {
            error = "p= has unexpected data after the public key inside the SubjectPublicKeyInfo.";
            return false;
        }

        var inner = new DerReader(Slice(bitString, 1));
        if (!inner.TryReadNested(DerReader.Sequence, out DerReader rsaKey) || inner.HasData)
        {
            error = "The RSA key inside the SubjectPublicKeyInfo is not a complete RSAPublicKey SEQUENCE.";
            return false;
        }

        if (!TryReadRsaPublicKey(rsaKey, out int bits, out error))
        {
            return false;
        }

        key = new DkimKeyInfo(bits, DkimKeyEncoding.SubjectPublicKeyInfo);
        return true;
    }

    /// <summary>RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } (RFC 8017 A.1.1).</summary>
    private static bool TryReadRsaPublicKey(DerReader key, out int bits, out string error)
    {
        bits = 0;
        if (!key.TryRead(DerReader.Integer, out byte[] modulus) || !key.TryRead(DerReader.Integer, out byte[] exponent) || key.HasData)
        {
            error = "The RSA public key is not modulus and exponent (two INTEGERs) only.";
            return false;
        }

        bits = PositiveBitLength(modulus);
        if (bits <= 0)
        {
            error = "The RSA modulus is zero or negative.";
            return false;
        }

        if (PositiveBitLength(exponent) <= 0)
        {
            error = "The RSA public exponent is zero or negative.";
            return false;
        }

        error = string.Empty;
        return true;
    }

    /// <summary>AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }.</summary>
    private static bool TryReadAlgorithm(DerReader spki, out byte[] oid)
    {
        oid = Array.Empty<byte>();
        return spki.TryReadNested(DerReader.Sequence, out DerReader algorithm)
            && algorithm.TryRead(DerReader.ObjectIdentifier, out oid)
            && oid.Length > 0;
    }

    /// <summary>Bits of a DER INTEGER read as an unsigned magnitude; 0 for zero, -1 for a negative value.</summary>
    private static int PositiveBitLength(byte[] integer)
    {
        if (integer.Length == 0 || (integer[0] & 0x80) != 0)
        {
            return -1;
        }

        int i = 0;
        while (i < integer.Length && integer[i] == 0)
        {
            i++;
        }

        if (i == integer.Length)
        {
            return 0;
        }

        int bits = (integer.Length - i - 1) * 8;
        for (int b = integer[i]; b != 0; b >>= 1)
        {
            bits++;
        }

        return bits;
    }

    private static bool Same(byte[] a, byte[] b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i])
            {
                return false;
            }
        }

        return true;
    }

    private static byte[] Slice(byte[] bytes, int start)
    {
        var slice = new byte[bytes.Length - start];
        Array.Copy(bytes, start, slice, 0, slice.Length);
        return slice;
    }

    /// <summary>Dotted form of a DER OID for messages (X.690 section 8.19); "?" for a broken one.</summary>
    private static string FormatOid(byte[] oid)
    {
        var text = new StringBuilder();
        long value = 0;
        bool first = true;
        foreach (byte b in oid)
        {
            if (value > (long.MaxValue >> 7))
            {
                return "?";
            }

            value = (value << 7) | (uint)(b & 0x7F);
            if ((b & 0x80) != 0)
            {
                continue;
            }

            if (first)
            {
                long top = value < 40 ? 0 : value < 80 ? 1 : 2;
                text.Append(top.ToString(CultureInfo.InvariantCulture)).Append('.').Append((value - (top * 40)).ToString(CultureInfo.InvariantCulture));
                first = false;
            }
            else
            {
                text.Append('.').Append(value.ToString(CultureInfo.InvariantCulture));
            }

            value = 0;
        }

        return first ? "?" : text.ToString();
    }
}
