namespace MailOps.Core.Relay.Signing;

/// <summary>
/// The signing algorithms MailOps signs with: the two that receivers must accept today. rsa-sha1
/// is absent on purpose: RFC 8301 section 3.1 says signers MUST NOT use it.
/// </summary>
public enum DkimSigningAlgorithm
{
    /// <summary>"a=rsa-sha256" (RFC 6376 section 3.3.1), understood by every receiver.</summary>
    RsaSha256,

    /// <summary>"a=ed25519-sha256" (RFC 8463 section 3). Short keys, but not every receiver
    /// verifies it yet, so it is usually sent beside an rsa-sha256 signature.</summary>
    Ed25519Sha256,
}
