namespace MailOps.Core.Messages;

/// <summary>
/// The stable codes of the findings Test-MailMessage reports about one message. Scripts filter
/// on them and about_MailOps documents them, so a code is never renamed once released.
/// </summary>
public static class MessageFindingCodes
{
    /// <summary>Error: no From header. Every message must have exactly one (RFC 5322 section
    /// 3.6), and DMARC cannot protect a message without one.</summary>
    public const string MessageFromMissing = "MessageFromMissing";

    /// <summary>Error: more than one From header (RFC 5322 section 3.6 allows one); receivers
    /// applying DMARC reject such messages (RFC 7489 section 6.6.1).</summary>
    public const string MessageMultipleFrom = "MessageMultipleFrom";

    /// <summary>Warning: the From header holds several mailboxes or no usable domain; DMARC
    /// receivers may reject it, and with several mailboxes a Sender header is required (RFC 5322
    /// section 3.6.2).</summary>
    public const string MessageFromInvalid = "MessageFromInvalid";

    /// <summary>Error: no Date header; it is required (RFC 5322 section 3.6.1) and many
    /// receivers score its absence as spam.</summary>
    public const string MessageDateMissing = "MessageDateMissing";

    /// <summary>Error: more than one Date header (RFC 5322 section 3.6 allows one).</summary>
    public const string MessageMultipleDate = "MessageMultipleDate";

    /// <summary>Warning: no Message-ID header; it SHOULD be present (RFC 5322 section 3.6.4),
    /// and large mailbox providers reject or junk mail without one.</summary>
    public const string MessageIdMissing = "MessageIdMissing";

    /// <summary>Warning: no Subject header. Legal (RFC 5322 section 3.6.5) but spam filters score it.</summary>
    public const string MessageSubjectMissing = "MessageSubjectMissing";

    /// <summary>Error: more than one Sender header (RFC 5322 section 3.6 allows one).</summary>
    public const string MessageMultipleSender = "MessageMultipleSender";

    /// <summary>Error: a header field that may occur at most once (Message-ID, Subject, To, Cc,
    /// Bcc, Reply-To, In-Reply-To, References) occurs more often (RFC 5322 section 3.6). The
    /// field name is in Term.</summary>
    public const string MessageDuplicateHeader = "MessageDuplicateHeader";

    /// <summary>Warning: bulk mail (Precedence: bulk or list, or a List-Id header) without a
    /// List-Unsubscribe header (RFC 2369 section 3.2); large mailbox providers require one.</summary>
    public const string MessageBulkWithoutListUnsubscribe = "MessageBulkWithoutListUnsubscribe";

    /// <summary>Warning: List-Unsubscribe is present but one-click unsubscribe is not: either
    /// List-Unsubscribe-Post: List-Unsubscribe=One-Click is missing or List-Unsubscribe has no
    /// https URI (RFC 8058 section 3.1).</summary>
    public const string MessageListUnsubscribeNoOneClick = "MessageListUnsubscribeNoOneClick";

    /// <summary>Warning: the message has no DKIM-Signature; DMARC then rests on SPF alone, which
    /// forwarding breaks.</summary>
    public const string MessageNotSigned = "MessageNotSigned";

    /// <summary>Error (Warning when another aligned signature passes): a DKIM signature did not
    /// pass; the signature and the reason are in Term and Message.</summary>
    public const string MessageDkimFailed = "MessageDkimFailed";

    /// <summary>Warning: DKIM passed, but no passing signature's d= aligns with the From domain,
    /// so it does not count for DMARC (RFC 7489 section 3.1.1). Sign with the From domain.</summary>
    public const string MessageDkimNotAligned = "MessageDkimNotAligned";

    /// <summary>Warning: SPF did not pass for the connecting IP (fail, softfail, neutral,
    /// temperror, permerror). The SPF result is in Term.</summary>
    public const string MessageSpfFailed = "MessageSpfFailed";

    /// <summary>Info: SPF passed, but for a MAIL FROM domain not aligned with the From domain,
    /// so it does not count for DMARC (RFC 7489 section 3.1.2). Normal for many providers'
    /// bounce domains; DKIM must then be aligned.</summary>
    public const string MessageSpfNotAligned = "MessageSpfNotAligned";

    /// <summary>Info: no connecting IP: neither -IPAddress nor a Received header with an
    /// address, so SPF was not checked.</summary>
    public const string MessageNoConnectingIp = "MessageNoConnectingIp";

    /// <summary>Error: DMARC fails: no aligned DKIM pass and no aligned SPF pass. The policy in
    /// Term is what receivers apply.</summary>
    public const string MessageDmarcFailed = "MessageDmarcFailed";

    /// <summary>Warning: the From domain publishes no DMARC policy (or DMARC could not be read:
    /// temperror, permerror); receivers fall back to their own heuristics.</summary>
    public const string MessageDmarcNoPolicy = "MessageDmarcNoPolicy";

    /// <summary>Warning: the message carries an ARC chain that does not validate (RFC 8617
    /// section 5.2); receivers ignore what the intermediaries recorded.</summary>
    public const string MessageArcFailed = "MessageArcFailed";

    /// <summary>Info: an Authentication-Results header in the message reports a different spf or
    /// dmarc result than Test-MailMessage finds now (DNS changed since, or the message was
    /// modified or forwarded after that check).</summary>
    public const string MessageAuthenticationResultsDiffer = "MessageAuthenticationResultsDiffer";
}
