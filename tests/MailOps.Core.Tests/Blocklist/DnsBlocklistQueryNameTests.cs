using System.Net;
using MailOps.Core.Blocklist;
using Xunit;

namespace MailOps.Core.Tests.Blocklist;

/// <summary>Query names of RFC 5782 section 2, checked against dnsbl-vectors.yml.</summary>
public sealed class DnsBlocklistQueryNameTests
{
    private const string Zone = "bl.example";

    public static TheoryData<string, string> FormatExamples => DnsblVectors.Pairs("query_format_examples", "ip", "name");

    public static TheoryData<string, string> Ipv4TestEntries => DnsblVectors.Pairs("ipv4", "query_ip", "query_name");

    [Theory]
    [MemberData(nameof(FormatExamples))]
    public void Address_query_name_matches_the_vector(string ip, string name)
    {
        Assert.Equal(name.Replace("<zone>", Zone), DnsBlocklistQueryName.ForAddress(IPAddress.Parse(ip), Zone));
    }

    [Theory]
    [MemberData(nameof(Ipv4TestEntries))]
    public void Ipv4_self_test_entry_is_queried_by_its_vector_name(string ip, string name)
    {
        Assert.Equal(name.Replace("<zone>", Zone), DnsBlocklistQueryName.ForAddress(IPAddress.Parse(ip), Zone));
    }

    [Fact]
    public void Ipv6_query_name_has_32_nibble_labels_lowest_first()
    {
        string name = DnsBlocklistQueryName.ForAddress(IPAddress.Parse("2001:db8::1"), Zone);

        string[] labels = name.Substring(0, name.Length - Zone.Length - 1).Split('.');
        Assert.Equal(32, labels.Length);
        Assert.Equal("1", labels[0]);
        Assert.Equal(new[] { "8", "b", "d", "0", "1", "0", "0", "2" }, labels.Skip(24));
    }

    [Fact]
    public void Ipv4_mapped_ipv6_address_is_queried_as_ipv4()
    {
        Assert.Equal("99.2.0.192." + Zone, DnsBlocklistQueryName.ForAddress(IPAddress.Parse("::ffff:192.0.2.99"), Zone));
    }

    [Fact]
    public void Ipv6_self_test_entries_of_the_vectors_are_queried_in_nibble_form_not_as_ipv4()
    {
        var entries = DnsblVectors.Section("ipv6");

        Assert.Equal(2, entries.Count);
        foreach (var entry in entries)
        {
            string last = entry["query_ip"].Substring(entry["query_ip"].Length - 1);
            string expected = last + ".0.0.0.0.0.f.7.f.f.f.f." + string.Concat(Enumerable.Repeat("0.", 20)) + Zone;

            Assert.Equal(expected, DnsBlocklistQueryName.ForIPv6Nibbles(IPAddress.Parse(entry["query_ip"]), Zone));
        }
    }

    [Fact]
    public void Domain_query_name_is_the_domain_followed_by_the_zone()
    {
        Assert.Equal("example.com." + Zone, DnsBlocklistQueryName.ForDomain("example.com.", Zone));
    }

    [Theory]
    [InlineData("192.0.2.1", "192.0.2.1")]
    [InlineData(" 2001:DB8::1 ", "2001:db8::1")]
    [InlineData("::ffff:192.0.2.1", "::ffff:192.0.2.1")]
    public void Addresses_as_admins_write_them_parse(string text, string expected)
    {
        Assert.True(DnsBlocklistQueryName.TryParseAddress(text, out IPAddress? address));
        Assert.Equal(IPAddress.Parse(expected), address);
    }

    [Theory]
    [InlineData("10.1")]
    [InlineData("167772161")]
    [InlineData("192.0.2.256")]
    [InlineData("192.0.2.")]
    [InlineData("mail.example.com")]
    [InlineData("fe80::1%eth0")]
    [InlineData("")]
    public void Shorthand_and_malformed_addresses_are_refused(string text)
    {
        Assert.False(DnsBlocklistQueryName.TryParseAddress(text, out _));
    }
}
