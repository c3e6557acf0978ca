using System.Net;
using System.Net.Sockets;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using MailOps.TestSupport.Https;
using MailOps.TestSupport.PowerShell;
using MailOps.TestSupport.Smtp;

namespace MailOps.PowerShell.Tests;

/// <summary>
/// A PowerShell host with MailOps imported and real SMTP servers on loopback (aiosmtpd run by
/// Debian's python3): plain, STARTTLS, implicit TLS, broken certificates and scripted replies,
/// plus a listener that never answers and a port where nothing listens.
/// </summary>
public sealed class SmtpFixture : IDisposable
{
    public const string User = "alice@contoso.example";

    /// <summary>A password distinctive enough that finding it anywhere in output is a leak.</summary>
    public const string Password = "Zx9-Very-Secret-Pw!";

    private readonly List<SmtpTestServer> servers = new();

    public SmtpFixture()
    {
        Authority = new TestCertificateAuthority();
        X509Certificate2 localhost = Authority.IssueServerCertificate("localhost");
        Plain = Start(new SmtpTestServerOptions
        {
            AuthUser = User,
            AuthPassword = Password,
            RejectRecipients = { ["far@other.example"] = "550 5.7.1 Relaying denied" },
        });
        StartTls = Start(new SmtpTestServerOptions { Certificate = localhost, StartTls = true, RequireStartTls = true, AuthUser = User, AuthPassword = Password, AuthRequireTls = true });
        Implicit = Start(new SmtpTestServerOptions { Certificate = localhost, ImplicitTls = true, AuthUser = User, AuthPassword = Password, AuthRequireTls = true });
        WrongName = Start(new SmtpTestServerOptions { Certificate = Authority.IssueServerCertificate("mail.contoso.example", "smtp.contoso.example"), StartTls = true });
        Expired = Start(new SmtpTestServerOptions { Certificate = Authority.IssueExpiredServerCertificate("localhost"), StartTls = true });
        AuthFail = Start(new SmtpTestServerOptions { Certificate = localhost, StartTls = true, AuthFail = true, AuthRequireTls = true });
        Busy = Start(new SmtpTestServerOptions { Greeting421 = true });
        Greylist = Start(new SmtpTestServerOptions { MailReply = "451 4.7.1 Greylisted, please try again later" });

        Silent = new TcpListener(IPAddress.Loopback, 0);
        Silent.Start();
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        ClosedPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Host = new PowerShellHost();
    }

    public TestCertificateAuthority Authority { get; }

    /// <summary>Plain SMTP offering AUTH without TLS; rejects far@other.example with 550 5.7.1.</summary>
    public SmtpTestServer Plain { get; }

    /// <summary>STARTTLS required (530 before it), AUTH only over TLS, certificate for localhost.</summary>
    public SmtpTestServer StartTls { get; }

    /// <summary>Implicit TLS (port 465 style) with AUTH, certificate for localhost.</summary>
    public SmtpTestServer Implicit { get; }

    /// <summary>STARTTLS with a certificate for mail.contoso.example and smtp.contoso.example.</summary>
    public SmtpTestServer WrongName { get; }

    /// <summary>STARTTLS with a certificate for localhost that expired yesterday.</summary>
    public SmtpTestServer Expired { get; }

    /// <summary>STARTTLS, every AUTH answered 535 5.7.8.</summary>
    public SmtpTestServer AuthFail { get; }

    /// <summary>Greets with 421 4.7.0 and hangs up.</summary>
    public SmtpTestServer Busy { get; }

    /// <summary>Answers MAIL FROM with 451 4.7.1 (greylisting).</summary>
    public SmtpTestServer Greylist { get; }

    /// <summary>Accepts TCP connections (the kernel does) and never says a word.</summary>
    public TcpListener Silent { get; }

    public int SilentPort => ((IPEndPoint)Silent.LocalEndpoint).Port;

    /// <summary>A port where nothing listens.</summary>
    public int ClosedPort { get; }

    public PowerShellHost Host { get; }

    public X509Certificate2[] TrustedRoot => new[] { Authority.Certificate };

    /// <summary>A PSCredential for <see cref="User"/>.</summary>
    public static System.Management.Automation.PSCredential Credential(string password = Password)
    {
        SecureString secure = new NetworkCredential(string.Empty, password).SecurePassword;
        secure.MakeReadOnly();
        return new System.Management.Automation.PSCredential(User, secure);
    }

    /// <summary>Runs Test-SmtpServer against localhost:<paramref name="port"/>.</summary>
    public PowerShellResult Test(int port, string security, Dictionary<string, object?>? extra = null, string server = "localhost")
    {
        var parameters = new Dictionary<string, object?>
        {
            ["Server"] = server,
            ["Port"] = port,
            ["Security"] = security,
            ["TimeoutSec"] = 5,
        };
        foreach (var (key, value) in extra ?? new())
        {
            parameters[key] = value;
        }

        return Host.Invoke("Test-SmtpServer", parameters);
    }

    public void Dispose()
    {
        Host.Dispose();
        Silent.Stop();
        foreach (SmtpTestServer server in servers)
        {
            server.Dispose();
        }

        Authority.Dispose();
    }

    private SmtpTestServer Start(SmtpTestServerOptions options)
    {
        SmtpTestServer server = SmtpTestServer.Start(options);
        servers.Add(server);
        return server;
    }
}
