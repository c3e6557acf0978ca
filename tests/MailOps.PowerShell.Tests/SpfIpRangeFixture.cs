using MailOps.TestSupport.Dns;
using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>
/// A PowerShell host with MailOps imported and a DNS test server holding an include tree: a
/// company record with nested provider includes, a and mx with prefix lengths, ip6, terms that
/// cannot be flattened, a fail include, a redirect, and broken domains.
/// </summary>
public sealed class SpfIpRangeFixture : IDisposable
{
    public SpfIpRangeFixture()
    {
        var zone = new DnsZone()
            .AddTxt("contoso.example", "v=spf1 ip4:198.51.100.0/24 include:sendgrid.example mx/24 a:web.contoso.example ip6:2001:db8:10::/48 exists:%{i}._spf.contoso.example ptr -include:blocked.example ~all")
            .AddMx("contoso.example", 10, "mail.contoso.example")
            .AddA("mail.contoso.example", "192.0.2.25")
            .AddA("web.contoso.example", "203.0.113.10")
            .AddAaaa("web.contoso.example", "2001:db8::10")
            .AddTxt("sendgrid.example", "v=spf1 ip4:149.72.0.0/16 include:_spf2.sendgrid.example -ip4:149.72.99.0/24 ~all")
            .AddTxt("_spf2.sendgrid.example", "v=spf1 ip4:167.89.0.0/17 ip6:2001:db8:5::/48 -ip4:167.89.200.0/24 -all")
            .AddTxt("blocked.example", "v=spf1 ip4:192.0.2.128/25 -all")
            .AddTxt("redirect.example", "v=spf1 ip4:10.1.0.0/16 redirect=_spf.redirect.example")
            .AddTxt("_spf.redirect.example", "v=spf1 ip4:10.2.0.0/16 ~all")
            .AddTxt("norecord.example", "google-site-verification=abc")
            .AddTxt("servfail.example", "v=spf1 -all")
            .AddTxt("slow.example", "v=spf1 ip4:192.0.2.0/24 -all")
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

    /// <summary>Runs Get-SpfIpRange against the test server.</summary>
    public PowerShellResult Run(params string[] domains)
        => Host.Invoke("Get-SpfIpRange", new Dictionary<string, object?> { ["Domain"] = domains, ["Server"] = new[] { Dns.Endpoint } });

    /// <summary>Runs a script with $dns set to the test server's endpoint.</summary>
    public PowerShellResult Script(string script)
        => Host.InvokeScript(script, new Dictionary<string, object?> { ["dns"] = Dns.Endpoint });

    public void Dispose()
    {
        Host.Dispose();
        Dns.Dispose();
    }
}
