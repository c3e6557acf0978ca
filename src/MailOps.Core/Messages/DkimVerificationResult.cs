namespace MailOps.Core.Messages;

/// <summary>
/// The result of verifying one DKIM signature, in the vocabulary of the "dkim" method of
/// Authentication-Results (RFC 8601 section 2.7.1), so it reads like the header a receiver adds.
/// </summary>
public enum DkimVerificationResult
{
    /// <summary>The message carried no signature to verify.</summary>
    None,

    /// <summary>The signature verified: body hash and header signature match the published key.</summary>
    Pass,

    /// <summary>The signature did not verify (body hash or signature mismatch, expired x=).</summary>
    Fail,

    /// <summary>The signature could not be judged for a reason that is neither pass nor fail.</summary>
    Neutral,

    /// <summary>The key could not be fetched for a transient reason (SERVFAIL, timeout); a later
    /// retry may succeed (RFC 6376 section 6.1.2, TEMPFAIL).</summary>
    TempError,

    /// <summary>The signature or its key is unusable: malformed signature, key not found,
    /// revoked, unsupported algorithm (RFC 6376 section 6.1, PERMFAIL).</summary>
    PermError,
}
