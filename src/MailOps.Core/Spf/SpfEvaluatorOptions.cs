using System;

namespace MailOps.Core.Spf;

/// <summary>
/// The processing limits of RFC 7208 section 4.6.4 and a few receiver choices. The defaults are
/// the RFC's; change them only to model a receiver that differs.
/// </summary>
public sealed class SpfEvaluatorOptions
{
    /// <summary>The most DNS-querying terms (include, a, mx, ptr, exists, redirect) one check may evaluate; more is permerror.</summary>
    public int MaxDnsLookups { get; set; } = 10;

    /// <summary>The most lookups that may return NXDOMAIN or no data; more is permerror.</summary>
    public int MaxVoidLookups { get; set; } = 2;

    /// <summary>The most MX names (more is permerror) or PTR names (the rest are ignored) one mechanism looks at.</summary>
    public int MaxNamesPerLookup { get; set; } = 10;

    /// <summary>
    /// The explanation given on Fail when the record has no usable "exp=" (section 6.2 leaves
    /// it to the receiver). It may contain macros. Null gives no explanation.
    /// </summary>
    public string? DefaultExplanation { get; set; }

    /// <summary>The clock for the "t" macro; null uses the system clock.</summary>
    public Func<DateTimeOffset>? Clock { get; set; }
}
