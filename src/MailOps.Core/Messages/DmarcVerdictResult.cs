namespace MailOps.Core.Messages;

/// <summary>The DMARC result of one message, as the "dmarc" method of Authentication-Results
/// reports it (RFC 7489 section 11.2, RFC 8601).</summary>
public enum DmarcVerdictResult
{
    /// <summary>No DMARC policy applies to the From domain (or it could not be determined).</summary>
    None,

    /// <summary>An aligned DKIM signature or an aligned SPF pass authenticates the From domain.</summary>
    Pass,

    /// <summary>Neither DKIM nor SPF passes aligned with the From domain; the policy applies.</summary>
    Fail,

    /// <summary>The policy could not be read because of a transient DNS failure.</summary>
    TempError,

    /// <summary>The policy record exists but cannot be used (no valid p=).</summary>
    PermError,
}
