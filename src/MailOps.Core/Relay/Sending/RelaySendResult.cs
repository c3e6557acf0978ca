using System;

namespace MailOps.Core.Relay;

/// <summary>
/// The outcome of sending one message: what Send-RelayMail and Invoke-RelayQueue output. Flat
/// scalars for a CSV log, the rejected recipients as objects for detail. Never a credential.
/// </summary>
public sealed class RelaySendResult
{
    internal RelaySendResult(string messageId, string from, string originalFrom, bool fromRewritten)
    {
        MessageId = messageId;
        From = from;
        OriginalFrom = originalFrom;
        FromRewritten = fromRewritten;
    }

    /// <summary>The Message-ID header (without angle brackets): how to find the message in the
    /// relay's logs and in the recipient's mailbox.</summary>
    public string MessageId { get; }

    /// <summary>Sent, Deferred (in the outbox, retried later) or Failed.</summary>
    public RelaySendStatus Status { get; internal set; }

    /// <summary>The relay profile (or host:port for -SmtpServer) that handled the last attempt;
    /// null when no server was reached.</summary>
    public string? Server { get; internal set; }

    /// <summary>The From the message was sent with.</summary>
    public string From { get; }

    /// <summary>The From as the caller gave it.</summary>
    public string OriginalFrom { get; }

    /// <summary>True when the From was rewritten to the default sender (the original went to
    /// Reply-To) because no relay may send as it.</summary>
    public bool FromRewritten { get; }

    /// <summary>The recipients the relay accepted.</summary>
    public string[] AcceptedRecipients { get; internal set; } = Array.Empty<string>();

    /// <summary>The recipients that did not get the message, with codes and reasons.</summary>
    public RelayRecipientRejection[] RejectedRecipients { get; internal set; } = Array.Empty<RelayRecipientRejection>();

    /// <summary>How many delivery attempts the outbox has recorded for this message.</summary>
    public int Attempts { get; internal set; }

    /// <summary>Why the message was deferred or failed; null when it was sent.</summary>
    public string? Error { get; internal set; }

    /// <summary>The SMTP reply code behind <see cref="Error"/>, when a server replied.</summary>
    public int? StatusCode { get; internal set; }

    /// <summary>The enhanced status code (RFC 3463) behind <see cref="Error"/>, when given.</summary>
    public string? EnhancedStatusCode { get; internal set; }

    /// <summary>The outbox row of the message (for Get-RelayMessage -Id, Invoke-RelayQueue
    /// -Id); null when nothing was queued (every recipient suppressed).</summary>
    public long? OutboxId { get; internal set; }

    /// <summary>Recipients the relay refused for now (a 4xx reply to RCPT) while it took the
    /// message for the others: a copy for them waits in the outbox (<see cref="RetryOutboxId"/>)
    /// and Invoke-RelayQueue retries it. They are also listed, with the reply, in
    /// <see cref="RejectedRecipients"/>.</summary>
    public string[] DeferredRecipients { get; internal set; } = Array.Empty<string>();

    /// <summary>The outbox row that retries <see cref="DeferredRecipients"/>; null when there is none.</summary>
    public long? RetryOutboxId { get; internal set; }

    /// <summary>The category the message was routed as.</summary>
    public RelayCategory Category { get; internal set; }

    /// <summary>True when the relay's certificate was not checked (-SkipCertificateCheck).</summary>
    public bool CertificateCheckSkipped { get; internal set; }
}
