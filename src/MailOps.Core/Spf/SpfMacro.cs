using System.Collections.Generic;
using System.Text;

namespace MailOps.Core.Spf;

/// <summary>
/// The macro language of RFC 7208 section 7: parsing macro-strings and expanding them against
/// the connection being checked.
/// </summary>
public static partial class SpfMacro
{
    private const string MacroLetters = "slodiphcrtv";
    private const string Delimiters = ".-+,/_=";

    /// <summary>
    /// Splits a macro-string into tokens, or explains why it is not one. With
    /// <paramref name="explanation"/> the explain-string grammar applies: spaces are literal and
    /// the c, r and t letters are allowed (section 7.2 reserves them for "exp" text).
    /// </summary>
    internal static bool TryTokenize(string text, bool explanation, bool allowExplanationLetters, out List<SpfMacroToken> tokens, out string? error)
    {
        tokens = new List<SpfMacroToken>();
        error = null;
        var literal = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c != '%')
            {
                // Section 7.1: macro-literal = %x21-24 / %x26-7E; explain-string adds SP.
                // Anything else (controls, DEL, non-ASCII) is outside the grammar (section 3.1: 7-bit ASCII).
                if ((c >= '\x21' && c <= '\x7e') || (explanation && c == ' '))
                {
                    literal.Append(c);
                    i++;
                    continue;
                }

                error = c > '\x7e'
                    ? $"Non-ASCII character U+{(int)c:X4}; SPF records are 7-bit ASCII (RFC 7208 section 3.1)."
                    : $"Character 0x{(int)c:X2} is not allowed in a macro-string (RFC 7208 section 7.1).";
                return false;
            }

            if (i + 1 >= text.Length)
            {
                error = "A '%' must be followed by '{', '%', '_' or '-' (RFC 7208 section 7.1).";
                return false;
            }

            var next = text[i + 1];
            if (next == '%' || next == '_' || next == '-')
            {
                Flush(tokens, literal);

                // Section 7.1: "%%" is a percent sign, "%_" a space, "%-" a URL-encoded space.
                tokens.Add(SpfMacroToken.ForEscape(next == '%' ? "%" : next == '_' ? " " : "%20"));
                i += 2;
                continue;
            }

            if (next != '{')
            {
                error = $"'%{next}' is not a macro; a '%' must be followed by '{{', '%', '_' or '-' (RFC 7208 section 7.1).";
                return false;
            }

            var close = text.IndexOf('}', i + 2);
            if (close < 0)
            {
                error = "Unterminated macro: '%{' without '}' (RFC 7208 section 7.1).";
                return false;
            }

            if (!TryParseExpand(text.Substring(i + 2, close - i - 2), allowExplanationLetters, out var token, out error))
            {
                return false;
            }

            Flush(tokens, literal);
            tokens.Add(token!);
            i = close + 1;
        }

        Flush(tokens, literal);
        return true;
    }

    private static bool TryParseExpand(string body, bool allowExplanationLetters, out SpfMacroToken? token, out string? error)
    {
        token = null;
        error = null;
        if (body.Length == 0)
        {
            error = "Empty macro '%{}' (RFC 7208 section 7.1).";
            return false;
        }

        var raw = body[0];
        var letter = char.ToLowerInvariant(raw);
        if (raw > '\x7e' || MacroLetters.IndexOf(letter) < 0)
        {
            error = $"'%{{{body}}}': '{raw}' is not a macro letter (RFC 7208 section 7.2).";
            return false;
        }

        if (!allowExplanationLetters && (letter == 'c' || letter == 'r' || letter == 't'))
        {
            // Section 7.2: c, r and t are allowed only in "exp" text.
            error = $"'%{{{body}}}': the '{letter}' macro is allowed only in explanation text (RFC 7208 section 7.2).";
            return false;
        }

        var i = 1;
        var keep = 0;
        var hasDigits = false;
        while (i < body.Length && body[i] >= '0' && body[i] <= '9')
        {
            hasDigits = true;

            // Saturate: a count beyond the number of parts simply keeps them all (section 7.3).
            keep = keep > 100_000 ? keep : (keep * 10) + (body[i] - '0');
            i++;
        }

        if (hasDigits && keep == 0)
        {
            // Section 7.3: "If a DIGIT is specified, the value MUST be nonzero."
            error = $"'%{{{body}}}': the digit transformer must be nonzero (RFC 7208 section 7.3).";
            return false;
        }

        var reverse = false;
        if (i < body.Length && (body[i] == 'r' || body[i] == 'R'))
        {
            reverse = true;
            i++;
        }

        var delimiters = body.Substring(i);
        foreach (var d in delimiters)
        {
            if (Delimiters.IndexOf(d) < 0)
            {
                error = $"'%{{{body}}}': '{d}' is not a macro delimiter; use . - + , / _ = (RFC 7208 section 7.1).";
                return false;
            }
        }

        token = SpfMacroToken.ForExpand(letter, char.IsUpper(raw), keep, reverse, delimiters);
        return true;
    }

    private static void Flush(List<SpfMacroToken> tokens, StringBuilder literal)
    {
        if (literal.Length > 0)
        {
            tokens.Add(SpfMacroToken.ForLiteral(literal.ToString()));
            literal.Clear();
        }
    }
}
