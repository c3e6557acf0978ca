using System;
using System.Collections.Generic;

namespace MailOps.Core.Messages;

/// <summary>
/// The tag=value list of a DKIM-Signature or ARC header (RFC 6376 section 3.2), read leniently:
/// folding white space around names and values is dropped, and the first occurrence of a tag
/// wins. Duplicate tags make the signature invalid, which <see cref="HasDuplicates"/> reports.
/// </summary>
internal sealed class SignatureTagList
{
    private readonly Dictionary<string, string> tags = new Dictionary<string, string>(StringComparer.Ordinal);

    private SignatureTagList()
    {
    }

    /// <summary>True when a tag name occurs twice (RFC 6376 section 3.2: such a list is invalid).</summary>
    public bool HasDuplicates { get; private set; }

    /// <summary>The value of <paramref name="name"/>, or null.</summary>
    public string? this[string name] => tags.TryGetValue(name, out string? value) ? value : null;

    /// <summary>Parses a header value.</summary>
    public static SignatureTagList Parse(string value)
    {
        var list = new SignatureTagList();
        foreach (string part in value.Split(';'))
        {
            int eq = part.IndexOf('=');
            if (eq <= 0)
            {
                continue;
            }

            string name = part.Substring(0, eq).Trim();
            string tagValue = part.Substring(eq + 1).Trim();
            if (list.tags.ContainsKey(name))
            {
                list.HasDuplicates = true;
                continue;
            }

            list.tags.Add(name, tagValue);
        }

        return list;
    }

    /// <summary>Removes all folding white space (for b= and bh=, RFC 6376 section 3.5).</summary>
    public static string RemoveWhiteSpace(string value)
    {
        var chars = new List<char>(value.Length);
        foreach (char c in value)
        {
            if (!char.IsWhiteSpace(c))
            {
                chars.Add(c);
            }
        }

        return new string(chars.ToArray());
    }
}
