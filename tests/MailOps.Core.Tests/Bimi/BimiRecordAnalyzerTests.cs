using MailOps.Core.Bimi;
using MailOps.Core.Dns;
using MailOps.Core.Tests.Dns;
using MailOps.TestSupport.Dns;
using Xunit;

namespace MailOps.Core.Tests.Bimi;

/// <summary>BIMI assertion records read over the wire-protocol DNS test server.</summary>
public sealed class BimiRecordAnalyzerTests : IDisposable
{
    private readonly DnsTestServer server;

    public BimiRecordAnalyzerTests()
    {
        var zone = new DnsZone()
            .AddTxt("default._bimi.good.example", "v=BIMI1; l=https://good.example/logo.svg; a=https://good.example/vmc.pem")
            .AddTxt("brand._bimi.good.example", "v=BIMI1; l=https://good.example/brand.svg;")
            .AddTxt("default._bimi.declined.example", "v=BIMI1; l=; a=;")
            .AddTxt("default._bimi.http.example", "v=BIMI1; l=http://http.example/logo.svg; a=https://http.example/vmc.pem")
            .AddTxt("default._bimi.noauth.example", "v=BIMI1; l=https://noauth.example/logo.svg")
            .AddTxt("default._bimi.twice.example", "v=BIMI1; l=https://twice.example/a.svg")
            .AddTxt("default._bimi.twice.example", "v=BIMI1; l=https://twice.example/b.svg")
            .AddTxt("default._bimi.syntax.example", "v=BIMI1; l=https://syntax.example/a.svg; l=https://syntax.example/b.svg")
            .AddTxt("default._bimi.empty.example", "v=BIMI1;")
            .AddTxt("default._bimi.servfail.example", "v=BIMI1; l=")
            .AddTxt("norecord.example", "v=spf1 -all");
        server = new DnsTestServer(zone).Start();
        server.SetFault("default._bimi.servfail.example", "TXT", DnsFault.ServerFailure);
    }

    public void Dispose() => server.Dispose();

    private BimiRecord Analyze(string domain, string selector = BimiRecordAnalyzer.DefaultSelector)
        => new BimiRecordAnalyzer(new CachingDnsResolver(TestResolvers.For(server))).AnalyzeAsync(domain, selector, CancellationToken.None).GetAwaiter().GetResult();

    private static Finding Only(BimiRecord r, string code) => Assert.Single(r.Findings, x => x.Code == code);

    [Fact]
    public void A_complete_record_gives_the_logo_and_the_evidence_urls()
    {
        BimiRecord r = Analyze("good.example");

        Assert.True(r.IsValid);
        Assert.Empty(r.Findings);
        Assert.Equal("default", r.Selector);
        Assert.Equal("https://good.example/logo.svg", r.LogoUrl);
        Assert.Equal("https://good.example/vmc.pem", r.AuthorityUrl);
    }

    [Fact]
    public void Another_selector_is_read_from_its_own_name_and_lacks_evidence()
    {
        BimiRecord r = Analyze("good.example", "Brand");

        Assert.Equal("brand", r.Selector);
        Assert.Equal("https://good.example/brand.svg", r.LogoUrl);
        Assert.True(r.IsValid);
        Assert.Equal(FindingSeverity.Info, Only(r, BimiFindingCodes.BimiNoAuthority).Severity);
    }

    [Fact]
    public void An_empty_logo_declines_bimi()
    {
        BimiRecord r = Analyze("declined.example");

        Assert.True(r.IsValid);
        Assert.Null(r.LogoUrl);
        Assert.Equal(FindingSeverity.Info, Only(r, BimiFindingCodes.BimiDeclined).Severity);
    }

    [Fact]
    public void A_logo_over_http_is_an_error()
    {
        BimiRecord r = Analyze("http.example");

        Assert.False(r.IsValid);
        Assert.Equal("http://http.example/logo.svg", Only(r, BimiFindingCodes.BimiLogoNotHttps).Term);
    }

    [Fact]
    public void No_record_is_info()
    {
        BimiRecord r = Analyze("norecord.example");

        Assert.False(r.IsValid);
        Assert.Null(r.Record);
        Only(r, BimiFindingCodes.BimiNoRecord);
    }

    [Fact]
    public void Two_records_are_an_error()
    {
        Assert.False(Analyze("twice.example").IsValid);
        Only(Analyze("twice.example"), BimiFindingCodes.BimiMultipleRecords);
    }

    [Theory]
    [InlineData("syntax.example")]
    [InlineData("empty.example")]
    public void Repeated_or_missing_tags_are_syntax_errors(string domain)
    {
        BimiRecord r = Analyze(domain);

        Assert.False(r.IsValid);
        Assert.Contains(r.Findings, x => x.Code == BimiFindingCodes.BimiSyntax);
    }

    [Fact]
    public void A_failed_lookup_is_a_dns_error()
    {
        Only(Analyze("servfail.example"), BimiFindingCodes.BimiDnsError);
    }

    [Theory]
    [InlineData("default", true)]
    [InlineData("brand_2024", true)]
    [InlineData("a.b", true)]
    [InlineData("", false)]
    [InlineData("bad selector", false)]
    [InlineData("a..b", false)]
    [InlineData("x;y", false)]
    public void Selectors_are_validated(string selector, bool expected)
    {
        Assert.Equal(expected, BimiRecordAnalyzer.IsValidSelector(selector));
    }
}
