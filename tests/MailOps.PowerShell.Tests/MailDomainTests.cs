using System.Security.Cryptography;
using MailOps.TestSupport.Dns;
using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>A zone of whole mail domains: one set up right at a big provider, and the usual
/// mistakes next to it.</summary>
public sealed class MailDomainFixture : IDisposable
{
    public MailDomainFixture()
    {
        string key = Convert.ToBase64String(RSA.Create(2048).ExportSubjectPublicKeyInfo());
        var zone = new DnsZone()
            .AddA("aspmx.l.google.com", "142.250.102.26")
            .AddTxt("_spf.google.com", "v=spf1 ip4:35.190.247.0/24 ip4:64.233.160.0/19 ~all")
            // good.example: Google Workspace, done right.
            .AddMx("good.example", 1, "aspmx.l.google.com")
            .AddTxt("good.example", "v=spf1 include:_spf.google.com -all")
            .AddLongTxt("google._domainkey.good.example", "v=DKIM1; k=rsa; p=" + key)
            .AddTxt("_dmarc.good.example", "v=DMARC1; p=reject; rua=mailto:dmarc@good.example")
            .AddTxt("_smtp._tls.good.example", "v=TLSRPTv1; rua=mailto:tlsrpt@good.example")
            // noinclude.example: hosted at Google, SPF forgets Google.
            .AddMx("noinclude.example", 1, "aspmx.l.google.com")
            .AddTxt("noinclude.example", "v=spf1 ip4:192.0.2.0/24 -all")
            .AddLongTxt("google._domainkey.noinclude.example", "v=DKIM1; k=rsa; p=" + key)
            .AddTxt("_dmarc.noinclude.example", "v=DMARC1; p=reject; rua=mailto:dmarc@noinclude.example")
            // bimi.example: a logo without DMARC enforcement.
            .AddMx("bimi.example", 10, "mail.bimi.example")
            .AddA("mail.bimi.example", "192.0.2.25")
            .AddTxt("bimi.example", "v=spf1 mx -all")
            .AddTxt("_dmarc.bimi.example", "v=DMARC1; p=none; rua=mailto:dmarc@bimi.example")
            .AddTxt("default._bimi.bimi.example", "v=BIMI1; l=https://bimi.example/logo.svg; a=https://bimi.example/vmc.pem")
            .AddTxt("slow.example", "v=spf1 -all")
            .AddTxt("_dmarc.slow.example", "v=DMARC1; p=reject");
        Dns = new DnsTestServer(zone).Start();
        Dns.SetLatency("slow.example", null, TimeSpan.FromMilliseconds(300));
        Host = new PowerShellHost();
    }

    public DnsTestServer Dns { get; }

    public PowerShellHost Host { get; }

    public PowerShellResult Script(string script)
        => Host.InvokeScript(script, new Dictionary<string, object?> { ["dns"] = Dns.Endpoint });

    public void Dispose()
    {
        Host.Dispose();
        Dns.Dispose();
    }
}

/// <summary>Test-MailDomain through real PowerShell and a real DNS server on loopback.</summary>
public sealed class MailDomainTests : IClassFixture<MailDomainFixture>
{
    private readonly MailDomainFixture f;

    public MailDomainTests(MailDomainFixture fixture) => f = fixture;

    private static string[] Codes(System.Management.Automation.PSObject report)
        => report.Items("Findings").Select(x => x.Str("Code")!).ToArray();

    [Fact]
    public void Domain_set_up_right_at_google_passes_with_every_area_filled_in()
    {
        var r = f.Script("Test-MailDomain good.example -Server $dns").Single();

        Assert.Equal("Google Workspace", r.Str("Provider"));
        Assert.True(r.Str("Status") == "Pass", "findings: " + string.Join("; ", r.Items("Findings").Select(x => x.ToString())));
        Assert.Equal(100, (int)r.Prop("Score")!);
        Assert.Equal("v=spf1 include:_spf.google.com -all", System.Management.Automation.PSObject.AsPSObject(r.Prop("Spf")!).Str("Record"));
        Assert.Equal("Reject", System.Management.Automation.PSObject.AsPSObject(r.Prop("Dmarc")!).Str("Policy"));
        Assert.Contains(r.Items("Dkim"), d => d.Str("Selector") == "google" && d.Str("KeySize") == "2048");
        Assert.Single(r.Items("Mx"));
    }

    [Fact]
    public void Google_hosted_domain_without_the_google_spf_include_fails_with_ProviderSpfIncludeMissing()
    {
        var r = f.Script("Test-MailDomain noinclude.example -Server $dns").Single();

        Assert.Equal("Fail", r.Str("Status"));
        var finding = Assert.Single(r.Items("Findings"), x => x.Str("Code") == "ProviderSpfIncludeMissing");
        Assert.Equal("Provider", finding.Str("Area"));
        Assert.Equal("_spf.google.com", finding.Str("Term"));
    }

    [Fact]
    public void Bimi_without_dmarc_enforcement_is_reported()
    {
        var r = f.Script("Test-MailDomain bimi.example -Server $dns").Single();

        Assert.Contains("BimiRequiresDmarcEnforcement", Codes(r));
    }

    [Fact]
    public void Quiet_is_true_only_without_error_findings()
    {
        var r = f.Script("'good.example', 'noinclude.example' | Test-MailDomain -Server $dns -Quiet");

        r.ThrowIfFailed();
        Assert.Equal(new object[] { true, false }, r.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void Csv_rows_are_audited_concurrently_and_reported_in_input_order()
    {
        var r = f.Script("""
            @('slow.example', 'good.example', 'bimi.example', 'noinclude.example') |
                ForEach-Object { [pscustomobject]@{ Domain = $_; Owner = 'it' } } |
                Test-MailDomain -Server $dns -ThrottleLimit 4
            """);

        r.ThrowIfFailed();
        Assert.Equal(new[] { "slow.example", "good.example", "bimi.example", "noinclude.example" }, r.Output.Select(o => o.Str("Domain")));
    }

    [Fact]
    public void Pipeline_garbage_gets_an_error_per_item_and_the_real_domains_still_run()
    {
        // About 10 MB of junk: 10,000 strings of 1,000 characters, with two real domains in it.
        var r = f.Script("""
            $junk = 1..10000 | ForEach-Object { ([string][char](33 + ($_ % 90))) * 1000 }
            @('good.example') + $junk + @('bücher.example', 'noinclude.example') | Test-MailDomain -Server $dns
            """);

        Assert.Null(r.Terminating);
        Assert.Equal(new[] { "good.example", "xn--bcher-kva.example", "noinclude.example" }, r.Output.Select(o => o.Str("Domain")));
        Assert.Equal(10_000, r.Errors.Count);
        Assert.All(r.Errors, e => Assert.StartsWith("InvalidDomainName", e.FullyQualifiedErrorId));
    }

    [Fact]
    public void Every_finding_carries_its_area()
    {
        var r = f.Script("Test-MailDomain bimi.example -Server $dns").Single();

        Assert.NotEmpty(r.Items("Findings"));
        Assert.All(r.Items("Findings"), x => Assert.False(string.IsNullOrEmpty(x.Str("Area"))));
    }
}
