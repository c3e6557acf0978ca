using System.Net;

namespace MailOps.Core.Spf;

/// <summary>
/// A directive: an optional qualifier and a mechanism with its arguments (RFC 7208 sections 4.6.2
/// and 5). The domain-spec is kept raw, macros unexpanded, because expansion depends on the
/// connection being checked (section 7).
/// </summary>
public sealed class SpfMechanism : SpfTerm
{
    internal SpfMechanism(
        string text,
        int position,
        SpfQualifier qualifier,
        bool hasExplicitQualifier,
        SpfMechanismKind kind,
        string? domainSpec,
        IPAddress? network,
        int? ip4PrefixLength,
        int? ip6PrefixLength)
        : base(text, position)
    {
        Qualifier = qualifier;
        HasExplicitQualifier = hasExplicitQualifier;
        Kind = kind;
        DomainSpec = domainSpec;
        Network = network;
        Ip4PrefixLength = ip4PrefixLength;
        Ip6PrefixLength = ip6PrefixLength;
    }

    /// <summary>The result when the mechanism matches; <see cref="SpfQualifier.Pass"/> when none is written (section 4.6.2).</summary>
    public SpfQualifier Qualifier { get; }

    /// <summary>True when the qualifier character was written, so "+all" and "all" can be told apart.</summary>
    public bool HasExplicitQualifier { get; }

    /// <summary>Which mechanism this is.</summary>
    public SpfMechanismKind Kind { get; }

    /// <summary>
    /// The target domain-spec as written, macros unexpanded; null when the mechanism has none
    /// (all, ip4, ip6, or a/mx/ptr that default to the current domain).
    /// </summary>
    public string? DomainSpec { get; }

    /// <summary>The network address of ip4/ip6 mechanisms; null for the others.</summary>
    public IPAddress? Network { get; }

    /// <summary>The IPv4 prefix length written for ip4, a or mx; null when absent (meaning /32).</summary>
    public int? Ip4PrefixLength { get; }

    /// <summary>The IPv6 prefix length written for ip6, a or mx; null when absent (meaning /128).</summary>
    public int? Ip6PrefixLength { get; }

    /// <summary>
    /// True for the mechanisms that cause DNS queries and so count toward the limit of 10
    /// (RFC 7208 section 4.6.4): include, a, mx, ptr and exists.
    /// </summary>
    public bool CountsTowardLookupLimit =>
        Kind == SpfMechanismKind.Include || Kind == SpfMechanismKind.A || Kind == SpfMechanismKind.Mx
        || Kind == SpfMechanismKind.Ptr || Kind == SpfMechanismKind.Exists;
}
