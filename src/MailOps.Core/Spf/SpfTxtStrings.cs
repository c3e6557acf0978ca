using System.Collections.Generic;
using System.Text;

namespace MailOps.Core.Spf;

/// <summary>
/// The TXT side of SPF: character-strings of at most 255 octets, the zone-file form admins paste,
/// and the size of the DNS answer a record produces. Kept apart from the parser because it is
/// about how a record is published, not what it says.
/// </summary>
internal static class SpfTxtStrings
{
    /// <summary>RFC 1035 section 3.3: a character-string is one length octet and up to 255 octets.</summary>
    internal const int MaxStringOctets = 255;

    /// <summary>RFC 1035 section 2.3.4: the largest DNS message over UDP without EDNS0.</summary>
    internal const int UdpMessageLimit = 512;

    /// <summary>The UTF-8 length of <paramref name="text"/>: DNS counts octets, not characters.</summary>
    internal static int OctetLength(string text)
    {
        int octets = 0;
        for (int i = 0; i < text.Length; i++)
        {
            octets += CharOctets(text, i, out int width);
            i += width - 1;
        }

        return octets;
    }

    /// <summary>
    /// Splits a record into character-strings of at most 255 octets that concatenate back to it
    /// exactly (RFC 7208 section 3.3 joins them with nothing in between). Each cut is made right
    /// after a space where one exists, so every string but the last ends with a whole term and a
    /// space; a single term longer than 255 octets is cut hard.
    /// </summary>
    internal static string[] Split(string text)
    {
        var strings = new List<string>();
        int start = 0;
        while (start < text.Length)
        {
            int end = start;
            int octets = 0;
            int lastSpace = -1;
            while (end < text.Length)
            {
                int next = CharOctets(text, end, out int width);
                if (octets + next > MaxStringOctets)
                {
                    break;
                }

                if (text[end] == ' ')
                {
                    lastSpace = end;
                }

                octets += next;
                end += width;
            }

            if (end < text.Length && lastSpace > start)
            {
                end = lastSpace + 1;
            }

            strings.Add(text.Substring(start, end - start));
            start = end;
        }

        return strings.ToArray();
    }

    /// <summary>
    /// Reads zone-file presentation form: one or more quoted strings separated by white space,
    /// with \" \\ and \DDD escapes (RFC 1035 section 5.1). Returns false when
    /// <paramref name="input"/> is not in that form, so callers take it as plain record text.
    /// </summary>
    internal static bool TryParsePresentation(string input, out string[] strings)
    {
        strings = System.Array.Empty<string>();
        string text = input.Trim();
        if (text.Length == 0 || text[0] != '"')
        {
            return false;
        }

        var result = new List<string>();
        int i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }

            if (text[i] != '"')
            {
                return false;
            }

            var current = new StringBuilder();
            i++;
            bool closed = false;
            while (i < text.Length)
            {
                char c = text[i];
                if (c == '"')
                {
                    closed = true;
                    i++;
                    break;
                }

                if (c == '\\' && i + 1 < text.Length)
                {
                    if (i + 3 < text.Length && IsDigit(text[i + 1]) && IsDigit(text[i + 2]) && IsDigit(text[i + 3]))
                    {
                        int code = ((text[i + 1] - '0') * 100) + ((text[i + 2] - '0') * 10) + (text[i + 3] - '0');
                        if (code > 255)
                        {
                            return false;
                        }

                        current.Append((char)code);
                        i += 4;
                        continue;
                    }

                    current.Append(text[i + 1]);
                    i += 2;
                    continue;
                }

                current.Append(c);
                i++;
            }

            if (!closed)
            {
                return false;
            }

            result.Add(current.ToString());
        }

        strings = result.ToArray();
        return strings.Length > 0;
    }

    /// <summary>Writes strings in zone-file form: each quoted, " and \ escaped, separated by a space.</summary>
    internal static string ToPresentation(IEnumerable<string> strings)
    {
        var builder = new StringBuilder();
        foreach (string s in strings)
        {
            if (builder.Length > 0)
            {
                builder.Append(' ');
            }

            builder.Append('"');
            foreach (char c in s)
            {
                if (c == '"' || c == '\\')
                {
                    builder.Append('\\');
                }

                builder.Append(c);
            }

            builder.Append('"');
        }

        return builder.ToString();
    }

    /// <summary>
    /// Estimates the size of the DNS response to a TXT query for <paramref name="name"/> carrying
    /// <paramref name="records"/>: header (12) + question (name + type + class) + per answer a
    /// compressed owner name (2), type, class, TTL and RDLENGTH (10) and the strings each with its
    /// length octet. No EDNS0 OPT record, no authority section: the smallest reply possible.
    /// RFC 7208 section 3.4 counts every TXT record at the name, not only the SPF one.
    /// </summary>
    internal static int EstimateTxtResponseSize(string name, IEnumerable<IReadOnlyList<string>> records)
    {
        int size = 12 + QuestionNameOctets(name) + 4;
        foreach (IReadOnlyList<string> record in records)
        {
            size += 2 + 10;
            foreach (string s in record)
            {
                size += 1 + OctetLength(s);
            }
        }

        return size;
    }

    private static int QuestionNameOctets(string name)
    {
        string trimmed = name.TrimEnd('.');
        if (trimmed.Length == 0)
        {
            return 1;
        }

        // Each label is a length octet and its octets; the root label is one zero octet.
        int octets = 1;
        foreach (string label in trimmed.Split('.'))
        {
            octets += 1 + OctetLength(label);
        }

        return octets;
    }

    private static bool IsDigit(char c) => c >= '0' && c <= '9';

    private static int CharOctets(string text, int index, out int width)
    {
        char c = text[index];
        width = 1;
        if (c < 0x80)
        {
            return 1;
        }

        if (c < 0x800)
        {
            return 2;
        }

        if (char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            width = 2;
            return 4;
        }

        // Other BMP characters, and lone surrogates that UTF-8 encoders replace with U+FFFD.
        return 3;
    }
}
