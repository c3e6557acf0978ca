using System;
using System.Security.Cryptography.X509Certificates;

namespace MailOps.Core.MtaSts;

/// <summary>
/// How the policy is fetched over HTTPS. The defaults are what RFC 8461 section 3.3 prescribes;
/// the options exist for a company's internal CA and for tests.
/// </summary>
public sealed class MtaStsFetchOptions
{
    /// <summary>The HTTPS port (RFC 8461 section 3.3: the policy is at https://mta-sts.&lt;domain&gt;/).</summary>
    public const int DefaultPort = 443;

    /// <summary>
    /// CA certificates to trust in addition to the system's roots, for a policy host whose
    /// certificate comes from an internal CA. The host name must still match.
    /// </summary>
    public X509Certificate2Collection AdditionalTrustedRoots { get; set; } = new X509Certificate2Collection();

    /// <summary>The port to connect to, 443 unless a test says otherwise.</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>The time the whole fetch may take: connect, TLS handshake and response.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The largest policy body read; a policy is a few hundred bytes.</summary>
    public int MaxBodyBytes { get; set; } = 64 * 1024;
}
