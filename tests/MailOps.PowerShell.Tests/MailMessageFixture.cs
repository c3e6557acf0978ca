using System.Security.Cryptography;
using System.Text;
using MailOps.TestSupport.Dns;
using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>
/// A PowerShell host with MailOps imported, a DNS test server on loopback with the RFC 8463
/// appendix A keys of football.example.com, a key generated here for contoso.example (messages
/// signed here, rsa-sha256 relaxed/relaxed), SPF and DMARC records, and a folder of message
/// files: the conformance message, variations of it, header problems and a file that is no
/// message at all.
/// </summary>
public sealed class MailMessageFixture : IDisposable
{
    /// <summary>The RFC 8463 appendix A Ed25519 public key.</summary>
    public const string Ed25519Key = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

    private readonly RSA rsa = RSA.Create(2048);

    public MailMessageFixture()
    {
        string rsaTest = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Conformance", "dkim", "test.txt")).Trim();
        var zone = new DnsZone()
            .AddTxt("brisbane._domainkey.football.example.com", "v=DKIM1; k=ed25519; p=" + Ed25519Key)
            .AddLongTxt("test._domainkey.football.example.com", rsaTest)
            .AddTxt("revoked._domainkey.football.example.com", "v=DKIM1; k=rsa; p=")
            .AddTxt("_dmarc.football.example.com", "v=DMARC1; p=reject")
            .AddLongTxt("s2048._domainkey.contoso.example", "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo()))
            .AddTxt("contoso.example", "v=spf1 ip4:198.51.100.0/24 -all")
            .AddTxt("_dmarc.contoso.example", "v=DMARC1; p=reject");
        Dns = new DnsTestServer(zone).Start();
        Host = new PowerShellHost();

        Folder = Path.Combine(Path.GetTempPath(), "MailOpsMessageTests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        string rfc8463 = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Conformance", "dkim", "rfc6376.signed.msg")).Replace("\r\n", "\n").Replace("\n", "\r\n");
        Write("rfc8463.eml", rfc8463);
        Write("altered-body.eml", rfc8463.Replace("We lost the game.", "We won the game."));
        Write("no-key.eml", rfc8463.Replace("q=dns/txt; s=test;", "q=dns/txt; s=missing;"));
        Write("revoked-key.eml", rfc8463.Replace("q=dns/txt; s=test;", "q=dns/txt; s=revoked;"));
        Write("signed-here.eml", Sign(Plain()));
        Write("unsigned.eml", "Return-Path: <bounce@contoso.example>\r\n" + Plain());
        Write("received.eml",
            "Return-Path: <bounce@contoso.example>\r\n"
            + "Received: from out1.contoso.example (out1.contoso.example [198.51.100.25]) by mx.receiver.example with ESMTPS id 4F; Sun, 1 Jun 2025 10:00:01 +0000\r\n"
            + "Authentication-Results: mx.receiver.example; spf=pass smtp.mailfrom=bounce@contoso.example; dkim=none; dmarc=pass header.from=contoso.example\r\n"
            + Plain());
        Write("two-from.eml", "From: Evil <evil@attacker.example>\r\n" + Plain());
        Write("no-date.eml", Plain().Replace("Date: Sun, 1 Jun 2025 10:00:00 +0000\r\n", string.Empty));
        Write("bulk.eml", "Precedence: bulk\r\n" + Plain());
        Write("not-a-message.eml", "%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n");
    }

    public DnsTestServer Dns { get; }

    public PowerShellHost Host { get; }

    /// <summary>The folder holding the message files.</summary>
    public string Folder { get; }

    /// <summary>The full path of a message file of the fixture.</summary>
    public string PathOf(string name) => Path.Combine(Folder, name);

    /// <summary>Runs a MailOps command against the test DNS server.</summary>
    public PowerShellResult Run(string command, Dictionary<string, object?> parameters, IEnumerable<object?>? input = null)
    {
        parameters["Server"] = new[] { Dns.Endpoint };
        return Host.Invoke(command, parameters, input);
    }

    /// <summary>Runs a script with $dns set to the test server's endpoint and $folder to the message folder.</summary>
    public PowerShellResult Script(string script)
        => Host.InvokeScript(script, new Dictionary<string, object?> { ["dns"] = Dns.Endpoint, ["folder"] = Folder });

    public void Dispose()
    {
        Host.Dispose();
        Dns.Dispose();
        rsa.Dispose();
        Directory.Delete(Folder, recursive: true);
    }

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(Folder, name), text);

    /// <summary>A plain message from contoso.example.</summary>
    private static string Plain()
        => "From: CEO <ceo@contoso.example>\r\nTo: rcpt@receiver.example\r\nSubject: Quarterly numbers\r\n"
            + "Date: Sun, 1 Jun 2025 10:00:00 +0000\r\nMessage-ID: <q2@contoso.example>\r\n\r\nHello,\r\nthe numbers are attached.\r\n";

    /// <summary>
    /// Signs with the published key, d=contoso.example s=s2048, rsa-sha256, relaxed/relaxed
    /// (RFC 6376 sections 3.4.2, 3.4.4 and 3.7), independently of the MimeKit code under test.
    /// The message's header values are already in relaxed form (single spaces, no folding).
    /// </summary>
    private string Sign(string message)
    {
        int split = message.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        string[] headers = message.Substring(0, split).Split("\r\n");
        string body = message.Substring(split + 4);

        // Relaxed body: no trailing white space on lines, no empty lines at the end, one CRLF.
        string canonBody = string.Join("\r\n", body.Split("\r\n").Select(l => l.TrimEnd(' ', '\t'))).TrimEnd('\r', '\n') + "\r\n";
        string bh = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(canonBody)));

        string[] signed = { "from", "to", "subject", "date", "message-id" };
        string Relaxed(string field)
        {
            int colon = field.IndexOf(':');
            return field.Substring(0, colon).Trim().ToLowerInvariant() + ":" + field.Substring(colon + 1).Trim();
        }

        var data = new StringBuilder();
        foreach (string name in signed)
        {
            data.Append(Relaxed(headers.Last(h => h.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase)))).Append("\r\n");
        }

        string dkim = $"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=contoso.example; s=s2048; t=1748772000; h={string.Join(":", signed)}; bh={bh}; b=";
        data.Append(Relaxed(dkim));
        byte[] signature = rsa.SignData(Encoding.ASCII.GetBytes(data.ToString()), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return dkim + Convert.ToBase64String(signature) + "\r\n" + message;
    }
}
