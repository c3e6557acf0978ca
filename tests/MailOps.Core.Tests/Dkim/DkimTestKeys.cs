using System.Formats.Asn1;
using System.Security.Cryptography;

namespace MailOps.Core.Tests.Dkim;

/// <summary>Key material for DKIM tests: real keys from the platform, and hand-built DER for the
/// shapes the platform will not produce (odd sizes, broken structures).</summary>
internal static class DkimTestKeys
{
    private static readonly Dictionary<int, RSA> Cache = new();

    /// <summary>An RSA key of <paramref name="bits"/>, generated once per test run.</summary>
    public static RSA Rsa(int bits)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(bits, out RSA? rsa))
            {
                rsa = RSA.Create(bits);
                Cache.Add(bits, rsa);
            }

            return rsa;
        }
    }

    /// <summary>base64 of the X.509 SubjectPublicKeyInfo of a generated key, as DKIM publishers use.</summary>
    public static string Spki(int bits) => Convert.ToBase64String(Rsa(bits).ExportSubjectPublicKeyInfo());

    /// <summary>base64 of the bare PKCS#1 RSAPublicKey of a generated key.</summary>
    public static string Pkcs1(int bits) => Convert.ToBase64String(Rsa(bits).ExportRSAPublicKey());

    /// <summary>A SubjectPublicKeyInfo around a made-up modulus of exactly <paramref name="bits"/>
    /// bits, built with AsnWriter: sizes RSA.Create will not generate quickly, or at all.</summary>
    public static string SyntheticSpki(int bits)
    {
        byte[] modulus = new byte[(bits + 7) / 8];
        new Random(bits).NextBytes(modulus);
        int topBits = bits % 8 == 0 ? 8 : bits % 8;
        modulus[0] = (byte)((modulus[0] & ((1 << topBits) - 1)) | (1 << (topBits - 1)));
        modulus[^1] |= 1;

        var rsaKey = new AsnWriter(AsnEncodingRules.DER);
        using (rsaKey.PushSequence())
        {
            rsaKey.WriteIntegerUnsigned(modulus);
            rsaKey.WriteInteger(65537);
        }

        var spki = new AsnWriter(AsnEncodingRules.DER);
        using (spki.PushSequence())
        {
            using (spki.PushSequence())
            {
                spki.WriteObjectIdentifier("1.2.840.113549.1.1.1");
                spki.WriteNull();
            }

            spki.WriteBitString(rsaKey.Encode());
        }

        return Convert.ToBase64String(spki.Encode());
    }

    /// <summary>An Ed25519 public key wrapped in SubjectPublicKeyInfo (RFC 8410), which RFC 8463 does not allow in p=.</summary>
    public static string Ed25519Spki(string rawBase64)
    {
        var spki = new AsnWriter(AsnEncodingRules.DER);
        using (spki.PushSequence())
        {
            using (spki.PushSequence())
            {
                spki.WriteObjectIdentifier("1.3.101.112");
            }

            spki.WriteBitString(Convert.FromBase64String(rawBase64));
        }

        return Convert.ToBase64String(spki.Encode());
    }

    /// <summary>The RFC 8463 appendix A key record (selector brisbane, football.example.com).</summary>
    public const string Brisbane = "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

    /// <summary>The raw Ed25519 key of <see cref="Brisbane"/>.</summary>
    public const string BrisbaneKey = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

    /// <summary>A key record file from tests/Conformance/dkim (dkimpy's test data).</summary>
    public static string Conformance(string file)
        => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Conformance", "dkim", file)).Trim();
}
