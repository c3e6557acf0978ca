using System.Security.Cryptography;
using MailOps.TestSupport.Dns;
using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>
/// A PowerShell host with MailOps imported and a DNS test server on loopback holding DKIM keys
/// the way real domains publish them: Google and Microsoft 365 selectors, a SendGrid key
/// delegated by CNAME, an Ed25519 key, a testing key, a domain with none and a failing server.
/// </summary>
public sealed class DkimFixture : IDisposable
{
    /// <summary>The RFC 8463 appendix A Ed25519 key (selector brisbane).</summary>
    public const string Ed25519Key = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

    public DkimFixture()
    {
        using RSA rsa2048 = RSA.Create(2048);
        using RSA rsa1024 = RSA.Create(1024);
        Key2048 = Convert.ToBase64String(rsa2048.ExportSubjectPublicKeyInfo());
        Key1024 = Convert.ToBase64String(rsa1024.ExportSubjectPublicKeyInfo());

        var zone = new DnsZone()
            .AddTxt("contoso.example", "v=spf1 include:sendgrid.example ~all")
            .AddTxt("google._domainkey.contoso.example", Split("v=DKIM1; k=rsa; p=" + Key2048))
            .AddTxt("selector1._domainkey.contoso.example", Split("v=DKIM1; k=rsa; p=" + Key2048))
            .AddTxt("selector2._domainkey.contoso.example", Split("v=DKIM1; k=rsa; p=" + Key1024))
            .AddCname("s1._domainkey.contoso.example", "s1.domainkey.u123.wl.sendgrid.example")
            .AddTxt("s1.domainkey.u123.wl.sendgrid.example", Split("k=rsa; t=s; p=" + Key2048))
            .AddTxt("brisbane._domainkey.football.example", Split("v=DKIM1; k=ed25519; p=" + Ed25519Key))
            .AddTxt("dkim._domainkey.testing.example", Split("v=DKIM1; t=y; p=" + Key2048))
            .AddTxt("default._domainkey.slow.example", Split("v=DKIM1; p=" + Key2048))
            .AddA("nokey.example", "192.0.2.10")
            .AddTxt("nokey.example", "v=spf1 -all");
        Dns = new DnsTestServer(zone).Start();
        Dns.SetFault("selector1._domainkey.servfail.example", "TXT", DnsFault.ServerFailure);
        Dns.SetLatency("default._domainkey.slow.example", null, TimeSpan.FromMilliseconds(300));
        Host = new PowerShellHost();
    }

    /// <summary>base64 SubjectPublicKeyInfo of a 2048-bit key published in the zone.</summary>
    public string Key2048 { get; }

    /// <summary>base64 SubjectPublicKeyInfo of a 1024-bit key (selector2 of contoso.example).</summary>
    public string Key1024 { get; }

    public DnsTestServer Dns { get; }

    public PowerShellHost Host { get; }

    /// <summary>Runs a MailOps command against the test DNS server.</summary>
    public PowerShellResult Run(string command, Dictionary<string, object?> parameters, IEnumerable<object?>? input = null)
    {
        parameters["Server"] = new[] { Dns.Endpoint };
        return Host.Invoke(command, parameters, input);
    }

    /// <summary>Runs a script with $dns set to the test server's endpoint.</summary>
    public PowerShellResult Script(string script)
        => Host.InvokeScript(script, new Dictionary<string, object?> { ["dns"] = Dns.Endpoint });

    public void Dispose()
    {
        Host.Dispose();
        Dns.Dispose();
    }

    /// <summary>A key record as DNS publishers store it: character-strings of at most 255
    /// octets (RFC 1035 section 3.3.14), which readers join with nothing between them.</summary>
    private static string[] Split(string record)
        => Enumerable.Range(0, (record.Length + 254) / 255).Select(i => record.Substring(i * 255, Math.Min(255, record.Length - i * 255))).DefaultIfEmpty(string.Empty).ToArray();
}
