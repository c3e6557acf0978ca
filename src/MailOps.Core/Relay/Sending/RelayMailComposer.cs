using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MailOps.Core.Smtp;
using MimeKit;
using MimeKit.Utils;

namespace MailOps.Core.Relay;

/// <summary>
/// Turns a <see cref="RelayMailRequest"/> into the MIME bytes and envelope that the outbox
/// stores and the relay receives. It refuses header injection before anything else happens,
/// so a refused message is never queued nor sent.
/// </summary>
public static class RelayMailComposer
{
    /// <summary>
    /// Throws when any header value of <paramref name="request"/> carries CR, LF or another
    /// control character (tab excepted). RFC 5322 2.2 allows CRLF in a header only as folding
    /// done by the writer; a CRLF inside a typed value would start a new header (or the body)
    /// chosen by whoever controls the value.
    /// </summary>
    /// <exception cref="RelayMailException">HeaderInjection, naming the header.</exception>
    public static void CheckHeaders(RelayMailRequest request)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        Check("From", request.From);
        Check("Subject", request.Subject);
        Check("Priority", request.Priority);
        foreach (string value in request.To)
        {
            Check("To", value);
        }

        foreach (string value in request.Cc)
        {
            Check("Cc", value);
        }

        foreach (string value in request.Bcc)
        {
            Check("Bcc", value);
        }

        foreach (string value in request.ReplyTo)
        {
            Check("Reply-To", value);
        }

        foreach (string value in request.Attachments)
        {
            Check("Attachment", value);
        }
    }

    /// <summary>The envelope recipients of <paramref name="request"/> (To, Cc, Bcc, in that
    /// order, duplicates removed case-insensitively), each checked as a mailbox.</summary>
    /// <exception cref="RelayMailException">An address is not a mailbox, or there is none.</exception>
    public static IReadOnlyList<string> Recipients(RelayMailRequest request)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var all = new List<string>();
        foreach (string text in request.To.Concat(request.Cc).Concat(request.Bcc))
        {
            string address = ParseMailbox(text).Address;
            if (seen.Add(address))
            {
                all.Add(address);
            }
        }

        if (all.Count == 0)
        {
            throw new RelayMailException(RelayMailErrorKind.NoRecipient, null, "The message has no recipient: give -To, -Cc or -Bcc.");
        }

        return all;
    }

    /// <summary>
    /// Composes the message with the route's From: <paramref name="headerFrom"/> (the original
    /// or the rewritten one); when <paramref name="fromRewritten"/>, the original sender is put
    /// in Reply-To (before any Reply-To of the caller) so that replies still reach them.
    /// </summary>
    /// <param name="request">The message (headers already checked).</param>
    /// <param name="headerFrom">The From to send with.</param>
    /// <param name="originalFrom">The From as given.</param>
    /// <param name="fromRewritten">True when <paramref name="headerFrom"/> is the default sender.</param>
    /// <param name="envelopeRecipients">The recipients to send to (suppressed ones removed).</param>
    /// <exception cref="RelayMailException">Bad input (header, address, attachment).</exception>
    public static RelayComposedMessage Compose(RelayMailRequest request, string headerFrom, string originalFrom, bool fromRewritten, IReadOnlyList<string> envelopeRecipients)
    {
        CheckHeaders(request);
        MailboxAddress from = ParseMailbox(headerFrom);
        var message = new MimeMessage();
        message.From.Add(from);
        foreach (string to in request.To)
        {
            message.To.Add(ParseMailbox(to));
        }

        foreach (string cc in request.Cc)
        {
            message.Cc.Add(ParseMailbox(cc));
        }

        if (fromRewritten)
        {
            message.ReplyTo.Add(ParseMailbox(originalFrom));
        }

        foreach (string replyTo in request.ReplyTo)
        {
            message.ReplyTo.Add(ParseMailbox(replyTo));
        }

        message.Subject = request.Subject;
        message.Date = DateTimeOffset.Now;
        message.MessageId = MimeUtils.GenerateMessageId(from.Domain);
        message.Priority = ParsePriority(request.Priority);
        if (message.Priority != MessagePriority.Normal)
        {
            message.Importance = message.Priority == MessagePriority.Urgent ? MessageImportance.High : MessageImportance.Low;
            message.XPriority = message.Priority == MessagePriority.Urgent ? XMessagePriority.High : XMessagePriority.Low;
        }

        var body = new BodyBuilder();
        if (request.BodyAsHtml)
        {
            body.HtmlBody = request.Body ?? string.Empty;
        }
        else
        {
            body.TextBody = request.Body ?? string.Empty;
        }

        foreach (string path in request.Attachments)
        {
            if (!File.Exists(path))
            {
                throw new RelayMailException(RelayMailErrorKind.AttachmentNotFound, path, $"The attachment '{path}' does not exist.");
            }

            try
            {
                body.Attachments.Add(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new RelayMailException(RelayMailErrorKind.AttachmentNotFound, path, $"The attachment '{path}' cannot be read: {ex.Message}");
            }
        }

        message.Body = body.ToMessageBody();
        using var stream = new MemoryStream();
        message.WriteTo(FormatOptions.Default, stream);
        return new RelayComposedMessage(stream.ToArray(), message.MessageId, from.Address, from.ToString(), originalFrom, fromRewritten, request.Subject, envelopeRecipients);
    }

    /// <summary>Parses one mailbox (<c>a@b</c> or <c>Name &lt;a@b&gt;</c>) usable in the
    /// envelope (RFC 5321 4.1.2: no spaces, angle brackets or controls in the address).</summary>
    /// <exception cref="RelayMailException">InvalidAddress.</exception>
    internal static MailboxAddress ParseMailbox(string text)
    {
        string value = (text ?? string.Empty).Trim();
        if (!MailboxAddress.TryParse(ParserOptions.Default, value, out MailboxAddress? mailbox) || mailbox is null
            || !SmtpServerTester.IsValidAddress(mailbox.Address, out _))
        {
            throw new RelayMailException(RelayMailErrorKind.InvalidAddress, text, $"'{text}' is not an e-mail address (expected user@domain or Name <user@domain>).");
        }

        return mailbox;
    }

    /// <summary>A mailbox as a header value (<c>"Name" &lt;a@b&gt;</c> or <c>a@b</c>), checked
    /// the way <see cref="Compose"/> checks it; no MimeKit type crosses to the caller (the
    /// cmdlets load without MimeKit).</summary>
    /// <exception cref="RelayMailException">InvalidAddress.</exception>
    public static string FormatMailbox(string text) => ParseMailbox(text).ToString();

    private static MessagePriority ParsePriority(string? value) => (value ?? "Normal").Trim().ToUpperInvariant() switch
    {
        "HIGH" => MessagePriority.Urgent,
        "LOW" => MessagePriority.NonUrgent,
        _ => MessagePriority.Normal,
    };

    private static void Check(string header, string? value)
    {
        if (value is null)
        {
            return;
        }

        foreach (char c in value)
        {
            if (char.IsControl(c) && c != '\t')
            {
                string shown = value.Replace("\r", "\\r").Replace("\n", "\\n");
                throw new RelayMailException(RelayMailErrorKind.HeaderInjection, value, $"The {header} value '{shown}' contains a line break or control character; it could inject headers (RFC 5322 2.2), so the message was not queued or sent.");
            }
        }
    }
}
