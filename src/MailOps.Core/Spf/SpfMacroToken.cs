namespace MailOps.Core.Spf;

/// <summary>What one piece of a macro-string is (RFC 7208 section 7.1).</summary>
internal enum SpfMacroTokenKind
{
    /// <summary>Literal characters copied as they are.</summary>
    Literal,

    /// <summary>A "%{...}" macro-expand.</summary>
    Expand,

    /// <summary>"%%", "%_" or "%-": a macro-expand in the grammar that stands for fixed text.</summary>
    Escape,
}

/// <summary>
/// One parsed piece of a macro-string. "%%", "%_" and "%-" carry their fixed text ("%", " ",
/// "%20", section 7.1) but stay apart from literals because the grammar counts them as
/// macro-expands when deciding whether a domain-spec ends properly (section 12, domain-end).
/// </summary>
internal sealed class SpfMacroToken
{
    private SpfMacroToken(SpfMacroTokenKind kind, string literal, char letter, bool urlEscape, int keep, bool reverse, string delimiters)
    {
        Kind = kind;
        Literal = literal;
        Letter = letter;
        UrlEscape = urlEscape;
        Keep = keep;
        Reverse = reverse;
        Delimiters = delimiters;
    }

    public SpfMacroTokenKind Kind { get; }

    /// <summary>The text of Literal and Escape tokens.</summary>
    public string Literal { get; }

    /// <summary>The macro letter, lower-cased.</summary>
    public char Letter { get; }

    /// <summary>True when the letter was upper-case: the value is URL-escaped (section 7.3).</summary>
    public bool UrlEscape { get; }

    /// <summary>How many right-hand parts to keep; 0 keeps all.</summary>
    public int Keep { get; }

    /// <summary>True for the "r" transformer.</summary>
    public bool Reverse { get; }

    /// <summary>The delimiters to split on; "" means the default ".".</summary>
    public string Delimiters { get; }

    public static SpfMacroToken ForLiteral(string text) => new SpfMacroToken(SpfMacroTokenKind.Literal, text, '\0', false, 0, false, string.Empty);

    public static SpfMacroToken ForEscape(string text) => new SpfMacroToken(SpfMacroTokenKind.Escape, text, '\0', false, 0, false, string.Empty);

    public static SpfMacroToken ForExpand(char letter, bool urlEscape, int keep, bool reverse, string delimiters)
        => new SpfMacroToken(SpfMacroTokenKind.Expand, string.Empty, letter, urlEscape, keep, reverse, delimiters);
}
