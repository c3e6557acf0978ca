using System;

namespace MailOps.Core.Relay.Signing;

/// <summary>
/// What to sign with and how: the signing domain (d=), the selector (s=) whose key record
/// receivers fetch, the key, and the canonicalizations. One options object may serve many
/// messages and threads: nothing in it changes while signing.
/// </summary>
public sealed class DkimSigningOptions
{
    /// <summary>
    /// The header fields signed when <see cref="Headers"/> is not set: those a receiver shows or
    /// acts on, so that changing any of them breaks the signature. Only those present in the
    /// message are signed (From always). Received, Return-Path and Bcc are not: relays add or
    /// remove them legitimately (RFC 6376 section 5.4.1).
    /// </summary>
    public static readonly string[] DefaultHeaders =
    {
        "from", "reply-to", "sender", "to", "cc", "subject", "date", "message-id", "in-reply-to", "references",
        "mime-version", "content-type", "content-transfer-encoding", "list-id", "list-unsubscribe", "list-unsubscribe-post",
    };

    /// <summary>The signing domain, d= (RFC 6376 section 3.5). DMARC passes on DKIM only when it
    /// aligns with the From domain (RFC 7489 section 3.1.1).</summary>
    public string Domain { get; set; } = string.Empty;

    /// <summary>The selector, s=: the key record lives at &lt;selector&gt;._domainkey.&lt;domain&gt;.</summary>
    public string Selector { get; set; } = string.Empty;

    /// <summary>The private key. Required.</summary>
    public DkimSigningKey? Key { get; set; }

    /// <summary>The algorithm; null means the key's own (rsa-sha256 for RSA, ed25519-sha256 for Ed25519).</summary>
    public DkimSigningAlgorithm? Algorithm { get; set; }

    /// <summary>Header canonicalization; relaxed by default, as relays re-fold headers.</summary>
    public DkimCanonicalization HeaderCanonicalization { get; set; } = DkimCanonicalization.Relaxed;

    /// <summary>Body canonicalization; relaxed by default, as relays change trailing white space.</summary>
    public DkimCanonicalization BodyCanonicalization { get; set; } = DkimCanonicalization.Relaxed;

    /// <summary>
    /// The header fields to sign, exactly as given (a name listed twice or absent from the
    /// message is "over-signed": adding that header later breaks the signature, RFC 6376
    /// section 5.4.2). From is added when missing, since RFC 6376 section 5.4 requires it. Null
    /// means <see cref="DefaultHeaders"/>, of which only the present ones are signed.
    /// </summary>
    public string[]? Headers { get; set; }

    /// <summary>Optional lifetime of a signature, written as x= (RFC 6376 section 3.5); null: no expiry.</summary>
    public TimeSpan? SignaturesExpireAfter { get; set; }

    /// <summary>The algorithm that will be used: <see cref="Algorithm"/> or the key's default.</summary>
    internal DkimSigningAlgorithm EffectiveAlgorithm => Algorithm ?? Key?.DefaultAlgorithm ?? DkimSigningAlgorithm.RsaSha256;
}
