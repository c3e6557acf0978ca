using System;
using System.Collections.Generic;

namespace MailOps.Core.Relay;

/// <summary>
/// A composed message: the MIME bytes as they will be stored in the outbox and sent, with the
/// envelope. The bytes are final, so a retry sends exactly what the first attempt sent.
/// </summary>
public sealed class RelayComposedMessage
{
    internal RelayComposedMessage(byte[] mime, string messageId, string envelopeFrom, string headerFrom, string originalFrom, bool fromRewritten, string subject, IReadOnlyList<string> recipients)
    {
        Mime = mime;
        MessageId = messageId;
        EnvelopeFrom = envelopeFrom;
        HeaderFrom = headerFrom;
        OriginalFrom = originalFrom;
        FromRewritten = fromRewritten;
        Subject = subject;
        Recipients = recipients;
    }

    /// <summary>The RFC 5322 message.</summary>
    public byte[] Mime { get; }

    /// <summary>The Message-ID (without angle brackets).</summary>
    public string MessageId { get; }

    /// <summary>The MAIL FROM address (the From's address: SPF checks it, RFC 7208 2.4).</summary>
    public string EnvelopeFrom { get; }

    /// <summary>The From header as sent.</summary>
    public string HeaderFrom { get; }

    /// <summary>The From as given by the caller.</summary>
    public string OriginalFrom { get; }

    /// <summary>True when the From was replaced by the default sender.</summary>
    public bool FromRewritten { get; }

    /// <summary>The subject.</summary>
    public string Subject { get; }

    /// <summary>Every envelope recipient (To, Cc, Bcc; duplicates removed).</summary>
    public IReadOnlyList<string> Recipients { get; }

    /// <summary>
    /// The same message with a DKIM-Signature added. Signing happens before the message enters
    /// the outbox, so every retry sends the very bytes that were signed.
    /// </summary>
    public RelayComposedMessage Signed(Signing.DkimSigningOptions options)
        => new RelayComposedMessage(Signing.DkimMessageSigner.Sign(Mime, options), MessageId, EnvelopeFrom, HeaderFrom, OriginalFrom, FromRewritten, Subject, Recipients);
}
