namespace MailOps.Core.Smtp;

/// <summary>Why a submission test failed, as a closed set a script can switch on.</summary>
public enum SmtpFailureReason
{
    /// <summary>The server answered a command with a 4xx or 5xx reply (see StatusCode).</summary>
    Reply,

    /// <summary>The server name does not resolve.</summary>
    HostNotFound,

    /// <summary>The connection was refused: nothing listens on that port.</summary>
    ConnectionRefused,

    /// <summary>The host or network is unreachable, or the connection broke.</summary>
    NetworkError,

    /// <summary>Nothing answered within the timeout.</summary>
    Timeout,

    /// <summary>The TLS handshake failed (not a certificate problem).</summary>
    TlsHandshakeFailed,

    /// <summary>-Security StartTls, but the server does not offer STARTTLS.</summary>
    StartTlsNotOffered,

    /// <summary>The certificate is not valid for the server name.</summary>
    CertificateNameMismatch,

    /// <summary>The certificate has expired or is not yet valid.</summary>
    CertificateExpired,

    /// <summary>The certificate does not chain to a trusted root.</summary>
    CertificateUntrusted,

    /// <summary>A credential was given but the server offers no AUTH mechanism here.</summary>
    AuthenticationNotOffered,

    /// <summary>AUTH was refused by MailOps because the connection is not encrypted.</summary>
    UnencryptedAuthenticationRefused,

    /// <summary>The server rejected the credential.</summary>
    AuthenticationFailed,

    /// <summary>The server did not speak SMTP as expected.</summary>
    ProtocolError,
}
