using System.Net;
using System.Net.Sockets;
using MailOps.Core.Dns;
using MailOps.Core.MtaSts;
using MailOps.Core.Tests.Dns;
using MailOps.TestSupport.Dns;
using MailOps.TestSupport.Https;
using Xunit;

namespace MailOps.Core.Tests.MtaSts;

/// <summary>
/// A DNS zone and an HTTPS server on 127.0.0.1 (a free port, given to the fetch through
/// <see cref="MtaStsFetchOptions.Port"/>) playing the policy hosts of several domains, with
/// certificates from a test CA the analyzer is told to trust, and from a rogue one it is not.
/// </summary>
public sealed class MtaStsCoreFixture : IDisposable
{
    public const string Enforce = "version: STSv1\r\nmode: enforce\r\nmx: mx1.good.example\r\nmx: *.backup.good.example\r\nmax_age: 604800\r\n";

    public MtaStsCoreFixture()
    {
        Ca = new TestCertificateAuthority();
        Rogue = new TestCertificateAuthority("Rogue Root");
        Https = new HttpsTestServer(IPAddress.Loopback, 0, Ca.IssueServerCertificate("localhost")).Start();
        Zone = new DnsZone();

        Site("good.example", HttpsTestResponse.Ok(Enforce));
        Zone.AddMx("good.example", 10, "mx1.good.example").AddMx("good.example", 20, "b.backup.good.example");

        Site("testing.example", HttpsTestResponse.Ok("version: STSv1\nmode: testing\nmx: mx.testing.example\nmax_age: 86400\n"));
        Zone.AddMx("testing.example", 10, "other.mailhost.example");

        Site("uncovered.example", HttpsTestResponse.Ok("version: STSv1\nmode: enforce\nmx: mx.uncovered.example\nmax_age: 86400\n"));
        Zone.AddMx("uncovered.example", 10, "mx.uncovered.example").AddMx("uncovered.example", 20, "other.mailhost.example");

        Site("none.example", HttpsTestResponse.Ok("version: STSv1\nmode: none\nmax_age: 86400\n"));
        Site("redirect.example", HttpsTestResponse.Redirect("https://www.redirect.example/mta-sts.txt"));
        Site("notfound.example", HttpsTestResponse.Status(404));
        Site("wrongtype.example", HttpsTestResponse.Ok(Enforce, "text/html"));
        Site("charset.example", HttpsTestResponse.Ok(Enforce, "text/plain; charset=utf-8"));
        Site("badage.example", HttpsTestResponse.Ok("version: STSv1\nmode: enforce\nmx: mx.badage.example\nmax_age: 31557601\n"));
        Site("shortage.example", HttpsTestResponse.Ok("version: STSv1\nmode: enforce\nmx: mx.shortage.example\nmax_age: 300\n"));
        Site("chunked.example", new HttpsTestResponse { Body = Enforce, Chunked = true, ChunkSize = 7 });
        Site("badsyntax.example", HttpsTestResponse.Ok("version: STSv1\nmode: always\nmx: mx.badsyntax.example\nmax_age: 86400\n"));
        Site("wrongname.example", HttpsTestResponse.Ok(Enforce), Ca.IssueServerCertificate("www.other.example"));
        Site("expired.example", HttpsTestResponse.Ok(Enforce), Ca.IssueExpiredServerCertificate("mta-sts.expired.example"));
        Site("untrusted.example", HttpsTestResponse.Ok(Enforce), Rogue.IssueServerCertificate("mta-sts.untrusted.example"));

        Site("multiple.example", HttpsTestResponse.Ok(Enforce));
        Zone.AddTxt("_mta-sts.multiple.example", "v=STSv1; id=second");
        Site("badid.example", HttpsTestResponse.Ok(Enforce), record: "v=STSv1; id=2024-01-01");

        Zone.AddTxt("_mta-sts.nohost.example", "v=STSv1; id=1");
        Zone.AddTxt("_mta-sts.refused.example", "v=STSv1; id=1").AddA("mta-sts.refused.example", "127.0.0.2");
        Zone.AddTxt("_mta-sts.slow.example", "v=STSv1; id=1").AddA("mta-sts.slow.example", "127.0.0.1");
        Zone.AddTxt("_mta-sts.norecord.example", "v=spf1 -all").AddA("mta-sts.norecord.example", "127.0.0.1");
        Zone.AddTxt("_mta-sts.servfail.example", "v=STSv1; id=1");

        Dns = new DnsTestServer(Zone).Start();
        Dns.SetFault("_mta-sts.servfail.example", "TXT", DnsFault.ServerFailure);
    }

    public TestCertificateAuthority Ca { get; }

    public TestCertificateAuthority Rogue { get; }

    public HttpsTestServer Https { get; }

    public DnsZone Zone { get; }

    public DnsTestServer Dns { get; }

    public MtaStsPolicy Analyze(string domain, bool trustCa = true, int? port = null, TimeSpan? timeout = null)
    {
        var options = new MtaStsFetchOptions { Port = port ?? Https.Port, Timeout = timeout ?? TimeSpan.FromSeconds(10) };
        if (trustCa)
        {
            options.AdditionalTrustedRoots.Add(Ca.Certificate);
        }

        var analyzer = new MtaStsPolicyAnalyzer(new CachingDnsResolver(TestResolvers.For(Dns)), options);
        return analyzer.AnalyzeAsync(domain, CancellationToken.None).GetAwaiter().GetResult();
    }

    private void Site(string domain, HttpsTestResponse response, System.Security.Cryptography.X509Certificates.X509Certificate2? certificate = null, string record = "v=STSv1; id=20240101T000000;")
    {
        string host = "mta-sts." + domain;
        Zone.AddTxt("_mta-sts." + domain, record).AddA(host, "127.0.0.1");
        Https.SetResponse(host, response).SetCertificate(host, certificate ?? Ca.IssueServerCertificate(host));
    }

    public void Dispose()
    {
        Dns.Dispose();
        Https.Dispose();
        Ca.Dispose();
        Rogue.Dispose();
    }
}

public sealed class MtaStsPolicyAnalyzerTests : IClassFixture<MtaStsCoreFixture>
{
    private readonly MtaStsCoreFixture f;

    public MtaStsPolicyAnalyzerTests(MtaStsCoreFixture fixture) => f = fixture;

    private static string[] Codes(MtaStsPolicy policy) => policy.Findings.Select(x => x.Code).ToArray();

    private static Finding Only(MtaStsPolicy policy, string code) => Assert.Single(policy.Findings, x => x.Code == code);

    [Fact]
    public void A_valid_enforce_policy_is_read_with_its_record_patterns_and_coverage()
    {
        MtaStsPolicy p = f.Analyze("good.example");

        Assert.True(p.IsValid, string.Join("; ", p.Findings.Select(x => x.Message)));
        Assert.Empty(p.Findings);
        Assert.Equal("20240101T000000", p.RecordId);
        Assert.Equal("v=STSv1; id=20240101T000000;", p.Record);
        Assert.Equal("https://mta-sts.good.example/.well-known/mta-sts.txt", p.PolicyUrl);
        Assert.Equal(200, p.HttpStatusCode);
        Assert.Equal(MtaStsMode.Enforce, p.Mode);
        Assert.Equal(604800, p.MaxAge);
        Assert.Equal(new[] { "mx1.good.example", "*.backup.good.example" }, p.MxPatterns);
        Assert.Equal(MtaStsCoreFixture.Enforce, p.PolicyText);
        Assert.Equal(new[] { ("mx1.good.example", true, "mx1.good.example"), ("b.backup.good.example", true, "*.backup.good.example") }, p.MxCoverage.Select(c => (c.Exchange, c.IsCovered, c.Pattern!)));
    }

    [Fact]
    public void The_fetch_sends_the_policy_host_as_sni_and_host_and_gets_the_well_known_path()
    {
        f.Analyze("good.example");

        Assert.Contains(new HttpsTestRequest("mta-sts.good.example", "mta-sts.good.example", "GET", "/.well-known/mta-sts.txt"), f.Https.Requests);
        Assert.DoesNotContain(f.Https.Requests, r => r.Host == "mta-sts.good.example" && r.Path != "/.well-known/mta-sts.txt");
    }

    [Fact]
    public void The_fetch_steps_are_traced()
    {
        MtaStsPolicy p = f.Analyze("good.example");

        Assert.Contains(p.Trace, t => t.Contains("connecting to 127.0.0.1:"));
        Assert.Contains(p.Trace, t => t.Contains("TLS") && t.Contains("CN=mta-sts.good.example"));
        Assert.Contains(p.Trace, t => t.Contains(" 200 OK") && t.Contains("text/plain"));
    }

    [Fact]
    public void A_chunked_policy_is_decoded()
    {
        MtaStsPolicy p = f.Analyze("chunked.example");

        Assert.True(p.IsValid);
        Assert.Equal(MtaStsCoreFixture.Enforce, p.PolicyText);
    }

    [Fact]
    public void Testing_mode_is_info_and_an_uncovered_mx_is_a_warning()
    {
        MtaStsPolicy p = f.Analyze("testing.example");

        Assert.True(p.IsValid);
        Assert.Equal(FindingSeverity.Info, Only(p, MtaStsFindingCodes.MtaStsModeTesting).Severity);
        Finding uncovered = Only(p, MtaStsFindingCodes.MtaStsMxNotCovered);
        Assert.Equal((FindingSeverity.Warning, "other.mailhost.example"), (uncovered.Severity, uncovered.Term));
    }

    [Fact]
    public void An_mx_not_covered_in_enforce_mode_is_an_error()
    {
        MtaStsPolicy p = f.Analyze("uncovered.example");

        Finding finding = Only(p, MtaStsFindingCodes.MtaStsMxNotCovered);
        Assert.Equal((FindingSeverity.Error, "other.mailhost.example"), (finding.Severity, finding.Term));
        Assert.Equal(new[] { true, false }, p.MxCoverage.Select(c => c.IsCovered));
        Assert.Null(p.MxCoverage[1].Pattern);
    }

    [Fact]
    public void Mode_none_is_a_warning()
    {
        MtaStsPolicy p = f.Analyze("none.example");

        Assert.Equal(MtaStsMode.None, p.Mode);
        Assert.Equal(FindingSeverity.Warning, Only(p, MtaStsFindingCodes.MtaStsModeNone).Severity);
    }

    [Fact]
    public void A_redirect_is_an_error_and_is_not_followed()
    {
        MtaStsPolicy p = f.Analyze("redirect.example");

        Assert.False(p.IsValid);
        Assert.Equal(301, p.HttpStatusCode);
        Finding finding = Only(p, MtaStsFindingCodes.MtaStsRedirect);
        Assert.Equal("https://www.redirect.example/mta-sts.txt", finding.Term);
        Assert.Equal(0, f.Https.CountRequests("www.redirect.example"));
        Assert.Null(p.Mode);
    }

    [Fact]
    public void A_status_other_than_200_is_an_error()
    {
        MtaStsPolicy p = f.Analyze("notfound.example");

        Assert.False(p.IsValid);
        Assert.Equal("404", Only(p, MtaStsFindingCodes.MtaStsStatusNot200).Term);
    }

    [Fact]
    public void A_policy_served_as_html_is_invalid_but_still_shown()
    {
        MtaStsPolicy p = f.Analyze("wrongtype.example");

        Assert.False(p.IsValid);
        Assert.Equal("text/html", Only(p, MtaStsFindingCodes.MtaStsWrongContentType).Term);
        Assert.Equal(MtaStsMode.Enforce, p.Mode);
    }

    [Fact]
    public void Text_plain_with_a_charset_is_accepted()
    {
        Assert.True(f.Analyze("charset.example").IsValid);
    }

    [Fact]
    public void Max_age_over_the_limit_is_an_error()
    {
        MtaStsPolicy p = f.Analyze("badage.example");

        Assert.False(p.IsValid);
        Assert.Equal(FindingSeverity.Error, Only(p, MtaStsFindingCodes.MtaStsBadMaxAge).Severity);
    }

    [Fact]
    public void A_max_age_under_a_day_is_a_warning_only()
    {
        MtaStsPolicy p = f.Analyze("shortage.example");

        Assert.True(p.IsValid);
        Assert.Equal(FindingSeverity.Warning, Only(p, MtaStsFindingCodes.MtaStsBadMaxAge).Severity);
    }

    [Fact]
    public void A_bad_mode_is_a_policy_syntax_error()
    {
        MtaStsPolicy p = f.Analyze("badsyntax.example");

        Assert.False(p.IsValid);
        Assert.Contains("always", Only(p, MtaStsFindingCodes.MtaStsPolicySyntax).Message);
    }

    [Fact]
    public void No_record_is_info_and_nothing_is_fetched()
    {
        MtaStsPolicy p = f.Analyze("norecord.example");

        Assert.False(p.IsValid);
        Assert.Null(p.Record);
        Assert.Null(p.PolicyUrl);
        Assert.Equal(FindingSeverity.Info, Only(p, MtaStsFindingCodes.MtaStsNoRecord).Severity);
        Assert.Equal(0, f.Https.CountRequests("mta-sts.norecord.example"));
    }

    [Fact]
    public void Two_records_are_an_error()
    {
        MtaStsPolicy p = f.Analyze("multiple.example");

        Assert.False(p.IsValid);
        Assert.Equal(FindingSeverity.Error, Only(p, MtaStsFindingCodes.MtaStsMultipleRecords).Severity);
    }

    [Fact]
    public void A_bad_id_is_a_record_syntax_error_but_the_policy_is_still_fetched()
    {
        MtaStsPolicy p = f.Analyze("badid.example");

        Assert.False(p.IsValid);
        Only(p, MtaStsFindingCodes.MtaStsRecordSyntax);
        Assert.Equal(MtaStsMode.Enforce, p.Mode);
    }

    [Fact]
    public void A_certificate_for_another_name_is_invalid_even_from_a_trusted_ca()
    {
        MtaStsPolicy p = f.Analyze("wrongname.example");

        Assert.False(p.IsValid);
        Finding finding = Only(p, MtaStsFindingCodes.MtaStsCertificateInvalid);
        Assert.Contains("www.other.example", finding.Message);
        Assert.Null(p.HttpStatusCode);
    }

    [Fact]
    public void An_expired_certificate_is_invalid()
    {
        MtaStsPolicy p = f.Analyze("expired.example");

        Assert.False(p.IsValid);
        Only(p, MtaStsFindingCodes.MtaStsCertificateInvalid);
    }

    [Fact]
    public void A_certificate_from_an_untrusted_ca_is_invalid()
    {
        MtaStsPolicy p = f.Analyze("untrusted.example");

        Assert.False(p.IsValid);
        Assert.Contains("Rogue Root", Only(p, MtaStsFindingCodes.MtaStsCertificateInvalid).Message);
    }

    [Fact]
    public void Without_the_extra_root_the_test_ca_is_not_trusted()
    {
        MtaStsPolicy p = f.Analyze("good.example", trustCa: false);

        Assert.False(p.IsValid);
        Assert.Contains("-TrustedRootCertificate", Only(p, MtaStsFindingCodes.MtaStsCertificateInvalid).Message);
    }

    [Fact]
    public void A_policy_host_without_an_address_is_a_fetch_failure()
    {
        MtaStsPolicy p = f.Analyze("nohost.example");

        Assert.Contains("no A or AAAA", Only(p, MtaStsFindingCodes.MtaStsFetchFailed).Message);
    }

    [Fact]
    public void A_refused_connection_is_a_fetch_failure()
    {
        MtaStsPolicy p = f.Analyze("refused.example");

        Assert.Contains("Could not connect", Only(p, MtaStsFindingCodes.MtaStsFetchFailed).Message);
    }

    [Fact]
    public void A_server_that_never_answers_times_out_as_a_fetch_failure()
    {
        var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        try
        {
            int port = ((IPEndPoint)silent.LocalEndpoint).Port;
            MtaStsPolicy p = f.Analyze("slow.example", port: port, timeout: TimeSpan.FromMilliseconds(500));

            Assert.Contains("did not finish within", Only(p, MtaStsFindingCodes.MtaStsFetchFailed).Message);
        }
        finally
        {
            silent.Stop();
        }
    }

    [Fact]
    public void A_failed_txt_lookup_is_a_dns_error_not_a_missing_record()
    {
        MtaStsPolicy p = f.Analyze("servfail.example");

        Assert.Equal(FindingSeverity.Error, Only(p, MtaStsFindingCodes.MtaStsDnsError).Severity);
        Assert.DoesNotContain(MtaStsFindingCodes.MtaStsNoRecord, Codes(p));
    }
}
