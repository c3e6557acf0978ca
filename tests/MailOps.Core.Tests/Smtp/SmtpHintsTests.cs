using Xunit;
using MailOps.Core.Smtp;

namespace MailOps.Core.Tests.Smtp;

/// <summary>The advice for each failure, as a pure function of the facts.</summary>
public sealed class SmtpHintsTests
{
    private static SmtpReply Reply(string line) => SmtpReply.Parse(new[] { line })!;

    private static string Hint(SmtpTestStage stage, SmtpFailureReason reason, string server = "mail.example", int port = 587, SmtpSecurityMode security = SmtpSecurityMode.StartTls, SmtpReply? reply = null, bool connected = true, bool secure = true)
        => SmtpHints.For(stage, reason, server, port, security, reply, connected, secure, null)!;

    [Fact]
    public void Gmail_535_5_7_8_says_to_use_an_app_password()
    {
        string hint = Hint(SmtpTestStage.Authenticate, SmtpFailureReason.AuthenticationFailed, "smtp.gmail.com", 465, SmtpSecurityMode.SslOnConnect, Reply("535 5.7.8 Username and Password not accepted."));

        Assert.Contains("app password", hint);
        Assert.Contains("2-Step Verification", hint);
    }

    [Fact]
    public void Application_specific_password_required_on_any_server_says_app_password()
    {
        string hint = Hint(SmtpTestStage.Authenticate, SmtpFailureReason.AuthenticationFailed, reply: Reply("534 5.7.9 Application-specific password required."));

        Assert.Contains("app password", hint);
    }

    [Fact]
    public void Plain_535_elsewhere_says_check_user_and_password_not_gmail()
    {
        string hint = Hint(SmtpTestStage.Authenticate, SmtpFailureReason.AuthenticationFailed, reply: Reply("535 5.7.8 Authentication credentials invalid"));

        Assert.Contains("user name or password", hint);
        Assert.DoesNotContain("Google", hint);
    }

    [Fact]
    public void Office365_login_failure_mentions_smtp_auth()
    {
        string hint = Hint(SmtpTestStage.Authenticate, SmtpFailureReason.AuthenticationFailed, "smtp.office365.com", reply: Reply("535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant."));

        Assert.Contains("SMTP AUTH", hint);
    }

    [Fact]
    public void Reply_530_STARTTLS_first_says_use_StartTls()
    {
        string hint = Hint(SmtpTestStage.MailFrom, SmtpFailureReason.Reply, security: SmtpSecurityMode.None, reply: Reply("530 5.7.0 Must issue a STARTTLS command first"), secure: false);

        Assert.Contains("-Security StartTls", hint);
    }

    [Fact]
    public void Port_465_with_StartTls_says_use_SslOnConnect()
    {
        Assert.Contains("-Security SslOnConnect", Hint(SmtpTestStage.Connect, SmtpFailureReason.Timeout, port: 465));
        Assert.Contains("-Security SslOnConnect", Hint(SmtpTestStage.Tls, SmtpFailureReason.StartTlsNotOffered, port: 465));
    }

    [Fact]
    public void Port_587_with_SslOnConnect_says_use_StartTls()
    {
        Assert.Contains("-Security StartTls", Hint(SmtpTestStage.Tls, SmtpFailureReason.TlsHandshakeFailed, port: 587, security: SmtpSecurityMode.SslOnConnect));
        Assert.Contains("-Security StartTls", Hint(SmtpTestStage.Tls, SmtpFailureReason.Timeout, port: 587, security: SmtpSecurityMode.SslOnConnect));
    }

    [Fact]
    public void Timeout_before_connecting_on_port_25_mentions_blocked_port()
    {
        string hint = Hint(SmtpTestStage.Connect, SmtpFailureReason.Timeout, port: 25, connected: false);

        Assert.Contains("block", hint);
        Assert.Contains("port 25", hint);
    }

    [Fact]
    public void Connection_refused_says_nothing_listens()
    {
        Assert.Contains("Nothing listens on port 2525", Hint(SmtpTestStage.Connect, SmtpFailureReason.ConnectionRefused, port: 2525, connected: false));
    }

    [Fact]
    public void Greeting_421_says_busy_try_later()
    {
        string hint = Hint(SmtpTestStage.Connect, SmtpFailureReason.Reply, reply: Reply("421 4.7.0 Too many connections"));

        Assert.Contains("try again later", hint);
    }

    [Fact]
    public void Relay_denied_on_rcpt_says_authenticate()
    {
        string hint = Hint(SmtpTestStage.RcptTo, SmtpFailureReason.Reply, reply: Reply("550 5.7.1 Relaying denied"));

        Assert.Contains("Relaying denied", hint);
        Assert.Contains("-Credential", hint);
    }

    [Fact]
    public void Greylisting_on_mail_from_says_retry_later()
    {
        Assert.Contains("greylisting", Hint(SmtpTestStage.MailFrom, SmtpFailureReason.Reply, reply: Reply("451 4.7.1 Greylisted, try again later")));
    }

    [Fact]
    public void Auth_not_offered_on_plain_connection_says_use_tls()
    {
        Assert.Contains("-Security StartTls", Hint(SmtpTestStage.Authenticate, SmtpFailureReason.AuthenticationNotOffered, secure: false));
    }

    [Fact]
    public void Name_mismatch_lists_the_names_in_the_certificate()
    {
        var certificate = new SmtpCertificateInfo("CN=mx.example", "CN=CA", new[] { "mx.example", "smtp.example" }, DateTime.UtcNow.AddDays(30), false, Array.Empty<string>(), "AB");

        string hint = SmtpHints.For(SmtpTestStage.Tls, SmtpFailureReason.CertificateNameMismatch, "127.0.0.1", 587, SmtpSecurityMode.StartTls, null, true, false, certificate)!;

        Assert.Contains("mx.example, smtp.example", hint);
        Assert.Contains("-Server mx.example", hint);
    }
}
