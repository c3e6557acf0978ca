namespace MailOps.Core.Smtp;

/// <summary>
/// The steps of an SMTP submission test in the order they happen. A failed test reports the
/// step it failed at; a test that succeeded reports <see cref="Done"/>.
/// </summary>
public enum SmtpTestStage
{
    /// <summary>TCP connection and the server's greeting (RFC 5321 section 3.1).</summary>
    Connect,

    /// <summary>The TLS handshake: implicit (port 465) or after STARTTLS (RFC 3207), with the certificate check.</summary>
    Tls,

    /// <summary>EHLO and the capabilities it announces (RFC 5321 section 4.1.1.1).</summary>
    Ehlo,

    /// <summary>AUTH with the given credential (RFC 4954).</summary>
    Authenticate,

    /// <summary>MAIL FROM with the given sender (RFC 5321 section 4.1.1.2).</summary>
    MailFrom,

    /// <summary>RCPT TO for each given recipient (RFC 5321 section 4.1.1.3).</summary>
    RcptTo,

    /// <summary>Every requested step passed; the session was reset and closed without sending a message.</summary>
    Done,
}
