namespace MailOps.Core.Relay.Signing;

/// <summary>
/// How headers or the body are normalised before hashing (RFC 6376 section 3.4). Relaxed survives
/// the re-folding and white-space changes that relays make; simple breaks on any of them.
/// </summary>
public enum DkimCanonicalization
{
    /// <summary>"relaxed" (RFC 6376 sections 3.4.2 and 3.4.4): the recommended default.</summary>
    Relaxed,

    /// <summary>"simple" (RFC 6376 sections 3.4.1 and 3.4.3): byte-exact except trailing empty lines.</summary>
    Simple,
}
