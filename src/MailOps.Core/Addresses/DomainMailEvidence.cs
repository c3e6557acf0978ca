namespace MailOps.Core.Addresses;

/// <summary>
/// What DNS says about a typed domain, which decides how boldly a typo is corrected: a domain
/// that receives mail is someone's real domain and is never corrected.
/// </summary>
public enum DomainMailEvidence
{
    /// <summary>DNS was not asked or failed: only the safest corrections are made.</summary>
    Unknown,

    /// <summary>The domain has no MX records (NODATA), only a null MX, or does not exist.</summary>
    NoMail,

    /// <summary>The domain publishes MX records: it is a real mail domain, never corrected.</summary>
    HasMail,
}
