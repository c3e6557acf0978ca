using System;
using System.Collections.Generic;
using System.Globalization;

namespace MailOps.Core.Smtp;

/// <summary>One complete SMTP reply: the code, the enhanced status code if any, and the text lines.</summary>
internal sealed class SmtpReply
{
    public SmtpReply(int code, string? enhancedCode, string text, IReadOnlyList<string> lines)
    {
        Code = code;
        EnhancedCode = enhancedCode;
        Text = text;
        Lines = lines;
    }

    public int Code { get; }

    public string? EnhancedCode { get; }

    /// <summary>The text of all lines without codes, joined by spaces.</summary>
    public string Text { get; }

    /// <summary>The text of each line without the code (EHLO keywords).</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>Parses "NNN[ -]text" lines (RFC 5321 section 4.2); the enhanced code is
    /// "class.subject.detail" at the start of the text (RFC 3463 section 2).</summary>
    public static SmtpReply? Parse(IReadOnlyList<string> lines)
    {
        if (lines.Count == 0 || lines[0].Length < 3 || !int.TryParse(lines[0].Substring(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out int code))
        {
            return null;
        }

        var texts = new List<string>();
        foreach (string line in lines)
        {
            texts.Add(line.Length > 4 ? line.Substring(4) : string.Empty);
        }

        string? enhanced = null;
        string first = texts[0];
        int space = first.IndexOf(' ');
        string candidate = space < 0 ? first : first.Substring(0, space);
        if (IsEnhancedCode(candidate, code))
        {
            enhanced = candidate;
        }

        var stripped = new List<string>();
        foreach (string text in texts)
        {
            stripped.Add(enhanced is not null && text.StartsWith(enhanced + " ", StringComparison.Ordinal) ? text.Substring(enhanced.Length + 1) : text == enhanced ? string.Empty : text);
        }

        return new SmtpReply(code, enhanced, string.Join(" ", stripped).Trim(), texts);
    }

    private static bool IsEnhancedCode(string candidate, int code)
    {
        string[] parts = candidate.Split('.');
        if (parts.Length != 3 || parts[0].Length != 1 || parts[0][0] != (char)('0' + (code / 100)))
        {
            return false;
        }

        foreach (string part in parts)
        {
            if (part.Length == 0 || part.Length > 3)
            {
                return false;
            }

            foreach (char c in part)
            {
                if (c < '0' || c > '9')
                {
                    return false;
                }
            }
        }

        return true;
    }
}
