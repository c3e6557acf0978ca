using System;
using System.Collections.Generic;
using MimeKit;

namespace MailOps.Core.Bounces;

/// <summary>What one message turned out to be.</summary>
internal enum BounceMessageOutcome
{
    /// <summary>A bounce: the rows are its recipients.</summary>
    Bounce,

    /// <summary>An ordinary message or an auto-reply.</summary>
    NotABounce,

    /// <summary>It claims to be a delivery report but holds no recipient (truncated).</summary>
    Broken,
}

/// <summary>
/// Reads one parsed message: an RFC 3464 report first (the standard, and what most MTAs send),
/// then the known text forms. Adds what the rows share: the original's Message-ID and Subject,
/// the bounce's date, the file and position.
/// </summary>
internal static class BounceMessageReader
{
    internal static BounceMessageOutcome Read(MimeMessage message, string file, int number, out List<MailBounce> rows, out string? reason)
    {
        reason = null;
        MessageDeliveryStatus? report = DsnReportParser.FindStatusPart(message);
        rows = report is null ? new List<MailBounce>() : DsnReportParser.Parse(report);
        string text = BounceMessageParts.Text(message);
        if (rows.Count == 0)
        {
            List<MailBounce>? fromText = TextBounceParser.Parse(message, text, out _);
            if (fromText is not null)
            {
                rows = fromText;
            }
            else if (report is not null)
            {
                reason = "The delivery report holds no per-recipient fields (RFC 3464 section 2.3): the message is truncated or damaged.";
                return BounceMessageOutcome.Broken;
            }
            else
            {
                reason = "The message is neither a delivery status notification (RFC 3464) nor a bounce in a known text form.";
                return BounceMessageOutcome.NotABounce;
            }
        }

        HeaderList? original = BounceMessageParts.OriginalHeaders(message);
        (string? inlineId, string? inlineSubject) = TextBounceParser.InlineOriginalHeaders(text);
        string? messageId = Header(original, "Message-ID") ?? inlineId;
        string? subject = Header(original, "Subject") ?? inlineSubject;
        DateTimeOffset? date = message.Headers.Contains(HeaderId.Date) ? message.Date : (DateTimeOffset?)null;
        foreach (MailBounce row in rows)
        {
            row.OriginalMessageId = messageId;
            row.Subject = subject;
            row.BounceDate = date;
            row.File = file;
            row.MessageNumber = number;
            int at = row.Recipient.LastIndexOf('@');
            row.Domain = at < 0 ? string.Empty : row.Recipient.Substring(at + 1).TrimEnd('.').ToLowerInvariant();
        }

        return BounceMessageOutcome.Bounce;
    }

    private static string? Header(HeaderList? headers, string name)
    {
        if (headers is null)
        {
            return null;
        }

        int index = headers.IndexOf(name);
        if (index < 0)
        {
            return null;
        }

        string value = headers[index].Value?.Trim() ?? string.Empty;
        return value.Length == 0 ? null : value;
    }
}
