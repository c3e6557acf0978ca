using MailOps.Core.Dns;

namespace MailOps.Core.Spf;

/// <summary>The address family of a network in an SPF record, named the way admins say it.</summary>
public enum SpfIpRangeAddressFamily
{
    /// <summary>An IPv4 network (ip4, or the A records of a and mx).</summary>
    IPv4,

    /// <summary>An IPv6 network (ip6, or the AAAA records of a and mx).</summary>
    IPv6,
}

/// <summary>
/// One row of Get-SpfIpRange: a network that a domain's SPF policy gives a result for, or a term
/// that cannot be turned into networks (exists, ptr, macros, all) or that stops the walk (lookup
/// limit, permerror, DNS failure). One flat shape for both, so Export-Csv keeps every row and
/// <c>Where-Object IsFlattenable</c> leaves only the networks an allowlist can use.
/// </summary>
/// <remarks>
/// Rows come in evaluation order (RFC 7208 section 4.6.2): for an address in two networks the
/// earlier row decides. Inside an include only the included record's pass terms authorize
/// anything (section 5.2), so only those are listed, with the qualifier of the include that led
/// to them. The same network reached through two paths is listed once per path.
/// </remarks>
public sealed class SpfIpRange
{
    internal SpfIpRange(
        string domain,
        string? network,
        SpfIpRangeAddressFamily? addressFamily,
        int? prefixLength,
        SpfQualifier? qualifier,
        string mechanism,
        string? hostName,
        string[] sourceChain,
        string sourceDomain,
        Finding? finding)
    {
        Domain = domain;
        Network = network;
        AddressFamily = addressFamily;
        PrefixLength = prefixLength;
        Qualifier = qualifier;
        Mechanism = mechanism;
        HostName = hostName;
        SourceChain = sourceChain;
        Source = string.Join(" > ", sourceChain);
        SourceDomain = sourceDomain;
        Finding = finding;
    }

    /// <summary>The domain that was asked about (the root of the include tree).</summary>
    public string Domain { get; }

    /// <summary>
    /// The network in CIDR notation with the host bits cleared, e.g. "149.72.0.0/16" or
    /// "2001:db8::/32"; a single address is "/32" or "/128". Null when the row is not a network.
    /// </summary>
    public string? Network { get; }

    /// <summary>IPv4 or IPv6; null when the row is not a network.</summary>
    public SpfIpRangeAddressFamily? AddressFamily { get; }

    /// <summary>The prefix length of <see cref="Network"/>; null when the row is not a network.</summary>
    public int? PrefixLength { get; }

    /// <summary>
    /// The result a client in this network gets from the domain's policy: the mechanism's own
    /// qualifier in the domain's record (and its redirect targets), or the qualifier of the
    /// top-level include that leads here. Pass rows are the ones to allowlist. Null for rows that
    /// give no result of their own: void lookups, DNS errors and the terms where receivers stop
    /// with permerror.
    /// </summary>
    public SpfQualifier? Qualifier { get; }

    /// <summary>The term as written in its record, e.g. "ip4:149.72.0.0/16", "mx/24" or "exists:%{i}.x.example".</summary>
    public string Mechanism { get; }

    /// <summary>For a and mx: the host name whose address this is (the MX exchange for mx); otherwise null.</summary>
    public string? HostName { get; }

    /// <summary>The path to the record holding the term as one string: "contoso.com > include:sendgrid.net > include:_spf2.sendgrid.net".</summary>
    public string Source { get; }

    /// <summary>The same path as an array: the root domain, then each include: or redirect= term followed.</summary>
    public string[] SourceChain { get; }

    /// <summary>The domain whose record holds the term.</summary>
    public string SourceDomain { get; }

    /// <summary>True when <see cref="Network"/> holds a network; false for terms that cannot be listed as networks.</summary>
    public bool IsFlattenable => Network is not null;

    /// <summary>Why the row is not a network (or a note about it); null for plain network rows.</summary>
    public Finding? Finding { get; }

    /// <summary>The stable code of <see cref="Finding"/> (see <see cref="SpfIpRangeFindingCodes"/>), flat for CSV.</summary>
    public string? Code => Finding?.Code;

    /// <summary>The message of <see cref="Finding"/>, flat for CSV.</summary>
    public string? Reason => Finding?.Message;

    /// <inheritdoc />
    public override string ToString() => Network ?? Mechanism;
}

/// <summary>
/// What <see cref="SpfIpRangeFlattener"/> returns for one domain: the rows, or why there are
/// none (no SPF record, DNS failure), and the evaluation trace for -Verbose.
/// </summary>
public sealed class SpfIpRangeResult
{
    internal SpfIpRangeResult(string domain, SpfIpRangeStatus status, SpfIpRange[] ranges, int dnsLookupCount, DnsOutcome? failureOutcome, string? failureMessage, string[] trace)
    {
        Domain = domain;
        Status = status;
        Ranges = ranges;
        DnsLookupCount = dnsLookupCount;
        FailureOutcome = failureOutcome;
        FailureMessage = failureMessage;
        Trace = trace;
    }

    /// <summary>The normalized domain.</summary>
    public string Domain { get; }

    /// <summary>Whether the domain's record was found and walked.</summary>
    public SpfIpRangeStatus Status { get; }

    /// <summary>The rows in evaluation order; empty unless <see cref="Status"/> is <see cref="SpfIpRangeStatus.Found"/>.</summary>
    public SpfIpRange[] Ranges { get; }

    /// <summary>The DNS-querying terms counted during the walk, as check_host() counts them (RFC 7208 section 4.6.4).</summary>
    public int DnsLookupCount { get; }

    /// <summary>How the TXT lookup of the domain itself failed, when <see cref="Status"/> is DnsFailure.</summary>
    public DnsOutcome? FailureOutcome { get; }

    /// <summary>Why there are no rows (no record, DNS failure), in words for the ErrorRecord.</summary>
    public string? FailureMessage { get; }

    /// <summary>One line per step, for -Verbose.</summary>
    public string[] Trace { get; }
}

/// <summary>How the lookup of a domain's own SPF record ended.</summary>
public enum SpfIpRangeStatus
{
    /// <summary>The domain publishes an SPF record; the rows say what it authorizes.</summary>
    Found,

    /// <summary>The domain publishes no SPF record (NXDOMAIN, NODATA or no "v=spf1" TXT record).</summary>
    NoRecord,

    /// <summary>The TXT lookup of the domain failed (SERVFAIL, REFUSED, timeout).</summary>
    DnsFailure,
}
