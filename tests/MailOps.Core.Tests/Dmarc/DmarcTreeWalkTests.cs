using MailOps.Core.Dmarc;
using MailOps.TestSupport.Dns;
using Xunit;

namespace MailOps.Core.Tests.Dmarc;

/// <summary>
/// The RFC 9989 DNS Tree Walk (section 4.10): the dmarcbis_tree_walk vectors of
/// tests/Conformance/dmarc/dmarc-vectors.yml, run over the wire against the DNS test server,
/// whose log proves the query sequence and the limit of 8 queries.
/// </summary>
public sealed class DmarcTreeWalkTests
{
    private static readonly string[] LongNameQueries =
    {
        "_dmarc.a.b.c.d.e.f.g.h.i.j.mail.example.com", "_dmarc.g.h.i.j.mail.example.com",
        "_dmarc.h.i.j.mail.example.com", "_dmarc.i.j.mail.example.com", "_dmarc.j.mail.example.com",
        "_dmarc.mail.example.com", "_dmarc.example.com", "_dmarc.com",
    };

    private static readonly string[] DeepQueries =
    {
        "_dmarc.a.b.c.d.e.f.g.h.i.j.k.example.com", "_dmarc.g.h.i.j.k.example.com", "_dmarc.h.i.j.k.example.com",
        "_dmarc.i.j.k.example.com", "_dmarc.j.k.example.com", "_dmarc.k.example.com", "_dmarc.example.com", "_dmarc.com",
    };

    private static DnsZone SimpleZone() => new DnsZone()
        .AddTxt("_dmarc.example.com", "v=DMARC1; p=reject; rua=mailto:d@example.com")
        .AddTxt("_dmarc.signing.example.com", "v=DMARC1; p=quarantine; rua=mailto:d@example.com");

    [Fact]
    public void Long_name_walk_jumps_to_seven_labels_after_the_first_query()
    {
        var targets = DmarcTreeWalk.GetTargets("a.b.c.d.e.f.g.h.i.j.mail.example.com");

        Assert.Equal(LongNameQueries, targets.Select(DmarcTreeWalk.RecordName));
    }

    [Theory]
    [InlineData("example.com", new[] { "example.com", "com" })]
    [InlineData("a.mail.example.com", new[] { "a.mail.example.com", "mail.example.com", "example.com", "com" })]
    [InlineData("a.b.c.d.e.f.g.h", new[] { "a.b.c.d.e.f.g.h", "b.c.d.e.f.g.h", "c.d.e.f.g.h", "d.e.f.g.h", "e.f.g.h", "f.g.h", "g.h", "h" })]
    public void Short_names_are_walked_one_label_at_a_time(string domain, string[] expected)
    {
        Assert.Equal(expected, DmarcTreeWalk.GetTargets(domain));
    }

    [Fact]
    public async Task Long_name_without_records_sends_exactly_the_eight_vector_queries()
    {
        using var dns = new DmarcDns(new DnsZone());

        var r = await dns.DiscoverAsync("a.b.c.d.e.f.g.h.i.j.mail.example.com");

        Assert.Equal(LongNameQueries, dns.DmarcQueries);
        Assert.Equal(1, dns.Server.CountQueries("_dmarc.com", "TXT"));
        Assert.Equal(LongNameQueries, r.QueriedNames);
        Assert.Null(r.Record);
        Assert.Contains(r.Findings, f => f.Code == DmarcFindingCodes.DmarcNoRecord);
    }

    [Fact]
    public async Task Deep_vector_finds_the_policy_at_example_com_within_eight_queries()
    {
        using var dns = new DmarcDns(SimpleZone());

        var r = await dns.DiscoverAsync("a.b.c.d.e.f.g.h.i.j.k.example.com");

        Assert.Equal(DeepQueries, dns.DmarcQueries);
        Assert.True(dns.DmarcQueries.Length <= DmarcTreeWalk.MaxQueries);
        Assert.Equal("example.com", r.RecordDomain);
        Assert.Equal("example.com", r.OrganizationalDomain);
        Assert.True(r.IsInherited);
    }

    [Theory]
    [InlineData("example.com", "example.com")]
    [InlineData("signing.example.com", "example.com")]
    public async Task Simple_vector_org_domain_is_the_record_with_the_fewest_labels(string domain, string org)
    {
        using var dns = new DmarcDns(SimpleZone());

        var r = await dns.DiscoverAsync(domain);

        Assert.Equal(org, r.OrganizationalDomain);
        Assert.Equal(domain, r.RecordDomain);
        Assert.False(r.IsInherited);
    }

    [Theory]
    [InlineData("giant.bank.example", "giant.bank.example")]
    [InlineData("mail.giant.bank.example", "giant.bank.example")]
    [InlineData("mail.mega.bank.example", "mega.bank.example")]
    public async Task Psd_vector_org_domain_is_one_label_below_the_psd_y_record(string domain, string org)
    {
        using var dns = new DmarcDns(new DnsZone()
            .AddTxt("_dmarc.bank.example", "v=DMARC1; p=reject; psd=y")
            .AddTxt("_dmarc.giant.bank.example", "v=DMARC1; p=quarantine")
            .AddName("mail.giant.bank.example")
            .AddName("mail.mega.bank.example"));

        var r = await dns.DiscoverAsync(domain);

        Assert.Equal(org, r.OrganizationalDomain);
        // The walk stops at the psd=y record: the root is never asked.
        Assert.DoesNotContain("_dmarc.example", dns.DmarcQueries);
    }

    [Fact]
    public async Task Psd_vector_domain_without_org_record_gets_the_public_suffix_domain_policy()
    {
        using var dns = new DmarcDns(new DnsZone()
            .AddTxt("_dmarc.bank.example", "v=DMARC1; p=reject; sp=quarantine; psd=y")
            .AddName("mail.mega.bank.example"));

        var r = await dns.DiscoverAsync("mail.mega.bank.example");

        Assert.Equal("bank.example", r.RecordDomain);
        Assert.True(r.IsPublicSuffixPolicy);
        Assert.Equal(DmarcPolicyKind.Quarantine, r.EffectivePolicy);
        Assert.Contains(r.Findings, f => f.Code == DmarcFindingCodes.DmarcPublicSuffixPolicy);
    }

    [Fact]
    public async Task Org_selection_example_one_fewest_labels_wins_over_an_intermediate_record()
    {
        using var dns = new DmarcDns(new DnsZone()
            .AddTxt("_dmarc.mail.example.com", "v=DMARC1; p=none; rua=mailto:d@example.com")
            .AddTxt("_dmarc.example.com", "v=DMARC1; p=reject; sp=quarantine; rua=mailto:d@example.com")
            .AddName("a.mail.example.com"));

        var r = await dns.DiscoverAsync("a.mail.example.com");

        Assert.Equal("example.com", r.OrganizationalDomain);
        // RFC 9989 section 4.10.1: the policy is the From domain's, the Organizational Domain's
        // or the PSD's record; an intermediate record only takes part in org selection.
        Assert.Equal("example.com", r.RecordDomain);
        Assert.Equal(DmarcPolicyKind.Quarantine, r.EffectivePolicy);
        Assert.Equal(new[] { "_dmarc.a.mail.example.com", "_dmarc.mail.example.com", "_dmarc.example.com", "_dmarc.com" }, dns.DmarcQueries);
    }

    [Fact]
    public async Task Org_selection_example_two_psd_n_makes_its_domain_the_org_and_stops_the_walk()
    {
        using var dns = new DmarcDns(new DnsZone()
            .AddTxt("_dmarc.mail.example.com", "v=DMARC1; p=reject; psd=n; rua=mailto:d@example.com")
            .AddTxt("_dmarc.example.com", "v=DMARC1; p=none; rua=mailto:d@example.com")
            .AddName("a.mail.example.com"));

        var r = await dns.DiscoverAsync("a.mail.example.com");

        Assert.Equal("mail.example.com", r.OrganizationalDomain);
        Assert.Equal("mail.example.com", r.RecordDomain);
        Assert.Equal(DmarcPolicyKind.Reject, r.EffectivePolicy);
        Assert.Equal(new[] { "_dmarc.a.mail.example.com", "_dmarc.mail.example.com" }, dns.DmarcQueries);
    }

    [Fact]
    public async Task Org_selection_example_three_psd_y_at_com_makes_example_com_the_org()
    {
        using var dns = new DmarcDns(new DnsZone()
            .AddTxt("_dmarc.com", "v=DMARC1; p=reject; psd=y")
            .AddName("a.mail.example.com"));

        var r = await dns.DiscoverAsync("a.mail.example.com");

        Assert.Equal("example.com", r.OrganizationalDomain);
        Assert.Equal("com", r.RecordDomain);
    }

    [Fact]
    public void Org_selection_without_records_is_the_start_domain()
    {
        string org = DmarcTreeWalk.SelectOrganizationalDomain("a.example.com", Array.Empty<KeyValuePair<string, DmarcPublicSuffixFlag>>(), out string? psd, out _);

        Assert.Equal("a.example.com", org);
        Assert.Null(psd);
    }

    [Fact]
    public void Psd_y_at_the_start_domain_itself_is_not_a_boundary()
    {
        var found = new[] { new KeyValuePair<string, DmarcPublicSuffixFlag>("gov", DmarcPublicSuffixFlag.Yes) };

        Assert.Equal("gov", DmarcTreeWalk.SelectOrganizationalDomain("gov", found, out string? psd, out _));
        Assert.Null(psd);
    }
}
