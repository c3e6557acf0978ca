using System.Net;
using System.Net.Sockets;
using MailOps.TestSupport.Dns;
using MailOps.TestSupport.PowerShell;
using MailOps.TestSupport.Smtp;

namespace MailOps.PowerShell.Tests;

/// <summary>
/// A PowerShell host with MailOps imported and a temporary folder for per-test stores. Each
/// test starts its own SMTP servers (real aiosmtpd on loopback) with <see cref="StartServer"/>,
/// so one test's session log, saved messages or failing state never leak into another.
/// </summary>
public sealed class SendFixture : IDisposable
{
    private readonly List<SmtpTestServer> servers = new();

    public SendFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), "mailops-send-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        Host = new PowerShellHost();

        // The DMARC check of the From domain asks this server, never the internet.
        Dns = new DnsTestServer(new DnsZone()
            .AddTxt("_dmarc.strict.example", "v=DMARC1; p=reject")
            .AddTxt("_dmarc.contoso.example", "v=DMARC1; p=reject")
            .AddTxt("_dmarc.lenient.example", "v=DMARC1; p=none")).Start();
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        ClosedPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
    }

    public string Root { get; }

    public PowerShellHost Host { get; }

    /// <summary>The DNS server every send of these tests uses (-DnsServer).</summary>
    public DnsTestServer Dns { get; }

    /// <summary>A loopback port where nothing listens (connection refused).</summary>
    public int ClosedPort { get; }

    /// <summary>A store path that does not exist yet.</summary>
    public string NewStorePath() => Path.Combine(Root, Guid.NewGuid().ToString("N"), "mailops.db");

    /// <summary>Starts a server that keeps what it accepts; disposed with the fixture.</summary>
    public SmtpTestServer StartServer(SmtpTestServerOptions? options = null)
    {
        options ??= new SmtpTestServerOptions();
        options.SaveMessages = true;
        SmtpTestServer server = SmtpTestServer.Start(options);
        lock (servers)
        {
            servers.Add(server);
        }

        return server;
    }

    /// <summary>Runs a script with $store set.</summary>
    public PowerShellResult Script(string store, string script, Dictionary<string, object?>? variables = null)
    {
        var all = variables ?? new Dictionary<string, object?>();
        all["store"] = store;
        return Host.InvokeScript(script, all);
    }

    /// <summary>Registers a plain (no TLS) profile on loopback.</summary>
    public void Register(string store, string name, int port, int priority = 100, string category = "Transactional", params string[] fromFilter)
    {
        var p = new Dictionary<string, object?> { ["Name"] = name, ["Server"] = "127.0.0.1", ["Port"] = port, ["Security"] = "None", ["Priority"] = priority, ["Category"] = category, ["Path"] = store };
        if (fromFilter.Length > 0)
        {
            p["FromFilter"] = fromFilter;
        }

        Host.Invoke("Register-RelayServer", p).ThrowIfFailed();
    }

    /// <summary>Send-RelayMail with -Path set.</summary>
    public PowerShellResult Send(string store, Dictionary<string, object?> parameters, IEnumerable<object?>? input = null)
    {
        parameters["Path"] = store;
        parameters["DnsServer"] = new[] { Dns.Endpoint };
        return Host.Invoke("Send-RelayMail", parameters, input);
    }

    public void Dispose()
    {
        foreach (SmtpTestServer server in servers)
        {
            server.Dispose();
        }

        Host.Dispose();
        Dns.Dispose();
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
