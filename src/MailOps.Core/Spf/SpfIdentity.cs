namespace MailOps.Core.Spf;

/// <summary>
/// Which domain check_host() runs for, given the SMTP identities (RFC 7208 section 2.4 and 4.3).
/// </summary>
public static class SpfIdentity
{
    /// <summary>
    /// The MAIL FROM domain; for the null sender (empty or missing) the HELO name, because
    /// bounces are checked as postmaster@HELO. A sender without "@" is taken as a bare domain,
    /// as the reference implementations do. Returns null when neither gives a domain.
    /// </summary>
    public static string? DomainOf(string? sender, string? heloName)
    {
        if (!string.IsNullOrEmpty(sender))
        {
            int at = sender!.LastIndexOf('@');
            string domain = at < 0 ? sender : sender.Substring(at + 1);
            return domain.Length == 0 ? null : domain;
        }

        return string.IsNullOrEmpty(heloName) ? null : heloName;
    }
}
