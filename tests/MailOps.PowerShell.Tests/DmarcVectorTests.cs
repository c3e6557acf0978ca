using System.Management.Automation;
using MailOps.TestSupport.Dns;
using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>
/// Get-DmarcPolicy against the policy-discovery and parsing cases of
/// tests/Conformance/dmarc/dmarc-vectors.yml, through real PowerShell and the wire-protocol DNS
/// test server. Each test names the vector it maps; the cases about evaluating a message (DKIM
/// and SPF results, alignment, From-header parsing) belong to a later issue.
/// </summary>
public sealed class DmarcVectorTests : IClassFixture<DmarcFixture>
{
    private readonly DmarcFixture f;

    public DmarcVectorTests(DmarcFixture fixture) => f = fixture;

    private PSObject Get(string domain, string method = "TreeWalk")
        => f.Run("Get-DmarcPolicy", new Dictionary<string, object?> { ["Domain"] = new[] { domain }, ["DiscoveryMethod"] = method }).Single();

    private static string[] Codes(PSObject policy) => policy.Items("Findings").Select(x => x.Str("Code")!).ToArray();

    private static string[] DmarcQueries(DnsTestServer server)
        => server.Queries.Where(q => q.Type == "TXT" && q.Name.StartsWith("_dmarc.", StringComparison.Ordinal)).Select(q => q.Name).ToArray();

    /// <summary>
    /// OpenDMARC parse vectors: index, IsValid and EffectivePolicy under RFC 7489 (the
    /// PublicSuffixList method, OpenDMARC's era), IsValid under RFC 9989 (TreeWalk). "-" means no
    /// policy applies. Deviations from OpenDMARC, on purpose: "p=n" (OpenDMARC accepts prefixes;
    /// the grammar does not) and "mailto://abuse.com" (valid, with a DmarcReportUriInvalid warning).
    /// </summary>
    public static TheoryData<int, bool, string, bool> ParseVectors() => new()
    {
        { 0, true, "None", true },        // OKAY
        { 1, true, "None", true },        // OKAY
        { 2, true, "Reject", true },      // OKAY
        { 3, true, "Quarantine", true },  // OKAY
        { 4, false, "-", false },         // OpenDMARC OKAY (prefix); strict: invalid p, no rua, no policy
        { 5, false, "-", false },         // ERROR_EMPTY: not a DMARC record
        { 6, false, "-", false },         // ERROR_BAD_VERSION
        { 7, false, "-", false },         // ERROR_BAD_VALUE
        { 8, false, "-", false },         // ERROR_BAD_VALUE (sp): invalid sp and no rua, no policy
        { 9, false, "None", false },      // ERROR_BAD_VALUE (adkim): default r, p=none still applies
        { 10, false, "None", false },     // ERROR_BAD_VALUE (aspf)
        { 11, false, "None", true },      // ERROR_BAD_VALUE (rf): RFC 9989 removed rf, ignored
        { 12, false, "None", true },      // ERROR_BAD_VALUE (ri): removed, ignored
        { 13, false, "None", true },      // ERROR_BAD_VALUE (pct): removed, ignored
        { 14, false, "-", false },        // ERROR_NO_REQUIRED_P: no p, no rua
        { 15, true, "None", true },       // OKAY (ftp: a URI, not mailto)
        { 16, true, "None", true },       // OKAY
        { 17, true, "None", true },       // OKAY (unknown tags ignored)
        { 18, false, "None", true },      // ERROR_BAD_VALUE (rf): removed under RFC 9989
    };

    [Theory]
    [MemberData(nameof(ParseVectors))]
    public void OpenDMARC_parse_vector_gives_the_expected_validity_and_policy(int index, bool valid7489, string policy7489, bool valid9989)
    {
        string domain = DmarcFixture.ParseVectorDomain(index).Substring("_dmarc.".Length);

        var rfc7489 = Get(domain, "PublicSuffixList");
        var rfc9989 = Get(domain, "TreeWalk");

        Assert.Equal(valid7489, rfc7489.Prop("IsValid"));
        Assert.Equal(policy7489, rfc7489.Str("EffectivePolicy") ?? "-");
        Assert.Equal(valid9989, rfc9989.Prop("IsValid"));
        Assert.Equal(policy7489, rfc9989.Str("EffectivePolicy") ?? "-");
    }

    [Fact]
    public void Authheaders_example_com_uses_its_own_record_with_p_reject()
    {
        var r = Get("example.com");

        Assert.Equal("example.com", r.Str("RecordDomain"));
        Assert.Equal(false, r.Prop("IsInherited"));
        Assert.Equal("Reject", r.Str("Policy"));
        Assert.Equal("Reject", r.Str("EffectivePolicy"));
        Assert.Equal(true, r.Prop("IsValid"));
    }

    [Fact]
    public void Authheaders_example_com_report_uris_are_checked_for_external_authorization()
    {
        var r = Get("example.com");

        var rua = r.Items("AggregateReportUri");
        Assert.Equal(new[] { "dmarc.reports@valimail.com", "dmarc_agg@vali.email" }, rua.Select(u => u.Str("Address")));
        Assert.All(rua, u => Assert.Equal(true, u.Prop("IsExternal")));
        Assert.Equal(new object?[] { true, false }, rua.Select(u => u.Prop("IsAuthorized")));
        Assert.Equal("example.com._report._dmarc.vali.email", rua[1].Str("AuthorizationName"));
        var ruf = r.Items("FailureReportUri");
        Assert.Equal(new object?[] { true, false }, ruf.Select(u => u.Prop("IsAuthorized")));
        var unauthorized = r.Items("Findings").Where(x => x.Str("Code") == "DmarcExternalReportUnauthorized").Select(x => x.Str("Term")).ToArray();
        Assert.Equal(new[] { "mailto:dmarc_agg@vali.email", "mailto:dmarc_c0cb7153_afrf@vali.email" }, unauthorized);
    }

    [Fact]
    public void Authheaders_bad_example_com_is_a_syntax_error_with_policy_none()
    {
        // authheaders: dmarc=permerror (missing tag or value) policy.dmarc=none.
        var r = Get("bad.example.com");

        Assert.Equal(false, r.Prop("IsValid"));
        Assert.Equal("None", r.Str("EffectivePolicy"));
        var syntax = Assert.Single(r.Items("Findings"), x => x.Str("Code") == "DmarcSyntaxError");
        Assert.Equal("reject", syntax.Str("Term"));
    }

    [Fact]
    public void Authheaders_example_gov_tree_walk_org_is_one_level_below_the_psd_and_p_reject_applies()
    {
        // authheaders (dmarcbis): dmarc=fail (Used Tree Walk, org one level below PSD) policy.dmarc=reject.
        var r = Get("example.gov");

        Assert.Equal("example.gov", r.Str("OrganizationalDomain"));
        Assert.Equal("gov", r.Str("RecordDomain"));
        Assert.Equal(true, r.Prop("IsPublicSuffixPolicy"));
        Assert.Equal(true, r.Prop("DomainExists"));
        Assert.Equal("Reject", r.Str("EffectivePolicy"));
        Assert.Contains("DmarcPublicSuffixPolicy", Codes(r));
    }

    [Fact]
    public void Authheaders_example_gov_has_no_policy_under_the_RFC_7489_psl_method()
    {
        var r = Get("example.gov", "PublicSuffixList");

        Assert.Null(r.Prop("EffectivePolicy"));
        Assert.Equal(new[] { "_dmarc.example.gov" }, r.Items("QueriedNames").Select(x => x.BaseObject.ToString()));
        Assert.Contains("DmarcNoRecord", Codes(r));
    }

    [Fact]
    public void Authheaders_sub_example_net_inherits_sp_reject()
    {
        var r = Get("sub.example.net");

        Assert.Equal("example.net", r.Str("RecordDomain"));
        Assert.Equal(true, r.Prop("IsInherited"));
        Assert.Equal("None", r.Str("Policy"));
        Assert.Equal("Reject", r.Str("SubdomainPolicy"));
        Assert.Equal("Reject", r.Str("EffectivePolicy"));
    }

    [Fact]
    public void Authheaders_nonexistent_sub_example_biz_gets_np_reject()
    {
        var r = Get("sub.example.biz");

        Assert.Equal(false, r.Prop("DomainExists"));
        Assert.Equal("Reject", r.Str("NonexistentSubdomainPolicy"));
        Assert.Equal("Reject", r.Str("EffectivePolicy"));
        Assert.Contains("DmarcNonexistentDomain", Codes(r));
    }

    [Fact]
    public void Authheaders_existing_sub2_example_biz_gets_sp_quarantine()
    {
        var r = Get("sub2.example.biz");

        Assert.Equal(true, r.Prop("DomainExists"));
        Assert.Equal("Quarantine", r.Str("EffectivePolicy"));
    }

    [Fact]
    public void Authheaders_nop_example_org_record_without_p_or_rua_applies_no_policy()
    {
        // authheaders: dmarc=none. RFC 9989 would act as p=none only with a valid rua; there is none.
        var r = Get("nop.example.org");

        Assert.Equal("nop.example.org", r.Str("RecordDomain"));
        Assert.Null(r.Prop("Policy"));
        Assert.Equal("Quarantine", r.Str("SubdomainPolicy"));
        Assert.Null(r.Prop("EffectivePolicy"));
        Assert.Equal(false, r.Prop("IsValid"));
        Assert.Contains("DmarcPolicyMissing", Codes(r));
    }

    [Fact]
    public void Authheaders_example_org_p_none_is_monitoring_only()
    {
        var r = Get("example.org");

        Assert.Equal("None", r.Str("EffectivePolicy"));
        Assert.Contains("DmarcPolicyNone", Codes(r));
        Assert.Contains("DmarcNoReportUri", Codes(r));
    }

    [Theory]
    [InlineData("TreeWalk")]
    [InlineData("PublicSuffixList")]
    public void OpenDMARC_sub_parent1_falls_back_to_the_parent_record(string method)
    {
        var r = Get("sub.parent1.example", method);

        Assert.Equal("parent1.example", r.Str("RecordDomain"));
        Assert.Equal("Reject", r.Str("EffectivePolicy"));
    }

    [Fact]
    public void OpenDMARC_own_record_example_uses_its_own_record()
    {
        var r = Get("own-record.example");

        Assert.Equal("own-record.example", r.Str("RecordDomain"));
        Assert.Equal("Quarantine", r.Str("EffectivePolicy"));
    }

    [Fact]
    public void OpenDMARC_a_b_parent3_walks_two_labels_up_and_sp_reject_applies()
    {
        var r = Get("a.b.parent3.example");

        Assert.Equal("parent3.example", r.Str("RecordDomain"));
        Assert.Equal("Reject", r.Str("EffectivePolicy"));
        Assert.Equal(new[] { "_dmarc.a.b.parent3.example", "_dmarc.b.parent3.example", "_dmarc.parent3.example", "_dmarc.example" },
            r.Items("QueriedNames").Select(x => x.BaseObject.ToString()));
    }

    [Fact]
    public void OpenDMARC_sub_nodmarc_example_has_no_record()
    {
        var r = Get("sub.nodmarc.example");

        Assert.Null(r.Prop("Record"));
        Assert.Null(r.Prop("EffectivePolicy"));
        Assert.Contains("DmarcNoRecord", Codes(r));
    }

    [Fact]
    public void OpenDMARC_sub_bcx_com_with_the_psl_is_a_single_lookup_at_the_org_domain()
    {
        f.Dns.ClearLog();

        var r = Get("sub.bcx.com", "PublicSuffixList");

        Assert.Equal(new[] { "_dmarc.sub.bcx.com", "_dmarc.bcx.com" }, DmarcQueries(f.Dns));
        Assert.Equal("bcx.com", r.Str("OrganizationalDomain"));
        Assert.Equal("Reject", r.Str("EffectivePolicy"));
    }

    [Fact]
    public void Tree_walk_query_sequence_of_a_long_name_is_the_eight_vector_queries()
    {
        f.Dns.ClearLog();

        var r = Get("a.b.c.d.e.f.g.h.i.j.mail.example.com");

        var expected = new[]
        {
            "_dmarc.a.b.c.d.e.f.g.h.i.j.mail.example.com", "_dmarc.g.h.i.j.mail.example.com",
            "_dmarc.h.i.j.mail.example.com", "_dmarc.i.j.mail.example.com", "_dmarc.j.mail.example.com",
            "_dmarc.mail.example.com", "_dmarc.example.com", "_dmarc.com",
        };
        Assert.Equal(expected, DmarcQueries(f.Dns));
        Assert.Equal("example.com", r.Str("RecordDomain"));
    }

    [Fact]
    public void Tree_walk_deep_vector_sends_at_most_eight_queries_and_finds_example_com()
    {
        f.Dns.ClearLog();

        var r = Get("a.b.c.d.e.f.g.h.i.j.k.example.com");

        Assert.True(DmarcQueries(f.Dns).Length <= 8);
        Assert.Equal(8, DmarcQueries(f.Dns).Length);
        Assert.Equal("example.com", r.Str("RecordDomain"));
        Assert.Equal("example.com", r.Str("OrganizationalDomain"));
    }

    [Theory]
    [InlineData("example.com", "example.com")]
    [InlineData("signing.example.com", "example.com")]
    public void Tree_walk_simple_vector_org_domain_has_the_fewest_labels(string domain, string org)
    {
        Assert.Equal(org, Get(domain).Str("OrganizationalDomain"));
    }

    [Theory]
    [InlineData("giant.bank.example", "giant.bank.example", "giant.bank.example")]
    [InlineData("mail.giant.bank.example", "giant.bank.example", "giant.bank.example")]
    [InlineData("mail.mega.bank.example", "mega.bank.example", "bank.example")]
    public void Tree_walk_psd_vector_org_domain_is_one_label_below_psd_y(string domain, string org, string recordDomain)
    {
        var r = Get(domain);

        Assert.Equal(org, r.Str("OrganizationalDomain"));
        Assert.Equal(recordDomain, r.Str("RecordDomain"));
    }

    [Fact]
    public void Tree_walk_org_selection_example_one_records_at_mail_and_example_com()
    {
        using var server = DmarcFixture.StartServer(new DnsZone()
            .AddTxt("_dmarc.mail.example.com", "v=DMARC1; p=none; rua=mailto:d@example.com")
            .AddTxt("_dmarc.example.com", "v=DMARC1; p=reject; rua=mailto:d@example.com")
            .AddName("a.mail.example.com"));

        var r = f.RunAgainst(server, "Get-DmarcPolicy", new Dictionary<string, object?> { ["Domain"] = "a.mail.example.com" }).Single();

        Assert.Equal("example.com", r.Str("OrganizationalDomain"));
    }

    [Fact]
    public void Tree_walk_org_selection_example_two_psd_n_at_mail_example_com()
    {
        using var server = DmarcFixture.StartServer(new DnsZone()
            .AddTxt("_dmarc.mail.example.com", "v=DMARC1; p=reject; psd=n; rua=mailto:d@example.com")
            .AddName("a.mail.example.com"));

        var r = f.RunAgainst(server, "Get-DmarcPolicy", new Dictionary<string, object?> { ["Domain"] = "a.mail.example.com" }).Single();

        Assert.Equal("mail.example.com", r.Str("OrganizationalDomain"));
        Assert.Equal(0, server.CountQueries("_dmarc.com"));
    }

    [Fact]
    public void Tree_walk_org_selection_example_three_psd_y_at_com()
    {
        using var server = DmarcFixture.StartServer(new DnsZone()
            .AddTxt("_dmarc.com", "v=DMARC1; p=reject; psd=y")
            .AddName("a.mail.example.com"));

        var r = f.RunAgainst(server, "Get-DmarcPolicy", new Dictionary<string, object?> { ["Domain"] = "a.mail.example.com" }).Single();

        Assert.Equal("example.com", r.Str("OrganizationalDomain"));
        Assert.Equal("com", r.Str("RecordDomain"));
    }
}
