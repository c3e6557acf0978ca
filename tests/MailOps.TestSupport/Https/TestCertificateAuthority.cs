using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MailOps.TestSupport.Https;

/// <summary>
/// A throw-away certificate authority for the HTTPS test server: a self-signed root and server
/// certificates it issues for given names, including the broken ones error tests need (expired,
/// wrong name, issued by another CA). Keys are ECDSA P-256: fast to make, accepted by every TLS stack.
/// Nothing is installed in any certificate store; a client trusts the root only if told to.
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private readonly ECDsa key;
    private readonly X509Certificate2 authority;
    private long serial = 1;

    /// <summary>Creates a root CA valid from 30 days ago (so expired leaves fit inside it) for one year.</summary>
    public TestCertificateAuthority(string commonName = "MailOps Test Root CA")
    {
        key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}, O=MailOps Tests", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        authority = request.CreateSelfSigned(now.AddDays(-30), now.AddYears(1));
        Certificate = X509CertificateLoader.LoadCertificate(authority.Export(X509ContentType.Cert));
    }

    /// <summary>The root certificate without its private key: what a client is told to trust.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>A server certificate for <paramref name="dnsNames"/> (subject alternative names),
    /// valid from yesterday for 30 days, with its private key.</summary>
    public X509Certificate2 IssueServerCertificate(params string[] dnsNames)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        return IssueServerCertificate(now.AddDays(-1), now.AddDays(30), dnsNames);
    }

    /// <summary>A server certificate that expired yesterday (valid for a week before that).</summary>
    public X509Certificate2 IssueExpiredServerCertificate(params string[] dnsNames)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        return IssueServerCertificate(now.AddDays(-1).AddDays(-7), now.AddDays(-1), dnsNames);
    }

    /// <summary>A server certificate for <paramref name="dnsNames"/> valid between the given times.</summary>
    public X509Certificate2 IssueServerCertificate(DateTimeOffset notBefore, DateTimeOffset notAfter, params string[] dnsNames)
    {
        if (dnsNames.Length == 0)
        {
            throw new ArgumentException("A server certificate needs at least one DNS name.", nameof(dnsNames));
        }

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsNames[0]}", leafKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (string name in dnsNames)
        {
            names.AddDnsName(name);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));

        byte[] serialNumber = BitConverter.GetBytes(Interlocked.Increment(ref serial));
        Array.Reverse(serialNumber);
        using X509Certificate2 issued = request.Create(authority, notBefore, notAfter, serialNumber);
        using X509Certificate2 withKey = issued.CopyWithPrivateKey(leafKey);

        // Round-trip through PKCS#12 so the key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        authority.Dispose();
        Certificate.Dispose();
        key.Dispose();
    }
}
