using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace MailOps.Core.Smtp;

/// <summary>
/// Runs one submission test: connect, TLS, EHLO, optionally AUTH, MAIL FROM and RCPT TO, then
/// RSET and QUIT. It never sends DATA, never sends a password over plain text unless allowed,
/// and never downgrades StartTls. Every failure about the server becomes data in the result.
/// </summary>
public sealed class SmtpServerTester
{
    private readonly ISmtpTestObserver? observer;

    /// <summary>Creates a tester that reports each step to <paramref name="observer"/>.</summary>
    public SmtpServerTester(ISmtpTestObserver? observer = null) => this.observer = observer;

    /// <summary>Checks a server name: a host name (one label allowed, as on an intranet) or an IP address.</summary>
    public static bool IsValidServerName(string? server, out string? error)
    {
        error = null;
        string host = (server ?? string.Empty).Trim();
        if (host.StartsWith("[", StringComparison.Ordinal) && host.EndsWith("]", StringComparison.Ordinal))
        {
            host = host.Substring(1, host.Length - 2);
        }

        if (host.Length == 0 || Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            error = $"'{server}' is not a server name or IP address.";
            return false;
        }

        return true;
    }

    /// <summary>Checks an address for MAIL FROM / RCPT TO: local@domain, nothing that could
    /// inject a command (RFC 5321 section 4.1.2: no CR, LF, angle brackets or spaces).</summary>
    public static bool IsValidAddress(string? address, out string? error)
    {
        error = null;
        string value = address ?? string.Empty;
        int at = value.LastIndexOf('@');
        if (at <= 0 || at == value.Length - 1 || value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '<' || c == '>'))
        {
            error = $"'{address}' is not an e-mail address usable in MAIL FROM or RCPT TO.";
            return false;
        }

        return true;
    }

    /// <summary>Runs the test. Only cancellation throws; everything about the server is in the result.</summary>
    public async Task<SmtpServerTest> TestAsync(SmtpTestOptions options, CancellationToken cancellationToken)
    {
        string server = options.Server.Trim();
        int port = options.EffectivePort;
        SmtpSecurityMode security = options.EffectiveSecurity;
        var result = new SmtpServerTest(server, port, options.Security) { Security = security, CertificateCheckSkipped = options.SkipCertificateCheck };
        var run = new Run(this, options, result, server, port, security);
        Stopwatch total = Stopwatch.StartNew();
        try
        {
            await run.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            run.Fail(ex);
        }
        finally
        {
            result.Timings.TotalMs = Math.Round(total.Elapsed.TotalMilliseconds, 1);
            run.Dispose();
        }

        Step(result.Succeeded ? $"SMTP test of {server}:{port} passed" : $"SMTP test of {server}:{port} failed at {result.Stage}: {result.Error}");
        return result;
    }

    private void Step(string line) => observer?.OnStep(line);

    /// <summary>MailKit's client with the custom-command door opened for MAIL FROM / RCPT TO / RSET
    /// without a message (MailKit's Send always goes on to DATA).</summary>
    private sealed class ProbeClient : SmtpClient
    {
        public ProbeClient(IProtocolLogger logger)
            : base(logger)
        {
        }

        public Task<SmtpResponse> CommandAsync(string command, CancellationToken cancellationToken) => SendCommandAsync(command, cancellationToken);
    }

    /// <summary>The state of one test run.</summary>
    private sealed class Run : IDisposable
    {
        private readonly SmtpServerTester owner;
        private readonly SmtpTestOptions options;
        private readonly SmtpServerTest result;
        private readonly string server;
        private readonly int port;
        private readonly SmtpSecurityMode security;
        private readonly SmtpSessionLog log;
        private readonly ProbeClient client;
        private readonly SmtpCertificateValidator validator;
        private readonly Stopwatch clock = Stopwatch.StartNew();
        private SmtpTestStage stage = SmtpTestStage.Connect;
        private bool connected;
        private bool timedOut;
        private double mark;
        private double? tlsStart;

        public Run(SmtpServerTester owner, SmtpTestOptions options, SmtpServerTest result, string server, int port, SmtpSecurityMode security)
        {
            this.owner = owner;
            this.options = options;
            this.result = result;
            this.server = server;
            this.port = port;
            this.security = security;
            log = new SmtpSessionLog(owner.Step);
            log.CommandSent += OnCommand;
            log.ReplyReceived += OnReply;
            validator = new SmtpCertificateValidator(options.AdditionalTrustedRoots, options.SkipCertificateCheck);
            client = new ProbeClient(log)
            {
                Timeout = (int)Math.Min(int.MaxValue, options.Timeout.TotalMilliseconds),
                ServerCertificateValidationCallback = validator.Validate,

                // Revocation lists would be fetched from the internet on every test; the chain,
                // name and dates are checked, as MTA-STS does (RFC 8461 section 3.3).
                CheckCertificateRevocation = false,
            };
            if (!string.IsNullOrWhiteSpace(options.HeloName))
            {
                client.LocalDomain = options.HeloName!.Trim();
            }
        }

        private double Now => clock.Elapsed.TotalMilliseconds;

        public async Task ExecuteAsync(CancellationToken cancellationToken)
        {
            owner.Step($"SMTP test of {server}:{port} with {security}{(options.SkipCertificateCheck ? " (certificate check skipped)" : string.Empty)}");
            Socket socket = await ConnectSocketAsync(cancellationToken).ConfigureAwait(false);
            connected = true;
            result.Timings.ConnectMs = Round(Now);
            mark = Now;
            if (security == SmtpSecurityMode.SslOnConnect)
            {
                stage = SmtpTestStage.Tls;
                tlsStart = Now;
            }

            SecureSocketOptions socketOptions = security switch
            {
                SmtpSecurityMode.None => SecureSocketOptions.None,
                SmtpSecurityMode.StartTls => SecureSocketOptions.StartTls,
                SmtpSecurityMode.SslOnConnect => SecureSocketOptions.SslOnConnect,
                _ => SecureSocketOptions.StartTlsWhenAvailable,
            };
            await WithTimeout(ct => client.ConnectAsync(socket, server, port, socketOptions, ct), cancellationToken).ConfigureAwait(false);
            CloseEhloTiming();
            ReadCapabilities();

            if (options.Credential is not null)
            {
                stage = SmtpTestStage.Authenticate;
                await AuthenticateAsync(cancellationToken).ConfigureAwait(false);
                if (result.Error is not null)
                {
                    return;
                }
            }

            if (options.From is not null || options.To.Length > 0)
            {
                if (!await EnvelopeAsync(cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }

            stage = SmtpTestStage.Done;
            result.Stage = SmtpTestStage.Done;
            result.Succeeded = true;
            await QuitAsync(cancellationToken).ConfigureAwait(false);
        }

        private async Task<Socket> ConnectSocketAsync(CancellationToken cancellationToken)
        {
            string host = server.StartsWith("[", StringComparison.Ordinal) ? server.Trim('[', ']') : server;
            IPAddress[] addresses = IPAddress.TryParse(host, out IPAddress? literal)
                ? new[] { literal }
                : await System.Net.Dns.GetHostAddressesAsync(host).ConfigureAwait(false);
            owner.Step($"SMTP resolved {host} to {string.Join(", ", addresses.Select(a => a.ToString()))}");
            Exception? last = null;
            foreach (IPAddress address in addresses)
            {
                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    owner.Step($"SMTP connecting to {address}:{port}");
                    Task connect = socket.ConnectAsync(new IPEndPoint(address, port));
                    Task done = await Task.WhenAny(connect, Task.Delay(options.Timeout, cancellationToken)).ConfigureAwait(false);
                    if (done != connect)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        timedOut = true;
                        throw new TimeoutException($"No TCP connection to {address}:{port} within {options.Timeout.TotalSeconds:0} s.");
                    }

                    await connect.ConfigureAwait(false);
                    return socket;
                }
                catch (SocketException ex)
                {
                    socket.Dispose();
                    last = ex;
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            }

            throw last ?? new SocketException((int)SocketError.HostNotFound);
        }

        private async Task AuthenticateAsync(CancellationToken cancellationToken)
        {
            if (!client.IsSecure && !options.AllowUnencryptedAuthentication)
            {
                // Refused before a byte of the credential leaves the machine.
                SetError(SmtpFailureReason.UnencryptedAuthenticationRefused, null, "AUTH was not attempted: the connection is not encrypted.");
                await QuitAsync(cancellationToken).ConfigureAwait(false);
                return;
            }

            if (client.AuthenticationMechanisms.Count == 0)
            {
                SetError(SmtpFailureReason.AuthenticationNotOffered, null, "The server does not offer AUTH (RFC 4954) on this connection.");
                await QuitAsync(cancellationToken).ConfigureAwait(false);
                return;
            }

            double start = Now;
            log.Authenticating = true;
            try
            {
                await WithTimeout(ct => client.AuthenticateAsync(options.Credential!, ct), cancellationToken).ConfigureAwait(false);
            }
            catch (MailKit.Security.AuthenticationException)
            {
                log.Authenticating = false;
                result.Timings.AuthMs = Round(Now - start);
                SetError(SmtpFailureReason.AuthenticationFailed, log.LastReply, "The server rejected the login.");
                await QuitAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            finally
            {
                log.Authenticating = false;
            }

            result.Timings.AuthMs = Round(Now - start);
            result.Authenticated = true;
            owner.Step("SMTP authenticated");
        }

        private async Task<bool> EnvelopeAsync(CancellationToken cancellationToken)
        {
            stage = SmtpTestStage.MailFrom;
            double start = Now;
            SmtpResponse mail = await WithTimeout(ct => client.CommandAsync($"MAIL FROM:<{options.From ?? string.Empty}>", ct), cancellationToken).ConfigureAwait(false);
            result.Timings.MailFromMs = Round(Now - start);
            result.SenderAccepted = (int)mail.StatusCode / 100 == 2;
            if (result.SenderAccepted != true)
            {
                SetError(SmtpFailureReason.Reply, log.LastReply, $"MAIL FROM:<{options.From}> was rejected.");
                await ResetAndQuitAsync(cancellationToken).ConfigureAwait(false);
                return false;
            }

            stage = SmtpTestStage.RcptTo;
            var accepted = new List<string>();
            var rejected = new List<string>();
            SmtpReply? firstRejection = null;
            start = Now;
            foreach (string to in options.To)
            {
                SmtpResponse rcpt = await WithTimeout(ct => client.CommandAsync($"RCPT TO:<{to}>", ct), cancellationToken).ConfigureAwait(false);
                if ((int)rcpt.StatusCode / 100 == 2)
                {
                    accepted.Add(to);
                }
                else
                {
                    rejected.Add(to);
                    firstRejection ??= log.LastReply;
                }
            }

            if (options.To.Length > 0)
            {
                result.Timings.RcptToMs = Round(Now - start);
            }

            result.RecipientsAccepted = accepted.ToArray();
            result.RecipientsRejected = rejected.ToArray();
            if (rejected.Count > 0)
            {
                SetError(SmtpFailureReason.Reply, firstRejection, $"RCPT TO was rejected for {string.Join(", ", rejected)}.");
                await ResetAndQuitAsync(cancellationToken).ConfigureAwait(false);
                return false;
            }

            // RFC 5321 section 4.1.1.5: RSET abandons the transaction, so nothing is sent.
            await WithTimeout(ct => client.CommandAsync("RSET", ct), cancellationToken).ConfigureAwait(false);
            return true;
        }

        private async Task ResetAndQuitAsync(CancellationToken cancellationToken)
        {
            try
            {
                await WithTimeout(ct => client.CommandAsync("RSET", ct), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                // The verdict is already made; a failing RSET changes nothing about it.
            }

            await QuitAsync(cancellationToken).ConfigureAwait(false);
        }

        private async Task QuitAsync(CancellationToken cancellationToken)
        {
            try
            {
                if (client.IsConnected)
                {
                    await WithTimeout(ct => client.DisconnectAsync(true, ct), cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                // QUIT is a courtesy; a server that drops the line first has still been tested.
            }
        }

        private async Task WithTimeout(Func<CancellationToken, Task> action, CancellationToken cancellationToken)
            => await WithTimeout(async ct => { await action(ct).ConfigureAwait(false); return true; }, cancellationToken).ConfigureAwait(false);

        private async Task<T> WithTimeout<T>(Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken)
        {
            using var step = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            step.CancelAfter(options.Timeout);
            try
            {
                return await action(step.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                timedOut = true;
                throw new TimeoutException($"The server did not answer within {options.Timeout.TotalSeconds:0} s.");
            }
        }

        private void OnCommand(string verb)
        {
            double now = Now;
            if (verb == "EHLO" || verb == "HELO")
            {
                if (stage == SmtpTestStage.Tls && tlsStart is not null)
                {
                    result.Timings.TlsMs = Round(now - tlsStart.Value);
                    tlsStart = null;
                }

                if (stage == SmtpTestStage.Connect)
                {
                    result.Timings.ConnectMs = Round(now);
                }

                stage = SmtpTestStage.Ehlo;
                mark = now;
            }
            else if (verb == "STARTTLS")
            {
                CloseEhloTiming();
                stage = SmtpTestStage.Tls;
                tlsStart = now;
            }
        }

        private void OnReply(SmtpReply reply)
        {
            if (stage == SmtpTestStage.Tls && security == SmtpSecurityMode.SslOnConnect && tlsStart is not null && log.Greeting == reply)
            {
                // With implicit TLS the greeting is the first thing read after the handshake.
                result.Timings.TlsMs = Round(Now - tlsStart.Value);
                tlsStart = null;
                stage = SmtpTestStage.Connect;
            }

            if (log.Greeting == reply)
            {
                result.Banner = reply.Text;
            }

            if (stage == SmtpTestStage.Ehlo && log.LastCommand == "EHLO")
            {
                result.Timings.EhloMs = Round((result.Timings.EhloMs ?? 0) + (Now - mark));
                mark = Now;
            }
        }

        private void CloseEhloTiming()
        {
            // EHLO time is summed per reply in OnReply; nothing left open here.
        }

        private void ReadCapabilities()
        {
            result.Security = client.IsSecure ? (security == SmtpSecurityMode.SslOnConnect ? SmtpSecurityMode.SslOnConnect : SmtpSecurityMode.StartTls) : SmtpSecurityMode.None;
            if (log.LastEhloReply is not null)
            {
                // The first line is the server's name; each further line is one keyword (RFC 5321 section 4.1.1.1).
                result.Capabilities = log.LastEhloReply.Lines.Skip(1).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
            }

            result.AuthenticationMechanisms = client.AuthenticationMechanisms.ToArray();
            result.MaxMessageSize = (client.Capabilities & SmtpCapabilities.Size) != 0 && client.MaxSize > 0 ? (long)client.MaxSize : null;
            if (client.IsSecure)
            {
                result.TlsProtocol = client.SslProtocol.ToString();
                result.CipherSuite = $"{client.SslCipherAlgorithm} {client.SslCipherStrength}-bit, {client.SslHashAlgorithm}, {client.SslKeyExchangeAlgorithm}";
            }

            result.Certificate = validator.Info;
            owner.Step($"SMTP EHLO: {string.Join(" | ", result.Capabilities)}");
        }

        /// <summary>Turns an exception into the result's error, at the stage it happened.</summary>
        public void Fail(Exception ex)
        {
            result.Certificate ??= validator.Info;
            if (result.Error is not null)
            {
                return;
            }

            SmtpReply? reply = null;
            SmtpFailureReason reason;
            Exception root = ex;
            while ((root is IOException || root is AggregateException) && root.InnerException is not null)
            {
                root = root.InnerException;
            }

            if (validator.Problem is SmtpFailureReason certificateProblem && !options.SkipCertificateCheck)
            {
                stage = SmtpTestStage.Tls;
                reason = certificateProblem;
            }
            else if (timedOut || root is TimeoutException || (root is SocketException timeoutSocket && timeoutSocket.SocketErrorCode == SocketError.TimedOut))
            {
                reason = SmtpFailureReason.Timeout;
            }
            else if (root is SocketException socket)
            {
                reason = socket.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => SmtpFailureReason.ConnectionRefused,
                    SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => SmtpFailureReason.HostNotFound,
                    _ => SmtpFailureReason.NetworkError,
                };
            }
            else if (ex is SslHandshakeException || root is System.Security.Authentication.AuthenticationException)
            {
                stage = SmtpTestStage.Tls;
                reason = SmtpFailureReason.TlsHandshakeFailed;
            }
            else if (ex is NotSupportedException && security == SmtpSecurityMode.StartTls)
            {
                // MailKit refuses to go on without the STARTTLS it was told to require (RFC 3207).
                stage = SmtpTestStage.Tls;
                reason = SmtpFailureReason.StartTlsNotOffered;
            }
            else if (ex is SmtpCommandException)
            {
                reason = SmtpFailureReason.Reply;
                reply = log.LastReply;
            }
            else if (ex is SmtpProtocolException && security == SmtpSecurityMode.StartTls && stage == SmtpTestStage.Connect && log.Greeting is null)
            {
                reason = SmtpFailureReason.ProtocolError;
            }
            else if (ex is SmtpProtocolException || ex is IOException || ex is ServiceNotConnectedException)
            {
                reason = connected && log.Greeting is null ? SmtpFailureReason.ProtocolError : SmtpFailureReason.NetworkError;
                reply = log.LastReply;
                if (reply is not null && reply.Code >= 400)
                {
                    reason = SmtpFailureReason.Reply;
                }
            }
            else
            {
                reason = SmtpFailureReason.ProtocolError;
            }

            SetError(reason, reply, ex.Message);
        }

        private void SetError(SmtpFailureReason reason, SmtpReply? reply, string message)
        {
            result.Succeeded = false;
            result.Stage = stage;
            result.Certificate ??= validator.Info;
            bool transient = reason == SmtpFailureReason.Timeout || (reply is not null && reply.Code >= 400 && reply.Code < 500);
            string? hint = SmtpHints.For(stage, reason, server, port, security, reply, connected, client.IsSecure, result.Certificate);
            result.Error = new SmtpTestError(stage, reason, reply?.Code, reply?.EnhancedCode, reply?.Text, transient, message, hint);
        }

        private static double Round(double ms) => Math.Round(ms, 1);

        public void Dispose() => client.Dispose();
    }
}
