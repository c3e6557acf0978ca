using System.Net;

namespace MailOps.Core.Spf;

/// <summary>
/// What check_host() decided and how: the result, the term that decided it, the explanation a
/// receiver would give on Fail, the lookup counts that RFC 7208 section 4.6.4 limits, and an
/// ordered trace an admin can read to see why.
/// </summary>
public sealed class SpfCheckResult
{
    internal SpfCheckResult(
        string domain,
        IPAddress ipAddress,
        string sender,
        string? heloName,
        SpfResult result,
        string? mechanism,
        string? explanation,
        int dnsLookupCount,
        int voidLookupCount,
        string[] trace,
        string? record,
        string? error)
    {
        Domain = domain;
        IPAddress = ipAddress;
        Sender = sender;
        HeloName = heloName;
        Result = result;
        Mechanism = mechanism;
        Explanation = explanation;
        DnsLookupCount = dnsLookupCount;
        VoidLookupCount = voidLookupCount;
        Trace = trace;
        Record = record;
        Error = error;
    }

    /// <summary>The domain whose policy was checked.</summary>
    public string Domain { get; }

    /// <summary>The client address that was checked (IPv4-mapped addresses shown as IPv4).</summary>
    public IPAddress IPAddress { get; }

    /// <summary>The sender as checked: postmaster@HELO for the null sender (section 2.4).</summary>
    public string Sender { get; }

    /// <summary>The HELO/EHLO name given, if any.</summary>
    public string? HeloName { get; }

    /// <summary>The check_host() result (section 2.6).</summary>
    public SpfResult Result { get; }

    /// <summary>
    /// The term that decided the result, as written (e.g. "ip4:192.0.2.0/24", "-all"); "default"
    /// when no mechanism matched (section 4.7); null for None, TempError and PermError.
    /// </summary>
    public string? Mechanism { get; }

    /// <summary>The expanded "exp=" text on Fail (section 6.2); null when there is none or it could not be used.</summary>
    public string? Explanation { get; }

    /// <summary>How many DNS-querying terms were evaluated (include, a, mx, ptr, exists, redirect; limit 10).</summary>
    public int DnsLookupCount { get; }

    /// <summary>How many of those lookups returned no data or NXDOMAIN (limit 2, section 4.6.4).</summary>
    public int VoidLookupCount { get; }

    /// <summary>The steps of the evaluation in order, one line each.</summary>
    public string[] Trace { get; }

    /// <summary>The top-level record that was evaluated, or null when there was none.</summary>
    public string? Record { get; }

    /// <summary>Why the result is TempError, PermError or None, when there is a reason to give.</summary>
    public string? Error { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Result} ({Domain}, {IPAddress})";
}
