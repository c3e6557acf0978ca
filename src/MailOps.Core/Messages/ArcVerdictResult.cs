namespace MailOps.Core.Messages;

/// <summary>The chain validation status of ARC (RFC 8617 section 4.4: cv=none, pass, fail).</summary>
public enum ArcVerdictResult
{
    /// <summary>The message carries no ARC sets.</summary>
    None,

    /// <summary>Every ARC-Seal and the newest ARC-Message-Signature verify.</summary>
    Pass,

    /// <summary>The chain is broken: a seal or the newest message signature fails, or sets are missing.</summary>
    Fail,
}
