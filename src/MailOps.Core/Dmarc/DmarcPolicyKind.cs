namespace MailOps.Core.Dmarc;

/// <summary>
/// A DMARC Domain Owner Assessment Policy: the values of the p, sp and np tags
/// (RFC 7489 section 6.3, RFC 9989 section 4.7). Receivers apply it to mail that fails DMARC.
/// </summary>
public enum DmarcPolicyKind
{
    /// <summary>"none": monitoring only; failing mail is handled as if there were no DMARC.</summary>
    None,

    /// <summary>"quarantine": failing mail is suspicious (usually delivered to the spam folder).</summary>
    Quarantine,

    /// <summary>"reject": failing mail should be refused during the SMTP transaction.</summary>
    Reject,
}
