using System;
using System.Linq;

namespace MailOps.Core.Providers;

/// <summary>
/// One mail provider as the catalogue knows it: how to recognise it from MX hosts, and what a
/// domain hosted there must publish (the SPF include that authorises its servers, the DKIM
/// selectors it signs with). Test-MailDomain checks the second from the first.
/// </summary>
public sealed class MailProvider
{
    /// <summary>Creates a provider entry.</summary>
    /// <exception cref="ArgumentException">The name is empty or there is no valid MX pattern.</exception>
    public MailProvider(string name, MailProviderKind kind, string[] mxPatterns, string[] spfIncludes, string[] dkimSelectors)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("A provider needs a name.", nameof(name));
        }

        if (mxPatterns is null || mxPatterns.Length == 0)
        {
            throw new ArgumentException($"The provider '{name}' needs at least one MX pattern.", nameof(mxPatterns));
        }

        Name = name.Trim();
        Kind = kind;
        MxPatterns = mxPatterns.Select(p => NormalizePattern(p, name)).ToArray();
        SpfIncludes = (spfIncludes ?? Array.Empty<string>()).Select(s => s.Trim().TrimEnd('.').ToLowerInvariant()).Where(s => s.Length > 0).ToArray();
        DkimSelectors = (dkimSelectors ?? Array.Empty<string>()).Select(s => s.Trim().ToLowerInvariant()).Where(s => s.Length > 0).ToArray();
    }

    /// <summary>The provider's usual name ("Google Workspace"); what Get-MxRecord shows as Provider.</summary>
    public string Name { get; }

    /// <summary>Whether the provider hosts mailboxes or is a filtering gateway in front of them.</summary>
    public MailProviderKind Kind { get; }

    /// <summary>
    /// MX host suffixes, lower case, matched on whole labels: "google.com" matches
    /// "aspmx.l.google.com" and "google.com" but not "notgoogle.com". A "*" label matches any one
    /// label ("inbound-smtp.*.amazonaws.com").
    /// </summary>
    public string[] MxPatterns { get; }

    /// <summary>
    /// The include: targets that authorise the provider's outbound servers. Any one of them is
    /// enough (regional variants are alternatives); empty when the include is customer-specific.
    /// </summary>
    public string[] SpfIncludes { get; }

    /// <summary>
    /// The DKIM selectors the provider always signs with ("google"; "selector1", "selector2").
    /// Empty when the customer chooses them or they are random tokens.
    /// </summary>
    public string[] DkimSelectors { get; }

    /// <summary>
    /// The pattern that matches <paramref name="exchange"/> best (the most labels), or null. Names
    /// compare case-insensitively and without a trailing dot (RFC 4343).
    /// </summary>
    public string? MatchingPattern(string? exchange)
    {
        if (exchange is null)
        {
            return null;
        }

        string[] host = Labels(exchange);
        if (host.Length == 0)
        {
            return null;
        }

        string? best = null;
        int bestLabels = 0;
        foreach (string pattern in MxPatterns)
        {
            string[] labels = pattern.Split('.');
            if (labels.Length > bestLabels && IsSuffix(labels, host))
            {
                best = pattern;
                bestLabels = labels.Length;
            }
        }

        return best;
    }

    /// <inheritdoc />
    public override string ToString() => Name;

    internal static string[] Labels(string name)
    {
        string trimmed = name.Trim().TrimEnd('.').ToLowerInvariant();
        return trimmed.Length == 0 ? Array.Empty<string>() : trimmed.Split('.');
    }

    private static bool IsSuffix(string[] pattern, string[] host)
    {
        if (pattern.Length > host.Length)
        {
            return false;
        }

        int offset = host.Length - pattern.Length;
        for (int i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] != "*" && !string.Equals(pattern[i], host[offset + i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static string NormalizePattern(string pattern, string provider)
    {
        string[] labels = Labels(pattern ?? string.Empty);
        if (labels.Length == 0 || labels.Any(l => l.Length == 0) || labels.All(l => l == "*"))
        {
            throw new ArgumentException($"The MX pattern '{pattern}' of provider '{provider}' is not a host suffix.", nameof(pattern));
        }

        return string.Join(".", labels);
    }
}
