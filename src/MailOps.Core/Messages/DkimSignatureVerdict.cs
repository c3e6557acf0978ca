using System;

namespace MailOps.Core.Messages;

/// <summary>
/// One DKIM-Signature header of a message and what verifying it gave: who signed (d=, s=), how
/// (a=, c=), the result and, when it did not pass, why, in words an admin can act on.
/// </summary>
public sealed class DkimSignatureVerdict
{
    internal DkimSignatureVerdict(string? domain, string? selector, string? algorithm, string? canonicalization)
    {
        Domain = domain;
        Selector = selector;
        Algorithm = algorithm;
        Canonicalization = canonicalization;
    }

    /// <summary>The signing domain (d=), lower case; null when the signature lacks it.</summary>
    public string? Domain { get; }

    /// <summary>The selector (s=): the key is at selector._domainkey.domain.</summary>
    public string? Selector { get; }

    /// <summary>The signing algorithm (a=) as written, e.g. rsa-sha256 or ed25519-sha256.</summary>
    public string? Algorithm { get; }

    /// <summary>Header/body canonicalization (c=), e.g. relaxed/relaxed; simple/simple when absent.</summary>
    public string? Canonicalization { get; }

    /// <summary>The verification result.</summary>
    public DkimVerificationResult Result { get; internal set; } = DkimVerificationResult.Neutral;

    /// <summary>Why the signature did not pass ("body hash mismatch", "key not found", ...); null on Pass.</summary>
    public string? Error { get; internal set; }

    /// <summary>True when the signature passed and d= aligns with the From domain under the
    /// DMARC adkim mode (RFC 7489 section 3.1.1).</summary>
    public bool IsAligned { get; internal set; }

    /// <summary>The key record name queried (selector._domainkey.domain), or null when none was.</summary>
    public string? KeyName { get; internal set; }

    /// <summary>The signing time (t=), or null.</summary>
    public DateTimeOffset? Timestamp { get; internal set; }

    /// <summary>The expiry time (x=), or null.</summary>
    public DateTimeOffset? Expiration { get; internal set; }

    /// <summary>The signed header fields (h=), in order.</summary>
    public string[] SignedHeaders { get; internal set; } = Array.Empty<string>();

    /// <inheritdoc />
    public override string ToString()
        => $"{Result} d={Domain} s={Selector}" + (Error is null ? string.Empty : $" ({Error})");
}
