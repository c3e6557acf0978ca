namespace MailOps.Core.Spf;

/// <summary>
/// The eight mechanisms of RFC 7208 section 5. The set is closed: an unknown mechanism name is a
/// syntax error, never an extension point (section 4.6.1), which is why this is an enum.
/// </summary>
public enum SpfMechanismKind
{
    /// <summary>"all": always matches (section 5.1).</summary>
    All,

    /// <summary>"include:": matches when another domain's policy passes (section 5.2).</summary>
    Include,

    /// <summary>"a": matches the A/AAAA addresses of a name (section 5.3).</summary>
    A,

    /// <summary>"mx": matches the addresses of a name's mail exchangers (section 5.4).</summary>
    Mx,

    /// <summary>"ptr": matches a validated reverse name (section 5.5); deprecated.</summary>
    Ptr,

    /// <summary>"ip4:": matches an IPv4 network (section 5.6).</summary>
    Ip4,

    /// <summary>"ip6:": matches an IPv6 network (section 5.6).</summary>
    Ip6,

    /// <summary>"exists:": matches when a name has an A record (section 5.7).</summary>
    Exists,
}
