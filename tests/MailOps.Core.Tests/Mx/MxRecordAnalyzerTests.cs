using System.Net;
using MailOps.Core.Dns;
using MailOps.Core.Mx;
using MailOps.Core.Tests.Dns;
using MailOps.TestSupport.Dns;
using Xunit;

namespace MailOps.Core.Tests.Mx;

/// <summary>The MX analysis over the wire-protocol DNS test server.</summary>
public sealed class MxRecordAnalyzerTests : IDisposable
{
    private readonly DnsTestServer server;

    public MxRecordAnalyzerTests()
    {
        var zone = new DnsZone()
            .AddMx("contoso.example", 20, "mx2.contoso.example")
            .AddMx("contoso.example", 10, "mx1.contoso.example")
            .AddMx("contoso.example", 10, "alt.contoso.example")
            .AddA("mx1.contoso.example", "192.0.2.10")
            .AddAaaa("mx1.contoso.example", "2001:db8::10")
            .AddA("mx2.contoso.example", "192.0.2.20")
            .AddA("alt.contoso.example", "192.0.2.30")
            .AddMx("google.example", 1, "aspmx.l.google.com")
            .AddA("aspmx.l.google.com", "142.250.0.27")
            .AddMx("nullmx.example", 0, ".")
            .AddMx("mixed.example", 0, ".")
            .AddMx("mixed.example", 10, "mx.mixed.example")
            .AddA("mx.mixed.example", "192.0.2.40")
            .AddMx("nullpref.example", 10, ".")
            .AddMx("alias.example", 10, "mail.alias.example")
            .AddCname("mail.alias.example", "host.alias.example")
            .AddA("host.alias.example", "192.0.2.50")
            .AddMx("literal.example", 10, "192.0.2.60")
            .AddMx("nowhere.example", 10, "gone.nowhere.example")
            .AddMx("noaddr.example", 10, "mx.noaddr.example")
            .AddTxt("mx.noaddr.example", "not an address")
            .AddA("implicit.example", "192.0.2.70")
            .AddTxt("nothing.example", "v=spf1 -all")
            .AddMx("servfail.example", 10, "mx.servfail.example")
            .AddMx("brokenmx.example", 10, "mx.brokenmx.example");
        server = new DnsTestServer(zone).Start();
        server.SetFault("servfail.example", "MX", DnsFault.ServerFailure);
        server.SetFault("mx.brokenmx.example", null, DnsFault.ServerFailure);
    }

    public void Dispose() => server.Dispose();

    private MxRecord[] Analyze(string domain)
        => new MxRecordAnalyzer(new CachingDnsResolver(TestResolvers.For(server))).AnalyzeAsync(domain, CancellationToken.None).GetAwaiter().GetResult();

    private static string[] Codes(MxRecord row) => row.Findings.Select(f => f.Code).ToArray();

    [Fact]
    public void Rows_are_sorted_by_preference_then_exchange_with_every_address()
    {
        MxRecord[] rows = Analyze("contoso.example");

        Assert.Equal(new[] { "alt.contoso.example", "mx1.contoso.example", "mx2.contoso.example" }, rows.Select(r => r.Exchange));
        Assert.Equal(new int?[] { 10, 10, 20 }, rows.Select(r => r.Preference));
        Assert.Equal(new[] { IPAddress.Parse("192.0.2.10"), IPAddress.Parse("2001:db8::10") }, rows[1].IPAddress);
        Assert.All(rows, r => Assert.Empty(r.Findings));
        Assert.All(rows, r => Assert.Equal("contoso.example", r.Domain));
        Assert.All(rows, r => Assert.False(r.IsNullMx));
    }

    [Fact]
    public void Provider_is_inferred_from_the_exchange()
    {
        MxRecord row = Assert.Single(Analyze("google.example"));

        Assert.Equal("Google Workspace", row.Provider);
        Assert.Null(Analyze("contoso.example")[0].Provider);
    }

    [Fact]
    public void A_single_null_mx_is_one_row_with_IsNullMx_and_an_info_finding()
    {
        MxRecord row = Assert.Single(Analyze("nullmx.example"));

        Assert.True(row.IsNullMx);
        Assert.Equal(".", row.Exchange);
        Assert.Equal(0, row.Preference);
        Assert.Empty(row.IPAddress);
        Finding finding = Assert.Single(row.Findings);
        Assert.Equal((FindingSeverity.Info, MxFindingCodes.MxNullMx), (finding.Severity, finding.Code));
    }

    [Fact]
    public void A_null_mx_mixed_with_other_mx_is_an_error()
    {
        MxRecord[] rows = Analyze("mixed.example");

        Assert.Equal(2, rows.Length);
        MxRecord nullRow = Assert.Single(rows, r => r.IsNullMx);
        Finding finding = Assert.Single(nullRow.Findings);
        Assert.Equal((FindingSeverity.Error, MxFindingCodes.MxNullMxMixed), (finding.Severity, finding.Code));
    }

    [Fact]
    public void A_null_mx_with_a_preference_other_than_zero_is_a_warning()
    {
        MxRecord row = Assert.Single(Analyze("nullpref.example"));

        Assert.True(row.IsNullMx);
        Assert.Contains(MxFindingCodes.MxNullMxPreference, Codes(row));
    }

    [Fact]
    public void An_mx_that_is_an_alias_is_a_warning_naming_the_canonical_name()
    {
        MxRecord row = Assert.Single(Analyze("alias.example"));

        Finding finding = Assert.Single(row.Findings);
        Assert.Equal((FindingSeverity.Warning, MxFindingCodes.MxTargetIsCname), (finding.Severity, finding.Code));
        Assert.Equal("host.alias.example", finding.Term);
        Assert.Equal(new[] { IPAddress.Parse("192.0.2.50") }, row.IPAddress);
    }

    [Fact]
    public void An_mx_that_is_an_ip_literal_is_an_error_and_is_not_looked_up()
    {
        MxRecord row = Assert.Single(Analyze("literal.example"));

        Finding finding = Assert.Single(row.Findings);
        Assert.Equal((FindingSeverity.Error, MxFindingCodes.MxIpLiteral), (finding.Severity, finding.Code));
        Assert.Equal(0, server.CountQueries("192.0.2.60"));
    }

    [Theory]
    [InlineData("nowhere.example", "does not exist")]
    [InlineData("noaddr.example", "has no A or AAAA record")]
    public void An_mx_without_any_address_is_an_error(string domain, string why)
    {
        MxRecord row = Assert.Single(Analyze(domain));

        Finding finding = Assert.Single(row.Findings);
        Assert.Equal((FindingSeverity.Error, MxFindingCodes.MxNoAddress), (finding.Severity, finding.Code));
        Assert.Contains(why, finding.Message);
        Assert.Empty(row.IPAddress);
    }

    [Fact]
    public void No_mx_gives_one_row_with_the_implicit_mx_addresses()
    {
        MxRecord row = Assert.Single(Analyze("implicit.example"));

        Assert.Null(row.Exchange);
        Assert.Null(row.Preference);
        Assert.Equal(new[] { IPAddress.Parse("192.0.2.70") }, row.IPAddress);
        Finding finding = Assert.Single(row.Findings);
        Assert.Equal((FindingSeverity.Info, MxFindingCodes.MxNoRecord), (finding.Severity, finding.Code));
        Assert.Contains("implicit MX", finding.Message);
    }

    [Fact]
    public void No_mx_and_no_address_says_mail_cannot_be_delivered()
    {
        MxRecord row = Assert.Single(Analyze("nothing.example"));

        Finding finding = Assert.Single(row.Findings);
        Assert.Equal(MxFindingCodes.MxNoRecord, finding.Code);
        Assert.Contains("cannot be delivered", finding.Message);
        Assert.Empty(row.IPAddress);
    }

    [Fact]
    public void A_domain_that_does_not_exist_is_one_row_with_MxDomainNotFound()
    {
        MxRecord row = Assert.Single(Analyze("missing.example"));

        Assert.Null(row.Exchange);
        Finding finding = Assert.Single(row.Findings);
        Assert.Equal((FindingSeverity.Error, MxFindingCodes.MxDomainNotFound), (finding.Severity, finding.Code));
    }

    [Fact]
    public void A_failed_mx_lookup_is_one_row_with_MxDnsError()
    {
        MxRecord row = Assert.Single(Analyze("servfail.example"));

        Finding finding = Assert.Single(row.Findings);
        Assert.Equal((FindingSeverity.Error, MxFindingCodes.MxDnsError), (finding.Severity, finding.Code));
        Assert.Contains("ServerFailure", finding.Message);
    }

    [Fact]
    public void A_failed_address_lookup_of_an_exchange_is_MxDnsError_on_its_row()
    {
        MxRecord row = Assert.Single(Analyze("brokenmx.example"));

        Assert.Equal("mx.brokenmx.example", row.Exchange);
        Finding finding = Assert.Single(row.Findings);
        Assert.Equal((FindingSeverity.Error, MxFindingCodes.MxDnsError), (finding.Severity, finding.Code));
    }

    [Fact]
    public void An_invalid_domain_is_an_argument_exception()
    {
        Assert.Throws<ArgumentException>(() => Analyze("bad..example"));
    }

    [Theory]
    [InlineData("192.0.2.1", true)]
    [InlineData("[192.0.2.1]", true)]
    [InlineData("2001:db8::1", true)]
    [InlineData("192.0.2", false)]
    [InlineData("300.0.2.1", false)]
    [InlineData("mx1.contoso.example", false)]
    [InlineData("1.2.3.4.example", false)]
    public void Ip_literals_are_recognised(string exchange, bool expected)
    {
        Assert.Equal(expected, MxRecordAnalyzer.IsIpLiteral(exchange));
    }
}
