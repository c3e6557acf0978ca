using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace MailOps.Core.Dns;

/// <summary>
/// A DNS server as an administrator writes it on the command line: "dns.example", "192.0.2.53",
/// "192.0.2.53:5353", "[2001:db8::53]:5353" or a bare "2001:db8::53". Parsing is strict (a
/// typo must fail loudly, not silently query another server) and host names are kept as names
/// until the resolver is created, when they are resolved through the operating system.
/// </summary>
public sealed class DnsServerEndpoint : IEquatable<DnsServerEndpoint>
{
    /// <summary>The DNS port (RFC 1035 section 4.2).</summary>
    public const int DefaultPort = 53;

    private const string Forms = "Use a host name, an IP address, IP:port, [IPv6]:port or a bare IPv6 address";

    private DnsServerEndpoint(string host, IPAddress? address, int port)
    {
        Host = host;
        Address = address;
        Port = port;
    }

    /// <summary>The host name, or the IP address in its canonical text form.</summary>
    public string Host { get; }

    /// <summary>The IP address, or null when <see cref="Host"/> is a name still to be resolved.</summary>
    public IPAddress? Address { get; }

    /// <summary>The port, 53 unless given.</summary>
    public int Port { get; }

    /// <summary>True when the endpoint names a host rather than an address.</summary>
    public bool IsHostName => Address is null;

    /// <summary>Parses an endpoint; throws <see cref="FormatException"/> naming the input and the reason.</summary>
    public static DnsServerEndpoint Parse(string text)
    {
        if (TryParse(text, out var endpoint, out var error))
        {
            return endpoint!;
        }

        throw new FormatException(error);
    }

    /// <summary>Parses an endpoint without throwing.</summary>
    public static bool TryParse(string? text, out DnsServerEndpoint? endpoint) => TryParse(text, out endpoint, out _);

    /// <summary>
    /// Resolves the endpoint to socket addresses: itself for an IP address, every address of the
    /// host name otherwise (IPv4 first, the family most DNS servers are reached on).
    /// </summary>
    public async Task<IReadOnlyList<IPEndPoint>> ResolveAsync(CancellationToken cancellationToken)
    {
        if (Address is not null)
        {
            return new[] { new IPEndPoint(Address, Port) };
        }

        cancellationToken.ThrowIfCancellationRequested();

        // netstandard2.0 has no cancellable overload; the OS resolver has its own timeout.
        var addresses = await System.Net.Dns.GetHostAddressesAsync(Host).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return addresses
            .OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1)
            .Select(a => new IPEndPoint(a, Port))
            .ToArray();
    }

    /// <summary>"192.0.2.53:53", "[2001:db8::53]:53" or "dns.example:53".</summary>
    public override string ToString() => Format(Host, Address, Port);

    /// <inheritdoc />
    public bool Equals(DnsServerEndpoint? other)
        => other is not null
            && Port == other.Port
            && string.Equals(Host, other.Host, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as DnsServerEndpoint);

    /// <inheritdoc />
    public override int GetHashCode() => (StringComparer.OrdinalIgnoreCase.GetHashCode(Host) * 397) ^ Port;

    /// <summary>Formats a socket address the way answers and logs show servers.</summary>
    internal static string Format(IPEndPoint endpoint) => Format(endpoint.Address.ToString(), endpoint.Address, endpoint.Port);

    private static string Format(string host, IPAddress? address, int port)
        => address is not null && address.AddressFamily == AddressFamily.InterNetworkV6
            ? "[" + host + "]:" + port.ToString(CultureInfo.InvariantCulture)
            : host + ":" + port.ToString(CultureInfo.InvariantCulture);

    private static bool TryParse(string? text, out DnsServerEndpoint? endpoint, out string error)
    {
        endpoint = null;
        var input = text?.Trim() ?? string.Empty;
        if (input.Length == 0)
        {
            error = $"'{text}' is not a DNS server: the value is empty. {Forms}.";
            return false;
        }

        string host;
        string? portText = null;
        if (input[0] == '[')
        {
            // RFC 3986 section 3.2.2: an IPv6 literal with a port goes in brackets.
            var close = input.IndexOf(']');
            if (close < 0)
            {
                error = $"'{text}' is not a DNS server: the '[' of an IPv6 address is not closed. {Forms}.";
                return false;
            }

            host = input.Substring(1, close - 1);
            var rest = input.Substring(close + 1);
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    error = $"'{text}' is not a DNS server: only ':port' may follow ']'. {Forms}.";
                    return false;
                }

                portText = rest.Substring(1);
            }

            if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                error = $"'{text}' is not a DNS server: '{host}' in brackets is not an IPv6 address. {Forms}.";
                return false;
            }

            return Finish(text, v6.ToString(), v6, portText, out endpoint, out error);
        }

        var colons = input.Count(c => c == ':');
        if (colons > 1)
        {
            // Two or more colons: a bare IPv6 address, which cannot carry a port unbracketed.
            if (!IPAddress.TryParse(input, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                error = $"'{text}' is not a DNS server: it is not an IPv6 address (write a port as [IPv6]:port). {Forms}.";
                return false;
            }

            return Finish(text, v6.ToString(), v6, null, out endpoint, out error);
        }

        host = input;
        if (colons == 1)
        {
            var colon = input.IndexOf(':');
            host = input.Substring(0, colon);
            portText = input.Substring(colon + 1);
        }

        if (host.Length == 0)
        {
            error = $"'{text}' is not a DNS server: the host is missing. {Forms}.";
            return false;
        }

        if (host.All(c => (c >= '0' && c <= '9') || c == '.'))
        {
            // All digits and dots: it must be a dotted quad. IPAddress.TryParse would also accept
            // "1.2.3" or "12345" (legacy inet_aton forms), which are almost always typos.
            if (!TryParseDottedQuad(host, out var v4))
            {
                error = $"'{text}' is not a DNS server: '{host}' is not an IPv4 address. {Forms}.";
                return false;
            }

            return Finish(text, v4!.ToString(), v4, portText, out endpoint, out error);
        }

        if (!IsValidHostName(host))
        {
            error = $"'{text}' is not a DNS server: '{host}' is not a valid host name. {Forms}.";
            return false;
        }

        return Finish(text, host.TrimEnd('.'), null, portText, out endpoint, out error);
    }

    private static bool Finish(string? text, string host, IPAddress? address, string? portText, out DnsServerEndpoint? endpoint, out string error)
    {
        endpoint = null;
        var port = DefaultPort;
        if (portText is not null
            && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port < 1 || port > 65535))
        {
            error = $"'{text}' is not a DNS server: the port '{portText}' is not a number from 1 to 65535. {Forms}.";
            return false;
        }

        endpoint = new DnsServerEndpoint(host, address, port);
        error = string.Empty;
        return true;
    }

    private static bool TryParseDottedQuad(string text, out IPAddress? address)
    {
        address = null;
        var parts = text.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        var bytes = new byte[4];
        for (var i = 0; i < 4; i++)
        {
            if (parts[i].Length == 0 || parts[i].Length > 3
                || !int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > 255)
            {
                return false;
            }

            bytes[i] = (byte)value;
        }

        address = new IPAddress(bytes);
        return true;
    }

    private static bool IsValidHostName(string host)
    {
        // RFC 1123 section 2.1 host names: letters, digits and hyphens in labels of 1-63 octets,
        // 253 octets in all. A trailing dot (fully qualified) is accepted.
        var name = host.EndsWith(".", StringComparison.Ordinal) ? host.Substring(0, host.Length - 1) : host;
        if (name.Length == 0 || name.Length > 253)
        {
            return false;
        }

        foreach (var label in name.Split('.'))
        {
            if (label.Length == 0 || label.Length > 63 || label[0] == '-' || label[label.Length - 1] == '-')
            {
                return false;
            }

            foreach (var c in label)
            {
                var ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
                if (!ok)
                {
                    return false;
                }
            }
        }

        return true;
    }
}
