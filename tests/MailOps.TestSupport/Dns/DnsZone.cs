using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MailOps.TestSupport.Dns;

/// <summary>
/// The records a <see cref="DnsTestServer"/> serves. Names are compared case-insensitively with
/// the trailing dot ignored (RFC 4343), so test data can be written the way people type it.
/// Thread-safe: tests may change the zone while the server answers queries.
/// </summary>
public sealed class DnsZone
{
    /// <summary>The TTL given to every served record; MailOps caches per invocation, so it only shows in output.</summary>
    public const int TimeToLive = 300;

    private readonly object _gate = new();
    private readonly Dictionary<string, Node> _nodes = new(StringComparer.Ordinal);

    /// <summary>Every owner name in the zone, normalised (lower case, no trailing dot).</summary>
    public IReadOnlyList<string> Names
    {
        get
        {
            lock (_gate)
            {
                return _nodes.Keys.OrderBy(n => n, StringComparer.Ordinal).ToArray();
            }
        }
    }

    /// <summary>Adds an A record.</summary>
    public DnsZone AddA(string name, string address) => AddAddress(name, ParseAddress(address), AddressFamily.InterNetwork);

    /// <summary>Adds an A record.</summary>
    public DnsZone AddA(string name, IPAddress address) => AddAddress(name, address, AddressFamily.InterNetwork);

    /// <summary>Adds an AAAA record.</summary>
    public DnsZone AddAaaa(string name, string address) => AddAddress(name, ParseAddress(address), AddressFamily.InterNetworkV6);

    /// <summary>Adds an AAAA record.</summary>
    public DnsZone AddAaaa(string name, IPAddress address) => AddAddress(name, address, AddressFamily.InterNetworkV6);

    /// <summary>Adds an MX record. An exchange of "." or "" is the null MX of RFC 7505.</summary>
    public DnsZone AddMx(string name, int preference, string exchange)
    {
        if (preference < 0 || preference > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(preference), preference, "An MX preference is a 16-bit value (RFC 1035 section 3.3.9).");
        }

        return Add(name, new DnsZoneRecord(Display(name), "MX", null, preference, Display(exchange), Array.Empty<byte[]>()));
    }

    /// <summary>
    /// Adds one TXT record made of the given character-strings, each encoded as UTF-8. The
    /// strings stay separate on the wire; joining them is the client's job (RFC 7208 section 3.3).
    /// </summary>
    public DnsZone AddTxt(string name, params string[] strings)
        => AddTxt(name, strings.Select(s => Encoding.UTF8.GetBytes(s)).ToArray());

    /// <summary>
    /// Adds one TXT record holding <paramref name="text"/> split into character-strings of 255
    /// octets, as zone files publish long values such as 2048-bit DKIM keys.
    /// </summary>
    public DnsZone AddLongTxt(string name, string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        var strings = new List<byte[]>();
        for (int i = 0; i < bytes.Length || strings.Count == 0; i += 255)
        {
            strings.Add(bytes.Skip(i).Take(255).ToArray());
        }

        return AddTxt(name, strings.ToArray());
    }

    /// <summary>
    /// Adds one TXT record from raw character-strings, served byte for byte. This is how
    /// non-ASCII and control octets reach the client exactly as a broken real-world zone would
    /// send them. An empty array serves a TXT record with no strings (illegal, but seen in the wild).
    /// </summary>
    public DnsZone AddTxt(string name, params byte[][] strings)
    {
        foreach (var s in strings)
        {
            // RFC 1035 section 3.3: a <character-string> is one length octet plus at most 255 octets.
            if (s.Length > 255)
            {
                throw new ArgumentException($"A TXT character-string holds at most 255 octets; got {s.Length} for '{name}'.", nameof(strings));
            }
        }

        var copy = strings.Select(s => (byte[])s.Clone()).ToArray();
        return Add(name, new DnsZoneRecord(Display(name), "TXT", null, 0, null, copy));
    }

    /// <summary>Adds a PTR record.</summary>
    public DnsZone AddPtr(string name, string target) => Add(name, new DnsZoneRecord(Display(name), "PTR", null, 0, Display(target), Array.Empty<byte[]>()));

    /// <summary>
    /// Adds a CNAME record. Queries of other types for <paramref name="name"/> answer the CNAME
    /// plus the target's records when the target is in this zone (RFC 1034 section 4.3.2).
    /// </summary>
    public DnsZone AddCname(string name, string target) => Add(name, new DnsZoneRecord(Display(name), "CNAME", null, 0, Display(target), Array.Empty<byte[]>()));

    /// <summary>Adds an NS record.</summary>
    public DnsZone AddNs(string name, string target) => Add(name, new DnsZoneRecord(Display(name), "NS", null, 0, Display(target), Array.Empty<byte[]>()));

    /// <summary>
    /// Makes the name exist without records, so every query for it answers NODATA rather than
    /// NXDOMAIN (RFC 2308 section 2.2).
    /// </summary>
    public DnsZone AddName(string name)
    {
        lock (_gate)
        {
            GetOrAddNode(name);
        }

        return this;
    }

    /// <summary>
    /// Makes every query of a type the name holds no record of fail with <paramref name="fault"/>
    /// instead of answering NODATA. This is the OpenSPF suite's bare <c>TIMEOUT</c> entry: a name
    /// with a TXT record and TIMEOUT still answers its TXT query, while its A query times out.
    /// </summary>
    public DnsZone SetUnlistedTypesFault(string name, DnsFault fault)
    {
        lock (_gate)
        {
            GetOrAddNode(name).UnlistedTypesFault = fault;
        }

        return this;
    }

    /// <summary>The fault set by <see cref="SetUnlistedTypesFault"/>, or None.</summary>
    public DnsFault GetUnlistedTypesFault(string name)
    {
        lock (_gate)
        {
            return _nodes.TryGetValue(Normalize(name), out var node) ? node.UnlistedTypesFault : DnsFault.None;
        }
    }

    /// <summary>True when the name exists (with or without records).</summary>
    public bool Contains(string name)
    {
        lock (_gate)
        {
            return _nodes.ContainsKey(Normalize(name));
        }
    }

    /// <summary>A snapshot of the records of a name, optionally of one type only.</summary>
    public IReadOnlyList<DnsZoneRecord> GetRecords(string name, string? type = null)
    {
        lock (_gate)
        {
            if (!_nodes.TryGetValue(Normalize(name), out var node))
            {
                return Array.Empty<DnsZoneRecord>();
            }

            var wanted = type is null ? null : NormalizeType(type);
            return node.Records.Where(r => wanted is null || r.Type == wanted).ToArray();
        }
    }

    /// <summary>Removes a name and all its records; later queries answer NXDOMAIN.</summary>
    public bool Remove(string name)
    {
        lock (_gate)
        {
            return _nodes.Remove(Normalize(name));
        }
    }

    /// <summary>Removes the records of one type from a name; the name itself stays (NODATA).</summary>
    public int RemoveRecords(string name, string type)
    {
        lock (_gate)
        {
            if (!_nodes.TryGetValue(Normalize(name), out var node))
            {
                return 0;
            }

            var wanted = NormalizeType(type);
            return node.Records.RemoveAll(r => r.Type == wanted);
        }
    }

    /// <summary>Lower-cased, trailing dot removed: the form names are keyed and logged by.</summary>
    public static string Normalize(string name)
    {
        var trimmed = name.Trim();
        if (trimmed.EndsWith(".", StringComparison.Ordinal))
        {
            trimmed = trimmed.Substring(0, trimmed.Length - 1);
        }

        return trimmed.ToLowerInvariant();
    }

    /// <summary>Type mnemonics compare in upper case ("txt" and "TXT" are the same type).</summary>
    public static string NormalizeType(string type) => type.Trim().ToUpperInvariant();

    /// <summary>
    /// Resolves a question against the zone: the records to answer (CNAME chain first), whether
    /// the name exists, and the fault to apply when the name holds no record of the type.
    /// </summary>
    internal ZoneLookup Lookup(string name, string type)
    {
        lock (_gate)
        {
            if (!_nodes.TryGetValue(Normalize(name), out var node))
            {
                return new ZoneLookup(false, Array.Empty<DnsZoneRecord>(), DnsFault.None);
            }

            var answers = new List<DnsZoneRecord>();
            var visited = new HashSet<Node>();
            while (visited.Add(node))
            {
                var cname = node.Records.FirstOrDefault(r => r.Type == "CNAME");
                if (cname is not null && type != "CNAME")
                {
                    // RFC 1034 section 4.3.2 step 3a: answer the CNAME, then restart at its target
                    // when we hold it; an out-of-zone target is left for the client to chase.
                    answers.Add(cname);
                    if (!_nodes.TryGetValue(Normalize(cname.Target!), out var next))
                    {
                        break;
                    }

                    node = next;
                    continue;
                }

                var matching = node.Records.Where(r => r.Type == type).ToList();
                if (matching.Count == 0 && node.UnlistedTypesFault != DnsFault.None)
                {
                    return new ZoneLookup(true, Array.Empty<DnsZoneRecord>(), node.UnlistedTypesFault);
                }

                answers.AddRange(matching);
                break;
            }

            return new ZoneLookup(true, answers, DnsFault.None);
        }
    }

    private DnsZone AddAddress(string name, IPAddress address, AddressFamily family)
    {
        if (address.AddressFamily != family)
        {
            throw new ArgumentException($"'{address}' is not an {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} address.", nameof(address));
        }

        var type = family == AddressFamily.InterNetwork ? "A" : "AAAA";
        return Add(name, new DnsZoneRecord(Display(name), type, address, 0, null, Array.Empty<byte[]>()));
    }

    private DnsZone Add(string name, DnsZoneRecord record)
    {
        lock (_gate)
        {
            GetOrAddNode(name).Records.Add(record);
        }

        return this;
    }

    private Node GetOrAddNode(string name)
    {
        var key = Normalize(name);
        if (!_nodes.TryGetValue(key, out var node))
        {
            node = new Node();
            _nodes.Add(key, node);
        }

        return node;
    }

    private static IPAddress ParseAddress(string address)
        => IPAddress.TryParse(address.Trim(), out var parsed)
            ? parsed
            : throw new ArgumentException($"'{address}' is not an IP address.", nameof(address));

    private static string Display(string name)
    {
        var trimmed = name.Trim();
        return trimmed.EndsWith(".", StringComparison.Ordinal) ? trimmed.Substring(0, trimmed.Length - 1) : trimmed;
    }

    private sealed class Node
    {
        public List<DnsZoneRecord> Records { get; } = new();

        public DnsFault UnlistedTypesFault { get; set; }
    }
}

/// <summary>
/// One record of a <see cref="DnsZone"/>. A flat shape (rather than one class per type) keeps
/// spot checks in tests short: <c>zone.GetRecords("x", "TXT")[0].Strings</c>.
/// </summary>
public sealed class DnsZoneRecord
{
    internal DnsZoneRecord(string name, string type, IPAddress? address, int preference, string? target, IReadOnlyList<byte[]> strings)
    {
        Name = name;
        Type = type;
        Address = address;
        Preference = preference;
        Target = target;
        Strings = strings;
    }

    /// <summary>The owner name as added, without the trailing dot.</summary>
    public string Name { get; }

    /// <summary>The type mnemonic in upper case.</summary>
    public string Type { get; }

    /// <summary>The address of an A or AAAA record.</summary>
    public IPAddress? Address { get; }

    /// <summary>The MX preference.</summary>
    public int Preference { get; }

    /// <summary>The MX exchange, PTR, CNAME or NS target without the trailing dot; "" is the root (null MX).</summary>
    public string? Target { get; }

    /// <summary>The raw TXT character-strings.</summary>
    public IReadOnlyList<byte[]> Strings { get; }

    /// <summary>
    /// The TXT character-strings with each octet mapped to the code point of the same value
    /// (ISO-8859-1), so "\xEF" in YAML test data compares equal to the served byte 0xEF.
    /// </summary>
    public IReadOnlyList<string> Latin1Strings => Strings.Select(s => Encoding.Latin1.GetString(s)).ToArray();

    /// <inheritdoc />
    public override string ToString() => Type switch
    {
        "A" or "AAAA" => $"{Name} {Type} {Address}",
        "MX" => $"{Name} MX {Preference} {(Target == string.Empty ? "." : Target)}",
        "TXT" => $"{Name} TXT " + string.Join(" ", Latin1Strings.Select(s => "\"" + s + "\"")),
        _ => $"{Name} {Type} {Target}",
    };
}

/// <summary>What the zone says about one question, before faults and transport are applied.</summary>
internal sealed record ZoneLookup(bool NameExists, IReadOnlyList<DnsZoneRecord> Records, DnsFault Fault);
