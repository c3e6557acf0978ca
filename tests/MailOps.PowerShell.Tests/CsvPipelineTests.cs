using MailOps.TestSupport.Dns;
using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>
/// Import-Csv rows with a Domain column pipe into every domain cmdlet (the hosted engine has no
/// Import-Csv, so rows are built as the PSCustomObjects it returns).
/// </summary>
public sealed class CsvPipelineTests : IClassFixture<CsvPipelineTests.Fixture>
{
    private readonly Fixture f;

    public CsvPipelineTests(Fixture fixture) => f = fixture;

    public sealed class Fixture : IDisposable
    {
        public Fixture()
        {
            var zone = new DnsZone()
                .AddMx("one.example", 10, "mail.one.example").AddA("mail.one.example", "192.0.2.1")
                .AddTxt("one.example", "v=spf1 ip4:192.0.2.0/24 -all")
                .AddTxt("_dmarc.one.example", "v=DMARC1; p=reject")
                .AddMx("two.example", 10, "mail.two.example").AddA("mail.two.example", "192.0.2.2")
                .AddTxt("two.example", "v=spf1 ip4:198.51.100.0/24 -all")
                .AddTxt("_dmarc.two.example", "v=DMARC1; p=none");
            Dns = new DnsTestServer(zone).Start();
            Host = new PowerShellHost();
        }

        public DnsTestServer Dns { get; }

        public PowerShellHost Host { get; }

        public void Dispose()
        {
            Host.Dispose();
            Dns.Dispose();
        }
    }

    [Theory]
    [InlineData("Get-SpfRecord", "")]
    [InlineData("Get-SpfIpRange", "")]
    [InlineData("Get-DmarcPolicy", "")]
    [InlineData("Get-DkimRecord", "-Selector s1")]
    [InlineData("Get-MxRecord", "")]
    [InlineData("Get-MtaStsPolicy", "")]
    [InlineData("Get-TlsRptRecord", "")]
    [InlineData("Get-BimiRecord", "")]
    [InlineData("Test-DnsBlocklist", "-Blocklist dbl.test.example")]
    [InlineData("Test-MailDomain", "")]
    [InlineData("New-SpfInclude", "-Include include.example")]
    public void Csv_rows_with_a_Domain_column_bind_to_Domain(string cmdlet, string extra)
    {
        var r = f.Host.InvokeScript(
            $"@([pscustomobject]@{{ Domain = 'one.example'; Owner = 'a' }}, [pscustomobject]@{{ Domain = 'two.example'; Owner = 'b' }}) | {cmdlet} -Server $dns {extra}",
            new Dictionary<string, object?> { ["dns"] = f.Dns.Endpoint });

        Assert.Null(r.Terminating);
        Assert.True(r.Errors.All(e => !e.FullyQualifiedErrorId.Contains("Parameter", StringComparison.Ordinal)), string.Join("; ", r.Errors));
        var domains = r.Output.Select(o => o.Str("Domain") ?? o.Str("Target")).Distinct().ToArray();
        Assert.Equal(new[] { "one.example", "two.example" }, domains);
    }
}
