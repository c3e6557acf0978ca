using MailOps.TestSupport.Dns;
using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>
/// A PowerShell host with MailOps imported and a DNS test server holding the DMARC zone: every
/// policy-discovery and parsing case of tests/Conformance/dmarc/dmarc-vectors.yml that fits one
/// zone (authheaders dns_txt, OpenDMARC subdomain_fallback, the RFC 9989 tree-walk records), plus
/// a few domains of our own for pipeline behaviour. Vectors whose records contradict these
/// (the three org_selection_examples) get a server of their own through <see cref="StartServer"/>.
/// </summary>
public sealed class DmarcFixture : IDisposable
{
    public DmarcFixture()
    {
        var zone = new DnsZone()
            // authheaders dns_txt ("" = the name exists without a record; null = NXDOMAIN).
            .AddTxt("_dmarc.example.com", "v=DMARC1; p=reject; rua=mailto:dmarc.reports@valimail.com,mailto:dmarc_agg@vali.email; ruf=mailto:dmarc.reports@valimail.com,mailto:dmarc_c0cb7153_afrf@vali.email")
            .AddTxt("_dmarc.example.org", "v=DMARC1; p=none")
            .AddTxt("_dmarc.example.net", "v=DMARC1; p=none; sp=reject")
            .AddName("_dmarc.sub.example.net")
            .AddName("sub.example.net")
            .AddTxt("_dmarc.example.biz", "v=DMARC1; p=none; sp=quarantine; np=reject")
            .AddTxt("_dmarc.nop.example.org", "v=DMARC1; sp=quarantine; np=reject")
            .AddName("_dmarc.sub.example.biz")
            .AddName("_dmarc.sub2.example.biz")
            .AddCname("sub2.example.biz", "host.example.biz")
            .AddA("host.example.biz", "192.0.2.10")
            .AddTxt("_dmarc.bad.example.com", "v=DMARC1; p=none; reject")
            .AddTxt("_dmarc.gov", "v=DMARC1; p=reject; sp=none; np=reject; rua=mailto:dotgov_dmarc@cisa.dhs.gov; psd=y")
            .AddName("_dmarc.example.gov")
            .AddName("example.gov")
            // Report authorization for the example.com record: valimail.com authorizes, vali.email does not.
            .AddTxt("example.com._report._dmarc.valimail.com", "v=DMARC1")
            // OpenDMARC subdomain_fallback.
            .AddTxt("_dmarc.parent1.example", "v=DMARC1; p=reject; rua=mailto:dmarc@parent1.example")
            .AddTxt("_dmarc.own-record.example", "v=DMARC1; p=quarantine")
            .AddTxt("_dmarc.parent3.example", "v=DMARC1; p=none; sp=reject")
            .AddName("a.b.parent3.example")
            .AddTxt("_dmarc.bcx.com", "v=DMARC1; p=reject")
            .AddName("sub.bcx.com")
            // RFC 9989 tree walk: simple/deep (_dmarc.example.com above) and psd.
            .AddTxt("_dmarc.signing.example.com", "v=DMARC1; p=quarantine; rua=mailto:dmarc@example.com")
            .AddTxt("_dmarc.bank.example", "v=DMARC1; p=reject; sp=quarantine; psd=y")
            .AddTxt("_dmarc.giant.bank.example", "v=DMARC1; p=quarantine; rua=mailto:dmarc@giant.bank.example")
            .AddName("mail.giant.bank.example")
            .AddName("mail.mega.bank.example")
            // Our own: a big mailbox provider, a pipeline that must keep its order, a broken server.
            .AddTxt("_dmarc.yahoo.com", "v=DMARC1; p=reject; pct=100; rua=mailto:dmarc_y_rua@yahoo.com")
            .AddTxt("_dmarc.contoso.example", "v=DMARC1; p=quarantine; rua=mailto:dmarc@contoso.example")
            .AddTxt("_dmarc.slow.example", "v=DMARC1; p=reject; rua=mailto:dmarc@slow.example")
            .AddTxt("_dmarc.servfail.example", "v=DMARC1; p=reject")
            .AddTxt("_dmarc.legacy.example", "v=DMARC1; p=reject; pct=50; rua=mailto:dmarc@legacy.example");

        // OpenDMARC parse vectors (opendmarc_policy_parse_dmarc), one name each.
        for (int i = 0; i < OpenDmarcParseVectors.Length; i++)
        {
            zone.AddTxt(ParseVectorDomain(i), OpenDmarcParseVectors[i]);
        }

        Dns = new DnsTestServer(zone).Start();
        Dns.SetFault("_dmarc.servfail.example", "TXT", DnsFault.ServerFailure);
        Dns.SetLatency("_dmarc.slow.example", null, TimeSpan.FromMilliseconds(300));
        Host = new PowerShellHost();
    }

    /// <summary>The record texts of dmarc-vectors.yml opendmarc.parse, in file order.</summary>
    public static readonly string[] OpenDmarcParseVectors =
    {
        "v=DMARC1; p=none; rf=afrf; rua=mailto:dmarc-a@abuse.net; ruf=mailto:dmarc-f@abuse.net",
        "v=DMARC1; p=none;",
        "v=DMARC1; p=reject;",
        "v=DMARC1; p=quarantine;",
        "v=DMARC1; p=n;",
        "",
        "V=BOB",
        "v=DMARC1; p=bob;",
        "v=DMARC1; p=none; sp=bob;",
        "v=DMARC1; p=none; adkim=bob;",
        "v=DMARC1; p=none; aspf=bob;",
        "v=DMARC1; p=none; rf=bob;",
        "v=DMARC1; p=none; ri=bob;",
        "v=DMARC1; p=none; pct=500;",
        "v=DMARC1; pct=100;",
        "v=DMARC1; p=none; rua=ftp://abuse.com",
        "v=DMARC1; p=none; ruf=mailto://abuse.com",
        "v=DMARC1; p=none; ruf=mailto://abuse.com; foo=bar; buzz=happy;",
        "v=DMARC1; p=none; rf=000000000000000000000000000000000",
    };

    /// <summary>Where parse vector <paramref name="index"/> is published: _dmarc.p&lt;index&gt;.abuse.net.</summary>
    public static string ParseVectorDomain(int index) => $"_dmarc.p{index}.abuse.net";

    public DnsTestServer Dns { get; }

    public PowerShellHost Host { get; }

    /// <summary>Runs a MailOps command against the fixture's DNS server.</summary>
    public PowerShellResult Run(string command, Dictionary<string, object?> parameters, IEnumerable<object?>? input = null)
        => RunAgainst(Dns, command, parameters, input);

    /// <summary>Runs a MailOps command against <paramref name="server"/>.</summary>
    public PowerShellResult RunAgainst(DnsTestServer server, string command, Dictionary<string, object?> parameters, IEnumerable<object?>? input = null)
    {
        parameters["Server"] = new[] { server.Endpoint };
        return Host.Invoke(command, parameters, input);
    }

    /// <summary>Runs a script with $dns set to the fixture server's endpoint.</summary>
    public PowerShellResult Script(string script)
        => Host.InvokeScript(script, new Dictionary<string, object?> { ["dns"] = Dns.Endpoint });

    /// <summary>A server of its own for a vector whose records contradict the shared zone; the test disposes it.</summary>
    public static DnsTestServer StartServer(DnsZone zone) => new DnsTestServer(zone).Start();

    public void Dispose()
    {
        Host.Dispose();
        Dns.Dispose();
    }
}
