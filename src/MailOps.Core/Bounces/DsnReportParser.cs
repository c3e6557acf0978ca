using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using MimeKit;
using MimeKit.Utils;

namespace MailOps.Core.Bounces;

/// <summary>
/// Reads an RFC 3464 delivery status notification: the message/delivery-status part holds one
/// group of per-message fields, then one group per recipient, separated by blank lines (RFC 3464
/// section 2.1). MimeKit's <see cref="MessageDeliveryStatus"/> splits the groups.
/// </summary>
internal static class DsnReportParser
{
    private static readonly Regex FoldedWhitespace = new Regex(@"\s+", RegexOptions.CultureInvariant);

    /// <summary>The message/delivery-status part anywhere in the message, or null.</summary>
    internal static MessageDeliveryStatus? FindStatusPart(MimeMessage message)
    {
        foreach (MimeEntity entity in BounceMessageParts.Walk(message.Body))
        {
            if (entity is MessageDeliveryStatus status)
            {
                return status;
            }
        }

        return null;
    }

    /// <summary>One row per per-recipient group, or an empty list when the report holds none
    /// (a truncated report).</summary>
    internal static List<MailBounce> Parse(MessageDeliveryStatus report)
    {
        var rows = new List<MailBounce>();
        HeaderListCollection groups = report.StatusGroups;
        if (groups.Count == 0)
        {
            return rows;
        }

        // RFC 3464 section 2.2: the first group holds the per-message fields.
        HeaderList perMessage = groups[0];
        string? reportingMta = StripType(Field(perMessage, "Reporting-MTA"));
        DateTimeOffset? arrival = Date(Field(perMessage, "Arrival-Date"));

        // RFC 3464 section 2.3: every later group describes one recipient.
        for (int i = 1; i < groups.Count; i++)
        {
            HeaderList group = groups[i];
            string? recipient = Address(StripType(Field(group, "Final-Recipient")));
            if (string.IsNullOrEmpty(recipient))
            {
                // A group without Final-Recipient is not a recipient group (a stray blank line).
                continue;
            }

            BounceAction action = ParseAction(Field(group, "Action"));
            string? status = BounceClassifier.ExtractStatus(Field(group, "Status"));
            string? diagnostic = Field(group, "Diagnostic-Code");
            rows.Add(new MailBounce
            {
                Recipient = recipient!,
                Action = action,
                Status = status,
                DiagnosticCode = diagnostic,
                Kind = BounceClassifier.Classify(status, diagnostic, action),
                RemoteMta = StripType(Field(group, "Remote-MTA")),
                ReportingMta = reportingMta,
                OriginalRecipient = Address(StripType(Field(group, "Original-Recipient"))),
                ArrivalDate = arrival,
                LastAttemptDate = Date(Field(group, "Last-Attempt-Date")),
                Format = BounceFormat.Dsn,
            });
        }

        return rows;
    }

    /// <summary>RFC 3464 section 2.3.3: failed / delayed / delivered / relayed / expanded,
    /// case-insensitive. An unknown or missing value counts as failed: it came in a bounce.</summary>
    private static BounceAction ParseAction(string? value)
    {
        switch ((value ?? string.Empty).Trim().ToLowerInvariant())
        {
            case "delayed": return BounceAction.Delayed;
            case "delivered": return BounceAction.Delivered;
            case "relayed": return BounceAction.Relayed;
            case "expanded": return BounceAction.Expanded;
            default: return BounceAction.Failed;
        }
    }

    /// <summary>A field's unfolded value (RFC 5322 section 2.2.3), or null when absent or empty.</summary>
    private static string? Field(HeaderList group, string name)
    {
        int index = group.IndexOf(name);
        if (index < 0)
        {
            return null;
        }

        string value = FoldedWhitespace.Replace(group[index].Value ?? string.Empty, " ").Trim();
        return value.Length == 0 ? null : value;
    }

    /// <summary>RFC 3464 sections 2.2.2 and 2.3.2: "address-type ; value" (rfc822; x@y, dns; host).</summary>
    internal static string? StripType(string? value)
    {
        if (value is null)
        {
            return null;
        }

        int semicolon = value.IndexOf(';');
        string stripped = (semicolon < 0 ? value : value.Substring(semicolon + 1)).Trim();
        return stripped.Length == 0 ? null : stripped;
    }

    /// <summary>An address without the angle brackets some MTAs add.</summary>
    internal static string? Address(string? value)
    {
        if (value is null)
        {
            return null;
        }

        string trimmed = value.Trim().Trim('<', '>').Trim();
        return trimmed.Length == 0 ? null : trimmed;
    }

    private static DateTimeOffset? Date(string? value)
        => value is not null && DateUtils.TryParse(value, out DateTimeOffset date) ? date : (DateTimeOffset?)null;
}
