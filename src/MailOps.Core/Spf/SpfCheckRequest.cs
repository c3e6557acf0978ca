using System.Net;

namespace MailOps.Core.Spf;

/// <summary>
/// The inputs of check_host() (RFC 7208 section 4.1): who connects, which domain's policy is
/// asked, and the identities the client gave. Plain settable properties so callers (cmdlets,
/// tests) can fill it with an object initializer.
/// </summary>
public sealed class SpfCheckRequest
{
    /// <summary>The connecting client's address (&lt;ip&gt;). IPv4-mapped IPv6 addresses are checked as IPv4 (section 5).</summary>
    public IPAddress IPAddress { get; set; } = IPAddress.None;

    /// <summary>
    /// The domain whose policy is checked (&lt;domain&gt;). When empty it is taken from
    /// <see cref="Sender"/>, or from <see cref="HeloName"/> for the null sender (section 2.4).
    /// </summary>
    public string Domain { get; set; } = string.Empty;

    /// <summary>The MAIL FROM address; null or "" is the null sender, checked as postmaster@HELO (section 2.4).</summary>
    public string? Sender { get; set; }

    /// <summary>The HELO/EHLO name, used for the "h" macro and for the null sender.</summary>
    public string? HeloName { get; set; }

    /// <summary>
    /// A record to evaluate instead of looking up the TXT record of <see cref="Domain"/> (to try a
    /// change before publishing it). Only the top level uses it; include and redirect targets
    /// still come from DNS.
    /// </summary>
    public string? Record { get; set; }

    /// <summary>The receiving host's name for the "r" macro in explanations (section 7.3).</summary>
    public string ReceiverName { get; set; } = "unknown";
}
