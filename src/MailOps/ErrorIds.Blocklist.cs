namespace MailOps;

/// <summary>The ErrorIds of Get-SpfIpRange and Test-DnsBlocklist.</summary>
public static partial class ErrorIds
{
    /// <summary>Get-SpfIpRange: the domain publishes no SPF record, so it authorizes no networks (ObjectNotFound).</summary>
    public const string SpfRecordNotFound = "SpfRecordNotFound";

    /// <summary>Test-DnsBlocklist: an -IPAddress value is not a dotted-quad IPv4 or an IPv6 address (InvalidArgument).</summary>
    public const string InvalidIPAddress = "InvalidIPAddress";

    /// <summary>Test-DnsBlocklist: a -Blocklist value is neither a catalogue name nor a valid DNS zone name (InvalidArgument).</summary>
    public const string InvalidBlocklist = "InvalidBlocklist";

    /// <summary>Test-DnsBlocklist: a catalogue list named in -Blocklist takes the other kind of target (an IP list for
    /// -Domain, a domain list for -IPAddress), so it is not queried for these targets (InvalidArgument).</summary>
    public const string BlocklistKindMismatch = "BlocklistKindMismatch";
}
