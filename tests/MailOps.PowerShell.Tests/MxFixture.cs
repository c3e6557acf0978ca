using MailOps.TestSupport.Dns;
using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>
/// A PowerShell host with MailOps imported and a DNS test server holding the mail-routing records
/// of a few domains: MX (Google-hosted, self-hosted, null MX, broken ones), TLS-RPT and BIMI.
/// Each test class that uses it gets its own instance (own server, own runspace).
/// </summary>
public sealed class MxFixture : IDisposable
{
    public MxFixture()
    {
        var zone = new DnsZone()
            // Get-MxRecord
            .AddMx("contoso.example", 5, "alt1.aspmx.l.google.com")
            .AddMx("contoso.example", 1, "aspmx.l.google.com")
            .AddA("aspmx.l.google.com", "142.250.0.26")
            .AddAaaa("aspmx.l.google.com", "2607:f8b0:4004:c1b::1a")
            .AddA("alt1.aspmx.l.google.com", "142.250.0.27")
            .AddMx("fabrikam.example", 10, "mail.fabrikam.example")
            .AddA("mail.fabrikam.example", "198.51.100.25")
            .AddMx("slow.example", 10, "mail.slow.example")
            .AddA("mail.slow.example", "198.51.100.26")
            .AddMx("nullmx.example", 0, ".")
            .AddA("nomx.example", "198.51.100.27")
            .AddMx("nowhere.example", 10, "gone.nowhere.example")
            .AddMx("alias.example", 10, "mail.alias.example")
            .AddCname("mail.alias.example", "host.alias.example")
            .AddA("host.alias.example", "198.51.100.28")
            // Get-TlsRptRecord
            .AddTxt("_smtp._tls.contoso.example", "v=TLSRPTv1; rua=mailto:tls-reports@contoso.example,https://reports.contoso.example/tlsrpt")
            .AddTxt("_smtp._tls.fabrikam.example", "v=TLSRPTv1; rua=http://reports.fabrikam.example/")
            .AddTxt("_smtp._tls.slow.example", "v=TLSRPTv1; rua=mailto:tls@slow.example")
            // Get-BimiRecord
            .AddTxt("default._bimi.contoso.example", "v=BIMI1; l=https://contoso.example/logo.svg; a=https://contoso.example/vmc.pem")
            .AddTxt("brand._bimi.contoso.example", "v=BIMI1; l=https://contoso.example/brand.svg")
            .AddTxt("default._bimi.fabrikam.example", "v=BIMI1; l=; a=;")
            .AddTxt("default._bimi.slow.example", "v=BIMI1; l=http://slow.example/logo.svg");
        Dns = new DnsTestServer(zone).Start();
        Dns.SetLatency("slow.example", null, TimeSpan.FromMilliseconds(300));
        Dns.SetLatency("_smtp._tls.slow.example", null, TimeSpan.FromMilliseconds(300));
        Dns.SetLatency("default._bimi.slow.example", null, TimeSpan.FromMilliseconds(300));
        Host = new PowerShellHost();
    }

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
}
