using System;

namespace MailOps.Core.MtaSts;

/// <summary>
/// Matches MX host names with the mx patterns of a policy (RFC 8461 section 4.1): an exact name,
/// or "*.example.com", whose "*" stands for exactly one left-most label. Names compare
/// case-insensitively and without a trailing dot.
/// </summary>
public static class MtaStsMxPattern
{
    /// <summary>True when <paramref name="host"/> matches <paramref name="pattern"/>.</summary>
    public static bool Matches(string pattern, string host)
    {
        if (pattern is null || host is null)
        {
            return false;
        }

        string p = pattern.Trim().TrimEnd('.').ToLowerInvariant();
        string h = host.Trim().TrimEnd('.').ToLowerInvariant();
        if (p.Length == 0 || h.Length == 0)
        {
            return false;
        }

        if (!p.StartsWith("*.", StringComparison.Ordinal))
        {
            return string.Equals(p, h, StringComparison.Ordinal);
        }

        // RFC 8461 section 4.1: "*.example.com" matches "mail.example.com" but neither
        // "example.com" nor "foo.mail.example.com".
        string suffix = p.Substring(1);
        if (!h.EndsWith(suffix, StringComparison.Ordinal))
        {
            return false;
        }

        string label = h.Substring(0, h.Length - suffix.Length);
        return label.Length > 0 && label.IndexOf('.') < 0;
    }
}
