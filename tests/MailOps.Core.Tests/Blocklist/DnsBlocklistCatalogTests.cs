using System.Net;
using System.Text;
using MailOps.Core.Blocklist;
using Xunit;

namespace MailOps.Core.Tests.Blocklist;

/// <summary>The built-in catalogue: dated, live lists only, every entry complete and sane.</summary>
public sealed class DnsBlocklistCatalogTests
{
    private static DnsBlocklistCatalog Catalog => DnsBlocklistCatalog.BuiltIn;

    public static TheoryData<string> Zones
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (DnsBlocklist list in DnsBlocklistCatalog.BuiltIn.Lists)
            {
                data.Add(list.Zone);
            }

            return data;
        }
    }

    [Fact]
    public void Catalogue_carries_a_review_date_that_is_not_in_the_future()
    {
        Assert.True(Catalog.Reviewed > new DateTime(2024, 1, 1));
        Assert.True(Catalog.Reviewed <= DateTime.UtcNow.Date.AddDays(1));
    }

    [Fact]
    public void Catalogue_has_both_ip_lists_and_domain_lists()
    {
        Assert.Contains(Catalog.Lists, l => l.Zone == "zen.spamhaus.org" && l.Kind == DnsBlocklistKind.IPAddress);
        Assert.Contains(Catalog.Lists, l => l.Zone == "dbl.spamhaus.org" && l.Kind == DnsBlocklistKind.Domain);
        Assert.True(Catalog.ListsFor(DnsBlocklistKind.IPAddress).Length >= 5);
        Assert.True(Catalog.ListsFor(DnsBlocklistKind.Domain).Length >= 2);
    }

    [Theory]
    [MemberData(nameof(Zones))]
    public void Every_entry_has_a_valid_zone_a_name_a_kind_and_codes(string zone)
    {
        DnsBlocklist list = Catalog.Find(zone)!;

        Assert.True(DomainName.TryNormalize(list.Zone, out string normalized, out _));
        Assert.Equal(normalized, list.Zone);
        Assert.False(string.IsNullOrWhiteSpace(list.Name));
        Assert.NotNull(list.Kind);
        Assert.False(list.IsCustom);
        Assert.NotEmpty(list.Codes);
        Assert.All(list.Codes, c => Assert.False(string.IsNullOrWhiteSpace(c.Meaning)));
        Assert.StartsWith("https://", list.Url);
    }

    [Theory]
    [MemberData(nameof(Zones))]
    public void Listing_codes_are_in_127_slash_8_and_never_an_error_code(string zone)
    {
        DnsBlocklist list = Catalog.Find(zone)!;

        foreach (DnsBlocklistCode code in list.Codes)
        {
            byte[] b = IPAddress.Parse(code.Code).GetAddressBytes();
            Assert.Equal(127, b[0]);
            Assert.False(b[1] == 255 && b[2] == 255, $"{zone} lists the error range code {code.Code} as a listing");
            Assert.DoesNotContain(list.ErrorCodes, e => e.Code == code.Code);
        }

        Assert.All(list.ErrorCodes, e => Assert.Equal(127, IPAddress.Parse(e.Code).GetAddressBytes()[0]));
    }

    [Theory]
    [InlineData("sorbs.net")]
    [InlineData("spameatingmonkey")]
    [InlineData("ahbl.org")]
    [InlineData("njabl.org")]
    [InlineData("abuseat.org")]
    public void Dead_zones_are_not_in_the_catalogue(string dead)
    {
        Assert.DoesNotContain(Catalog.Lists, l => l.Zone.Contains(dead, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Spamhaus_zen_explains_its_return_codes_and_public_resolver_refusal()
    {
        DnsBlocklist zen = Catalog.Find("zen.spamhaus.org")!;

        Assert.StartsWith("SBL", zen.Meaning(IPAddress.Parse("127.0.0.2")));
        Assert.StartsWith("SBL CSS", zen.Meaning(IPAddress.Parse("127.0.0.3")));
        Assert.StartsWith("XBL", zen.Meaning(IPAddress.Parse("127.0.0.4")));
        Assert.StartsWith("SBL DROP", zen.Meaning(IPAddress.Parse("127.0.0.9")));
        Assert.StartsWith("PBL", zen.Meaning(IPAddress.Parse("127.0.0.10")));
        Assert.StartsWith("PBL", zen.Meaning(IPAddress.Parse("127.0.0.11")));
        Assert.Contains("public", zen.ErrorMeaning("127.255.255.254"));
    }

    [Fact]
    public void Bitmask_list_meaning_names_every_bit_set()
    {
        DnsBlocklist uribl = Catalog.Find("multi.uribl.com")!;

        string meaning = uribl.Meaning(IPAddress.Parse("127.0.0.6"));

        Assert.Contains("black", meaning);
        Assert.Contains("grey", meaning);
        Assert.DoesNotContain("red", meaning);
    }

    [Theory]
    [InlineData("ZEN.spamhaus.org.", "zen.spamhaus.org")]
    [InlineData("spamhaus zen", "zen.spamhaus.org")]
    [InlineData("SpamCop", "bl.spamcop.net")]
    public void Lists_are_found_by_zone_or_name_ignoring_case(string key, string zone)
    {
        Assert.Equal(zone, Catalog.Find(key)!.Zone);
    }

    [Fact]
    public void Unknown_zone_resolves_to_a_custom_list_of_any_kind()
    {
        DnsBlocklist custom = Catalog.Resolve("BL.Internal.Example.");

        Assert.True(custom.IsCustom);
        Assert.Equal("bl.internal.example", custom.Zone);
        Assert.Null(custom.Kind);
        Assert.True(custom.Covers(DnsBlocklistKind.IPAddress));
        Assert.True(custom.Covers(DnsBlocklistKind.Domain));
        Assert.StartsWith("listed on bl.internal.example", custom.Meaning(IPAddress.Parse("127.0.0.2")));
    }

    [Fact]
    public void A_value_that_is_no_zone_name_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Catalog.Resolve("not a zone"));
    }

    [Fact]
    public void Catalogue_without_review_date_is_rejected()
    {
        using var json = new MemoryStream(Encoding.UTF8.GetBytes("{\"lists\":[]}"));

        Assert.Throws<InvalidDataException>(() => DnsBlocklistCatalog.Parse(json));
    }

    [Fact]
    public void Catalogue_entry_with_an_unknown_kind_is_rejected()
    {
        const string text = "{\"reviewed\":\"2026-01-01\",\"lists\":[{\"zone\":\"x.example\",\"name\":\"X\",\"kind\":\"url\",\"codes\":[{\"code\":\"127.0.0.2\",\"meaning\":\"listed\"}]}]}";
        using var json = new MemoryStream(Encoding.UTF8.GetBytes(text));

        Assert.Throws<InvalidDataException>(() => DnsBlocklistCatalog.Parse(json));
    }
}
