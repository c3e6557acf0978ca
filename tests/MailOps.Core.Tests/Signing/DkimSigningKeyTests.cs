using System.Security.Cryptography;
using MailOps.Core.Dkim;
using MailOps.Core.Relay.Signing;
using Xunit;

namespace MailOps.Core.Tests.Signing;

public sealed class DkimSigningKeyTests
{
    [Fact]
    public void Rsa_pkcs1_pem_loads_as_a_2048_bit_rsa_key_with_its_public_record()
    {
        var key = DkimSigningKey.Load(SigningTestData.RsaPkcs1Pem);

        Assert.Equal(DkimKeyType.Rsa, key.KeyType);
        Assert.Equal(2048, key.KeySize);
        Assert.Equal(DkimSigningAlgorithm.RsaSha256, key.DefaultAlgorithm);
        Assert.Equal(SigningTestData.RsaRecord, key.PublicKeyRecord);
    }

    [Fact]
    public void Rsa_pkcs8_pem_loads_the_same_key_as_pkcs1()
    {
        var key = DkimSigningKey.Load(SigningTestData.RsaPkcs8Pem);

        Assert.Equal(DkimKeyType.Rsa, key.KeyType);
        Assert.Equal(DkimSigningKey.Load(SigningTestData.RsaPkcs1Pem).PublicKey, key.PublicKey);
    }

    [Fact]
    public void Raw_base64_ed25519_seed_loads_and_derives_the_rfc8463_public_key()
    {
        var key = DkimSigningKey.Load(SigningTestData.Rfc8032Seed);

        Assert.Equal(DkimKeyType.Ed25519, key.KeyType);
        Assert.Equal(256, key.KeySize);
        Assert.Equal(DkimSigningAlgorithm.Ed25519Sha256, key.DefaultAlgorithm);
        Assert.Equal(SigningTestData.Rfc8032Record, key.PublicKeyRecord);
    }

    [Fact]
    public void Ed25519_pkcs8_pem_loads_the_same_key_as_its_raw_seed()
    {
        var key = DkimSigningKey.Load(SigningTestData.Ed25519Pkcs8Pem(SigningTestData.Ed25519TestSeed));

        Assert.Equal(DkimKeyType.Ed25519, key.KeyType);
        Assert.Equal(SigningTestData.Ed25519TestRecord.Replace("v=DKIM1; ", string.Empty), key.PublicKeyRecord.Replace("v=DKIM1; ", string.Empty));
    }

    [Fact]
    public void Load_reads_a_key_file_when_given_its_path()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, SigningTestData.RsaPkcs1Pem);

            Assert.Equal(SigningTestData.RsaRecord, DkimSigningKey.Load(path).PublicKeyRecord);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_of_a_path_that_does_not_exist_is_file_not_found()
    {
        Assert.Throws<FileNotFoundException>(() => DkimSigningKey.Load(Path.Combine(Path.GetTempPath(), "no-such-dir", "dkim.pem")));
    }

    [Fact]
    public void Rsa_key_of_512_bits_is_refused_as_too_weak_per_rfc8301()
    {
        using var weak = RSA.Create(512);

        var ex = Assert.Throws<DkimSigningKeyException>(() => DkimSigningKey.Load(weak.ExportRSAPrivateKeyPem()));

        Assert.Equal(DkimSigningKeyError.TooWeak, ex.Reason);
        Assert.Contains("512 bits", ex.Message);
    }

    [Fact]
    public void Passphrase_protected_pem_is_refused_as_encrypted()
    {
        using var rsa = RSA.Create(2048);
        string pem = rsa.ExportEncryptedPkcs8PrivateKeyPem("secret", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10000));

        Assert.Equal(DkimSigningKeyError.Encrypted, Assert.Throws<DkimSigningKeyException>(() => DkimSigningKey.Load(pem)).Reason);
    }

    [Fact]
    public void Ec_p256_key_is_refused_as_unsupported()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Assert.Equal(DkimSigningKeyError.Unsupported, Assert.Throws<DkimSigningKeyException>(() => DkimSigningKey.Load(ec.ExportPkcs8PrivateKeyPem())).Reason);
    }

    [Fact]
    public void Public_key_pem_is_refused_because_signing_needs_the_private_key()
    {
        using var rsa = RSA.Create(2048);

        var ex = Assert.Throws<DkimSigningKeyException>(() => DkimSigningKey.Load(rsa.ExportSubjectPublicKeyInfoPem()));

        Assert.Equal(DkimSigningKeyError.Unsupported, ex.Reason);
        Assert.Contains("public key", ex.Message);
    }

    [Fact]
    public void Text_that_is_no_key_is_refused_as_unreadable()
    {
        Assert.Equal(DkimSigningKeyError.Unreadable, Assert.Throws<DkimSigningKeyException>(() => DkimSigningKey.FromText("hello, world")).Reason);
    }
}
