namespace MailOps.Core.Addresses;

/// <summary>
/// What Test-EmailAddress concludes about one address. A closed set so scripts can filter on it
/// (<c>Where-Object Verdict -eq Valid</c>); <see cref="EmailAddressCheck.Reasons"/> says why.
/// </summary>
public enum EmailAddressVerdict
{
    /// <summary>Well-formed, and the domain accepts mail (MX, or the implicit MX of RFC 5321
    /// section 5.1); nothing makes it doubtful.</summary>
    Valid,

    /// <summary>Mail to it cannot be delivered: bad syntax, a domain that does not exist, a null
    /// MX (RFC 7505) or a domain with no mail server at all.</summary>
    Invalid,

    /// <summary>Deliverable as far as DNS says, but doubtful: a disposable provider, a likely
    /// typing mistake, a suppressed recipient or an IP address literal.</summary>
    Risky,

    /// <summary>Well-formed, but whether the domain accepts mail is not known: DNS failed or
    /// was skipped (-SkipDns).</summary>
    Unknown,
}
