using System;
using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace MailOps.Core.Smtp;

/// <summary>What to test: the server, how to secure the connection, and optionally a login and
/// an envelope (MAIL FROM / RCPT TO) to try without sending a message.</summary>
public sealed class SmtpTestOptions
{
    /// <summary>The server name or IP address.</summary>
    public string Server { get; set; } = string.Empty;

    /// <summary>The port; 0 picks 465 for SslOnConnect and 587 otherwise.</summary>
    public int Port { get; set; }

    /// <summary>How to secure the connection.</summary>
    public SmtpSecurityMode Security { get; set; } = SmtpSecurityMode.Auto;

    /// <summary>The login to try; null to stop after EHLO.</summary>
    public NetworkCredential? Credential { get; set; }

    /// <summary>The EHLO name; null lets MailKit use the machine's name.</summary>
    public string? HeloName { get; set; }

    /// <summary>The sender to try with MAIL FROM; null for none (the null sender when only recipients are given).</summary>
    public string? From { get; set; }

    /// <summary>The recipients to try with RCPT TO.</summary>
    public string[] To { get; set; } = Array.Empty<string>();

    /// <summary>How long one step may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Accept any certificate (reported in the result).</summary>
    public bool SkipCertificateCheck { get; set; }

    /// <summary>Extra roots to trust besides the system's, such as a company CA.</summary>
    public X509Certificate2Collection AdditionalTrustedRoots { get; } = new X509Certificate2Collection();

    /// <summary>Allow AUTH on a connection without TLS (credentials then cross the network readable).</summary>
    public bool AllowUnencryptedAuthentication { get; set; }

    /// <summary>The port actually used.</summary>
    internal int EffectivePort => Port > 0 ? Port : Security == SmtpSecurityMode.SslOnConnect ? 465 : 587;

    /// <summary>The security mode Auto stands for on the effective port.</summary>
    internal SmtpSecurityMode EffectiveSecurity => Security != SmtpSecurityMode.Auto
        ? Security
        : EffectivePort == 465 ? SmtpSecurityMode.SslOnConnect : SmtpSecurityMode.StartTlsWhenAvailable;
}
