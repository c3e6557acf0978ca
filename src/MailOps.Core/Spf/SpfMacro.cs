using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace MailOps.Core.Spf;

/// <summary>
/// The macro language of RFC 7208 section 7: checking macro-strings and expanding them against
/// the connection being checked. Domain-specs and explanation strings follow slightly different
/// rules (spaces and the c, r, t letters are only for explanations; only domain names are
/// truncated to 253 characters), so each has its own entry point.
/// </summary>
public static class SpfMacro
{
    private const string MacroLetters = "slodiphcrtv";
    private const string Delimiters = ".-+,/_=";

    /// <summary>The longest domain name in text form (RFC 1035 section 2.3.4; RFC 7208 section 7.3).</summary>
    private const int MaxDomainLength = 253;

    /// <summary>
    /// True when <paramref name="text"/> is a valid macro-string: every "%" starts "%{...}", "%%",
    /// "%_" or "%-", and only printable ASCII appears (section 7.1). With
    /// <paramref name="explanation"/> the explain-string rules apply: spaces and the c, r, t
    /// letters are allowed (section 7.2).
    /// </summary>
    public static bool IsValid(string text, bool explanation = false)
        => text is not null && TryTokenize(text, explanation, explanation, out _, out _);

    /// <summary>
    /// Expands a domain-spec into the name to query (sections 7.3 and 4.8): macros are replaced,
    /// a trailing dot is dropped and, when the result is longer than 253 characters, labels are
    /// removed from the left until it fits.
    /// </summary>
    /// <exception cref="FormatException">The text is not a valid macro-string for a domain-spec.</exception>
    public static string ExpandDomainSpec(string domainSpec, SpfMacroContext context)
    {
        if (!TryExpandDomainSpec(domainSpec, context, out var expanded, out var error))
        {
            throw new FormatException(error);
        }

        return expanded;
    }

    /// <summary>Like <see cref="ExpandDomainSpec"/>, reporting a syntax problem instead of throwing.</summary>
    public static bool TryExpandDomainSpec(string domainSpec, SpfMacroContext context, out string expanded, out string? error)
    {
        expanded = string.Empty;
        if (context is null)
        {
            throw new ArgumentNullException(nameof(context));
        }

        if (domainSpec is null)
        {
            error = "The domain-spec is null.";
            return false;
        }

        if (!TryTokenize(domainSpec, explanation: false, allowExplanationLetters: false, out var tokens, out error))
        {
            return false;
        }

        expanded = TruncateDomain(Expand(tokens, context));
        return true;
    }

    /// <summary>
    /// Expands the text of an explanation TXT record (section 6.2): an explain-string, where spaces
    /// are literal and the c, r and t macros are allowed. Nothing is truncated.
    /// </summary>
    /// <exception cref="FormatException">The text is not a valid explain-string.</exception>
    public static string ExpandExplanation(string explainString, SpfMacroContext context)
    {
        if (!TryExpandExplanation(explainString, context, out var expanded, out var error))
        {
            throw new FormatException(error);
        }

        return expanded;
    }

    /// <summary>Like <see cref="ExpandExplanation"/>, reporting a syntax problem instead of throwing.</summary>
    public static bool TryExpandExplanation(string explainString, SpfMacroContext context, out string expanded, out string? error)
    {
        expanded = string.Empty;
        if (context is null)
        {
            throw new ArgumentNullException(nameof(context));
        }

        if (explainString is null)
        {
            error = "The explanation is null.";
            return false;
        }

        if (!TryTokenize(explainString, explanation: true, allowExplanationLetters: true, out var tokens, out error))
        {
            return false;
        }

        expanded = Expand(tokens, context);
        return true;
    }

    /// <summary>True when the macro-string uses "p", so the caller must find the validated name first.</summary>
    internal static bool UsesValidatedDomain(string text)
    {
        if (!TryTokenize(text, explanation: true, allowExplanationLetters: true, out var tokens, out _))
        {
            return false;
        }

        foreach (var token in tokens)
        {
            if (token.Kind == SpfMacroTokenKind.Expand && token.Letter == 'p')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Section 7.3: "if the expanded domain name exceeds 253 characters ... the left side is
    /// truncated to fit, by removing successive domain labels (and their following dots)".
    /// </summary>
    internal static string TruncateDomain(string name)
    {
        if (name.EndsWith(".", StringComparison.Ordinal))
        {
            name = name.Substring(0, name.Length - 1);
        }

        while (name.Length > MaxDomainLength)
        {
            var dot = name.IndexOf('.');
            if (dot < 0)
            {
                break;
            }

            name = name.Substring(dot + 1);
        }

        return name;
    }

    private static string Expand(List<SpfMacroToken> tokens, SpfMacroContext context)
    {
        var result = new StringBuilder();
        foreach (var token in tokens)
        {
            if (token.Kind != SpfMacroTokenKind.Expand)
            {
                result.Append(token.Literal);
                continue;
            }

            var value = Transform(ValueOf(token.Letter, context), token);

            // Section 7.3: upper-case macro letters are URL-escaped after transformation.
            result.Append(token.UrlEscape ? UrlEscape(value) : value);
        }

        return result.ToString();
    }

    private static string ValueOf(char letter, SpfMacroContext context)
    {
        // Section 7.2: the meaning of each macro letter.
        switch (letter)
        {
            case 's': return context.Sender;
            case 'l': return context.LocalPart;
            case 'o': return context.SenderDomain;
            case 'd': return context.Domain;
            case 'i': return DottedAddress(context);
            case 'p': return context.ValidatedDomain;
            case 'v': return context.IsIPv6 ? "ip6" : "in-addr";
            case 'h': return context.HeloName;
            case 'c': return context.IPAddress.ToString();
            case 'r': return context.ReceiverName;
            case 't': return context.Timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            default: return string.Empty;
        }
    }

    /// <summary>
    /// Section 7.3: "i" is the dotted-quad for IPv4, and for IPv6 the 32 nibbles separated by
    /// dots, so that "%{ir}.%{v}.arpa" is the reverse-lookup name. Nibbles are written upper-case
    /// as the reference implementation (pyspf) and the OpenSPF suite do; DNS compares names
    /// case-insensitively (RFC 4343), so a query name is the same either way.
    /// </summary>
    private static string DottedAddress(SpfMacroContext context)
    {
        if (context.IPAddress.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return context.IPAddress.ToString();
        }

        var bytes = context.IPAddress.GetAddressBytes();
        var text = new StringBuilder(63);
        foreach (var b in bytes)
        {
            if (text.Length > 0)
            {
                text.Append('.');
            }

            text.Append("0123456789ABCDEF"[b >> 4]).Append('.').Append("0123456789ABCDEF"[b & 0xF]);
        }

        return text.ToString();
    }

    /// <summary>
    /// Section 7.3 transformers: split on the delimiters (default "."), reverse when "r" is given,
    /// keep the rightmost N parts, and join with ".".
    /// </summary>
    private static string Transform(string value, SpfMacroToken token)
    {
        if (token.Keep == 0 && !token.Reverse && (token.Delimiters.Length == 0 || token.Delimiters == "."))
        {
            return value;
        }

        var separators = token.Delimiters.Length == 0 ? new[] { '.' } : token.Delimiters.ToCharArray();
        var parts = new List<string>(value.Split(separators));
        if (token.Reverse)
        {
            parts.Reverse();
        }

        if (token.Keep > 0 && token.Keep < parts.Count)
        {
            parts = parts.GetRange(parts.Count - token.Keep, token.Keep);
        }

        return string.Join(".", parts);
    }

    /// <summary>Percent-encodes everything outside the RFC 3986 unreserved set, byte by byte in UTF-8.</summary>
    private static string UrlEscape(string value)
    {
        var result = new StringBuilder(value.Length * 3);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~')
            {
                result.Append(c);
            }
            else
            {
                result.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return result.ToString();
    }

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
