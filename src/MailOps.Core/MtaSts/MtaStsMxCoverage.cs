namespace MailOps.Core.MtaSts;

/// <summary>
/// Whether one MX host of the domain is allowed by the policy's mx patterns (RFC 8461 section
/// 4.1). In enforce mode a sender refuses to deliver to an MX that is not covered.
/// </summary>
public sealed class MtaStsMxCoverage
{
    internal MtaStsMxCoverage(string exchange, bool isCovered, string? pattern)
    {
        Exchange = exchange;
        IsCovered = isCovered;
        Pattern = pattern;
    }

    /// <summary>The MX host name, as the domain's MX record gives it.</summary>
    public string Exchange { get; }

    /// <summary>True when an mx pattern of the policy matches the host.</summary>
    public bool IsCovered { get; }

    /// <summary>The first pattern that matches, or null.</summary>
    public string? Pattern { get; }

    /// <inheritdoc />
    public override string ToString() => IsCovered ? $"{Exchange} (covered by {Pattern})" : $"{Exchange} (not covered)";
}
