namespace MailOps.Core.Blocklist;

/// <summary>How one (target, blocklist) question ended.</summary>
public enum DnsBlocklistStatus
{
    /// <summary>The list does not list the target (NXDOMAIN or no A record, RFC 5782 section 2.1).</summary>
    NotListed,

    /// <summary>The list answered with an address in 127.0.0.0/8 that is not an error code.</summary>
    Listed,

    /// <summary>The answer cannot be trusted: DNS failure, an error code (127.255.255.x, a list's
    /// own refusal code), an answer outside 127.0.0.0/8, or a list that failed its self-test.</summary>
    Error,

    /// <summary>Not asked: the catalogue says the list does not cover this kind of address (IPv6 on an IPv4-only list).</summary>
    NotApplicable,
}

/// <summary>
/// One row of Test-DnsBlocklist: one target on one list. Flat scalars so Export-Csv gives a
/// useful table; an error is data in <see cref="Error"/>, never a false "listed".
/// </summary>
public sealed class DnsBlocklistResult
{
    internal DnsBlocklistResult(
        string target,
        DnsBlocklistKind targetKind,
        DnsBlocklist list,
        string? queryName,
        DnsBlocklistStatus status,
        string[] returnCodes,
        string? meaning,
        string? reason,
        string? error)
    {
        Target = target;
        TargetKind = targetKind;
        Blocklist = list.Zone;
        BlocklistName = list.Name;
        QueryName = queryName;
        Status = status;
        ReturnCodes = returnCodes;
        ReturnCode = returnCodes.Length == 0 ? null : string.Join(", ", returnCodes);
        Meaning = meaning;
        Reason = reason;
        Error = error;
    }

    /// <summary>The address or domain checked, as queried (IPv4-mapped IPv6 shown as IPv4, domains normalized).</summary>
    public string Target { get; }

    /// <summary>Whether <see cref="Target"/> is an address or a domain.</summary>
    public DnsBlocklistKind TargetKind { get; }

    /// <summary>The list's DNS zone, e.g. "zen.spamhaus.org".</summary>
    public string Blocklist { get; }

    /// <summary>The list's display name, e.g. "Spamhaus ZEN".</summary>
    public string BlocklistName { get; }

    /// <summary>The name that was queried; null when no query was sent (self-test failed, not applicable).</summary>
    public string? QueryName { get; }

    /// <summary>Listed, not listed, error, or not applicable.</summary>
    public DnsBlocklistStatus Status { get; }

    /// <summary>True only for a trustworthy listing; false for errors, so a refused query never reads as listed.</summary>
    public bool IsListed => Status == DnsBlocklistStatus.Listed;

    /// <summary>The answer addresses joined with ", " (e.g. "127.0.0.2, 127.0.0.4"); null when there was none.</summary>
    public string? ReturnCode { get; }

    /// <summary>The answer addresses, in the order received.</summary>
    public string[] ReturnCodes { get; }

    /// <summary>What the answer means according to the catalogue (e.g. "SBL: ..."), joined with "; " for several answers.</summary>
    public string? Meaning { get; }

    /// <summary>The list's TXT record for the listing (usually a reason and a removal URL), when it publishes one.</summary>
    public string? Reason { get; }

    /// <summary>Why the row cannot be trusted (DNS failure, error code, self-test failure); null otherwise.</summary>
    public string? Error { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Target} {Blocklist}: {Status}";
}

/// <summary>Which RFC 5782 section 5 test entries a self-test used.</summary>
public enum DnsBlocklistTestScope
{
    /// <summary>127.0.0.2 listed, 127.0.0.1 not listed (or the list's own IPv4 test entries).</summary>
    IPv4,

    /// <summary>::ffff:7f00:2 listed, ::ffff:7f00:1 not listed, in nibble form.</summary>
    IPv6,

    /// <summary>test.zone listed, invalid.zone not listed (or the list's own domain test entries).</summary>
    Domain,
}

/// <summary>
/// The outcome of a list's self-test (RFC 5782 section 5): a list that does not list its
/// always-listed entry is dead or unreachable; one that lists its never-listed entry lists
/// everything (a wildcard, common for expired zones). Either way its answers are not used.
/// </summary>
public sealed class DnsBlocklistSelfTest
{
    internal DnsBlocklistSelfTest(string zone, DnsBlocklistTestScope scope, bool passed, string message)
    {
        Zone = zone;
        Scope = scope;
        Passed = passed;
        Message = message;
    }

    /// <summary>The list's zone.</summary>
    public string Zone { get; }

    /// <summary>Which test entries were queried.</summary>
    public DnsBlocklistTestScope Scope { get; }

    /// <summary>True when the list can be trusted for this kind of target.</summary>
    public bool Passed { get; }

    /// <summary>What was found, in words.</summary>
    public string Message { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Zone} {Scope} self-test {(Passed ? "passed" : "failed")}: {Message}";
}
