using System;
using System.Security.Cryptography.X509Certificates;

namespace MailOps.Core.Relay;

/// <summary>
/// How connections to relays are made: secure by default (certificates validated, no AUTH on
/// plain text); each opt-out is explicit and shows in the result.
/// </summary>
public sealed class RelaySendOptions
{
    /// <summary>Extra roots to trust besides the system's, such as a company CA.</summary>
    public X509Certificate2Collection AdditionalTrustedRoots { get; } = new X509Certificate2Collection();

    /// <summary>Accept any certificate (the result says so).</summary>
    public bool SkipCertificateCheck { get; set; }

    /// <summary>Allow AUTH on a connection without TLS (RFC 4954 14 warns against it).</summary>
    public bool AllowUnencryptedAuthentication { get; set; }

    /// <summary>How long one SMTP step may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The EHLO name; by default the machine's name.</summary>
    public string? HeloName { get; set; }

    /// <summary>Write every command and reply as a step (-Verbose). Off, the session is not
    /// decoded at all: a thousand-message pipeline would otherwise turn every line of every
    /// message into text that nobody reads.</summary>
    public bool LogProtocol { get; set; } = true;
}
