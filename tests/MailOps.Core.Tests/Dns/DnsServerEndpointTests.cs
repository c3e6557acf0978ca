using System.Net;
using MailOps.Core.Dns;
using Xunit;

namespace MailOps.Core.Tests.Dns;

/// <summary>Parsing -Server values.</summary>
public sealed class DnsServerEndpointTests
{
    [Theory]
    [InlineData("192.0.2.53", "192.0.2.53", 53)]
    [InlineData("192.0.2.53:5353", "192.0.2.53", 5353)]
    [InlineData(" 192.0.2.53 ", "192.0.2.53", 53)]
    [InlineData("[2001:db8::53]:5353", "2001:db8::53", 5353)]
    [InlineData("[::1]", "::1", 53)]
    [InlineData("::1", "::1", 53)]
    [InlineData("2001:db8::53", "2001:db8::53", 53)]
    [InlineData("127.0.0.1:65535", "127.0.0.1", 65535)]
    [InlineData("127.0.0.1:1", "127.0.0.1", 1)]
    public void Ip_forms_parse_to_address_and_port(string text, string address, int port)
    {
        var endpoint = DnsServerEndpoint.Parse(text);

        Assert.Equal(IPAddress.Parse(address), endpoint.Address);
        Assert.Equal(port, endpoint.Port);
        Assert.False(endpoint.IsHostName);
    }

    [Theory]
    [InlineData("dns.example.com", "dns.example.com", 53)]
    [InlineData("dns.example.com.", "dns.example.com", 53)]
    [InlineData("localhost:5353", "localhost", 5353)]
    [InlineData("ns-1.example", "ns-1.example", 53)]
    public void Host_names_are_kept_for_later_resolution(string text, string host, int port)
    {
        var endpoint = DnsServerEndpoint.Parse(text);

        Assert.True(endpoint.IsHostName);
        Assert.Null(endpoint.Address);
        Assert.Equal(host, endpoint.Host);
        Assert.Equal(port, endpoint.Port);
    }

    [Theory]
    [InlineData("1.2.3.4:0")]
    [InlineData("1.2.3.4:65536")]
    [InlineData("1.2.3.4:")]
    [InlineData("1.2.3.4:-1")]
    [InlineData("1.2.3.4:53x")]
    [InlineData("[::1")]
    [InlineData("[::1]x")]
    [InlineData("[::1]:0")]
    [InlineData("[1.2.3.4]:53")]
    [InlineData("a b")]
    [InlineData(":53")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("1.2.3")]
    [InlineData("256.1.1.1")]
    [InlineData("1.2.3.4.5")]
    [InlineData("dns..example")]
    [InlineData("-dns.example")]
    [InlineData("dns_example.com")]
    [InlineData("2001:db8::53:5353:zz")]
    public void Invalid_inputs_are_rejected(string text)
    {
        Assert.False(DnsServerEndpoint.TryParse(text, out var endpoint));
        Assert.Null(endpoint);
    }

    [Fact]
    public void Null_is_rejected()
    {
        Assert.False(DnsServerEndpoint.TryParse(null, out _));
    }

    [Fact]
    public void Parse_error_names_the_input_and_the_reason()
    {
        var error = Assert.Throws<FormatException>(() => DnsServerEndpoint.Parse("1.2.3.4:0"));

        Assert.Contains("'1.2.3.4:0'", error.Message);
        Assert.Contains("port", error.Message);
    }

    [Theory]
    [InlineData("192.0.2.53", "192.0.2.53:53")]
    [InlineData("::1", "[::1]:53")]
    [InlineData("[2001:DB8::53]:5353", "[2001:db8::53]:5353")]
    [InlineData("dns.example.com", "dns.example.com:53")]
    public void ToString_is_the_canonical_form(string text, string expected)
    {
        Assert.Equal(expected, DnsServerEndpoint.Parse(text).ToString());
    }

    [Fact]
    public void Endpoints_compare_by_host_and_port()
    {
        Assert.Equal(DnsServerEndpoint.Parse("DNS.example.com"), DnsServerEndpoint.Parse("dns.example.com:53"));
        Assert.NotEqual(DnsServerEndpoint.Parse("192.0.2.1"), DnsServerEndpoint.Parse("192.0.2.1:5353"));
    }

    [Fact]
    public async Task Address_endpoint_resolves_to_itself()
    {
        var resolved = await DnsServerEndpoint.Parse("192.0.2.53:5353").ResolveAsync(CancellationToken.None);

        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.53"), 5353), Assert.Single(resolved));
    }

    [Fact]
    public async Task Localhost_resolves_through_the_operating_system()
    {
        var resolved = await DnsServerEndpoint.Parse("localhost:5353").ResolveAsync(CancellationToken.None);

        Assert.NotEmpty(resolved);
        Assert.All(resolved, e => Assert.True(IPAddress.IsLoopback(e.Address)));
        Assert.All(resolved, e => Assert.Equal(5353, e.Port));
    }
}
