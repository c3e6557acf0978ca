using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;

namespace MailOps.Core.Bounces;

/// <summary>
/// Walks the parts of a bounce without descending into the returned original (message/rfc822),
/// whose own text would otherwise be read as the bounce's, and finds the original's headers.
/// </summary>
internal static class BounceMessageParts
{
    private static readonly Regex Tags = new Regex("<[^>]*>", RegexOptions.CultureInvariant);

    /// <summary>The entity and every part below it, depth first, stopping at attached messages.</summary>
    internal static IEnumerable<MimeEntity> Walk(MimeEntity? entity)
    {
        if (entity is null)
        {
            yield break;
        }

        yield return entity;
        if (entity is Multipart multipart)
        {
            foreach (MimeEntity child in multipart)
            {
                foreach (MimeEntity part in Walk(child))
                {
                    yield return part;
                }
            }
        }
    }

    /// <summary>The human-readable text of the bounce itself: its text/plain parts, else its
    /// text/html parts with the tags removed.</summary>
    internal static string Text(MimeMessage message)
    {
        var plain = new StringBuilder();
        var html = new StringBuilder();
        foreach (MimeEntity entity in Walk(message.Body))
        {
            if (entity is TextPart text && !(entity is MessageDeliveryStatus))
            {
                if (text.IsPlain)
                {
                    plain.AppendLine(text.Text);
                }
                else if (text.IsHtml)
                {
                    html.AppendLine(System.Net.WebUtility.HtmlDecode(Tags.Replace(text.Text, "\n")));
                }
            }
        }

        return (plain.Length > 0 ? plain.ToString() : html.ToString()).Replace("\r\n", "\n");
    }

    /// <summary>The headers of the returned original: a message/rfc822 part, or a
    /// text/rfc822-headers part (RFC 6522 section 3), or null.</summary>
    internal static HeaderList? OriginalHeaders(MimeMessage message)
    {
        foreach (MimeEntity entity in Walk(message.Body))
        {
            if (entity is MessagePart attached && attached.Message is not null)
            {
                return attached.Message.Headers;
            }

            if (entity is MimePart part && part.ContentType.IsMimeType("text", "rfc822-headers") && part.Content is not null)
            {
                using var stream = new MemoryStream();
                part.Content.DecodeTo(stream);
                stream.Position = 0;
                try
                {
                    return HeaderList.Load(stream);
                }
                catch (System.FormatException)
                {
                    return null;
                }
            }
        }

        return null;
    }
}
