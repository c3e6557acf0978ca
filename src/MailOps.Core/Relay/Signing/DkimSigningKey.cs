using System;
using System.IO;
using MailOps.Core.Dkim;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace MailOps.Core.Relay.Signing;

/// <summary>
/// A private key that signs DKIM signatures, loaded once and shared by every message (it is
/// immutable, so one key serves concurrent senders). Accepts what admins actually hold: RSA keys
/// as PKCS#1 ("BEGIN RSA PRIVATE KEY", what openssl genrsa and opendkim-genkey write) or PKCS#8
/// ("BEGIN PRIVATE KEY"), Ed25519 keys as PKCS#8 (openssl genpkey -algorithm ed25519) or as the
/// raw base64 32-byte seed that dkimpy's dknewkey and the RFC 8463 examples use. The key
/// material never leaves this object: it has no property that exposes it.
/// </summary>
public sealed class DkimSigningKey
{
    /// <summary>RFC 8301 section 3.2: signers MUST use RSA keys of at least 1024 bits.</summary>
    public const int MinimumRsaKeySize = 1024;

    private DkimSigningKey(AsymmetricKeyParameter privateKey, AsymmetricKeyParameter publicKey, DkimKeyType keyType, int keySize)
    {
        PrivateKey = privateKey;
        KeyType = keyType;
        KeySize = keySize;
        PublicKey = keyType == DkimKeyType.Rsa
            ? Convert.ToBase64String(SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(publicKey).GetDerEncoded())
            : Convert.ToBase64String(((Ed25519PublicKeyParameters)publicKey).GetEncoded());
    }

    /// <summary>Rsa or Ed25519: decides the default algorithm and the k= tag of the key record.</summary>
    public DkimKeyType KeyType { get; }

    /// <summary>Key size in bits: the RSA modulus length, 256 for Ed25519.</summary>
    public int KeySize { get; }

    /// <summary>The algorithm this key signs with: rsa-sha256 for RSA, ed25519-sha256 for Ed25519.</summary>
    public DkimSigningAlgorithm DefaultAlgorithm => KeyType == DkimKeyType.Rsa ? DkimSigningAlgorithm.RsaSha256 : DkimSigningAlgorithm.Ed25519Sha256;

    /// <summary>The p= value to publish: base64 SubjectPublicKeyInfo for RSA (RFC 6376 section
    /// 3.6.1), the raw 32-byte public key for Ed25519 (RFC 8463 section 4.2).</summary>
    public string PublicKey { get; }

    /// <summary>The whole TXT record to publish at &lt;selector&gt;._domainkey.&lt;domain&gt;.</summary>
    public string PublicKeyRecord => $"v=DKIM1; k={(KeyType == DkimKeyType.Rsa ? "rsa" : "ed25519")}; p={PublicKey}";

    /// <summary>The BouncyCastle key MimeKit's DkimSigner takes; internal so no caller outside
    /// the engine depends on BouncyCastle types.</summary>
    internal AsymmetricKeyParameter PrivateKey { get; }

    /// <summary>
    /// Loads a key from a file path or from the key text itself (a PEM block or a raw base64
    /// Ed25519 seed), so a profile can hold either. An existing file wins over text.
    /// </summary>
    /// <exception cref="FileNotFoundException">The value is neither key text nor an existing file.</exception>
    /// <exception cref="DkimSigningKeyException">The key cannot sign (see its Reason).</exception>
    public static DkimSigningKey Load(string pemPathOrText)
    {
        if (pemPathOrText is null)
        {
            throw new ArgumentNullException(nameof(pemPathOrText));
        }

        string value = pemPathOrText.Trim();
        if (value.IndexOf("-----BEGIN", StringComparison.Ordinal) < 0 && File.Exists(value))
        {
            return FromFile(value);
        }

        if (value.IndexOf("-----BEGIN", StringComparison.Ordinal) >= 0 || TryDecodeSeed(value, out _))
        {
            return FromText(value);
        }

        throw new FileNotFoundException($"'{pemPathOrText}' is neither a PEM private key, a base64 Ed25519 seed, nor an existing key file.", pemPathOrText);
    }

    /// <summary>Loads the key file at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="DkimSigningKeyException">The file holds no key that can sign.</exception>
    public static DkimSigningKey FromFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The key file '{path}' does not exist.", path);
        }

        return FromText(File.ReadAllText(path));
    }

    /// <summary>Parses key text: a PEM private key or a raw base64 32-byte Ed25519 seed.</summary>
    /// <exception cref="DkimSigningKeyException">The text holds no key that can sign.</exception>
    public static DkimSigningKey FromText(string text)
    {
        string value = (text ?? string.Empty).Trim();
        if (value.IndexOf("-----BEGIN", StringComparison.Ordinal) < 0)
        {
            // dkimpy and RFC 8463 appendix A keep an Ed25519 private key as its bare seed.
            if (TryDecodeSeed(value, out byte[] seed))
            {
                var ed = new Ed25519PrivateKeyParameters(seed, 0);
                return new DkimSigningKey(ed, ed.GeneratePublicKey(), DkimKeyType.Ed25519, 256);
            }

            throw new DkimSigningKeyException(DkimSigningKeyError.Unreadable,
                "The key is neither a PEM private key (BEGIN RSA PRIVATE KEY / BEGIN PRIVATE KEY) nor a base64 32-byte Ed25519 seed.");
        }

        if (value.IndexOf("ENCRYPTED", StringComparison.Ordinal) >= 0)
        {
            throw new DkimSigningKeyException(DkimSigningKeyError.Encrypted,
                "The key is encrypted with a passphrase. Decrypt it first (openssl pkey -in key.pem -out plain.pem) and protect the file with file permissions instead.");
        }

        object? parsed;
        try
        {
            parsed = new PemReader(new StringReader(value)).ReadObject();
        }
        catch (Exception ex) when (ex is IOException || ex is PemException || ex is Org.BouncyCastle.OpenSsl.PasswordException || ex is ArgumentException || ex is InvalidOperationException || ex is SecurityUtilityException || ex is FormatException)
        {
            throw new DkimSigningKeyException(DkimSigningKeyError.Unreadable, $"The PEM key cannot be read: {ex.Message}", ex);
        }

        AsymmetricKeyParameter? key = parsed switch
        {
            AsymmetricCipherKeyPair pair => pair.Private,
            AsymmetricKeyParameter single => single,
            _ => null,
        };

        switch (key)
        {
            case RsaPrivateCrtKeyParameters rsa:
                int bits = rsa.Modulus.BitLength;
                if (bits < MinimumRsaKeySize)
                {
                    // RFC 8301 section 3.2: keys under 1024 bits MUST NOT be used for signing;
                    // receivers treat such signatures as failing.
                    throw new DkimSigningKeyException(DkimSigningKeyError.TooWeak,
                        $"The RSA key has {bits} bits; RFC 8301 requires at least {MinimumRsaKeySize} (2048 recommended). Generate a new key: openssl genrsa -out dkim.pem 2048.");
                }

                return new DkimSigningKey(rsa, new RsaKeyParameters(false, rsa.Modulus, rsa.PublicExponent), DkimKeyType.Rsa, bits);
            case Ed25519PrivateKeyParameters ed:
                return new DkimSigningKey(ed, ed.GeneratePublicKey(), DkimKeyType.Ed25519, 256);
            case null:
                throw new DkimSigningKeyException(DkimSigningKeyError.Unreadable, "The PEM text holds no private key.");
            default:
                throw new DkimSigningKeyException(DkimSigningKeyError.Unsupported,
                    key.IsPrivate
                        ? $"A {key.GetType().Name.Replace("PrivateKeyParameters", string.Empty)} key cannot sign DKIM: use RSA (rsa-sha256) or Ed25519 (ed25519-sha256)."
                        : "The PEM holds a public key; signing needs the private key.");
        }
    }

    private static bool TryDecodeSeed(string value, out byte[] seed)
    {
        seed = Array.Empty<byte>();
        if (value.Length != 44)
        {
            return false;
        }

        try
        {
            seed = Convert.FromBase64String(value);
            return seed.Length == Ed25519PrivateKeyParameters.KeySize;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
