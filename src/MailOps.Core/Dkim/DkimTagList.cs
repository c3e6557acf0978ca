using System;
using System.Collections.Generic;

namespace MailOps.Core.Dkim;

/// <summary>One tag=value pair of a DKIM tag-list, with the value's surrounding whitespace removed.</summary>
internal sealed class DkimTag
{
    public DkimTag(string name, string value, int index)
    {
        Name = name;
        Value = value;
        Index = index;
    }

    /// <summary>The tag name; names are case-sensitive (RFC 6376 section 3.2).</summary>
    public string Name { get; }

    /// <summary>The value without leading and trailing whitespace.</summary>
    public string Value { get; }

    /// <summary>Position among the record's tags, 0 for the first.</summary>
    public int Index { get; }
}

/// <summary>
/// Splits the tag=value lists of DKIM key records (RFC 6376 section 3.2) and reports every
/// grammar error as a finding. Parsing goes on after an error so the admin sees all of them and
/// the rest of the record is still shown; a verifier, though, rejects the whole list.
/// </summary>
internal static class DkimTagList
{
    /// <summary>Parses <paramref name="text"/>; syntax errors are added to <paramref name="findings"/>.</summary>
    public static List<DkimTag> Parse(string text, List<Finding> findings)
    {
        var tags = new List<DkimTag>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string[] specs = text.Split(';');
        for (int i = 0; i < specs.Length; i++)
        {
            string spec = specs[i];
            string trimmed = Trim(spec);
            if (trimmed.Length == 0)
            {
                // tag-list = tag-spec *( ";" tag-spec ) [ ";" ]: only the last may be empty.
                if (i < specs.Length - 1 || specs.Length == 1)
                {
                    findings.Add(Error(i == 0 && specs.Length == 1 ? "The record is empty: a DKIM key record needs at least p=." : "Empty tag between two ';' (RFC 6376 section 3.2). Remove the extra ';'.", spec));
                }

                continue;
            }

            int equals = trimmed.IndexOf('=');
            if (equals < 0)
            {
                findings.Add(Error($"'{trimmed}' is not a tag=value pair (RFC 6376 section 3.2). Tags are separated by ';'.", trimmed));
                continue;
            }

            string name = Trim(trimmed.Substring(0, equals));
            string value = Trim(trimmed.Substring(equals + 1));
            if (!IsTagName(name))
            {
                findings.Add(Error($"'{name}' is not a tag name: a letter followed by letters, digits or '_' (RFC 6376 section 3.2).", trimmed));
                continue;
            }

            int bad = BadValueCharacter(value);
            if (bad >= 0)
            {
                findings.Add(Error($"The value of {name}= contains the character U+{(int)value[bad]:X4}, which a tag value may not contain (RFC 6376 section 3.2: printable ASCII except ';', and whitespace).", trimmed));
                continue;
            }

            if (!seen.Add(name))
            {
                // RFC 6376 section 3.2: a duplicate tag makes the entire tag-list invalid.
                findings.Add(Error($"The tag {name}= appears more than once, which makes the whole record invalid (RFC 6376 section 3.2). Keep one.", trimmed));
                continue;
            }

            tags.Add(new DkimTag(name, value, tags.Count));
        }

        return tags;
    }

    /// <summary>Splits a colon-separated value list (h=, s=, t=), dropping whitespace and empty entries.</summary>
    public static string[] SplitList(string value)
    {
        var items = new List<string>();
        foreach (string part in value.Split(':'))
        {
            string item = Trim(part);
            if (item.Length > 0)
            {
                items.Add(item);
            }
        }

        return items.ToArray();
    }

    /// <summary>True for the whitespace of FWS (RFC 5322 section 3.2.2): space, tab, CR, LF.</summary>
    public static bool IsWhiteSpace(char c) => c == ' ' || c == '\t' || c == '\r' || c == '\n';

    /// <summary>Removes FWS at both ends.</summary>
    public static string Trim(string value)
    {
        int start = 0;
        int end = value.Length;
        while (start < end && IsWhiteSpace(value[start]))
        {
            start++;
        }

        while (end > start && IsWhiteSpace(value[end - 1]))
        {
            end--;
        }

        return value.Substring(start, end - start);
    }

    /// <summary>Removes all FWS, as base64 values allow it anywhere (RFC 6376 section 2.4).</summary>
    public static string RemoveWhiteSpace(string value)
    {
        var chars = new char[value.Length];
        int n = 0;
        foreach (char c in value)
        {
            if (!IsWhiteSpace(c))
            {
                chars[n++] = c;
            }
        }

        return new string(chars, 0, n);
    }

    private static bool IsTagName(string name)
    {
        // tag-name = ALPHA *ALNUMPUNC; ALNUMPUNC = ALPHA / DIGIT / "_" (RFC 6376 section 3.2).
        if (name.Length == 0 || !IsAlpha(name[0]))
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!IsAlpha(c) && !(c >= '0' && c <= '9') && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAlpha(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

    /// <summary>Index of the first character that is neither VALCHAR (%x21-3A / %x3C-7E) nor FWS, or -1.</summary>
    private static int BadValueCharacter(string value)
    {
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            bool valChar = (c >= '\x21' && c <= '\x3A') || (c >= '\x3C' && c <= '\x7E');
            if (!valChar && !IsWhiteSpace(c))
            {
                return i;
            }
        }

        return -1;
    }

    private static Finding Error(string message, string term)
        => new Finding(FindingSeverity.Error, DkimFindingCodes.DkimSyntaxError, message, term);
}
