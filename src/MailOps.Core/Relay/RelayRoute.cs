using System;
using System.Collections.Generic;
using System.Linq;

namespace MailOps.Core.Relay;

/// <summary>
/// The server choice: which relay profiles may send a message, in which order, and whether its
/// From must be rewritten. Pure: it sees only the profiles and defaults it is given, so the
/// same rules run in Send-RelayMail, in Get-RelayRoute and in unit tests.
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>The pool: enabled profiles of the message's category.</item>
/// <item>The candidates: profiles of the pool whose From filter matches the From (an exact
/// address, the domain exactly, or *.domain for subdomains; an empty filter matches every
/// From), lowest priority number first, ties by name (ordinal, case-insensitive) so the order
/// never depends on how the store returned them.</item>
/// <item>No candidate but defaults set: the From becomes DefaultFrom@DomainAlias with the same
/// display name, the original goes to Reply-To, and the candidates are the pool's profiles that
/// may send as the new address. A sender the relays are not authorised for would fail SPF/DKIM
/// alignment and so DMARC (RFC 7489 3.1); the rewrite trades the From for deliverability.</item>
/// <item>No candidate and no defaults: no candidates, and a reason that says what to
/// configure.</item>
/// </list>
/// </remarks>
public static class RelayRoute
{
    /// <summary>Chooses the relays for a message.</summary>
    /// <param name="profiles">Every profile (disabled and other categories are skipped here).</param>
    /// <param name="defaults">The fallback sender; null when none is set.</param>
    /// <param name="fromAddress">The From: <c>user@domain</c> or <c>Name &lt;user@domain&gt;</c>.</param>
    /// <param name="category">The kind of mail.</param>
    /// <exception cref="ArgumentException">The From is not a mailbox.</exception>
    public static RelayRouteDecision Choose(IReadOnlyList<RelayServer> profiles, RelayDefaults? defaults, string fromAddress, RelayCategory category)
    {
        if (profiles is null)
        {
            throw new ArgumentNullException(nameof(profiles));
        }

        if (!RelayMailbox.TryParse(fromAddress, out RelayMailbox? from, out string? error))
        {
            throw new ArgumentException(error, nameof(fromAddress));
        }

        RelayServer[] pool = profiles.Where(p => p is not null && p.Enabled && p.Category == category).ToArray();
        RelayServer[] candidates = Matching(pool, from!);
        string original = from!.ToString();
        if (candidates.Length > 0)
        {
            string reason = $"{Count(candidates.Length)} may send as {from.Address}; {Describe(candidates[0])} first.";
            return new RelayRouteDecision(category, candidates, original, original, false, null, reason);
        }

        string none = pool.Length == 0
            ? $"No enabled {category} relay profile is registered"
            : $"No enabled {category} relay profile may send as {from.Address} (no From filter matches it)";
        if (defaults is null)
        {
            string advice = pool.Length == 0
                ? $"; register one with Register-RelayServer -Category {category}."
                : $"; add {from.Domain} or {from.Address} to a profile's -FromFilter, or set a fallback sender with Set-RelayDefault -DefaultFrom <local-part> -DomainAlias <domain>.";
            return new RelayRouteDecision(category, Array.Empty<RelayServer>(), original, original, false, null, none + advice);
        }

        if (string.Equals(defaults.Address, from.Address, StringComparison.OrdinalIgnoreCase))
        {
            // Rewriting to the same address would change nothing and hide the real problem.
            return new RelayRouteDecision(category, Array.Empty<RelayServer>(), original, original, false, null, none + $"; it is the default sender itself: add {defaults.DomainAlias} to a profile's -FromFilter.");
        }

        RelayMailbox rewritten = from.WithAddress(defaults.Address);
        RelayServer[] fallback = Matching(pool, rewritten);
        string text = none + $"; From rewritten to {rewritten} (the default sender), the original sender goes to Reply-To";
        text += fallback.Length > 0
            ? $". {Count(fallback.Length)} may send as {defaults.Address}; {Describe(fallback[0])} first."
            : $", but no enabled {category} profile may send as {defaults.Address} either: add {defaults.DomainAlias} to a profile's -FromFilter.";
        return new RelayRouteDecision(category, fallback, rewritten.ToString(), original, true, original, text);
    }

    /// <summary>True when <paramref name="profile"/>'s From filter lets it send as
    /// <paramref name="from"/> (an empty filter lets it send as anyone).</summary>
    public static bool MaySendAs(RelayServer profile, RelayMailbox from)
    {
        if (profile is null)
        {
            throw new ArgumentNullException(nameof(profile));
        }

        if (profile.FromFilter.Length == 0)
        {
            return true;
        }

        foreach (string text in profile.FromFilter)
        {
            if (RelayFromFilter.TryParse(text, out RelayFromFilter? filter, out _) && filter!.IsMatch(from))
            {
                return true;
            }
        }

        return false;
    }

    private static RelayServer[] Matching(RelayServer[] pool, RelayMailbox from)
        => pool.Where(p => MaySendAs(p, from))
            .OrderBy(p => p.Priority)
            .ThenBy(p => p.Name, StringComparer.OrdinalIgnoreCase)
            .ThenBy(p => p.Name, StringComparer.Ordinal)
            .ToArray();

    private static string Count(int n) => n == 1 ? "1 profile" : n.ToString(System.Globalization.CultureInfo.InvariantCulture) + " profiles";

    private static string Describe(RelayServer p) => $"'{p.Name}' ({p.Server}:{p.Port}, priority {p.Priority})";
}
