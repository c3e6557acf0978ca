using MailOps.Core.Relay;
using Xunit;

namespace MailOps.Core.Tests.Relay;

/// <summary>Parsing and normalising From filter entries and relay settings.</summary>
public sealed class RelayFromFilterTests
{
    [Theory]
    [InlineData("Contoso.Example", RelayFromFilterKind.Domain, "contoso.example")]
    [InlineData("contoso.example.", RelayFromFilterKind.Domain, "contoso.example")]
    [InlineData("@contoso.example", RelayFromFilterKind.Domain, "contoso.example")]
    [InlineData("*@Contoso.example", RelayFromFilterKind.Domain, "contoso.example")]
    [InlineData("*.Contoso.example", RelayFromFilterKind.Subdomains, "*.contoso.example")]
    [InlineData("Billing@Contoso.EXAMPLE", RelayFromFilterKind.Address, "Billing@contoso.example")]
    [InlineData("<billing@contoso.example>", RelayFromFilterKind.Address, "billing@contoso.example")]
    [InlineData("bücher.example", RelayFromFilterKind.Domain, "xn--bcher-kva.example")]
    public void Filters_are_normalised(string text, RelayFromFilterKind kind, string normalized)
    {
        Assert.True(RelayFromFilter.TryParse(text, out RelayFromFilter? filter, out string? error), error);

        Assert.Equal(kind, filter!.Kind);
        Assert.Equal(normalized, filter.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("*")]
    [InlineData("con*so.example")]
    [InlineData("a*@contoso.example")]
    [InlineData("localhost")]
    [InlineData("user@")]
    public void Invalid_filters_are_refused_with_a_reason(string text)
    {
        Assert.False(RelayFromFilter.TryParse(text, out _, out string? error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void A_CSV_cell_with_several_filters_is_split_and_duplicates_removed()
    {
        RelayServer p = RelayServer.Create("Csv", "smtp.contoso.example", fromFilter: new[] { "contoso.example; fabrikam.example,CONTOSO.example", "billing@x.example" });

        Assert.Equal(new[] { "contoso.example", "fabrikam.example", "billing@x.example" }, p.FromFilter);
    }

    [Theory]
    [InlineData("SMTP.Contoso.Example", "smtp.contoso.example")]
    [InlineData("smtp01", "smtp01")]
    [InlineData("192.0.2.25", "192.0.2.25")]
    [InlineData("[2001:db8::25]", "2001:db8::25")]
    public void Servers_are_normalised(string server, string normalized)
    {
        Assert.Equal(normalized, RelayServer.Create("S", server).Server);
    }

    [Theory]
    [InlineData("smtp contoso")]
    [InlineData("smtp_1")]
    [InlineData("-smtp")]
    [InlineData("")]
    public void Invalid_servers_are_refused(string server)
    {
        var ex = Assert.Throws<RelayProfileException>(() => RelayServer.Create("S", server));
        Assert.Equal(RelayProfileErrorKind.InvalidSetting, ex.Kind);
    }

    [Theory]
    [InlineData("bad*name")]
    [InlineData("what?")]
    [InlineData("[x]")]
    [InlineData("  ")]
    public void Names_with_wildcards_or_blank_are_refused(string name)
    {
        var ex = Assert.Throws<RelayProfileException>(() => RelayServer.Create(name, "smtp.contoso.example"));
        Assert.Equal(RelayProfileErrorKind.InvalidSetting, ex.Kind);
    }

    [Theory]
    [InlineData(RelaySecurity.SslOnConnect, 465)]
    [InlineData(RelaySecurity.StartTls, 587)]
    [InlineData(RelaySecurity.Auto, 587)]
    [InlineData(RelaySecurity.StartTlsWhenAvailable, 587)]
    [InlineData(RelaySecurity.None, 25)]
    public void Default_port_follows_the_security_mode(RelaySecurity security, int port)
    {
        Assert.Equal(port, RelayServerSettings.DefaultPort(security));
    }

    [Theory]
    [InlineData("noreply@contoso.example", "contoso.example")]
    [InlineData("", "contoso.example")]
    [InlineData("noreply", "not a domain")]
    [InlineData("no reply", "contoso.example")]
    public void Invalid_defaults_are_refused(string local, string domain)
    {
        var ex = Assert.Throws<RelayProfileException>(() => RelayDefaults.Create(local, domain));
        Assert.Equal(RelayProfileErrorKind.InvalidSetting, ex.Kind);
    }

    [Fact]
    public void Defaults_normalise_the_domain_alias()
    {
        RelayDefaults d = RelayDefaults.Create(" noreply ", "Bücher.Example");

        Assert.Equal("noreply", d.DefaultFrom);
        Assert.Equal("xn--bcher-kva.example", d.DomainAlias);
        Assert.Equal("noreply@xn--bcher-kva.example", d.Address);
    }
}
