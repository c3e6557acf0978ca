using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MailOps.Core.Blocklist;

/// <summary>
/// Builds the DNS names blocklists are queried with (RFC 5782 section 2): reversed octets for
/// IPv4, reversed nibbles for IPv6, the domain itself for domain lists, each followed by the zone.
/// </summary>
public static class DnsBlocklistQueryName
{
    /// <summary>
    /// The query name for an address: "99.2.0.192.zone" for 192.0.2.99 (RFC 5782 section 2.1) and
    /// 32 nibble labels, least significant first, for IPv6 (section 2.4). An IPv4-mapped IPv6
    /// address (::ffff:192.0.2.99) is the IPv4 host it stands for and is queried as IPv4.
    /// </summary>
    public static string ForAddress(IPAddress address, string zone)
    {
        if (address is null)
        {
            throw new ArgumentNullException(nameof(address));
        }

        IPAddress effective = Normalize(address);
        return effective.AddressFamily == AddressFamily.InterNetworkV6
            ? ForIPv6Nibbles(effective, zone)
            : ForIPv4(effective, zone);
    }

    /// <summary>The query name for a domain on a domain list: "example.com.zone" (RFC 5782 section 2.3).</summary>
    public static string ForDomain(string domain, string zone) => domain.TrimEnd('.') + "." + zone;

    /// <summary>
    /// The address as blocklists see it: IPv4-mapped IPv6 addresses become IPv4, because the
    /// host behind them connects over IPv4 and IPv4 lists are where it is listed.
    /// </summary>
    public static IPAddress Normalize(IPAddress address)
        => address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>
    /// The nibble form of any IPv6 address, mapped or not. The RFC 5782 section 5 IPv6 test
    /// entries (::ffff:7f00:2) are IPv4-mapped but are queried in nibble form, so they use this.
    /// </summary>
    internal static string ForIPv6Nibbles(IPAddress address, string zone)
    {
        byte[] bytes = address.GetAddressBytes();
        var name = new StringBuilder(64 + zone.Length);
        for (int i = bytes.Length - 1; i >= 0; i--)
        {
            // RFC 5782 section 2.4: each nibble a label, low nibble first, in lower-case hex.
            name.Append((bytes[i] & 0x0F).ToString("x", CultureInfo.InvariantCulture)).Append('.');
            name.Append((bytes[i] >> 4).ToString("x", CultureInfo.InvariantCulture)).Append('.');
        }

        return name.Append(zone).ToString();
    }

    private static string ForIPv4(IPAddress address, string zone)
    {
        byte[] b = address.GetAddressBytes();
        return string.Format(CultureInfo.InvariantCulture, "{0}.{1}.{2}.{3}.{4}", b[3], b[2], b[1], b[0], zone);
    }

    /// <summary>
    /// Parses an address the way an admin writes one: a dotted quad with four decimal parts or
    /// an IPv6 address. Unlike <see cref="IPAddress.TryParse(string, out IPAddress)"/>, it refuses
    /// the shorthand forms ("10.1", "167772161") that turn typos into some other host.
    /// </summary>
    public static bool TryParseAddress(string? text, out IPAddress? address)
    {
        address = null;
        if (text is null)
        {
            return false;
        }

        string value = text.Trim();
        if (value.Length == 0)
        {
            return false;
        }

        if (value.IndexOf(':') >= 0)
        {
            if (value.IndexOf('%') >= 0 || !IPAddress.TryParse(value, out IPAddress? v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }

            address = v6;
            return true;
        }

        string[] parts = value.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        var bytes = new byte[4];
        for (int i = 0; i < 4; i++)
        {
            string part = parts[i];
            if (part.Length == 0 || part.Length > 3 || !int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n > 255)
            {
                return false;
            }

            bytes[i] = (byte)n;
        }

        address = new IPAddress(bytes);
        return true;
    }
}
