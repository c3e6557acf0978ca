using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace MailOps.TestSupport.Smtp;

/// <summary>
/// The Postfix of the end-to-end send test: a real MTA on 127.0.0.1:2525 that
/// tests/postfix/start-postfix.sh configures and starts (as root; .ci/run does it), delivering
/// every address of postfix.test to one Maildir. Unlike <see cref="SmtpTestServer"/> it is not
/// started per test: it is a system service, so this class only knows where it is, checks that
/// it answers, and finds what it delivered. A Postfix that is not running fails the test with
/// the command to run; it never skips it.
/// </summary>
public sealed class PostfixServer
{
    /// <summary>The variable that overrides the endpoint, as <c>host:port</c>.</summary>
    public const string EndpointVariable = "MAILOPS_TEST_POSTFIX";

    /// <summary>The variable that overrides the Maildir the messages arrive in.</summary>
    public const string MaildirVariable = "MAILOPS_TEST_POSTFIX_MAILDIR";

    /// <summary>Where start-postfix.sh makes Postfix listen (and nowhere else).</summary>
    public const string DefaultHost = "127.0.0.1";

    /// <summary>Not 25: a test MTA must not take the port of a real one.</summary>
    public const int DefaultPort = 2525;

    /// <summary>virtual_mailbox_base plus the static:inbox/ map of start-postfix.sh.</summary>
    public const string DefaultMaildir = "/var/tmp/mailops-postfix/inbox";

    /// <summary>The domain Postfix delivers locally; every address in it reaches the Maildir.</summary>
    public const string Domain = "postfix.test";

    /// <summary>The one postfix.test address Postfix refuses at RCPT TO, with
    /// <c>550 5.1.1 ... no such user</c> (a check_recipient_access entry of start-postfix.sh).</summary>
    public const string RejectedRecipient = "reject@postfix.test";

    /// <summary>Postfix's own log (maillog_file), quoted when a message does not arrive.</summary>
    public const string LogFile = "/var/log/postfix.log";

    // Delivery is local and takes milliseconds; the poll only waits for another process.
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private PostfixServer(string host, int port, string maildir)
    {
        Host = host;
        Port = port;
        Maildir = maildir;
    }

    /// <summary>The host Send-RelayMail connects to.</summary>
    public string Host { get; }

    /// <summary>The port Send-RelayMail connects to.</summary>
    public int Port { get; }

    /// <summary>The Maildir (holding new/ and cur/) the postfix.test messages arrive in.</summary>
    public string Maildir { get; }

    /// <summary>The endpoint from <see cref="EndpointVariable"/> and <see cref="MaildirVariable"/>,
    /// else the defaults of start-postfix.sh.</summary>
    public static PostfixServer FromEnvironment()
    {
        string host = DefaultHost;
        int port = DefaultPort;
        string? endpoint = Environment.GetEnvironmentVariable(EndpointVariable);
        if (!string.IsNullOrWhiteSpace(endpoint))
        {
            // host:port, the host possibly a bracketed IPv6 literal ([::1]:2525).
            int colon = endpoint.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(endpoint.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                throw new InvalidOperationException($"{EndpointVariable}='{endpoint}' is not host:port.");
            }

            host = endpoint.Substring(0, colon).Trim('[', ']');
        }

        string? maildir = Environment.GetEnvironmentVariable(MaildirVariable);
        return new PostfixServer(host, port, string.IsNullOrWhiteSpace(maildir) ? DefaultMaildir : maildir);
    }

    /// <summary>
    /// Connects and reads the greeting; returns it when it is a 220. Anything else (refused,
    /// silent, another kind of reply) throws with what to run, so the test fails saying why
    /// instead of failing later on a send that could never work.
    /// </summary>
    public string EnsureRunning()
    {
        const string hint = "run .ci/run or tests/postfix/start-postfix.sh as root";
        string? greeting;
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            client.ConnectAsync(Host, Port, timeout.Token).AsTask().GetAwaiter().GetResult();
            using var reader = new StreamReader(client.GetStream(), Encoding.ASCII);
            greeting = reader.ReadLineAsync(timeout.Token).AsTask().GetAwaiter().GetResult();
            client.GetStream().Write("QUIT\r\n"u8);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            throw new InvalidOperationException($"Postfix is not running on {Host}:{Port}: {hint} ({ex.Message}).", ex);
        }

        if (greeting is null || !greeting.StartsWith("220", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Postfix is not running on {Host}:{Port}: {hint} (the server there greeted with '{greeting}').");
        }

        return greeting;
    }

    /// <summary>
    /// Waits up to <paramref name="bound"/> for Postfix to deliver a message whose text contains
    /// <paramref name="subject"/> (give each test a unique one) and returns it. Polls new/ and
    /// cur/ every 100 ms: Maildir delivery writes into tmp/ and renames, so a file seen there is
    /// complete. Throws with the tail of Postfix's log when nothing arrives.
    /// </summary>
    public PostfixDelivery WaitForMessage(string subject, TimeSpan bound)
    {
        if (!Directory.Exists(Maildir))
        {
            throw new InvalidOperationException($"The Maildir {Maildir} does not exist: run tests/postfix/start-postfix.sh as root (or set {MaildirVariable}).");
        }

        // Earlier runs' messages stay in the Maildir; each file is read once.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            foreach (string folder in new[] { "new", "cur" })
            {
                string path = Path.Combine(Maildir, folder);
                string[] files;
                try
                {
                    files = Directory.Exists(path) ? Directory.GetFiles(path) : Array.Empty<string>();
                }
                catch (UnauthorizedAccessException ex)
                {
                    throw new InvalidOperationException($"Cannot read {path}: run the tests as root, or start Postfix with sudo as the user running them (start-postfix.sh gives the Maildir to $SUDO_UID).", ex);
                }

                foreach (string file in files)
                {
                    string name = Path.GetFileName(file);
                    if (!seen.Add(name))
                    {
                        continue;
                    }

                    string text;
                    try
                    {
                        text = File.ReadAllText(file);
                    }
                    catch (FileNotFoundException)
                    {
                        // Moved from new/ to cur/ by a mail reader between listing and reading.
                        seen.Remove(name);
                        continue;
                    }

                    if (text.Contains(subject, StringComparison.Ordinal))
                    {
                        return new PostfixDelivery(file, text);
                    }
                }
            }

            if (clock.Elapsed >= bound)
            {
                throw new TimeoutException($"No message with '{subject}' arrived in {Maildir} within {bound.TotalSeconds:0.#} s ({seen.Count} other files there). {LogTail()}");
            }

            Thread.Sleep(PollInterval);
        }
    }

    private static string LogTail()
    {
        try
        {
            string[] lines = File.ReadAllLines(LogFile);
            return "Last lines of " + LogFile + ":" + Environment.NewLine + string.Join(Environment.NewLine, lines.Skip(Math.Max(0, lines.Length - 20)));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"({LogFile} is not readable: {ex.Message})";
        }
    }
}

/// <summary>
/// One message as Postfix delivered it: the file and its text, starting with the headers Postfix
/// added (Return-Path with the envelope sender, Delivered-To, Received) above the client's.
/// </summary>
public sealed class PostfixDelivery
{
    /// <summary>Creates a delivery.</summary>
    public PostfixDelivery(string path, string text)
    {
        Path = path;
        Text = text;
    }

    /// <summary>The Maildir file.</summary>
    public string Path { get; }

    /// <summary>The whole message, headers and body.</summary>
    public string Text { get; }

    /// <summary>
    /// The value of the first header named <paramref name="name"/> (case-insensitive, folded
    /// lines unfolded per RFC 5322 section 2.2.3, trimmed), or null. Encoded words are left as
    /// they are: the tests use ASCII values.
    /// </summary>
    public string? Header(string name)
    {
        string[] lines = Text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (int i = 0; i < lines.Length && lines[i].Length > 0; i++)
        {
            int colon = lines[i].IndexOf(':');
            if (colon <= 0 || char.IsWhiteSpace(lines[i][0]) || !string.Equals(lines[i].Substring(0, colon).TrimEnd(), name, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var value = new StringBuilder(lines[i].Substring(colon + 1));
            while (i + 1 < lines.Length && lines[i + 1].Length > 0 && (lines[i + 1][0] == ' ' || lines[i + 1][0] == '\t'))
            {
                value.Append(lines[++i]);
            }

            return value.ToString().Trim();
        }

        return null;
    }
}
