using System;
using System.Globalization;

namespace MailOps.Core.Smtp;

/// <summary>
/// What to do about a failed stage: the advice an experienced admin gives when a client says
/// "test connection failed". One function of the facts so it can be tested without a server.
/// </summary>
internal static class SmtpHints
{
    /// <summary>The hint for a failure; null when there is nothing better to say than the message.</summary>
    /// <param name="stage">The stage that failed.</param>
    /// <param name="reason">The kind of failure.</param>
    /// <param name="server">The server name as given.</param>
    /// <param name="port">The port used.</param>
    /// <param name="security">The security mode used (Auto resolved).</param>
    /// <param name="reply">The server's reply, when there was one.</param>
    /// <param name="connected">Whether the TCP connection was established.</param>
    /// <param name="secure">Whether the connection was encrypted when it failed.</param>
    /// <param name="certificate">The certificate, for certificate failures.</param>
    public static string? For(SmtpTestStage stage, SmtpFailureReason reason, string server, int port, SmtpSecurityMode security, SmtpReply? reply, bool connected, bool secure, SmtpCertificateInfo? certificate)
    {
        switch (reason)
        {
            case SmtpFailureReason.HostNotFound:
                return $"The name {server} does not resolve: check the spelling and the DNS server this machine uses.";
            case SmtpFailureReason.ConnectionRefused:
                return $"Nothing listens on port {port} at {server}, or a firewall rejects the connection: check the port (587 with -Security StartTls, 465 with -Security SslOnConnect, 25 is for server-to-server mail) and the firewall.";
            case SmtpFailureReason.NetworkError:
                return "The network path to the server failed: check routing, VPN and firewalls between this machine and the server.";
            case SmtpFailureReason.Timeout:
                return TimeoutHint(stage, port, security, connected);
            case SmtpFailureReason.StartTlsNotOffered:
                return port == 465
                    ? "Port 465 expects TLS at once (implicit TLS): use -Security SslOnConnect."
                    : $"The server does not offer STARTTLS on port {port}, and MailOps never downgrades to plain text: use the server's TLS port (465 with -Security SslOnConnect, or 587 with -Security StartTls); use -Security None only on a trusted network.";
            case SmtpFailureReason.TlsHandshakeFailed:
                if (security == SmtpSecurityMode.SslOnConnect)
                {
                    return $"The server on port {port} speaks plain SMTP first{(port == 587 || port == 25 ? " (as 587 and 25 do)" : string.Empty)}, so a TLS handshake at once fails: use -Security StartTls.";
                }

                return port == 465
                    ? "Port 465 expects TLS at once (implicit TLS): use -Security SslOnConnect."
                    : "The TLS handshake failed: the server may offer only old TLS versions or ciphers this system refuses; ask its admin to enable TLS 1.2 or later.";
            case SmtpFailureReason.CertificateExpired:
                return $"The server's certificate expired{(certificate is null ? string.Empty : " on " + certificate.NotAfter.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))}: the server's admin must renew it; use -SkipCertificateCheck only to go on testing.";
            case SmtpFailureReason.CertificateNameMismatch:
                string names = certificate is null || certificate.SubjectAlternativeNames.Length == 0 ? "other names" : string.Join(", ", certificate.SubjectAlternativeNames);
                string first = certificate is null || certificate.SubjectAlternativeNames.Length == 0 ? "the name in the certificate" : certificate.SubjectAlternativeNames[0];
                return $"The certificate is for {names}, not {server}: connect with a name in the certificate (-Server {first}), or have the certificate reissued with {server} as a subject alternative name.";
            case SmtpFailureReason.CertificateUntrusted:
                return $"The certificate{(certificate is null ? string.Empty : " (issued by " + certificate.Issuer + ")")} does not chain to a trusted root: pass the company CA with -TrustedRootCertificate, or install a certificate from a public CA on the server; use -SkipCertificateCheck only to go on testing.";
            case SmtpFailureReason.UnencryptedAuthenticationRefused:
                return "The connection is not encrypted, so the password would cross the network readable; MailOps did not send it. Use -Security StartTls (port 587) or -Security SslOnConnect (port 465); use -AllowUnencryptedAuthentication only on a trusted network.";
            case SmtpFailureReason.AuthenticationNotOffered:
                return secure
                    ? $"The server offers no AUTH on port {port}: use its submission port (587 with -Security StartTls, or 465 with -Security SslOnConnect), or the server relays by IP address without a login."
                    : "The server offers AUTH only over TLS, or not on this port: use -Security StartTls (587) or -Security SslOnConnect (465).";
            case SmtpFailureReason.AuthenticationFailed:
                return AuthHint(server, reply);
            case SmtpFailureReason.ProtocolError:
                return $"The server on port {port} did not answer as an SMTP server: check the port.";
            default:
                return ReplyHint(stage, reply);
        }
    }

    private static string TimeoutHint(SmtpTestStage stage, int port, SmtpSecurityMode security, bool connected)
    {
        if (!connected)
        {
            return $"Nothing answered on port {port}: a firewall drops the traffic or the network blocks the port{(port == 25 ? " (many ISPs and clouds block outgoing port 25)" : string.Empty)}: try 587 or 465, and check the firewall.";
        }

        if (stage == SmtpTestStage.Connect && security != SmtpSecurityMode.SslOnConnect)
        {
            return $"The server accepted the connection but sent no greeting: a port that expects TLS at once{(port == 465 ? " (465 does)" : " (like 465)")} waits for a handshake: use -Security SslOnConnect. Otherwise the server is overloaded: try again later.";
        }

        if (stage == SmtpTestStage.Tls && security == SmtpSecurityMode.SslOnConnect)
        {
            return $"The TLS handshake got no answer: port {port} probably expects plain SMTP first (587 and 25 do): use -Security StartTls.";
        }

        return "The server did not answer in time: try again, or raise -TimeoutSec; a slow EHLO often means the server checks this machine's reverse DNS.";
    }

    private static string AuthHint(string server, SmtpReply? reply)
    {
        string host = server.ToLowerInvariant().TrimEnd('.');
        bool google = host == "smtp.gmail.com" || host == "smtp.googlemail.com" || host.EndsWith(".gmail.com", StringComparison.Ordinal) || host.EndsWith(".google.com", StringComparison.Ordinal);
        bool microsoft = host.EndsWith("office365.com", StringComparison.Ordinal) || host.EndsWith("outlook.com", StringComparison.Ordinal);
        string text = reply?.Text ?? string.Empty;
        if (reply is not null && reply.Code >= 400 && reply.Code < 500)
        {
            return "The server failed the login temporarily: try again later.";
        }

        // Google answers 534 5.7.9 "Application-specific password required" or 535 5.7.8
        // "Username and Password not accepted" when the account password is used.
        if (google || text.IndexOf("application-specific", StringComparison.OrdinalIgnoreCase) >= 0 || reply?.EnhancedCode == "5.7.9")
        {
            return "Google does not accept the account password for SMTP: turn on 2-Step Verification, create an app password (Google Account > Security > App passwords) and use it as the password, with the full address as the user name.";
        }

        if (microsoft)
        {
            return "Microsoft 365 refused the login: check the password, and that Authenticated SMTP (SMTP AUTH) is enabled for the mailbox and the tenant; accounts with MFA need an app password or OAuth.";
        }

        if (reply?.Code == 530)
        {
            return "The server wants STARTTLS before AUTH: use -Security StartTls.";
        }

        return "The user name or password was not accepted: check them (the user name is often the full e-mail address), and whether the provider requires an app password for SMTP.";
    }

    private static string? ReplyHint(SmtpTestStage stage, SmtpReply? reply)
    {
        if (reply is null)
        {
            return null;
        }

        int code = reply.Code;
        string text = reply.Text;
        if (code == 530 && (text.IndexOf("STARTTLS", StringComparison.OrdinalIgnoreCase) >= 0 || reply.EnhancedCode == "5.7.0" && text.IndexOf("auth", StringComparison.OrdinalIgnoreCase) < 0))
        {
            return "The server requires STARTTLS first (RFC 3207): use -Security StartTls.";
        }

        if (code == 530 || reply.EnhancedCode == "5.7.0" || (code == 550 && text.IndexOf("authentication required", StringComparison.OrdinalIgnoreCase) >= 0))
        {
            return "The server requires a login first: pass -Credential.";
        }

        if (stage == SmtpTestStage.Connect)
        {
            return code == 421
                ? "The server is busy or rate-limits this client (421 at the greeting): try again later; if it persists, check whether this IP address is on a blocklist."
                : $"The server refused the session at the greeting ({code}): this IP address is probably not allowed to use it, or is on a blocklist.";
        }

        if (stage == SmtpTestStage.Ehlo)
        {
            return "The server refused EHLO: pass a fully qualified -HeloName (a name that resolves to this machine).";
        }

        if (code >= 400 && code < 500)
        {
            return text.IndexOf("greylist", StringComparison.OrdinalIgnoreCase) >= 0 || reply.EnhancedCode == "4.7.1"
                ? "A temporary rejection (greylisting or a rate limit): real senders retry later, and the retry is accepted; test again in a few minutes."
                : "A temporary failure: try again later.";
        }

        if (stage == SmtpTestStage.RcptTo)
        {
            if (reply.EnhancedCode == "5.1.1" || reply.EnhancedCode == "5.1.0")
            {
                return "The mailbox does not exist: check the recipient address.";
            }

            return "Relaying denied: the server relays to other domains only for authenticated users or allowed senders: pass -Credential, or send from an address the server may send for.";
        }

        if (stage == SmtpTestStage.MailFrom)
        {
            return "The server does not accept this sender: log in with -Credential as a user who may send as this address, or use an allowed sender.";
        }

        return null;
    }
}
