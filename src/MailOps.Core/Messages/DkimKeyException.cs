using System;

namespace MailOps.Core.Messages;

/// <summary>
/// Why a DKIM public key could not be used, and whether that is temporary. Thrown by
/// <see cref="DnsDkimPublicKeyLocator"/> through MimeKit's verifier and caught by
/// <see cref="DkimSignatureChecker"/>, which turns it into a result: TempError for DNS failures,
/// PermError for a missing, revoked or unusable key (RFC 6376 section 6.1.2).
/// </summary>
internal sealed class DkimKeyException : Exception
{
    public DkimKeyException(DkimVerificationResult result, string message)
        : base(message)
    {
        Result = result;
    }

    /// <summary>TempError or PermError.</summary>
    public DkimVerificationResult Result { get; }
}
