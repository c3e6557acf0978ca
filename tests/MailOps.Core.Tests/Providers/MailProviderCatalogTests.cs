using MailOps.Core.Providers;
using Xunit;

namespace MailOps.Core.Tests.Providers;

public sealed class MailProviderCatalogTests
{
    private static MailProviderCatalog Default => MailProviderCatalog.Default;

    [Theory]
    [InlineData("aspmx.l.google.com", "Google Workspace")]
    [InlineData("alt1.aspmx.l.google.com", "Google Workspace")]
    [InlineData("smtp.google.com", "Google Workspace")]
    [InlineData("aspmx2.googlemail.com", "Google Workspace")]
    [InlineData("contoso-com.mail.protection.outlook.com", "Microsoft 365")]
    [InlineData("contoso-com.o-v1.mx.microsoft", "Microsoft 365")]
    [InlineData("mx.zoho.eu", "Zoho Mail")]
    [InlineData("in1-smtp.messagingengine.com", "Fastmail")]
    [InlineData("mailsec.protonmail.ch", "Proton Mail")]
    [InlineData("inbound-smtp.eu-west-1.amazonaws.com", "Amazon WorkMail")]
    [InlineData("eu-smtp-inbound-1.mimecast.com", "Mimecast")]
    [InlineData("mx0a-00123401.pphosted.com", "Proofpoint")]
    [InlineData("mx.yandex.net", "Yandex")]
    [InlineData("smtp.secureserver.net", "GoDaddy")]
    [InlineData("mx1.mail.ovh.net", "OVH")]
    [InlineData("mx01.mail.icloud.com", "iCloud")]
    public void Default_catalogue_names_the_provider_of_a_known_mx_host(string exchange, string provider)
    {
        Assert.Equal(provider, Default.MatchMx(exchange)?.Name);
    }

    [Fact]
    public void Match_ignores_case_and_a_trailing_dot()
    {
        Assert.Equal("Google Workspace", Default.MatchMx("ASPMX.L.Google.COM.")?.Name);
    }

    [Theory]
    [InlineData("notgoogle.com")]
    [InlineData("google.com.evil.example")]
    [InlineData("mail.contoso.com")]
    [InlineData("s3.amazonaws.com")]
    [InlineData("")]
    public void Hosts_that_only_resemble_a_provider_match_nothing(string exchange)
    {
        Assert.Null(Default.MatchMx(exchange));
    }

    [Fact]
    public void Google_entry_carries_the_spf_include_and_dkim_selector_a_domain_needs()
    {
        MailProvider google = Default.Find("google workspace")!;

        Assert.Equal(new[] { "_spf.google.com" }, google.SpfIncludes);
        Assert.Equal(new[] { "google" }, google.DkimSelectors);
        Assert.Equal(MailProviderKind.Mailbox, google.Kind);
    }

    [Fact]
    public void Microsoft_entry_carries_both_selectors_and_its_include()
    {
        MailProvider microsoft = Default.Find("Microsoft 365")!;

        Assert.Equal(new[] { "spf.protection.outlook.com" }, microsoft.SpfIncludes);
        Assert.Equal(new[] { "selector1", "selector2" }, microsoft.DkimSelectors);
    }

    [Fact]
    public void Gateways_are_marked_as_such()
    {
        Assert.Equal(MailProviderKind.Gateway, Default.Find("Mimecast")!.Kind);
        Assert.Equal(MailProviderKind.Gateway, Default.Find("Proofpoint")!.Kind);
    }

    [Fact]
    public void Default_catalogue_lists_every_provider_the_audits_rely_on()
    {
        string[] names = Default.Providers.Select(p => p.Name).ToArray();

        foreach (string expected in new[] { "Google Workspace", "Microsoft 365", "Zoho Mail", "Fastmail", "Proton Mail", "Amazon WorkMail", "Mimecast", "Proofpoint", "Yandex", "GoDaddy", "OVH", "iCloud" })
        {
            Assert.Contains(expected, names);
        }
    }

    [Fact]
    public void The_longest_matching_pattern_wins_across_providers()
    {
        var catalog = new MailProviderCatalog(new[]
        {
            new MailProvider("Broad", MailProviderKind.Mailbox, new[] { "example.net" }, Array.Empty<string>(), Array.Empty<string>()),
            new MailProvider("Specific", MailProviderKind.Gateway, new[] { "filter.example.net" }, Array.Empty<string>(), Array.Empty<string>()),
        });

        Assert.Equal("Specific", catalog.MatchMx("mx1.filter.example.net")?.Name);
        Assert.Equal("Broad", catalog.MatchMx("mx1.example.net")?.Name);
    }

    [Fact]
    public void A_wildcard_label_matches_exactly_one_label()
    {
        var provider = new MailProvider("P", MailProviderKind.Mailbox, new[] { "in.*.example.net" }, Array.Empty<string>(), Array.Empty<string>());

        Assert.Equal("in.*.example.net", provider.MatchingPattern("in.eu.example.net"));
        Assert.Null(provider.MatchingPattern("in.example.net"));
        Assert.Null(provider.MatchingPattern("out.eu.example.net"));
    }

    [Fact]
    public void Load_reads_a_catalogue_of_your_own()
    {
        var catalog = MailProviderCatalog.Load("""
            { "providers": [ { "name": "Contoso Mail", "kind": "gateway", "mx": [ "mx.contoso.example" ],
              "spfIncludes": [ "_spf.contoso.example" ], "dkimSelectors": [ "s1" ], "extra": { "ignored": [1, 2.5e1, true, null, "\u00e9"] } } ] }
            """);

        MailProvider provider = Assert.Single(catalog.Providers);
        Assert.Equal("Contoso Mail", provider.Name);
        Assert.Equal(MailProviderKind.Gateway, provider.Kind);
        Assert.Same(provider, catalog.MatchMx("a.mx.contoso.example"));
    }

    [Theory]
    [InlineData("{ \"providers\": [ { \"name\": \"X\" } ] }")]
    [InlineData("{ \"providers\": [ { \"mx\": [\"x.example\"] } ] }")]
    [InlineData("{ \"providers\": [ { \"name\": \"X\", \"mx\": \"x.example\" } ] }")]
    [InlineData("{ \"providers\": [ { \"name\": \"X\", \"mx\": [\"x.example\"], \"kind\": \"Relay\" } ] }")]
    [InlineData("{ \"providers\": [ { \"name\": \"X\", \"mx\": [\"a.example\"] }, { \"name\": \"x\", \"mx\": [\"b.example\"] } ] }")]
    [InlineData("{ \"providers\": [ ")]
    [InlineData("[]")]
    public void Load_rejects_an_incomplete_or_malformed_catalogue(string json)
    {
        Assert.Throws<FormatException>(() => MailProviderCatalog.Load(json));
    }
}
