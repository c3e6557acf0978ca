using Xunit;
using MailOps.Core.Smtp;

namespace MailOps.Core.Tests.Smtp;

/// <summary>Input checks and the defaults of Auto security.</summary>
public sealed class SmtpTestOptionsTests
{
    [Theory]
    [InlineData("smtp.contoso.com")]
    [InlineData("localhost")]
    [InlineData("192.0.2.25")]
    [InlineData("[2001:db8::25]")]
    public void Host_names_and_ip_addresses_are_valid_servers(string server)
    {
        Assert.True(SmtpServerTester.IsValidServerName(server, out _));
    }

    [Theory]
    [InlineData("bad name!")]
    [InlineData("")]
    [InlineData("smtp.contoso.com:587")]
    public void Names_with_blanks_symbols_or_a_port_are_not_servers(string server)
    {
        Assert.False(SmtpServerTester.IsValidServerName(server, out string? error));
        Assert.Contains(server, error);
    }

    [Theory]
    [InlineData("me@contoso.example", true)]
    [InlineData("not an address", false)]
    [InlineData("me@contoso.example>\r\nRCPT TO:<x@y.example", false)]
    [InlineData("@contoso.example", false)]
    [InlineData("me@", false)]
    public void Only_addresses_that_cannot_inject_a_command_are_accepted(string address, bool valid)
    {
        Assert.Equal(valid, SmtpServerTester.IsValidAddress(address, out _));
    }

    [Theory]
    [InlineData(0, SmtpSecurityMode.Auto, 587, SmtpSecurityMode.StartTlsWhenAvailable)]
    [InlineData(465, SmtpSecurityMode.Auto, 465, SmtpSecurityMode.SslOnConnect)]
    [InlineData(25, SmtpSecurityMode.Auto, 25, SmtpSecurityMode.StartTlsWhenAvailable)]
    [InlineData(0, SmtpSecurityMode.SslOnConnect, 465, SmtpSecurityMode.SslOnConnect)]
    [InlineData(465, SmtpSecurityMode.StartTls, 465, SmtpSecurityMode.StartTls)]
    public void Auto_means_implicit_tls_on_465_and_starttls_when_available_elsewhere(int port, SmtpSecurityMode security, int effectivePort, SmtpSecurityMode effectiveSecurity)
    {
        var options = new SmtpTestOptions { Port = port, Security = security };

        Assert.Equal(effectivePort, options.EffectivePort);
        Assert.Equal(effectiveSecurity, options.EffectiveSecurity);
    }
}
