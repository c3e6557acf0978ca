using MailOps.Core.Suppression;

namespace MailOps.Core.Addresses;

/// <summary>How <see cref="EmailAddressChecker"/> checks addresses.</summary>
public sealed class EmailAddressCheckOptions
{
    /// <summary>Do not ask DNS: syntax, disposable and typo checks only (typos are then corrected
    /// conservatively), and the verdict of a well-formed address is at best Unknown.</summary>
    public bool SkipDns { get; set; }

    /// <summary>The suppression list to check (the store of -StorePath); null: none is checked
    /// and <see cref="EmailAddressCheck.IsSuppressed"/> stays null. The checker serialises its
    /// use, since a list (one store connection) is not thread-safe.</summary>
    public SuppressionList? Suppression { get; set; }

    /// <summary>The disposable providers (the shipped list when null).</summary>
    public DisposableDomains? Disposable { get; set; }

    /// <summary>The typo suggester (the shipped list when null).</summary>
    public DomainTypoSuggester? Suggester { get; set; }
}
