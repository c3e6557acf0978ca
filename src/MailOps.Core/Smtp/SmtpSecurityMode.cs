namespace MailOps.Core.Smtp;

/// <summary>
/// How a connection to a submission server is secured. The names are the ones mail clients
/// show (and MailKit uses), so an admin recognises the setting from the application's dialog.
/// </summary>
public enum SmtpSecurityMode
{
    /// <summary>SslOnConnect on port 465, StartTlsWhenAvailable on every other port.</summary>
    Auto,

    /// <summary>Plain text; STARTTLS is not used even when offered.</summary>
    None,

    /// <summary>STARTTLS (RFC 3207) is required: a server that does not offer it is a failure, never a silent downgrade.</summary>
    StartTls,

    /// <summary>STARTTLS when the server offers it, plain text otherwise.</summary>
    StartTlsWhenAvailable,

    /// <summary>TLS from the first byte ("implicit TLS", RFC 8314 section 3.3, port 465).</summary>
    SslOnConnect,
}
