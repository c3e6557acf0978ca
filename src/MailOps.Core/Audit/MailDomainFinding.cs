namespace MailOps.Core.Audit;

/// <summary>
/// A finding of an audit with the area it came from: one flat list per domain is what a nightly
/// report filters and exports, so the area travels with each finding.
/// </summary>
public sealed class MailDomainFinding
{
    internal MailDomainFinding(MailDomainArea area, Finding finding)
    {
        Area = area;
        Severity = finding.Severity;
        Code = finding.Code;
        Message = finding.Message;
        Term = finding.Term;
    }

    /// <summary>The part of the setup it is about.</summary>
    public MailDomainArea Area { get; }

    /// <summary>How much it matters.</summary>
    public FindingSeverity Severity { get; }

    /// <summary>Stable code, as documented in about_MailOps.</summary>
    public string Code { get; }

    /// <summary>What is wrong and what to do.</summary>
    public string Message { get; }

    /// <summary>The offending term or value, when there is one.</summary>
    public string? Term { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Area} {Severity} {Code}: {Message}";
}
