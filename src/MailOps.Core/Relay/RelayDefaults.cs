using System;
using MailOps.Core.Suppression;

namespace MailOps.Core.Relay;

/// <summary>
/// The fallback sender: when no relay profile may send as a message's From, the From becomes
/// <see cref="DefaultFrom"/>@<see cref="DomainAlias"/> (a domain whose SPF and DKIM the relays
/// pass), so the message still passes DMARC; the original sender goes to Reply-To.
/// </summary>
public sealed class RelayDefaults
{
    internal RelayDefaults(string defaultFrom, string domainAlias, DateTime updatedAt)
    {
        DefaultFrom = defaultFrom;
        DomainAlias = domainAlias;
        UpdatedAt = updatedAt;
    }

    /// <summary>The local part of the fallback sender ("noreply", "notifications").</summary>
    public string DefaultFrom { get; }

    /// <summary>The domain of the fallback sender, lower-case A-label.</summary>
    public string DomainAlias { get; }

    /// <summary>The fallback sender's address.</summary>
    public string Address => DefaultFrom + "@" + DomainAlias;

    /// <summary>When the defaults were last set (UTC).</summary>
    public DateTime UpdatedAt { get; }

    /// <summary>Validates and normalises a local part and a domain.</summary>
    /// <exception cref="RelayProfileException">Either is not valid (InvalidSetting).</exception>
    public static RelayDefaults Create(string? defaultFrom, string? domainAlias)
        => Create(defaultFrom, domainAlias, Store.StoreTime.Truncate(DateTime.UtcNow));

    internal static RelayDefaults Create(string? defaultFrom, string? domainAlias, DateTime updatedAt)
    {
        string local = (defaultFrom ?? string.Empty).Trim();
        if (local.Length == 0)
        {
            throw new RelayProfileException(RelayProfileErrorKind.InvalidSetting, defaultFrom, "-DefaultFrom needs a local part (the part before the @), e.g. noreply.");
        }

        if (local.IndexOf('@') >= 0 && !(local.Length > 1 && local[0] == '"'))
        {
            throw new RelayProfileException(RelayProfileErrorKind.InvalidSetting, defaultFrom, $"-DefaultFrom '{local}' must be the local part only (noreply, not noreply@contoso.com); the domain goes in -DomainAlias.");
        }

        if (!DomainName.TryNormalize(domainAlias, out string domain, out string? domainError))
        {
            throw new RelayProfileException(RelayProfileErrorKind.InvalidSetting, domainAlias, $"-DomainAlias is not a domain: {domainError}");
        }

        if (!SuppressionAddress.TryNormalize(local + "@" + domain, out string address, out string? error))
        {
            throw new RelayProfileException(RelayProfileErrorKind.InvalidSetting, defaultFrom, $"-DefaultFrom '{local}' is not a valid local part: {error}");
        }

        return new RelayDefaults(address.Substring(0, address.LastIndexOf('@')), domain, updatedAt);
    }
}
