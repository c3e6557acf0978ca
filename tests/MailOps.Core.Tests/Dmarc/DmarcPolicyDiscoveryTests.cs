using MailOps.Core.Dmarc;
using MailOps.TestSupport.Dns;
using Xunit;

namespace MailOps.Core.Tests.Dmarc;

/// <summary>
/// Policy discovery over the wire: which of p, sp and np applies, the RFC 7489 Public Suffix
/// List method, report authorization, DNS failures, and the findings that say what to fix.
/// </summary>
public sealed class DmarcPolicyDiscoveryTests
{
    private static string[] Codes(DmarcPolicy policy) => policy.Findings.Select(f => f.Code).ToArray();

    [Fact]
    public async Task Own_record_applies_p()
    {
        using var dns = new DmarcDns(new DnsZone().AddTxt("_dmarc.own.example", "v=DMARC1; p=quarantine; sp=reject; rua=mailto:d@own.example"));

        var r = await dns.DiscoverAsync("own.example");

        Assert.Equal(DmarcPolicyKind.Quarantine, r.EffectivePolicy);
        Assert.False(r.IsInherited);
        Assert.Null(r.DomainExists);
        Assert.True(r.IsValid);
        Assert.Empty(r.Findings);
    }

    [Fact]
    public async Task Inherited_record_applies_sp_to_an_existing_subdomain()
    {
        using var dns = new DmarcDns(new DnsZone()
            .AddTxt("_dmarc.parent.example", "v=DMARC1; p=none; sp=reject; rua=mailto:d@parent.example")
            .AddA("mail.parent.example", "192.0.2.1"));

        var r = await dns.DiscoverAsync("mail.parent.example");

        Assert.Equal(DmarcPolicyKind.Reject, r.EffectivePolicy);
        Assert.True(r.IsInherited);
        Assert.Equal(true, r.DomainExists);
        Assert.Equal(1, dns.Server.CountQueries("mail.parent.example", "A"));
    }

    [Fact]
    public async Task Inherited_record_applies_np_to_a_nonexistent_subdomain()
    {
        using var dns = new DmarcDns(new DnsZone()
            .AddTxt("_dmarc.parent.example", "v=DMARC1; p=none; sp=quarantine; np=reject; rua=mailto:d@parent.example"));

        var r = await dns.DiscoverAsync("ghost.parent.example");

        Assert.Equal(DmarcPolicyKind.Reject, r.EffectivePolicy);
        Assert.Equal(false, r.DomainExists);
        Assert.Contains(DmarcFindingCodes.DmarcNonexistentDomain, Codes(r));
    }

    [Fact]
    public async Task No_record_anywhere_is_a_DmarcNoRecord_warning_and_no_policy()
    {
        using var dns = new DmarcDns(new DnsZone().AddTxt("_dmarc.none.example", "google-site-verification=abc"));

        var r = await dns.DiscoverAsync("none.example");

        Assert.Null(r.EffectivePolicy);
        Assert.Null(r.RecordDomain);
        Assert.False(r.IsValid);
        var finding = Assert.Single(r.Findings);
        Assert.Equal(DmarcFindingCodes.DmarcNoRecord, finding.Code);
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
    }

    [Fact]
    public async Task Look_alike_record_explains_why_there_is_no_record()
    {
        using var dns = new DmarcDns(new DnsZone().AddTxt("_dmarc.typo.example", "v=dmarc1; p=reject"));

        var r = await dns.DiscoverAsync("typo.example");

        Assert.Equal(new[] { DmarcFindingCodes.DmarcVersionInvalid, DmarcFindingCodes.DmarcNoRecord }, Codes(r));
    }

    [Fact]
    public async Task Servfail_on_the_first_query_is_a_DmarcDnsError_and_not_a_missing_record()
    {
        using var dns = new DmarcDns(new DnsZone().AddTxt("_dmarc.broken.example", "v=DMARC1; p=reject"));
        dns.Server.SetFault("_dmarc.broken.example", "TXT", DnsFault.ServerFailure);

        var r = await dns.DiscoverAsync("broken.example");

        Assert.Null(r.Record);
        Assert.Null(r.EffectivePolicy);
        var finding = Assert.Single(r.Findings);
        Assert.Equal(DmarcFindingCodes.DmarcDnsError, finding.Code);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Equal(new[] { "_dmarc.broken.example" }, dns.DmarcQueries);
    }

    [Fact]
    public async Task Two_records_at_the_domain_are_discarded_and_the_tree_walk_goes_on()
    {
        using var dns = new DmarcDns(new DnsZone()
            .AddTxt("_dmarc.sub.twice.example", "v=DMARC1; p=none")
            .AddTxt("_dmarc.sub.twice.example", "v=DMARC1; p=reject")
            .AddTxt("_dmarc.twice.example", "v=DMARC1; p=quarantine; rua=mailto:d@twice.example")
            .AddName("sub.twice.example"));

        var r = await dns.DiscoverAsync("sub.twice.example");

        Assert.Equal("twice.example", r.RecordDomain);
        Assert.Equal(DmarcPolicyKind.Quarantine, r.EffectivePolicy);
        Assert.Contains(DmarcFindingCodes.DmarcMultipleRecords, Codes(r));
        Assert.False(r.IsValid);
    }

    [Fact]
    public async Task Two_records_at_the_domain_end_RFC_7489_discovery_without_a_policy()
    {
        using var dns = new DmarcDns(new DnsZone()
            .AddTxt("_dmarc.sub.twice.example", "v=DMARC1; p=none")
            .AddTxt("_dmarc.sub.twice.example", "v=DMARC1; p=reject")
            .AddTxt("_dmarc.twice.example", "v=DMARC1; p=quarantine"));

        var r = await dns.DiscoverAsync("sub.twice.example", DmarcDiscoveryMethod.PublicSuffixList);

        Assert.Null(r.EffectivePolicy);
        Assert.Equal(2, r.Records.Length);
        Assert.Equal(new[] { DmarcFindingCodes.DmarcMultipleRecords }, Codes(r));
        Assert.Equal(new[] { "_dmarc.sub.twice.example" }, dns.DmarcQueries);
    }

    [Fact]
    public async Task OpenDMARC_subdomain_fallback_with_the_psl_is_one_lookup_at_the_org_domain()
    {
        using var dns = new DmarcDns(new DnsZone().AddTxt("_dmarc.bcx.com", "v=DMARC1; p=reject").AddName("sub.bcx.com"));

        var r = await dns.DiscoverAsync("sub.bcx.com", DmarcDiscoveryMethod.PublicSuffixList);

        Assert.Equal(new[] { "_dmarc.sub.bcx.com", "_dmarc.bcx.com" }, dns.DmarcQueries);
        Assert.Equal("bcx.com", r.OrganizationalDomain);
        Assert.Equal("bcx.com", r.RecordDomain);
        Assert.Equal(DmarcPolicyKind.Reject, r.EffectivePolicy);
    }

    [Fact]
    public async Task Psl_method_skips_intermediate_names_that_the_tree_walk_would_ask()
    {
        using var dns = new DmarcDns(new DnsZone()
            .AddTxt("_dmarc.b.parent3.example", "v=DMARC1; p=quarantine")
            .AddTxt("_dmarc.parent3.example", "v=DMARC1; p=none; sp=reject")
            .AddName("a.b.parent3.example"));

        var r = await dns.DiscoverAsync("a.b.parent3.example", DmarcDiscoveryMethod.PublicSuffixList);

        Assert.Equal(new[] { "_dmarc.a.b.parent3.example", "_dmarc.parent3.example" }, dns.DmarcQueries);
        Assert.Equal(DmarcPolicyKind.Reject, r.EffectivePolicy);
    }

    [Fact]
    public async Task Pct_is_validated_under_RFC_7489_and_only_reported_as_removed_under_RFC_9989()
    {
        var zone = new DnsZone().AddTxt("_dmarc.pct.example", "v=DMARC1; p=reject; pct=500; rua=mailto:d@pct.example");
        using var dns = new DmarcDns(zone);

        var rfc7489 = await dns.DiscoverAsync("pct.example", DmarcDiscoveryMethod.PublicSuffixList);
        var rfc9989 = await dns.DiscoverAsync("pct.example", DmarcDiscoveryMethod.TreeWalk);

        Assert.Contains(DmarcFindingCodes.DmarcSyntaxError, Codes(rfc7489));
        Assert.False(rfc7489.IsValid);
        Assert.DoesNotContain(DmarcFindingCodes.DmarcSyntaxError, Codes(rfc9989));
        Assert.Contains(DmarcFindingCodes.DmarcRemovedTag, Codes(rfc9989));
        Assert.True(rfc9989.IsValid);
    }

    [Fact]
    public async Task External_report_destination_is_checked_for_its_authorization_record()
    {
        using var dns = new DmarcDns(new DnsZone()
            .AddTxt("_dmarc.shop.example", "v=DMARC1; p=reject; rua=mailto:agg@reports.example,mailto:agg@nobody.example,mailto:own@shop.example")
            .AddTxt("shop.example._report._dmarc.reports.example", "v=DMARC1"));

        var r = await dns.DiscoverAsync("shop.example");

        var uris = r.AggregateReportUri;
        Assert.Equal(new[] { true, true, false }, uris.Select(u => u.IsExternal));
        Assert.Equal(new[] { true, false, true }, uris.Select(u => u.IsAuthorized));
        Assert.Equal("shop.example._report._dmarc.nobody.example", uris[1].AuthorizationName);
        var finding = Assert.Single(r.Findings, f => f.Code == DmarcFindingCodes.DmarcExternalReportUnauthorized);
        Assert.Equal("mailto:agg@nobody.example", finding.Term);
        Assert.Contains("shop.example._report._dmarc.nobody.example", finding.Message);
        Assert.Equal(0, dns.Server.CountQueries("shop.example._report._dmarc.shop.example"));
    }

    [Fact]
    public async Task Report_destination_under_the_same_org_domain_needs_no_authorization()
    {
        using var dns = new DmarcDns(new DnsZone().AddTxt("_dmarc.mail.corp.example", "v=DMARC1; p=reject; rua=mailto:d@corp.example"));

        var r = await dns.DiscoverAsync("mail.corp.example", DmarcDiscoveryMethod.PublicSuffixList);

        var uri = Assert.Single(r.AggregateReportUri);
        Assert.False(uri.IsExternal);
        Assert.True(uri.IsAuthorized);
        Assert.Null(uri.AuthorizationName);
    }

    [Theory]
    [InlineData("yahoo.com")]
    [InlineData("aol.com")]
    [InlineData("mail.gmail.com")]
    public async Task Mailbox_provider_with_reject_raises_DmarcRelayWillBeRejected(string domain)
    {
        using var dns = new DmarcDns(new DnsZone()
            .AddTxt("_dmarc.yahoo.com", "v=DMARC1; p=reject; rua=mailto:d@yahoo.com")
            .AddTxt("_dmarc.aol.com", "v=DMARC1; p=reject; rua=mailto:d@aol.com")
            .AddTxt("_dmarc.gmail.com", "v=DMARC1; p=none; sp=quarantine; rua=mailto:d@gmail.com")
            .AddName("mail.gmail.com"));

        var r = await dns.DiscoverAsync(domain);

        var finding = Assert.Single(r.Findings, f => f.Code == DmarcFindingCodes.DmarcRelayWillBeRejected);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Contains("Reply-To", finding.Message);
    }

    [Fact]
    public async Task Own_domain_with_reject_is_not_a_relay_problem_unless_marked_third_party()
    {
        using var dns = new DmarcDns(new DnsZone().AddTxt("_dmarc.partner.example", "v=DMARC1; p=quarantine; rua=mailto:d@partner.example"));

        var own = await dns.DiscoverAsync("partner.example");
        var theirs = await dns.DiscoverAsync("partner.example", thirdParty: true);

        Assert.DoesNotContain(DmarcFindingCodes.DmarcRelayWillBeRejected, Codes(own));
        Assert.Contains(DmarcFindingCodes.DmarcRelayWillBeRejected, Codes(theirs));
    }

    [Fact]
    public async Task Mailbox_provider_with_p_none_is_not_a_relay_problem()
    {
        using var dns = new DmarcDns(new DnsZone().AddTxt("_dmarc.gmail.com", "v=DMARC1; p=none; rua=mailto:d@gmail.com"));

        var r = await dns.DiscoverAsync("gmail.com");

        Assert.DoesNotContain(DmarcFindingCodes.DmarcRelayWillBeRejected, Codes(r));
        Assert.Contains(DmarcFindingCodes.DmarcPolicyNone, Codes(r));
    }

    [Fact]
    public async Task Trace_tells_each_step()
    {
        using var dns = new DmarcDns(new DnsZone().AddTxt("_dmarc.parent.example", "v=DMARC1; p=reject; rua=mailto:d@parent.example"));

        var r = await dns.DiscoverAsync("gone.parent.example");

        Assert.Contains(r.Trace, t => t.StartsWith("TXT _dmarc.gone.parent.example: no DMARC record", StringComparison.Ordinal));
        Assert.Contains(r.Trace, t => t.StartsWith("Organizational Domain: parent.example", StringComparison.Ordinal));
        Assert.Contains(r.Trace, t => t.Contains("does not exist", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invalid_domain_is_an_argument_exception()
    {
        using var dns = new DmarcDns(new DnsZone());

        await Assert.ThrowsAsync<ArgumentException>(() => dns.DiscoverAsync("bad..example"));
    }
}
