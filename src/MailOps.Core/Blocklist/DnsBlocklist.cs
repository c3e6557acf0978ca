using System;
using System.Collections.Generic;
using System.Linq;

namespace MailOps.Core.Blocklist;

/// <summary>
/// What a blocklist lists. IP lists and domain lists answer different questions, so an address
/// is never queried against a domain list and a domain never against an IP list (RFC 5782
/// sections 2.1 and 2.3).
/// </summary>
public enum DnsBlocklistKind
{
    /// <summary>An IP-address list (DNSBL): the query name is the reversed address (RFC 5782 section 2.1).</summary>
    IPAddress,

    /// <summary>A domain list (URIBL/RHSBL): the query name is the domain itself (RFC 5782 section 2.3).</summary>
    Domain,
}

/// <summary>One documented answer of a blocklist and what it means.</summary>
public sealed class DnsBlocklistCode
{
    internal DnsBlocklistCode(string code, string meaning)
    {
        Code = code;
        Meaning = meaning;
    }

    /// <summary>The answer address, e.g. "127.0.0.2"; for bitmask lists, the value of one bit of the last octet.</summary>
    public string Code { get; }

    /// <summary>What the operator says the answer means.</summary>
    public string Meaning { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Code} {Meaning}";
}

/// <summary>
/// A DNS blocklist zone: from the built-in catalogue (with its documented return codes, error
/// codes and test entries) or a custom zone given by name, whose answers mean just "listed".
/// </summary>
public sealed class DnsBlocklist
{
    /// <summary>RFC 5782 section 5: the IPv4 entry every IP list must list.</summary>
    internal const string DefaultIPv4ListedTest = "127.0.0.2";

    /// <summary>RFC 5782 section 5: the IPv4 entry no IP list may list.</summary>
    internal const string DefaultIPv4NotListedTest = "127.0.0.1";

    /// <summary>RFC 5782 section 5: the IPv6 entry every IPv6 list must list.</summary>
    internal const string DefaultIPv6ListedTest = "::ffff:7f00:2";

    /// <summary>RFC 5782 section 5: the IPv6 entry no IPv6 list may list.</summary>
    internal const string DefaultIPv6NotListedTest = "::ffff:7f00:1";

    /// <summary>RFC 5782 section 5 (with RFC 2606 names): the entry every domain list must list.</summary>
    internal const string DefaultDomainListedTest = "test";

    /// <summary>RFC 5782 section 5 (with RFC 2606 names): the entry no domain list may list.</summary>
    internal const string DefaultDomainNotListedTest = "invalid";

    internal DnsBlocklist(
        string zone,
        string name,
        DnsBlocklistKind? kind,
        bool supportsIPv6,
        bool isBitmask,
        string? url,
        string? terms,
        string? listedTest,
        string? notListedTest,
        DnsBlocklistCode[] codes,
        DnsBlocklistCode[] errorCodes,
        bool isCustom)
    {
        Zone = zone;
        Name = name;
        Kind = kind;
        SupportsIPv6 = supportsIPv6;
        IsBitmask = isBitmask;
        Url = url;
        Terms = terms;
        ListedTest = listedTest;
        NotListedTest = notListedTest;
        Codes = codes;
        ErrorCodes = errorCodes;
        IsCustom = isCustom;
    }

    /// <summary>The DNS zone queried, e.g. "zen.spamhaus.org". This is the <c>Blocklist</c> column of results.</summary>
    public string Zone { get; }

    /// <summary>The display name, e.g. "Spamhaus ZEN"; the zone for custom lists.</summary>
    public string Name { get; }

    /// <summary>IP or domain list; null for a custom zone, which is queried for whatever target is given.</summary>
    public DnsBlocklistKind? Kind { get; }

    /// <summary>True when the list covers IPv6 addresses (custom zones are assumed to; the self-test checks it).</summary>
    public bool SupportsIPv6 { get; }

    /// <summary>True when each bit of the answer's last octet is a separate sub-list (SURBL, URIBL).</summary>
    public bool IsBitmask { get; }

    /// <summary>The operator's documentation.</summary>
    public string? Url { get; }

    /// <summary>The operator's usage terms, in short (free use limits, registration, public resolvers).</summary>
    public string? Terms { get; }

    /// <summary>A test entry the list documents as always listed, when it differs from RFC 5782's; null for the RFC default.</summary>
    public string? ListedTest { get; }

    /// <summary>A test entry the list documents as never listed, when it differs from RFC 5782's; null for the RFC default.</summary>
    public string? NotListedTest { get; }

    /// <summary>The documented listing answers and their meanings.</summary>
    public DnsBlocklistCode[] Codes { get; }

    /// <summary>Answers that signal an error (refused, over quota, wrong query), never a listing.</summary>
    public DnsBlocklistCode[] ErrorCodes { get; }

    /// <summary>True for a zone given by the user that is not in the catalogue.</summary>
    public bool IsCustom { get; }

    /// <summary>True when the list can be asked about a target of <paramref name="kind"/>.</summary>
    public bool Covers(DnsBlocklistKind kind) => Kind is null || Kind == kind;

    /// <summary>
    /// A zone the user named that is not in the catalogue: any answer in 127.0.0.0/8 means
    /// "listed", and the RFC 5782 test entries decide whether it can be trusted.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="zone"/> is not a valid DNS name.</exception>
    public static DnsBlocklist Custom(string zone)
    {
        if (!DomainName.TryNormalize(zone, out string normalized, out string? error))
        {
            throw new ArgumentException(error, nameof(zone));
        }

        return new DnsBlocklist(normalized, normalized, null, true, false, null, null, null, null, Array.Empty<DnsBlocklistCode>(), Array.Empty<DnsBlocklistCode>(), isCustom: true);
    }

    /// <summary>The error meaning of an answer when the catalogue lists it as an error code.</summary>
    internal string? ErrorMeaning(string code) => ErrorCodes.FirstOrDefault(c => c.Code == code)?.Meaning;

    /// <summary>What a listing answer means, from the documented codes (bit by bit for bitmask lists).</summary>
    internal string Meaning(System.Net.IPAddress answer)
    {
        if (IsCustom)
        {
            return $"listed on {Zone} (custom list: its return codes are not in the catalogue)";
        }

        string code = answer.ToString();
        if (IsBitmask)
        {
            int last = answer.GetAddressBytes()[3];
            var parts = new List<string>();
            foreach (DnsBlocklistCode c in Codes)
            {
                if (System.Net.IPAddress.TryParse(c.Code, out System.Net.IPAddress? bit))
                {
                    int value = bit.GetAddressBytes()[3];
                    if (value != 0 && (last & value) == value)
                    {
                        parts.Add(c.Meaning);
                    }
                }
            }

            return parts.Count > 0 ? string.Join("; ", parts) : "listed (return code not in the catalogue)";
        }

        return Codes.FirstOrDefault(c => c.Code == code)?.Meaning ?? "listed (return code not in the catalogue)";
    }

    /// <inheritdoc />
    public override string ToString() => Zone;
}
