using MailOps.TestSupport.Dns;
using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>
/// A PowerShell host with MailOps imported and a DNS test server on loopback holding a small,
/// realistic mail zone: a company domain with a provider include, strict and broken records.
/// </summary>
public sealed class SpfFixture : IDisposable
{
    public SpfFixture()
    {
        var zone = new DnsZone()
            .AddTxt("contoso.example", "v=spf1 ip4:198.51.100.0/24 include:sendgrid.example mx ~all")
            .AddMx("contoso.example", 10, "mail.contoso.example")
            .AddA("mail.contoso.example", "198.51.100.25")
            .AddTxt("sendgrid.example", "v=spf1 ip4:149.72.0.0/16 ~all")
            .AddTxt("strict.example", "v=spf1 ip4:192.0.2.1 -all exp=explain.strict.example")
            .AddTxt("explain.strict.example", "%{i} may not send mail for %{d}")
            .AddTxt("twice.example", "v=spf1 ip4:192.0.2.0/24 -all")
            .AddTxt("twice.example", "v=spf1 include:sendgrid.example -all")
            .AddTxt("servfail.example", "v=spf1 -all")
            .AddTxt("helo.example", "v=spf1 a -all")
            .AddA("helo.example", "203.0.113.5")
            .AddTxt("slow.example", "v=spf1 ip4:192.0.2.0/24 -all")
            .AddTxt("norecord.example", "google-site-verification=abc")
            .AddTxt("dangling.example", "v=spf1 include:nowhere.example -all")
            .AddTxt("many.example", "v=spf1 " + string.Join(" ", Enumerable.Range(1, 11).Select(i => $"include:p{i}.example")) + " -all");
        for (int i = 1; i <= 11; i++)
        {
            zone.AddTxt($"p{i}.example", $"v=spf1 ip4:10.0.{i}.0/24 ~all");
        }

        Dns = new DnsTestServer(zone).Start();
        Dns.SetFault("servfail.example", "TXT", DnsFault.ServerFailure);
        Dns.SetLatency("slow.example", null, TimeSpan.FromMilliseconds(300));
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
