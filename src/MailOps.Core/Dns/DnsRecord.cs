using System.Collections.Generic;
using System.Net;

namespace MailOps.Core.Dns;

/// <summary>
/// One resource record of an answer, in MailOps' own shape so that DnsClient types never leave
/// the DNS layer (they must stay swappable and loadable in a private load context).
/// </summary>
public abstract class DnsRecord
{
    /// <summary>Creates a record.</summary>
    protected DnsRecord(string name, DnsRecordType type, int timeToLive)
    {
        Name = name;
        Type = type;
        TimeToLive = timeToLive;
    }

    /// <summary>The owner name, without the trailing dot.</summary>
    public string Name { get; }

    /// <summary>The record type.</summary>
    public DnsRecordType Type { get; }

    /// <summary>TTL in seconds as the server gave it.</summary>
    public int TimeToLive { get; }
}

/// <summary>An A or AAAA record.</summary>
public sealed class DnsAddressRecord : DnsRecord
{
    /// <summary>Creates an address record.</summary>
    public DnsAddressRecord(string name, DnsRecordType type, int timeToLive, IPAddress address)
        : base(name, type, timeToLive)
    {
        Address = address;
    }

    /// <summary>The address.</summary>
    public IPAddress Address { get; }
}

/// <summary>An MX record.</summary>
public sealed class DnsMxRecord : DnsRecord
{
    /// <summary>Creates an MX record.</summary>
    public DnsMxRecord(string name, int timeToLive, int preference, string exchange)
        : base(name, DnsRecordType.MX, timeToLive)
    {
        Preference = preference;
        Exchange = exchange;
    }

    /// <summary>Lower is preferred (RFC 5321 section 5.1).</summary>
    public int Preference { get; }

    /// <summary>The exchange host name without the trailing dot; "" for the null MX "." (RFC 7505).</summary>
    public string Exchange { get; }
}

/// <summary>
/// A TXT record. The character-strings are kept apart because RFC 7208 section 3.3 joins them
/// with no separator while findings need each string's length (255 octets at most).
/// </summary>
public sealed class DnsTxtRecord : DnsRecord
{
    /// <summary>Creates a TXT record.</summary>
    public DnsTxtRecord(string name, int timeToLive, IReadOnlyList<string> strings)
        : base(name, DnsRecordType.TXT, timeToLive)
    {
        Strings = strings;
        Text = string.Concat(strings);
    }

    /// <summary>The character-strings in wire order.</summary>
    public IReadOnlyList<string> Strings { get; }

    /// <summary>The strings joined with no separator (RFC 7208 section 3.3).</summary>
    public string Text { get; }
}

/// <summary>A record whose data is one domain name: PTR, CNAME, NS.</summary>
public sealed class DnsNameRecord : DnsRecord
{
    /// <summary>Creates a name record.</summary>
    public DnsNameRecord(string name, DnsRecordType type, int timeToLive, string target)
        : base(name, type, timeToLive)
    {
        Target = target;
    }

    /// <summary>The target name without the trailing dot.</summary>
    public string Target { get; }
}
