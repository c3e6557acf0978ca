namespace MailOps.Core.Suppression;

/// <summary>What adding an address did: created an entry or updated the one already there.</summary>
public sealed class SuppressionAddResult
{
    internal SuppressionAddResult(MailSuppression entry, MailSuppression? previous, bool expiryKept)
    {
        Entry = entry;
        Previous = previous;
        ExpiryKept = expiryKept;
    }

    /// <summary>The entry as stored now.</summary>
    public MailSuppression Entry { get; }

    /// <summary>The entry before the update; null when the address was new.</summary>
    public MailSuppression? Previous { get; }

    /// <summary>True when the address was already on the list (expired entries included).</summary>
    public bool IsUpdate => Previous is not null;

    /// <summary>True when the new expiry would have ended an active suppression sooner and was not
    /// applied (no force): the existing, later expiry was kept.</summary>
    public bool ExpiryKept { get; }
}
