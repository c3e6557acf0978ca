using System.Text;
using System.Text.RegularExpressions;

namespace MailOps.Core.Suppression;

/// <summary>
/// A PowerShell-style wildcard over addresses (<c>*@contoso.com</c>, <c>info?@*</c>,
/// <c>[ab]*@example.com</c>, <c>`*</c> for a literal star), matched without regard to case like
/// the rest of the list. SQLite gets a LIKE prefilter so the index narrows the rows; the regex
/// then applies the exact pattern (LIKE has no character classes).
/// </summary>
internal sealed class SuppressionPattern
{
    private readonly Regex regex;

    private SuppressionPattern(string like, Regex regex)
    {
        Like = like;
        this.regex = regex;
    }

    /// <summary>The LIKE expression (ESCAPE '\') that every match satisfies.</summary>
    public string Like { get; }

    /// <summary>True when <paramref name="text"/> has wildcard characters (*, ?, [).</summary>
    public static bool HasWildcards(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '`')
            {
                i++;
            }
            else if (c == '*' || c == '?' || c == '[')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Builds the pattern. A domain after the last @ without wildcards is normalised like
    /// stored domains (so <c>*@Bücher.example</c> finds <c>x@xn--bcher-kva.example</c>).</summary>
    public static SuppressionPattern Create(string pattern)
    {
        pattern = pattern.Trim();
        int at = pattern.LastIndexOf('@');
        if (at >= 0 && !HasWildcards(pattern.Substring(at + 1))
            && DomainName.TryNormalize(pattern.Substring(at + 1), out string domain, out _))
        {
            pattern = pattern.Substring(0, at + 1) + domain;
        }

        var like = new StringBuilder();
        var regex = new StringBuilder("^");
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '`' && i + 1 < pattern.Length)
            {
                i++;
                AppendLiteral(like, regex, pattern[i]);
            }
            else if (c == '*')
            {
                like.Append('%');
                regex.Append(".*");
            }
            else if (c == '?')
            {
                like.Append('_');
                regex.Append('.');
            }
            else if (c == '[' && pattern.IndexOf(']', i + 1) > i + 1)
            {
                int end = pattern.IndexOf(']', i + 1);
                like.Append('_');
                regex.Append('[');
                foreach (char member in pattern.Substring(i + 1, end - i - 1))
                {
                    regex.Append(member == '-' ? "-" : Regex.Escape(member.ToString()));
                }

                regex.Append(']');
                i = end;
            }
            else
            {
                AppendLiteral(like, regex, c);
            }
        }

        regex.Append('$');
        return new SuppressionPattern(like.ToString(), new Regex(regex.ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline));
    }

    /// <summary>True when <paramref name="address"/> matches.</summary>
    public bool IsMatch(string address) => regex.IsMatch(address);

    private static void AppendLiteral(StringBuilder like, StringBuilder regex, char c)
    {
        if (c == '%' || c == '_' || c == '\\')
        {
            like.Append('\\');
        }

        like.Append(c);
        regex.Append(Regex.Escape(c.ToString()));
    }
}
