using MailOps.TestSupport.Dns;
using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>
/// A PowerShell host with MailOps imported and a DNS test server holding the mail domains of the
/// Test-EmailAddress tests: MX, implicit MX, null MX, SERVFAIL, a slow domain, and a typo-like
/// domain with MX records (a real, different domain that must not be corrected).
/// </summary>
public sealed class EmailAddressFixture : IDisposable
{
    public EmailAddressFixture()
    {
        var zone = new DnsZone()
            .AddMx("contoso.example", 10, "mail.contoso.example")
            .AddA("mail.contoso.example", "192.0.2.25")
            .AddMx("fabrikam.example", 10, "mail.fabrikam.example")
            .AddA("implicit.example", "192.0.2.26")
            .AddMx("nullmx.example", 0, ".")
            .AddTxt("nomail.example", "v=spf1 -all")
            .AddMx("servfail.example", 10, "mail.servfail.example")
            .AddMx("slow.example", 10, "mail.slow.example")
            .AddMx("gmial.com", 10, "mx.gmial.com")
            .AddMx("gmail.com", 5, "gmail-smtp-in.l.google.com")
            .AddMx("hotmail.com", 5, "hotmail-com.olc.protection.outlook.com")
            .AddMx("mailinator.com", 10, "mail.mailinator.com");
        Dns = new DnsTestServer(zone).Start();
        Dns.SetFault("servfail.example", "MX", DnsFault.ServerFailure);
        Dns.SetLatency("slow.example", null, TimeSpan.FromMilliseconds(300));
        Host = new PowerShellHost();
    }

    public DnsTestServer Dns { get; }

    public PowerShellHost Host { get; }

    /// <summary>Runs Test-EmailAddress against the test DNS server.</summary>
    public PowerShellResult Run(Dictionary<string, object?> parameters, IEnumerable<object?>? input = null)
    {
        parameters["Server"] = new[] { Dns.Endpoint };
        return Host.Invoke("Test-EmailAddress", parameters, input);
    }

    /// <summary>Runs a script with $dns set to the test server's endpoint.</summary>
    public PowerShellResult Script(string script, IDictionary<string, object?>? variables = null)
    {
        var all = new Dictionary<string, object?>(variables ?? new Dictionary<string, object?>()) { ["dns"] = Dns.Endpoint };
        return Host.InvokeScript(script, all);
    }

    public void Dispose()
    {
        Host.Dispose();
        Dns.Dispose();
    }
}
