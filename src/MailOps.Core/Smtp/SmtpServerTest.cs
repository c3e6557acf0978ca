using System;

namespace MailOps.Core.Smtp;

/// <summary>
/// The result of Test-SmtpServer: how far a submission session got, what the server announced,
/// its TLS and certificate, and on failure the stage, the reply and what to do. No message is
/// ever sent and no secret is ever part of it.
/// </summary>
public sealed class SmtpServerTest
{
    internal SmtpServerTest(string server, int port, SmtpSecurityMode requestedSecurity)
    {
        Server = server;
        Port = port;
        RequestedSecurity = requestedSecurity;
        Security = requestedSecurity;
    }

    /// <summary>The server name as given (the name the certificate must match).</summary>
    public string Server { get; }

    /// <summary>The TCP port.</summary>
    public int Port { get; }

    /// <summary>The security actually used: None, StartTls or SslOnConnect once connected;
    /// before that, what was attempted.</summary>
    public SmtpSecurityMode Security { get; internal set; }

    /// <summary>The -Security value asked for (Auto included).</summary>
    public SmtpSecurityMode RequestedSecurity { get; }

    /// <summary>True when every requested stage passed.</summary>
    public bool Succeeded { get; internal set; }

    /// <summary>The stage that failed, or Done.</summary>
    public SmtpTestStage Stage { get; internal set; }

    /// <summary>The greeting text (220 line), e.g. the server's name and software.</summary>
    public string? Banner { get; internal set; }

    /// <summary>The EHLO keywords with their parameters ("SIZE 35882577", "AUTH PLAIN LOGIN", ...).</summary>
    public string[] Capabilities { get; internal set; } = Array.Empty<string>();

    /// <summary>The SASL mechanisms offered on the connection as it ended (after STARTTLS when used).</summary>
    public string[] AuthenticationMechanisms { get; internal set; } = Array.Empty<string>();

    /// <summary>The SIZE limit in bytes (RFC 1870), when announced.</summary>
    public long? MaxMessageSize { get; internal set; }

    /// <summary>The TLS protocol version, when TLS was used.</summary>
    public string? TlsProtocol { get; internal set; }

    /// <summary>The negotiated cipher (algorithm, strength, hash, key exchange), when TLS was used.</summary>
    public string? CipherSuite { get; internal set; }

    /// <summary>The server's certificate, when TLS was attempted.</summary>
    public SmtpCertificateInfo? Certificate { get; internal set; }

    /// <summary>True when -SkipCertificateCheck turned certificate validation off for this test.</summary>
    public bool CertificateCheckSkipped { get; internal set; }

    /// <summary>True when AUTH succeeded.</summary>
    public bool Authenticated { get; internal set; }

    /// <summary>True when MAIL FROM was accepted; null when not tested.</summary>
    public bool? SenderAccepted { get; internal set; }

    /// <summary>The recipients RCPT TO accepted.</summary>
    public string[] RecipientsAccepted { get; internal set; } = Array.Empty<string>();

    /// <summary>The recipients RCPT TO rejected (the first rejection's reply is in <see cref="Error"/>).</summary>
    public string[] RecipientsRejected { get; internal set; } = Array.Empty<string>();

    /// <summary>Milliseconds per stage.</summary>
    public SmtpStageTimings Timings { get; } = new SmtpStageTimings();

    /// <summary>Why the test failed; null when it succeeded.</summary>
    public SmtpTestError? Error { get; internal set; }

    /// <summary>The failure's hint, flat for CSV exports.</summary>
    public string? Hint => Error?.Hint;
}
