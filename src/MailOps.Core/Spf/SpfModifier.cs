namespace MailOps.Core.Spf;

/// <summary>
/// A name=value term (RFC 7208 section 6). Only "redirect" and "exp" mean anything; other
/// modifiers are kept (they are legal and must be ignored, section 6) so tools can show them.
/// </summary>
public sealed class SpfModifier : SpfTerm
{
    internal SpfModifier(string text, int position, string name, string value)
        : base(text, position)
    {
        Name = name;
        Value = value;
    }

    /// <summary>The modifier name as written (names compare case-insensitively).</summary>
    public string Name { get; }

    /// <summary>The value after "=", macros unexpanded.</summary>
    public string Value { get; }

    /// <summary>True for the modifiers RFC 7208 defines: "redirect" and "exp".</summary>
    public bool IsKnown => IsRedirect || IsExplanation;

    /// <summary>True for "redirect=" (section 6.1).</summary>
    public bool IsRedirect => string.Equals(Name, "redirect", System.StringComparison.OrdinalIgnoreCase);

    /// <summary>True for "exp=" (section 6.2).</summary>
    public bool IsExplanation => string.Equals(Name, "exp", System.StringComparison.OrdinalIgnoreCase);
}
