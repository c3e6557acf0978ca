using System;
using System.Net;
using System.Net.Sockets;

namespace MailOps.Core.Spf;

/// <summary>
/// The values the macro letters of RFC 7208 section 7.3 stand for. Expansion itself is pure;
/// the evaluator fills <see cref="ValidatedDomain"/> (the "p" macro) only when a macro-string
/// asks for it, because finding it costs DNS queries.
/// </summary>
public sealed class SpfMacroContext
{
    /// <summary>Creates a context.</summary>
    /// <param name="sender">The sender ("s"); null or empty means the null sender, which becomes postmaster@helo (section 2.4).</param>
    /// <param name="domain">The current domain ("d"): the checked domain, or the include/redirect target.</param>
    /// <param name="ipAddress">The client address ("i", "c", "v"); an IPv4-mapped IPv6 address is treated as IPv4 (section 5).</param>
    /// <param name="heloName">The HELO/EHLO name ("h").</param>
    /// <param name="validatedDomain">The validated name of the client ("p"); null expands to "unknown".</param>
    /// <param name="receiverName">The receiving host ("r", explanations only); null expands to "unknown".</param>
    /// <param name="timestamp">The time of the check ("t", explanations only); null means now.</param>
    public SpfMacroContext(
        string? sender,
        string domain,
        IPAddress ipAddress,
        string? heloName = null,
        string? validatedDomain = null,
        string? receiverName = null,
        DateTimeOffset? timestamp = null)
    {
        if (ipAddress is null)
        {
            throw new ArgumentNullException(nameof(ipAddress));
        }

        Domain = domain ?? throw new ArgumentNullException(nameof(domain));
        HeloName = heloName ?? string.Empty;
        IPAddress = ipAddress.IsIPv4MappedToIPv6 ? ipAddress.MapToIPv4() : ipAddress;

        // Section 2.4: with a null reverse-path the sender is postmaster@<HELO>.
        var s = string.IsNullOrEmpty(sender) ? "postmaster@" + (HeloName.Length > 0 ? HeloName : domain) : sender!;
        var at = s.LastIndexOf('@');
        var local = at < 0 ? string.Empty : s.Substring(0, at);
        SenderDomain = at < 0 ? s : s.Substring(at + 1);

        // Section 4.3: a sender without a local-part gets "postmaster".
        LocalPart = local.Length == 0 ? "postmaster" : local;
        Sender = LocalPart + "@" + SenderDomain;
        ValidatedDomain = string.IsNullOrEmpty(validatedDomain) ? "unknown" : validatedDomain!;
        ReceiverName = string.IsNullOrEmpty(receiverName) ? "unknown" : receiverName!;
        Timestamp = timestamp ?? DateTimeOffset.UtcNow;
    }

    /// <summary>"s": the sender, local-part@domain, after the postmaster substitutions.</summary>
    public string Sender { get; }

    /// <summary>"l": the local-part of the sender ("postmaster" when it has none).</summary>
    public string LocalPart { get; }

    /// <summary>"o": the domain of the sender.</summary>
    public string SenderDomain { get; }

    /// <summary>"d": the domain whose record is being evaluated.</summary>
    public string Domain { get; }

    /// <summary>The client address, IPv4-mapped addresses already turned into IPv4.</summary>
    public IPAddress IPAddress { get; }

    /// <summary>"h": the HELO/EHLO name.</summary>
    public string HeloName { get; }

    /// <summary>"p": the validated domain name of the client, or "unknown".</summary>
    public string ValidatedDomain { get; }

    /// <summary>"r": the receiving host's name, or "unknown".</summary>
    public string ReceiverName { get; }

    /// <summary>"t": when the check happens.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>True for an IPv6 client (after IPv4-mapped addresses became IPv4).</summary>
    public bool IsIPv6 => IPAddress.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>A copy for another current domain, as include and redirect need (section 5.2, 6.1).</summary>
    public SpfMacroContext WithDomain(string domain) => new SpfMacroContext(Sender, domain, IPAddress, HeloName, ValidatedDomain, ReceiverName, Timestamp);

    /// <summary>A copy with the "p" value filled in.</summary>
    public SpfMacroContext WithValidatedDomain(string? validatedDomain) => new SpfMacroContext(Sender, Domain, IPAddress, HeloName, validatedDomain, ReceiverName, Timestamp);
}
