using System;

namespace MailOps.Core.Relay;

/// <summary>
/// One message in the relay outbox: its envelope, where it stands and what happened on its last
/// attempt. The MIME itself is not carried (it may be megabytes); RelayOutbox.GetMimeAsync reads
/// it. No credential is ever part of a message: the outbox has no place for one.
/// </summary>
public sealed class RelayMessage
{
    internal RelayMessage(
        long id,
        string messageId,
        RelayMessageStatus status,
        string from,
        string[] recipients,
        string? headerFrom,
        string? subject,
        RelayCategory category,
        string? relayServer,
        int attempts,
        DateTimeOffset createdAt,
        DateTimeOffset? nextAttemptAt,
        DateTimeOffset? sentAt,
        string? lastError,
        int? lastStatusCode,
        string? lastEnhancedStatusCode,
        long size,
        string[] rejectedRecipients)
    {
        Id = id;
        MessageId = messageId;
        Status = status;
        From = from;
        Recipients = recipients;
        HeaderFrom = headerFrom;
        Subject = subject;
        Category = category;
        RelayServer = relayServer;
        Attempts = attempts;
        CreatedAt = createdAt;
        NextAttemptAt = nextAttemptAt;
        SentAt = sentAt;
        LastError = lastError;
        LastStatusCode = lastStatusCode;
        LastEnhancedStatusCode = lastEnhancedStatusCode;
        Size = size;
        RejectedRecipients = rejectedRecipients;
    }

    /// <summary>The outbox id: what Get-, Save- and Stop-RelayMessage take as -Id. Never reused.</summary>
    public long Id { get; }

    /// <summary>The Message-ID header of the message (RFC 5322 3.6.4), to find it in server logs.</summary>
    public string MessageId { get; }

    /// <summary>Where the message stands.</summary>
    public RelayMessageStatus Status { get; }

    /// <summary>The envelope sender (SMTP MAIL FROM, RFC 5321 4.1.1.2), where bounces go.</summary>
    public string From { get; }

    /// <summary>The envelope recipients (SMTP RCPT TO, RFC 5321 4.1.1.3), Bcc included.</summary>
    public string[] Recipients { get; }

    /// <summary>The From header as written in the message (it may differ from the envelope after
    /// From rewriting).</summary>
    public string? HeaderFrom { get; }

    /// <summary>The Subject header, for the admin who scans the outbox.</summary>
    public string? Subject { get; }

    /// <summary>Transactional or bulk: which relay profiles may carry it.</summary>
    public RelayCategory Category { get; }

    /// <summary>The relay profile (or host) that last handled it; null before the first attempt.</summary>
    public string? RelayServer { get; }

    /// <summary>How many SMTP transactions were started for it.</summary>
    public int Attempts { get; }

    /// <summary>When it was written to the outbox (UTC).</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>When it is due (Queued, Deferred); null for the other states.</summary>
    public DateTimeOffset? NextAttemptAt { get; }

    /// <summary>When the server accepted it (Sent only).</summary>
    public DateTimeOffset? SentAt { get; }

    /// <summary>The error of the last failed attempt, with the server's text.</summary>
    public string? LastError { get; }

    /// <summary>The SMTP reply code of the last failed attempt (RFC 5321 4.2), e.g. 451 or 550.</summary>
    public int? LastStatusCode { get; }

    /// <summary>The enhanced status code of the last failed attempt (RFC 3463), e.g. 5.7.1.</summary>
    public string? LastEnhancedStatusCode { get; }

    /// <summary>The size of the MIME in bytes.</summary>
    public long Size { get; }

    /// <summary>Recipients the server refused while accepting the message for the others.</summary>
    public string[] RejectedRecipients { get; }

    /// <summary>Id, status and subject: what an admin reads in a log line.</summary>
    public override string ToString() => $"{Id} {Status} {Subject}";
}
