using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using System.Threading;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MailOps.Core.Smtp;
using MimeKit;

namespace MailOps.Core.Relay;

/// <summary>
/// The SMTP side of relaying: one connected client per server (host, port, security, user)
/// kept for the whole invocation, so a pipeline of a thousand rows pays for one TCP and TLS
/// handshake, not a thousand. Not thread-safe: one thread (the dispatcher's sender) sends one
/// message at a time. The calls are synchronous on purpose: a blocking socket read wakes the
/// one sending thread directly, where async reads hand every reply through the thread pool,
/// whose spinning workers cost more CPU than the SMTP exchange itself on a small machine.
/// </summary>
public sealed class RelayTransport : IDisposable
{
    private static readonly Regex EnhancedCode = new Regex(@"^\s*([245]\.\d{1,3}\.\d{1,3})\b", RegexOptions.CultureInvariant);

    private readonly RelaySendOptions options;
    private readonly IRelaySendObserver? observer;
    private readonly Dictionary<string, Connection> connections = new Dictionary<string, Connection>(StringComparer.Ordinal);

    // The connection the sender thread is using, for a cancellation from another thread.
    private Connection? active;

    /// <summary>Creates a transport with the given connection rules.</summary>
    public RelayTransport(RelaySendOptions options, IRelaySendObserver? observer = null)
    {
        this.options = options ?? throw new ArgumentNullException(nameof(options));
        this.observer = observer;
    }

    /// <summary>How many SMTP sessions this transport opened (a pipeline over one server opens one).</summary>
    public int SessionsOpened { get; private set; }

    /// <summary>
    /// Tries <paramref name="mime"/> on the candidates in order. The next candidate is tried
    /// when a server cannot be reached, its TLS fails or it refuses at the greeting or at
    /// login (RFC 5321 3.8: a 421 greeting means "try elsewhere"); a reply to the transaction
    /// itself decides: 2xx sent, 4xx transient, 5xx permanent (RFC 5321 4.2.1).
    /// </summary>
    internal RelayAttempt Send(MimeMessage mime, string envelopeFrom, IReadOnlyList<string> recipients, IReadOnlyList<RelayTarget> candidates, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        // The calls below block on a socket; a cancelled token (Ctrl+C) closes the socket in
        // use, which ends the blocked read at once, and the failure that follows is reported
        // as the cancellation it is.
        using CancellationTokenRegistration abort = cancellationToken.Register(() => Volatile.Read(ref active)?.Abort());
        try
        {
            return SendCore(mime, envelopeFrom, recipients, candidates, cancellationToken);
        }
        catch (Exception ex) when (!(ex is OperationCanceledException) && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("Sending was stopped.", ex, cancellationToken);
        }
        finally
        {
            Volatile.Write(ref active, null);
        }
    }

    private RelayAttempt SendCore(MimeMessage mime, string envelopeFrom, IReadOnlyList<string> recipients, IReadOnlyList<RelayTarget> candidates, CancellationToken cancellationToken)
    {
        var attempt = new RelayAttempt { Outcome = RelayAttemptOutcome.Transient };
        if (candidates.Count == 0)
        {
            attempt.Error = "No relay server to try.";
            return attempt;
        }

        var failures = new List<string>();
        foreach (RelayTarget target in candidates)
        {
            Connection? connection = GetConnection(target, failures, cancellationToken);
            if (connection is null)
            {
                continue;
            }

            attempt.Server = target.Name;
            bool retried = false;
            while (true)
            {
                TransactionResult result = Transact(connection, mime, envelopeFrom, recipients, cancellationToken);
                if (result.StaleConnection && connection.Reused && !retried)
                {
                    // A kept connection the server closed while idle (RFC 5321 4.5.3.2 timeouts):
                    // nothing of this message reached it, so open a fresh one and try again.
                    Step($"SMTP connection to {target.Name} was closed by the server; reconnecting");
                    Drop(target);
                    retried = true;
                    connection = GetConnection(target, failures, cancellationToken);
                    if (connection is null)
                    {
                        break;
                    }

                    continue;
                }

                if (result.StaleConnection || result.Dropped)
                {
                    Drop(target);
                }

                Fill(attempt, result, target);
                return attempt;
            }
        }

        attempt.Outcome = RelayAttemptOutcome.Transient;
        attempt.Error = "No relay server could be used: " + string.Join("; ", failures);
        return attempt;
    }

    /// <summary>Says QUIT to every kept connection and closes it.</summary>
    public void Dispose()
    {
        foreach (Connection connection in connections.Values)
        {
            connection.Close();
        }

        connections.Clear();
    }

    private static void Fill(RelayAttempt attempt, TransactionResult result, RelayTarget target)
    {
        attempt.Server = target.Name;
        attempt.Accepted.AddRange(result.Accepted);
        attempt.Rejected.AddRange(result.Rejected);
        attempt.Error = result.Error;
        attempt.StatusCode = result.StatusCode;
        attempt.EnhancedStatusCode = result.EnhancedStatusCode;
        attempt.Outcome = result.Outcome;
    }

    private Connection? GetConnection(RelayTarget target, List<string> failures, CancellationToken cancellationToken)
    {
        if (connections.TryGetValue(target.Key, out Connection? kept))
        {
            if (kept.Client.IsConnected)
            {
                kept.Reused = true;
                Volatile.Write(ref active, kept);
                return kept;
            }

            Drop(target);
        }

        var connection = new Connection(this, target);
        Volatile.Write(ref active, connection);
        try
        {
            connection.Open(cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            connection.Close();
            string reason = Describe(ex, connection);
            failures.Add($"{target.Name}: {reason}");
            Step($"SMTP {target.Name} ({target.Host}:{target.Port}) failed: {reason}; trying the next relay");
            return null;
        }

        SessionsOpened++;
        connections[target.Key] = connection;
        return connection;
    }

    private void Drop(RelayTarget target)
    {
        if (connections.TryGetValue(target.Key, out Connection? connection))
        {
            connections.Remove(target.Key);
            connection.Close();
        }
    }

    /// <summary>The stored bytes as the message MailKit sends. Parsing the bytes (rather than
    /// sending the composed object) makes a first attempt and every retry send the same thing,
    /// DKIM signature included.</summary>
    internal static MimeMessage Parse(byte[] mime)
    {
        using var stream = new MemoryStream(mime, writable: false);
        return MimeMessage.Load(stream);
    }

    private TransactionResult Transact(Connection connection, MimeMessage message, string envelopeFrom, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        var result = new TransactionResult();

        RelayClient client = connection.Client;
        client.Rejected.Clear();
        connection.Log.DataStarted = false;
        MailboxAddress sender = new MailboxAddress(string.Empty, envelopeFrom);
        MailboxAddress[] to = recipients.Select(r => new MailboxAddress(string.Empty, r)).ToArray();
        try
        {
            using var step = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            step.CancelAfter(TimeSpan.FromMinutes(10));
            client.Send(FormatOptions.Default, message, sender, to, step.Token);
            result.Outcome = RelayAttemptOutcome.Sent;
            result.Rejected.AddRange(client.Rejected);
            var rejected = new HashSet<string>(client.Rejected.Select(r => r.Address), StringComparer.OrdinalIgnoreCase);
            result.Accepted.AddRange(recipients.Where(r => !rejected.Contains(r)));
            return result;
        }
        catch (SmtpCommandException ex)
        {
            result.Rejected.AddRange(client.Rejected);
            int code = (int)ex.StatusCode;
            // MailKit ends a transaction whose every RCPT was refused itself, with a 554 "No recipients
            // were accepted" (MessageNotAccepted) that the server never sent: the replies to RCPT decide.
            if ((ex.ErrorCode == SmtpErrorCode.RecipientNotAccepted || ex.ErrorCode == SmtpErrorCode.MessageNotAccepted) && client.Rejected.Count > 0 && client.Rejected.Count >= recipients.Count)
            {
                // Every recipient refused: the worst reply decides (any 4xx may still succeed later).
                RelayRecipientRejection? transient = client.Rejected.FirstOrDefault(r => r.StatusCode / 100 == 4);
                RelayRecipientRejection first = transient ?? client.Rejected[0];
                code = first.StatusCode ?? code;
                result.Error = "Every recipient was rejected: " + string.Join("; ", client.Rejected.Select(r => r.ToString()));
            }
            else
            {
                result.Error = $"{Verb(ex.ErrorCode)} was answered {code} {ex.Message.Trim()}";
            }

            result.StatusCode = code;
            result.EnhancedStatusCode = Enhanced(ex.Message) ?? result.Rejected.Select(r => r.EnhancedStatusCode).FirstOrDefault(e => e is not null);
            result.Outcome = code / 100 == 5 ? RelayAttemptOutcome.Permanent : RelayAttemptOutcome.Transient;
            Reset(client, cancellationToken);
            return result;
        }
        catch (Exception ex) when (IsConnectionFailure(ex) && !cancellationToken.IsCancellationRequested)
        {
            // The connection broke. Before DATA nothing was delivered; during DATA the server
            // never said 250, so the message counts as not delivered and is retried later
            // (RFC 5321 4.1.1.4: the transaction completes only with the final reply).
            result.Rejected.AddRange(client.Rejected);
            result.StaleConnection = !connection.Log.DataStarted;
            result.Dropped = true;
            result.Outcome = RelayAttemptOutcome.Transient;
            result.Error = $"The connection to {connection.Target.Name} was lost{(connection.Log.DataStarted ? " during DATA" : string.Empty)}: {ex.Message}";
            return result;
        }
    }

    private static void Reset(RelayClient client, CancellationToken cancellationToken)
    {
        try
        {
            if (client.IsConnected)
            {
                client.NoOp(cancellationToken);
            }
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            // The connection will be reopened for the next message.
        }
    }

    private static bool IsConnectionFailure(Exception ex)
        => ex is IOException || ex is SocketException || ex is ServiceNotConnectedException || ex is SmtpProtocolException
            || ex is TimeoutException || ex is OperationCanceledException;

    private static string Verb(SmtpErrorCode code) => code switch
    {
        SmtpErrorCode.SenderNotAccepted => "MAIL FROM",
        SmtpErrorCode.RecipientNotAccepted => "RCPT TO",
        SmtpErrorCode.MessageNotAccepted => "DATA",
        _ => "The command",
    };

    internal static string? Enhanced(string? text)
    {
        Match match = EnhancedCode.Match(text ?? string.Empty);
        return match.Success ? match.Groups[1].Value : null;
    }

    private string Describe(Exception ex, Connection connection)
    {
        SmtpFailureReason? tls = connection.Validator.Problem;
        return ex switch
        {
            SslHandshakeException when tls is not null => $"TLS failed: the certificate was refused ({tls}){(connection.Validator.Info is null ? string.Empty : " for " + connection.Validator.Info.Subject)}",
            SslHandshakeException => "TLS failed: " + ex.Message,
            SmtpCommandException command => $"{(int)command.StatusCode} {command.Message.Trim()}",
            MailKit.Security.AuthenticationException => "the server rejected the login: " + ex.Message,
            _ => ex.Message,
        };
    }

    private void Step(string line) => observer?.OnStep(line);

    private sealed class TransactionResult
    {
        public RelayAttemptOutcome Outcome { get; set; }

        public bool StaleConnection { get; set; }

        public bool Dropped { get; set; }

        public string? Error { get; set; }

        public int? StatusCode { get; set; }

        public string? EnhancedStatusCode { get; set; }

        public List<string> Accepted { get; } = new List<string>();

        public List<RelayRecipientRejection> Rejected { get; } = new List<RelayRecipientRejection>();
    }

    /// <summary>MailKit's client that records refused recipients instead of throwing at the
    /// first one, so the others still get the message (RFC 5321 3.3: RCPT per recipient).</summary>
    private sealed class RelayClient : SmtpClient
    {
        public RelayClient(IProtocolLogger logger)
            : base(logger)
        {
        }

        public List<RelayRecipientRejection> Rejected { get; } = new List<RelayRecipientRejection>();

        protected override void OnRecipientNotAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response)
        {
            Rejected.Add(new RelayRecipientRejection(mailbox.Address, (int)response.StatusCode, Enhanced(response.Response), response.Response.Trim()));
        }
    }

    /// <summary>Writes the session to the observer, with AUTH masked (SmtpSessionLog) and the
    /// message content summarised rather than echoed.</summary>
    private sealed class FilteredLog
    {
        private readonly RelayTransport owner;
        private bool inContent;
        private int contentLines;

        public FilteredLog(RelayTransport owner) => this.owner = owner;

        public bool DataStarted { get; set; }

        public void Write(string line)
        {
            if (line.StartsWith("C: ", StringComparison.Ordinal))
            {
                if (inContent)
                {
                    contentLines++;
                    return;
                }

                if (string.Equals(line, "C: DATA", StringComparison.OrdinalIgnoreCase) || line.StartsWith("C: BDAT", StringComparison.OrdinalIgnoreCase))
                {
                    DataStarted = true;
                }
            }
            else if (line.StartsWith("S: ", StringComparison.Ordinal))
            {
                if (inContent)
                {
                    owner.Step($"C: (message content, {contentLines} lines)");
                    inContent = false;
                }

                if (line.StartsWith("S: 354", StringComparison.Ordinal))
                {
                    owner.Step(line);
                    inContent = true;
                    contentLines = 0;
                    return;
                }
            }

            owner.Step(line);
        }
    }

    /// <summary>
    /// The protocol logger when no step is wanted: it only notices that DATA (or BDAT) was sent,
    /// which decides whether a dropped connection may have taken the message (RFC 5321
    /// 4.1.1.4), by looking at the first bytes the client writes, without decoding anything.
    /// </summary>
    private sealed class DataWatch : IProtocolLogger
    {
        private readonly FilteredLog log;

        public DataWatch(FilteredLog log) => this.log = log;

        public IAuthenticationSecretDetector? AuthenticationSecretDetector { get; set; }

        public void LogConnect(Uri uri)
        {
        }

        public void LogClient(byte[] buffer, int offset, int count)
        {
            // Until DATA every byte the client writes is a command (short), so each line start
            // is checked: with PIPELINING (RFC 2920) DATA may follow MAIL and RCPT in one write.
            // After it, the content is never scanned.
            int end = offset + count;
            for (int i = offset; i < end && !log.DataStarted; i++)
            {
                if ((i == offset || (i >= offset + 2 && buffer[i - 1] == '\n' && buffer[i - 2] == '\r'))
                    && (StartsWith(buffer, i, end - i, "DATA\r") || StartsWith(buffer, i, end - i, "BDAT ")))
                {
                    log.DataStarted = true;
                }
            }
        }

        public void LogServer(byte[] buffer, int offset, int count)
        {
        }

        public void Dispose()
        {
        }

        private static bool StartsWith(byte[] buffer, int offset, int count, string verb)
        {
            if (count < verb.Length)
            {
                return false;
            }

            for (int i = 0; i < verb.Length; i++)
            {
                // Commands are ASCII; OR 0x20 folds letters to lower case (RFC 5321 2.4: verbs
                // are case-insensitive).
                if ((buffer[offset + i] | 0x20) != (verb[i] | 0x20))
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>One kept SMTP session.</summary>
    private sealed class Connection
    {
        private readonly RelayTransport owner;
        private readonly SmtpSessionLog sessionLog;
        private Socket? socket;

        public Connection(RelayTransport owner, RelayTarget target)
        {
            this.owner = owner;
            Target = target;
            Log = new FilteredLog(owner);
            sessionLog = new SmtpSessionLog(Log.Write);
            Validator = new SmtpCertificateValidator(owner.options.AdditionalTrustedRoots, owner.options.SkipCertificateCheck);
            Client = new RelayClient(owner.options.LogProtocol ? sessionLog : new DataWatch(Log))
            {
                Timeout = (int)Math.Min(int.MaxValue, owner.options.Timeout.TotalMilliseconds),
                ServerCertificateValidationCallback = Validator.Validate,

                // Revocation lists would be fetched from the internet for every connection; the
                // chain, name and dates are checked (as Test-SmtpServer does).
                CheckCertificateRevocation = false,
            };
            if (!string.IsNullOrWhiteSpace(owner.options.HeloName))
            {
                Client.LocalDomain = owner.options.HeloName!.Trim();
            }
        }

        public RelayTarget Target { get; }

        public RelayClient Client { get; }

        public FilteredLog Log { get; }

        public SmtpCertificateValidator Validator { get; }

        public bool Reused { get; set; }

        public void Open(CancellationToken cancellationToken)
        {
            owner.Step($"SMTP connecting to {Target.Name} ({Target.Host}:{Target.Port}, {Target.Security}){(owner.options.SkipCertificateCheck ? ", certificate check skipped" : string.Empty)}");
            SecureSocketOptions socketOptions = Target.Security switch
            {
                RelaySecurity.None => SecureSocketOptions.None,
                RelaySecurity.StartTls => SecureSocketOptions.StartTls,
                RelaySecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
                RelaySecurity.StartTlsWhenAvailable => SecureSocketOptions.StartTlsWhenAvailable,
                _ => Target.Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTlsWhenAvailable,
            };
            using var step = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            step.CancelAfter(owner.options.Timeout);
            try
            {
                string host = Target.Host.Trim('[', ']');
                Socket socket = BlockingSocket.Connect(host, Target.Port, owner.options.Timeout, step.Token);
                this.socket = socket;
                if (cancellationToken.IsCancellationRequested)
                {
                    // Stopped between the connect and here: Abort may have looked too early.
                    socket.Dispose();
                    cancellationToken.ThrowIfCancellationRequested();
                }

                try
                {
                    // MailKit takes the connected socket over (and closes it with the client).
                    Client.Connect(socket, host, Target.Port, socketOptions, step.Token);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }

                if (Target.Credential is not null)
                {
                    if (!Client.IsSecure && !owner.options.AllowUnencryptedAuthentication)
                    {
                        // Refused before a byte of the credential leaves the machine (RFC 4954 14).
                        throw new MailKit.Security.AuthenticationException($"AUTH was not attempted: the connection to {Target.Name} is not encrypted (use StartTls or SslOnConnect, or -AllowUnencryptedAuthentication).");
                    }

                    sessionLog.Authenticating = true;
                    try
                    {
                        Client.Authenticate(Target.Credential, step.Token);
                    }
                    finally
                    {
                        sessionLog.Authenticating = false;
                    }
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{Target.Host}:{Target.Port} did not answer within {owner.options.Timeout.TotalSeconds:0} s.");
            }
        }

        /// <summary>Closes the socket under a blocked call (from another thread): the call then
        /// fails at once instead of waiting for its timeout.</summary>
        public void Abort()
        {
            try
            {
                socket?.Dispose();
            }
            catch (ObjectDisposedException)
            {
                // Already closed.
            }
        }

        public void Close()
        {
            try
            {
                if (Client.IsConnected)
                {
                    using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    Client.Disconnect(true, quit.Token);
                }
            }
            catch (Exception ex) when (ex is IOException || ex is SocketException || ex is MailKit.CommandException || ex is ProtocolException || ex is OperationCanceledException || ex is ServiceNotConnectedException)
            {
                // QUIT is a courtesy; a server that dropped the line is closed anyway.
            }

            Client.Dispose();
        }
    }
}
