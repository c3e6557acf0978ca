using MailOps.Core.Dns;
using MailOps.Core.Tests.Dns;
using MailOps.Core.TlsRpt;
using MailOps.TestSupport.Dns;
using Xunit;

namespace MailOps.Core.Tests.TlsRpt;

/// <summary>TLS-RPT records (RFC 8460 section 3) read over the wire-protocol DNS test server.</summary>
public sealed class TlsRptRecordAnalyzerTests : IDisposable
{
    private readonly DnsTestServer server;

    public TlsRptRecordAnalyzerTests()
    {
        var zone = new DnsZone()
            .AddTxt("_smtp._tls.good.example", "v=TLSRPTv1; rua=mailto:tls@good.example, https://reports.good.example/tlsrpt")
            .AddTxt("_smtp._tls.good.example", "unrelated text")
            .AddTxt("_smtp._tls.split.example", "v=TLSRPTv1;", "rua=mailto:tls@split.example;")
            .AddTxt("_smtp._tls.twice.example", "v=TLSRPTv1; rua=mailto:a@twice.example")
            .AddTxt("_smtp._tls.twice.example", "v=TLSRPTv1; rua=mailto:b@twice.example")
            .AddTxt("_smtp._tls.norua.example", "v=TLSRPTv1; ruf=mailto:a@norua.example")
            .AddTxt("_smtp._tls.http.example", "v=TLSRPTv1; rua=http://reports.http.example/, mailto:ok@http.example")
            .AddTxt("_smtp._tls.noat.example", "v=TLSRPTv1; rua=mailto:reports")
            .AddTxt("_smtp._tls.syntax.example", "v=TLSRPTv1; rua=mailto:a@syntax.example; junk")
            .AddTxt("_smtp._tls.servfail.example", "v=TLSRPTv1; rua=mailto:a@servfail.example")
            .AddTxt("norecord.example", "v=spf1 -all");
        server = new DnsTestServer(zone).Start();
        server.SetFault("_smtp._tls.servfail.example", "TXT", DnsFault.ServerFailure);
    }

    public void Dispose() => server.Dispose();

    private TlsRptRecord Analyze(string domain)
        => new TlsRptRecordAnalyzer(new CachingDnsResolver(TestResolvers.For(server))).AnalyzeAsync(domain, CancellationToken.None).GetAwaiter().GetResult();

    private static Finding Only(TlsRptRecord r, string code) => Assert.Single(r.Findings, x => x.Code == code);

    [Fact]
    public void A_valid_record_gives_every_report_uri()
    {
        TlsRptRecord r = Analyze("good.example");

        Assert.True(r.IsValid);
        Assert.Empty(r.Findings);
        Assert.Equal("v=TLSRPTv1; rua=mailto:tls@good.example, https://reports.good.example/tlsrpt", r.Record);
        Assert.Equal(new[] { "mailto:tls@good.example", "https://reports.good.example/tlsrpt" }, r.ReportUri);
    }

    [Fact]
    public void Character_strings_are_joined_before_parsing()
    {
        TlsRptRecord r = Analyze("split.example");

        Assert.True(r.IsValid);
        Assert.Equal(new[] { "mailto:tls@split.example" }, r.ReportUri);
    }

    [Fact]
    public void No_record_is_info()
    {
        TlsRptRecord r = Analyze("norecord.example");

        Assert.False(r.IsValid);
        Assert.Null(r.Record);
        Assert.Equal(FindingSeverity.Info, Only(r, TlsRptFindingCodes.TlsRptNoRecord).Severity);
    }

    [Fact]
    public void Two_records_are_an_error()
    {
        TlsRptRecord r = Analyze("twice.example");

        Assert.False(r.IsValid);
        Assert.Equal(FindingSeverity.Error, Only(r, TlsRptFindingCodes.TlsRptMultipleRecords).Severity);
    }

    [Fact]
    public void A_record_without_rua_is_an_error()
    {
        TlsRptRecord r = Analyze("norua.example");

        Assert.False(r.IsValid);
        Only(r, TlsRptFindingCodes.TlsRptNoRua);
        Assert.Empty(r.ReportUri);
    }

    [Fact]
    public void An_http_uri_is_bad_and_the_good_ones_are_kept()
    {
        TlsRptRecord r = Analyze("http.example");

        Assert.False(r.IsValid);
        Assert.Equal("http://reports.http.example/", Only(r, TlsRptFindingCodes.TlsRptBadUri).Term);
        Assert.Equal(new[] { "mailto:ok@http.example" }, r.ReportUri);
    }

    [Fact]
    public void A_mailto_without_an_address_is_bad()
    {
        Assert.Equal("mailto:reports", Only(Analyze("noat.example"), TlsRptFindingCodes.TlsRptBadUri).Term);
    }

    [Fact]
    public void A_field_that_is_not_name_value_is_a_syntax_error()
    {
        TlsRptRecord r = Analyze("syntax.example");

        Assert.False(r.IsValid);
        Assert.Equal("junk", Only(r, TlsRptFindingCodes.TlsRptSyntax).Term);
    }

    [Fact]
    public void A_failed_lookup_is_a_dns_error()
    {
        Assert.Equal(FindingSeverity.Error, Only(Analyze("servfail.example"), TlsRptFindingCodes.TlsRptDnsError).Severity);
    }
}
