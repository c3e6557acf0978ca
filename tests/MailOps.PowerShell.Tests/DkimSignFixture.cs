using System.Security.Cryptography;
using MailOps.TestSupport.Dns;
using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>
/// Add-DkimSignature through a PowerShell host with MailOps imported: a 2048-bit RSA key
/// generated here and published as s2048._domainkey.contoso.example, the RFC 8463 Ed25519 key
/// (raw seed file, published as brisbane._domainkey.football.example.com), a 512-bit key, a
/// file that is no key, an unsigned message and a DNS test server serving the key records,
/// SPF and DMARC so Test-MailMessage can check what was signed.
/// </summary>
public sealed class DkimSignFixture : IDisposable
{
    /// <summary>RFC 8463 appendix A.2: the record of the RFC 8032 section 7.1 test 1 key.</summary>
    public const string Ed25519Record = "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

    private readonly RSA rsa = RSA.Create(2048);

    public DkimSignFixture()
    {
        RsaRecord = "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo());
        var zone = new DnsZone()
            .AddLongTxt("s2048._domainkey.contoso.example", RsaRecord)
            .AddTxt("contoso.example", "v=spf1 ip4:198.51.100.0/24 -all")
            .AddTxt("_dmarc.contoso.example", "v=DMARC1; p=reject")
            .AddTxt("brisbane._domainkey.football.example.com", Ed25519Record);
        Dns = new DnsTestServer(zone).Start();
        Host = new PowerShellHost();

        Folder = Directory.CreateTempSubdirectory("MailOpsDkimSign-").FullName;
        File.WriteAllText(PathOf("rsa.pem"), rsa.ExportRSAPrivateKeyPem());
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Conformance", "dkim", "rfc8032_7_1.key"), PathOf("ed25519.key"));
        using (var weak = RSA.Create(512))
        {
            File.WriteAllText(PathOf("weak.pem"), weak.ExportRSAPrivateKeyPem());
        }

        File.WriteAllText(PathOf("not-a-key.pem"), "this is not a key\n");
        File.WriteAllText(PathOf("unsigned.eml"), Message);
    }

    /// <summary>An unsigned message from contoso.example (folded Subject, trailing white space).</summary>
    public static string Message
        => "From: Invoices <invoices@contoso.example>\r\nTo: customer@fabrikam.example\r\nSubject: Invoice 2025-0042\r\n  for June\r\n"
            + "Date: Sun, 1 Jun 2025 10:00:00 +0000\r\nMessage-ID: <inv-42@contoso.example>\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n\r\nDear customer,   \r\n\r\nyour invoice is attached.\r\n";

    /// <summary>The key record publishing the fixture's RSA key.</summary>
    public string RsaRecord { get; }

    public DnsTestServer Dns { get; }

    public PowerShellHost Host { get; }

    /// <summary>The folder holding keys and messages; tests write their output under a new sub-folder.</summary>
    public string Folder { get; }

    /// <summary>The full path of a file of the fixture.</summary>
    public string PathOf(string name) => Path.Combine(Folder, name);

    /// <summary>A new empty folder for one test's output, so tests never share files.</summary>
    public string NewOutputFolder() => Directory.CreateDirectory(Path.Combine(Folder, Guid.NewGuid().ToString("N"))).FullName;

    /// <summary>Runs a script with $dns (the DNS endpoint) and $folder (the fixture folder) set.</summary>
    public PowerShellResult Script(string script, Dictionary<string, object?>? variables = null)
    {
        var all = variables ?? new Dictionary<string, object?>();
        all["dns"] = Dns.Endpoint;
        all["folder"] = Folder;
        return Host.InvokeScript(script, all);
    }

    public void Dispose()
    {
        Host.Dispose();
        Dns.Dispose();
        rsa.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}
