using System.Security.Cryptography.X509Certificates;
using MailOps.TestSupport.Dns;
using MailOps.TestSupport.Https;
using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>
/// A PowerShell host with MailOps imported, a DNS test server, and an HTTPS test server on port
/// 443 of a random 127.18.x.y loopback address playing the policy hosts mta-sts.&lt;domain&gt; (the
/// zone points them there). Certificates come from a test CA that tests pass to
/// -TrustedRootCertificate, exactly as an admin passes an internal CA; one comes from a rogue CA.
/// </summary>
public sealed class MtaStsFixture : IDisposable
{
    public const string EnforcePolicy = "version: STSv1\r\nmode: enforce\r\nmx: mx1.contoso.example\r\nmx: *.backup.contoso.example\r\nmax_age: 604800\r\n";

    public MtaStsFixture()
    {
        Ca = new TestCertificateAuthority();
        Rogue = new TestCertificateAuthority("Rogue Root");
        Https = HttpsTestServer.StartOnLoopback(Ca.IssueServerCertificate("localhost"));
        Zone = new DnsZone();

        Site("contoso.example", HttpsTestResponse.Ok(EnforcePolicy));
        Zone.AddMx("contoso.example", 10, "mx1.contoso.example").AddMx("contoso.example", 20, "b.backup.contoso.example");

        Site("testing.example", HttpsTestResponse.Ok("version: STSv1\nmode: testing\nmx: mx.testing.example\nmax_age: 86400\n"));
        Zone.AddMx("testing.example", 10, "mx.testing.example");

        Site("uncovered.example", HttpsTestResponse.Ok("version: STSv1\nmode: enforce\nmx: mx.uncovered.example\nmax_age: 86400\n"));
        Zone.AddMx("uncovered.example", 10, "mx.uncovered.example").AddMx("uncovered.example", 20, "relay.elsewhere.example");

        Site("redirect.example", HttpsTestResponse.Redirect("https://www.redirect.example/.well-known/mta-sts.txt"));
        Site("html.example", HttpsTestResponse.Ok(EnforcePolicy, "text/html; charset=utf-8"));
        Site("badage.example", HttpsTestResponse.Ok("version: STSv1\nmode: enforce\nmx: mx.badage.example\nmax_age: 99999999\n"));
        Site("wrongname.example", HttpsTestResponse.Ok(EnforcePolicy), Ca.IssueServerCertificate("www.wrongname.example"));
        Site("rogue.example", HttpsTestResponse.Ok(EnforcePolicy), Rogue.IssueServerCertificate("mta-sts.rogue.example"));
        Site("slow.example", HttpsTestResponse.Ok(EnforcePolicy));
        Zone.AddMx("slow.example", 10, "mx1.contoso.example");

        Site("twice.example", HttpsTestResponse.Ok(EnforcePolicy));
        Zone.AddTxt("_mta-sts.twice.example", "v=STSv1; id=other");
        Zone.AddTxt("nosts.example", "v=spf1 -all");

        Dns = new DnsTestServer(Zone).Start();
        Dns.SetLatency("_mta-sts.slow.example", null, TimeSpan.FromMilliseconds(300));
        Host = new PowerShellHost();
    }

    public TestCertificateAuthority Ca { get; }

    public TestCertificateAuthority Rogue { get; }

    public HttpsTestServer Https { get; }

    public DnsZone Zone { get; }

    public DnsTestServer Dns { get; }

    public PowerShellHost Host { get; }

    /// <summary>Runs Get-MtaStsPolicy against the test DNS server, trusting the test CA unless told not to.</summary>
    public PowerShellResult Get(string[] domains, bool trustTestCa = true, bool verbose = false)
    {
        var parameters = new Dictionary<string, object?> { ["Domain"] = domains, ["Server"] = new[] { Dns.Endpoint } };
        if (trustTestCa)
        {
            parameters["TrustedRootCertificate"] = new[] { Ca.Certificate };
        }

        if (verbose)
        {
            parameters["Verbose"] = true;
        }

        return Host.Invoke("Get-MtaStsPolicy", parameters);
    }

    /// <summary>Runs a script with $dns (the DNS endpoint) and $ca (the test CA certificate) set.</summary>
    public PowerShellResult Script(string script)
        => Host.InvokeScript(script, new Dictionary<string, object?> { ["dns"] = Dns.Endpoint, ["ca"] = Ca.Certificate });

    private void Site(string domain, HttpsTestResponse response, X509Certificate2? certificate = null)
    {
        string host = "mta-sts." + domain;
        Zone.AddTxt("_mta-sts." + domain, "v=STSv1; id=20250101T000000;").AddA(host, Https.Address);
        Https.SetResponse(host, response).SetCertificate(host, certificate ?? Ca.IssueServerCertificate(host));
    }

    public void Dispose()
    {
        Host.Dispose();
        Dns.Dispose();
        Https.Dispose();
        Ca.Dispose();
        Rogue.Dispose();
    }
}
