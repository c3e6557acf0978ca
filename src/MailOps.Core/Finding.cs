namespace MailOps.Core;

/// <summary>How much a finding matters: Error breaks delivery or validity, Warning risks it, Info explains.</summary>
public enum FindingSeverity
{
    /// <summary>Something a receiver will treat as broken.</summary>
    Error,

    /// <summary>Valid, but risky or against best practice.</summary>
    Warning,

    /// <summary>Worth knowing; nothing to fix.</summary>
    Info,
}

/// <summary>
/// A fact about a record that an admin should act on. Findings are data, not errors: a domain
/// with a bad record is still a successful audit. Codes are stable and listed in about_MailOps.
/// </summary>
public sealed class Finding
{
    /// <summary>Creates a finding.</summary>
    public Finding(FindingSeverity severity, string code, string message, string? term = null)
    {
        Severity = severity;
        Code = code;
        Message = message;
        Term = term;
    }

    /// <summary>How much it matters.</summary>
    public FindingSeverity Severity { get; }

    /// <summary>Stable identifier, e.g. <c>SpfTooManyLookups</c>; scripts filter on it.</summary>
    public string Code { get; }

    /// <summary>What is wrong and what to do.</summary>
    public string Message { get; }

    /// <summary>The offending term or value, when there is one.</summary>
    public string? Term { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Severity} {Code}: {Message}";
}
