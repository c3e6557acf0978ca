using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailOps.Core.Dmarc;
using MailOps.Core.Dns;

namespace MailOps.Core.Relay;

/// <summary>
/// The DMARC warning of Send-RelayMail: a From domain that is not one of yours (no relay
/// profile's From filter and not the default sender's DomainAlias covers it) but publishes
/// p=reject or p=quarantine will fail DMARC at the receiver (RFC 7489 6.6.2: neither SPF nor
/// DKIM aligns with a domain your relays are not authorised for), so the admin is warned
/// before the message is refused or lands in spam. The answer per domain is cached.
/// </summary>
public sealed class RelayDmarcCheck
{
    private readonly DmarcPolicyDiscovery discovery;
    private readonly Dictionary<string, string?> cache = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates the check over <paramref name="resolver"/>.</summary>
    public RelayDmarcCheck(IDnsResolver resolver)
    {
        discovery = new DmarcPolicyDiscovery(resolver ?? throw new ArgumentNullException(nameof(resolver)));
    }

    /// <summary>True when <paramref name="domain"/> is one of yours: the DomainAlias of the
    /// defaults, or covered by a profile's From filter (the domain itself, a subdomain
    /// wildcard, or the domain of an exact address). A catch-all profile (empty filter) says
    /// nothing about which domains are yours.</summary>
    public static bool IsOwnDomain(IReadOnlyList<RelayServer> profiles, RelayDefaults? defaults, string domain)
    {
        if (defaults is not null && string.Equals(defaults.DomainAlias, domain, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (RelayServer profile in profiles)
        {
            foreach (string text in profile.FromFilter)
            {
                if (!RelayFromFilter.TryParse(text, out RelayFromFilter? filter, out _))
                {
                    continue;
                }

                bool match = filter!.Kind switch
                {
                    RelayFromFilterKind.Domain => string.Equals(filter.Value, domain, StringComparison.OrdinalIgnoreCase),
                    RelayFromFilterKind.Subdomains => domain.EndsWith("." + filter.Value, StringComparison.OrdinalIgnoreCase),
                    _ => filter.Value.EndsWith("@" + domain, StringComparison.OrdinalIgnoreCase),
                };
                if (match)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The warning for <paramref name="domain"/>, or null when its policy is none,
    /// absent or cannot be read (a DNS failure never stops a send).</summary>
    public async Task<string?> WarningAsync(string domain, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(domain, out string? known))
        {
            return known;
        }

        string? warning = null;
        try
        {
            DmarcPolicy policy = await discovery.DiscoverAsync(domain, null, cancellationToken).ConfigureAwait(false);
            if (policy.EffectivePolicy == DmarcPolicyKind.Reject || policy.EffectivePolicy == DmarcPolicyKind.Quarantine)
            {
                string p = policy.EffectivePolicy == DmarcPolicyKind.Reject ? "reject" : "quarantine";
                warning = $"The From domain {domain} publishes DMARC p={p} and is not one of yours (no relay profile's -FromFilter or the default sender's -DomainAlias covers it): receivers will {(p == "reject" ? "refuse" : "quarantine")} this mail unless your relay signs it for {domain}. Send as an address of your domain, or set a default sender (Set-RelayDefault) and a -FromFilter so the From is rewritten.";
            }
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            warning = null;
        }

        cache[domain] = warning;
        return warning;
    }
}
