using Xunit;
using System.Net;
using MailOps.Core.Smtp;
using MailOps.TestSupport.Https;
using MailOps.TestSupport.Smtp;

namespace MailOps.Core.Tests.Smtp;

/// <summary>The engine against the real aiosmtpd test server on loopback.</summary>
public sealed class SmtpServerTesterTests : IClassFixture<SmtpServerTesterTests.Servers>
{
    private readonly Servers s;

    public SmtpServerTesterTests(Servers servers) => s = servers;

    /// <summary>A CA, a STARTTLS server with AUTH and a plain server.</summary>
    public sealed class Servers : IDisposable
    {
        public Servers()
        {
            Authority = new TestCertificateAuthority();
            StartTls = SmtpTestServer.Start(new SmtpTestServerOptions
            {
                Certificate = Authority.IssueServerCertificate("localhost"),
                StartTls = true,
                RequireStartTls = true,
                AuthUser = "alice",
                AuthPassword = "s3cret-Pa55",
                AuthRequireTls = true,
            });
            Plain = SmtpTestServer.Start(new SmtpTestServerOptions { RejectRecipients = { ["far@other.example"] = "550 5.7.1 Relaying denied" } });
        }

        public TestCertificateAuthority Authority { get; }

        public SmtpTestServer StartTls { get; }

        public SmtpTestServer Plain { get; }

        public void Dispose()
        {
            StartTls.Dispose();
            Plain.Dispose();
            Authority.Dispose();
        }
    }

    private SmtpTestOptions Options(SmtpTestServer server, SmtpSecurityMode security, string helo)
    {
        var options = new SmtpTestOptions { Server = "localhost", Port = server.Port, Security = security, HeloName = helo, Timeout = TimeSpan.FromSeconds(5) };
        options.AdditionalTrustedRoots.Add(s.Authority.Certificate);
        return options;
    }

    [Fact]
    public async Task StartTls_login_succeeds_and_auth_follows_starttls()
    {
        var lines = new List<string>();
        SmtpTestOptions options = Options(s.StartTls, SmtpSecurityMode.StartTls, "core-login");
        options.Credential = new NetworkCredential("alice", "s3cret-Pa55");

        SmtpServerTest result = await new SmtpServerTester(new Collector(lines)).TestAsync(options, CancellationToken.None);

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal(SmtpTestStage.Done, result.Stage);
        Assert.Equal(SmtpSecurityMode.StartTls, result.Security);
        Assert.True(result.Authenticated);
        Assert.True(result.Certificate!.NameMatches);
        Assert.Empty(result.Certificate.ChainErrors);
        Assert.NotNull(result.TlsProtocol);
        Assert.Contains("PLAIN", result.AuthenticationMechanisms);
        Assert.DoesNotContain(lines, l => l.Contains("s3cret-Pa55") || l.Contains(Convert.ToBase64String("\0alice\0s3cret-Pa55"u8.ToArray())));
        var session = s.StartTls.WaitForSession("core-login");
        int starttls = session.ToList().FindIndex(c => c.Verb == "STARTTLS");
        int auth = session.ToList().FindIndex(c => c.Verb == "AUTH");
        Assert.True(starttls >= 0 && auth > starttls);
        Assert.True(session[auth].Tls);
    }

    [Fact]
    public async Task Rejected_recipient_is_reported_with_reply_codes_and_no_data_is_sent()
    {
        SmtpTestOptions options = Options(s.Plain, SmtpSecurityMode.None, "core-relay");
        options.From = "me@contoso.example";
        options.To = new[] { "near@contoso.example", "far@other.example" };

        SmtpServerTest result = await new SmtpServerTester().TestAsync(options, CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal(SmtpTestStage.RcptTo, result.Stage);
        Assert.Equal(true, result.SenderAccepted);
        Assert.Equal(new[] { "near@contoso.example" }, result.RecipientsAccepted);
        Assert.Equal(new[] { "far@other.example" }, result.RecipientsRejected);
        Assert.Equal(550, result.Error!.StatusCode);
        Assert.Equal("5.7.1", result.Error.EnhancedStatusCode);
        Assert.False(result.Error.IsTransient);
        var verbs = s.Plain.WaitForSession("core-relay").Select(c => c.Verb).ToArray();
        Assert.DoesNotContain("DATA", verbs);
        Assert.Contains("RSET", verbs);
    }

    private sealed class Collector : ISmtpTestObserver
    {
        private readonly List<string> lines;

        public Collector(List<string> lines) => this.lines = lines;

        public void OnStep(string line)
        {
            lock (lines)
            {
                lines.Add(line);
            }
        }
    }
}
