using System;
using System.Collections.Generic;
using System.Linq;
using MimeKit;

namespace MailOps.Core.Messages;

/// <summary>
/// Header sanity of one message: the occurrence limits of RFC 5322 section 3.6 (exactly one
/// From and Date, at most one of Sender, Message-ID, Subject, To, ...), the fields receivers
/// expect (Message-ID, Subject), and for bulk mail the unsubscribe headers that large mailbox
/// providers require (RFC 2369, one-click per RFC 8058).
/// </summary>
internal static class MessageHeaderInspector
{
    /// <summary>Fields RFC 5322 section 3.6 allows at most once (besides From, Date and Sender,
    /// which have codes of their own).</summary>
    private static readonly string[] AtMostOnce = { "Message-ID", "Subject", "To", "Cc", "Bcc", "Reply-To", "In-Reply-To", "References" };

    public static Finding[] Inspect(HeaderList headers)
    {
        var findings = new List<Finding>();
        int Count(string name) => headers.Count(h => h.Field.Equals(name, StringComparison.OrdinalIgnoreCase));

        // RFC 5322 section 3.6: From and Date are required, exactly once.
        int from = Count("From");
        if (from == 0)
        {
            findings.Add(new Finding(FindingSeverity.Error, MessageFindingCodes.MessageFromMissing,
                "The message has no From header; RFC 5322 section 3.6 requires exactly one and DMARC cannot evaluate the message. Add a From header.", "From"));
        }
        else if (from > 1)
        {
            findings.Add(new Finding(FindingSeverity.Error, MessageFindingCodes.MessageMultipleFrom,
                $"The message has {from} From headers; RFC 5322 section 3.6 allows one and DMARC receivers reject such messages (RFC 7489 section 6.6.1). Send one From header.", "From"));
        }

        int date = Count("Date");
        if (date == 0)
        {
            findings.Add(new Finding(FindingSeverity.Error, MessageFindingCodes.MessageDateMissing,
                "The message has no Date header; RFC 5322 section 3.6.1 requires one. Have the sending application or MTA add it.", "Date"));
        }
        else if (date > 1)
        {
            findings.Add(new Finding(FindingSeverity.Error, MessageFindingCodes.MessageMultipleDate,
                $"The message has {date} Date headers; RFC 5322 section 3.6 allows one.", "Date"));
        }

        int sender = Count("Sender");
        if (sender > 1)
        {
            findings.Add(new Finding(FindingSeverity.Error, MessageFindingCodes.MessageMultipleSender,
                $"The message has {sender} Sender headers; RFC 5322 section 3.6 allows one.", "Sender"));
        }

        if (Count("Message-ID") == 0)
        {
            findings.Add(new Finding(FindingSeverity.Warning, MessageFindingCodes.MessageIdMissing,
                "The message has no Message-ID header; it SHOULD have one (RFC 5322 section 3.6.4) and large mailbox providers junk or reject mail without it. Have the sending application or MTA add it.", "Message-ID"));
        }

        if (Count("Subject") == 0)
        {
            findings.Add(new Finding(FindingSeverity.Warning, MessageFindingCodes.MessageSubjectMissing,
                "The message has no Subject header; spam filters score mail without one.", "Subject"));
        }

        foreach (string name in AtMostOnce)
        {
            int count = Count(name);
            if (count > 1)
            {
                findings.Add(new Finding(FindingSeverity.Error, MessageFindingCodes.MessageDuplicateHeader,
                    $"The message has {count} {name} headers; RFC 5322 section 3.6 allows at most one.", name));
            }
        }

        InspectBulk(headers, findings);
        return findings.ToArray();
    }

    /// <summary>RFC 2369 and RFC 8058 for mail sent in bulk.</summary>
    private static void InspectBulk(HeaderList headers, List<Finding> findings)
    {
        string? precedence = headers["Precedence"];
        bool bulk = headers.Contains("List-Id")
            || (precedence is not null && (precedence.Trim().Equals("bulk", StringComparison.OrdinalIgnoreCase) || precedence.Trim().Equals("list", StringComparison.OrdinalIgnoreCase)));
        string? unsubscribe = headers["List-Unsubscribe"];
        if (unsubscribe is null)
        {
            if (bulk)
            {
                findings.Add(new Finding(FindingSeverity.Warning, MessageFindingCodes.MessageBulkWithoutListUnsubscribe,
                    "Bulk mail (Precedence: bulk/list or List-Id) without a List-Unsubscribe header (RFC 2369 section 3.2); Gmail and Yahoo require one-click unsubscribe from bulk senders. Add List-Unsubscribe with an https URI and List-Unsubscribe-Post: List-Unsubscribe=One-Click (RFC 8058).",
                    "List-Unsubscribe"));
            }

            return;
        }

        // RFC 8058 section 3.1: one-click needs the Post header with exactly this value and an
        // https URI in List-Unsubscribe.
        string? post = headers["List-Unsubscribe-Post"];
        bool postOk = post is not null && post.Trim().Equals("List-Unsubscribe=One-Click", StringComparison.OrdinalIgnoreCase);
        bool httpsUri = unsubscribe.IndexOf("<https://", StringComparison.OrdinalIgnoreCase) >= 0;
        if (!postOk || !httpsUri)
        {
            string missing = !postOk
                ? "List-Unsubscribe-Post: List-Unsubscribe=One-Click is missing"
                : "List-Unsubscribe has no https URI";
            findings.Add(new Finding(FindingSeverity.Warning, MessageFindingCodes.MessageListUnsubscribeNoOneClick,
                $"List-Unsubscribe is present but one-click unsubscribe is not: {missing} (RFC 8058 section 3.1). Add both.",
                !postOk ? "List-Unsubscribe-Post" : "List-Unsubscribe"));
        }
    }
}
