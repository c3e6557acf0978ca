using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailOps.TestSupport.PowerShell;

namespace MailOps.TestSupport.Smtp;

/// <summary>
/// A real SMTP server on 127.0.0.1: tests/MailOps.TestSupport/Smtp/smtp_test_server.py run by
/// Debian's /usr/bin/python3 with python3-aiosmtpd (not a python on PATH, which may lack it).
/// Start returns once the script printed "READY &lt;port&gt;"; every command it receives is
/// logged so tests can assert what a client sent. Dispose kills the process and deletes the
/// PEM files of its certificate.
/// </summary>
public sealed class SmtpTestServer : IDisposable
{
    /// <summary>The interpreter: Debian's, where python3-aiosmtpd is installed.</summary>
    public const string Python = "/usr/bin/python3";

    private readonly Process process;
    private readonly string? certificateFolder;
    private readonly List<SmtpTestCommand> commands = new();
    private readonly HashSet<int> closed = new();
    private readonly HashSet<int> opened = new();
    private readonly HashSet<string> synced = new(StringComparer.Ordinal);
    private int syncs;
    private readonly List<string> errors = new();
    private readonly object gate = new();
    private int port;
    private string? workFolder;
    private bool exited;

    private SmtpTestServer(Process process, string? certificateFolder)
    {
        this.process = process;
        this.certificateFolder = certificateFolder;
    }

    /// <summary>The script's path in the repository.</summary>
    public static string ScriptPath => Path.Combine(RepositoryPaths.Root, "tests", "MailOps.TestSupport", "Smtp", "smtp_test_server.py");

    /// <summary>Always 127.0.0.1: the server never listens anywhere else.</summary>
    public string Host => "127.0.0.1";

    /// <summary>The port the server listens on (picked by the system).</summary>
    public int Port => port;

    /// <summary>
    /// Every command received so far, once every session the server has opened is closed (or
    /// after 10 s): the log arrives on another thread, and a client that has returned from its
    /// QUIT may still be ahead of it. Woken by the log, never by polling.
    /// </summary>
    public IReadOnlyList<SmtpTestCommand> Commands
    {
        get
        {
            DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            Sync(deadline);
            lock (gate)
            {
                while (!exited && opened.Any(session => !closed.Contains(session)))
                {
                    TimeSpan left = deadline - DateTime.UtcNow;
                    if (left <= TimeSpan.Zero)
                    {
                        break;
                    }

                    Monitor.Wait(gate, left);
                }

                return commands.ToArray();
            }
        }
    }

    /// <summary>
    /// A barrier: asks the server to echo a token and waits until the echo is read, so every line
    /// the server printed before (each command is printed before it is answered) is in
    /// <see cref="Commands"/>.
    /// </summary>
    private void Sync(DateTime deadline)
    {
        string token = Interlocked.Increment(ref syncs).ToString(System.Globalization.CultureInfo.InvariantCulture);
        lock (gate)
        {
            if (exited)
            {
                return;
            }

            try
            {
                process.StandardInput.WriteLine("SYNC " + token);
                process.StandardInput.Flush();
            }
            catch (IOException)
            {
                return;
            }

            while (!exited && !synced.Contains(token))
            {
                TimeSpan left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    return;
                }

                Monitor.Wait(gate, left);
            }
        }
    }

    /// <summary>Starts a server and waits (up to 20 s) for it to listen.</summary>
    public static SmtpTestServer Start(SmtpTestServerOptions? options = null)
    {
        options ??= new SmtpTestServerOptions();
        if (!File.Exists(Python))
        {
            throw new InvalidOperationException($"{Python} not found: install Debian's python3 and python3-aiosmtpd (apt-get install python3-aiosmtpd).");
        }

        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-u");
        start.ArgumentList.Add(ScriptPath);
        start.ArgumentList.Add("--port");
        start.ArgumentList.Add("0");
        start.ArgumentList.Add("--hostname");
        start.ArgumentList.Add(options.Hostname);
        string? folder = null;
        if (options.Certificate is not null)
        {
            folder = Directory.CreateTempSubdirectory("mailops-smtp-").FullName;
            string cert = Path.Combine(folder, "cert.pem");
            string key = Path.Combine(folder, "key.pem");
            File.WriteAllText(cert, options.Certificate.ExportCertificatePem());
            using AsymmetricAlgorithm privateKey = (AsymmetricAlgorithm?)options.Certificate.GetECDsaPrivateKey()
                ?? options.Certificate.GetRSAPrivateKey()
                ?? throw new ArgumentException("The certificate has no ECDSA or RSA private key.");
            File.WriteAllText(key, privateKey.ExportPkcs8PrivateKeyPem());
            Add(start, "--cert", cert);
            Add(start, "--key", key);
        }

        // The work folder (received messages, the failing flag) is this server's own.
        string work = Directory.CreateTempSubdirectory("mailops-smtp-work-").FullName;
        string received = Path.Combine(work, "received");
        string failFlag = Path.Combine(work, "fail.flag");
        Directory.CreateDirectory(received);
        if (options.StartFailing)
        {
            File.WriteAllText(failFlag, "fail");
        }

        Add(start, "--fail-file", failFlag);
        Add(start, "--fail-reply", options.FailReply);
        if (options.SaveMessages)
        {
            Add(start, "--save-dir", received);
        }

        if (options.Quiet)
        {
            start.ArgumentList.Add("--quiet");
        }

        if (options.RandomFailureRate > 0)
        {
            Add(start, "--random-fail", options.RandomFailureRate.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Add(start, "--seed", options.RandomSeed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        Flag(start, options.Greeting421, "--mode", "greet421");
        Flag(start, options.StartTls, "--starttls");
        Flag(start, options.RequireStartTls, "--require-starttls");
        Flag(start, options.ImplicitTls, "--implicit-tls");
        Flag(start, options.AuthRequireTls, "--auth-require-tls");
        Flag(start, options.AuthFail, "--auth-fail");
        Flag(start, options.DropData, "--drop-data");
        if (options.AuthUser is not null)
        {
            Add(start, "--auth-user", options.AuthUser);
            Add(start, "--auth-password", options.AuthPassword ?? string.Empty);
        }

        if (options.MailReply is not null)
        {
            Add(start, "--mail-reply", options.MailReply);
        }

        if (options.RcptReply is not null)
        {
            Add(start, "--rcpt-reply", options.RcptReply);
        }

        foreach (var (address, reply) in options.RejectRecipients)
        {
            Add(start, "--reject-rcpt", address + "=" + reply);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var server = new SmtpTestServer(process, folder) { workFolder = work };
        var ready = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => server.OnLine(e.Data, ready);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (server.gate)
                {
                    server.errors.Add(e.Data);
                }
            }
        };
        process.Exited += (_, _) =>
        {
            lock (server.gate)
            {
                server.exited = true;
                Monitor.PulseAll(server.gate);
            }

            ready.TrySetException(new InvalidOperationException("The SMTP test server exited before it was ready: " + string.Join(Environment.NewLine, server.Errors)));
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!ready.Task.Wait(TimeSpan.FromSeconds(20)))
        {
            server.Dispose();
            throw new TimeoutException("The SMTP test server did not print READY within 20 s: " + string.Join(Environment.NewLine, server.Errors));
        }

        server.port = ready.Task.Result;
        return server;
    }

    /// <summary>What the script wrote to standard error (Python warnings, tracebacks).</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (gate)
            {
                return errors.ToArray();
            }
        }
    }

    /// <summary>
    /// The commands of the session whose EHLO (or HELO) argument is <paramref name="heloName"/>,
    /// once that session has closed (waits up to <paramref name="timeout"/>, woken by the log,
    /// not by polling). Giving each test its own -HeloName keeps tests independent.
    /// </summary>
    public IReadOnlyList<SmtpTestCommand> WaitForSession(string heloName, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        lock (gate)
        {
            while (true)
            {
                SmtpTestCommand? hello = commands.FirstOrDefault(c => (c.Verb == "EHLO" || c.Verb == "HELO") && string.Equals(c.Argument, heloName, StringComparison.OrdinalIgnoreCase));
                if (hello is not null && closed.Contains(hello.Session))
                {
                    return commands.Where(c => c.Session == hello.Session).ToArray();
                }

                TimeSpan left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || exited)
                {
                    throw new TimeoutException($"No closed session with EHLO {heloName}; received: {string.Join(" | ", commands.Select(c => $"{c.Session}:{c.Verb} {c.Argument}"))}");
                }

                Monitor.Wait(gate, left);
            }
        }
    }

    private void OnLine(string? line, TaskCompletionSource<int> ready)
    {
        if (line is null)
        {
            return;
        }

        string[] parts = line.Split(' ', 5);
        lock (gate)
        {
            switch (parts[0])
            {
                case "READY":
                    ready.TrySetResult(int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case "CMD" when parts.Length >= 4:
                    commands.Add(new SmtpTestCommand(int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), parts[2] == "1", parts[3], parts.Length > 4 ? parts[4] : string.Empty));
                    break;
                case "SYNCED" when parts.Length >= 2:
                    synced.Add(parts[1]);
                    break;
                case "OPEN":
                    opened.Add(int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case "CLOSE":
                    closed.Add(int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
                    break;
            }

            Monitor.PulseAll(gate);
        }
    }

    private static void Add(ProcessStartInfo start, string name, string value)
    {
        start.ArgumentList.Add(name);
        start.ArgumentList.Add(value);
    }

    private static void Flag(ProcessStartInfo start, bool on, params string[] arguments)
    {
        if (on)
        {
            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }

        process.Dispose();
        if (workFolder is not null && Directory.Exists(workFolder))
        {
            Directory.Delete(workFolder, recursive: true);
        }

        if (certificateFolder is not null && Directory.Exists(certificateFolder))
        {
            Directory.Delete(certificateFolder, recursive: true);
        }
    }

    /// <summary>The messages the server accepted, in arrival order (only with
    /// SmtpTestServerOptions.SaveMessages). Each is written whole before the 250 reply, so what
    /// a client saw accepted is here.</summary>
    public IReadOnlyList<string> ReceivedMessages
        => workFolder is null
            ? Array.Empty<string>()
            : Directory.GetFiles(Path.Combine(workFolder, "received"), "*.eml").OrderBy(f => f, StringComparer.Ordinal).Select(File.ReadAllText).ToArray();

    /// <summary>Switches the failing state: while on, MAIL FROM is answered with
    /// SmtpTestServerOptions.FailReply (a server that is down for maintenance, then recovers).</summary>
    public void SetFailing(bool failing)
    {
        string flag = Path.Combine(workFolder!, "fail.flag");
        if (failing)
        {
            File.WriteAllText(flag, "fail");
        }
        else if (File.Exists(flag))
        {
            File.Delete(flag);
        }
    }
}
