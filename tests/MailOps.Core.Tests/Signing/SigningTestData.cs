using System.Security.Cryptography;
using System.Text;

namespace MailOps.Core.Tests.Signing;

/// <summary>Keys and messages shared by the signing tests: one 2048-bit RSA key generated per
/// run, the dkimpy/RFC 8463 Ed25519 test keys from tests/Conformance/dkim, a plain message.</summary>
internal static class SigningTestData
{
    private static readonly Lazy<RSA> Rsa = new(() => RSA.Create(2048));

    /// <summary>The run's RSA key as PKCS#1 PEM ("BEGIN RSA PRIVATE KEY").</summary>
    public static string RsaPkcs1Pem => Rsa.Value.ExportRSAPrivateKeyPem();

    /// <summary>The same key as PKCS#8 PEM ("BEGIN PRIVATE KEY").</summary>
    public static string RsaPkcs8Pem => Rsa.Value.ExportPkcs8PrivateKeyPem();

    /// <summary>The key record publishing the run's RSA key.</summary>
    public static string RsaRecord => "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(Rsa.Value.ExportSubjectPublicKeyInfo());

    /// <summary>dkimpy's ed25519test.key: a raw base64 seed.</summary>
    public static string Ed25519TestSeed => Conformance("ed25519test.key").Trim();

    /// <summary>dkimpy's ed25519test.dns: the record of that key.</summary>
    public static string Ed25519TestRecord => "v=DKIM1; " + Conformance("ed25519test.dns").Trim();

    /// <summary>RFC 8032 section 7.1 test 1 secret key (RFC 8463 appendix A's brisbane key).</summary>
    public static string Rfc8032Seed => Conformance("rfc8032_7_1.key").Trim();

    /// <summary>RFC 8463 appendix A.2: the record of that key.</summary>
    public const string Rfc8032Record = "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

    /// <summary>dkimpy's ed25519test.msg, an unsigned message from example.com.</summary>
    public static byte[] Ed25519TestMessage => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Conformance", "dkim", "ed25519test.msg"));

    /// <summary>A message from contoso.example with folded headers and trailing white space,
    /// which relaxed canonicalization must handle.</summary>
    public static byte[] Plain(string newline = "\r\n")
        => Encoding.ASCII.GetBytes(string.Join(newline,
            "From: Invoices <invoices@contoso.example>",
            "To: customer@fabrikam.example",
            "Subject: Invoice 2025-0042",
            "  for June",
            "Date: Sun, 1 Jun 2025 10:00:00 +0000",
            "Message-ID: <inv-42@contoso.example>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "",
            "Dear customer,   ",
            "",
            "your invoice is attached.",
            "",
            "",
            ""));

    /// <summary>An Ed25519 seed wrapped as PKCS#8 PEM (RFC 8410 section 7), the form openssl
    /// genpkey -algorithm ed25519 writes.</summary>
    public static string Ed25519Pkcs8Pem(string seedBase64)
    {
        byte[] prefix = Convert.FromHexString("302e020100300506032b657004220420");
        byte[] der = prefix.Concat(Convert.FromBase64String(seedBase64)).ToArray();
        return PemEncoding.WriteString("PRIVATE KEY", der);
    }

    private static string Conformance(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Conformance", "dkim", name));
}
