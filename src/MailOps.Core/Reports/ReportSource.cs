using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Threading;
using MimeKit;

namespace MailOps.Core.Reports;

/// <summary>
/// Opens the containers reports travel in and yields the report documents inside, streaming:
/// a plain file, gzip (RFC 7489 section 7.2.1.1 allows gzip and zip; RFC 8460 section 5.3
/// gzip), a zip archive (every .xml / .xml.gz entry, or .json / .json.gz), and an e-mail
/// message (.eml) with the report attached, also inside a forwarded message/rfc822. The format
/// is sniffed from the first bytes, not trusted from the file extension.
/// </summary>
internal static class ReportSource
{
    private const int SniffLength = 512;
    private const int MaxNesting = 4;

    // Attachments are decoded into memory (a report e-mail is small); a cap keeps a hostile
    // message from exhausting memory.
    private const long MaxInMemoryBytes = 256L * 1024 * 1024;

    private static readonly string[] DmarcMediaTypes =
    {
        "application/zip", "application/x-zip-compressed", "application/x-zip", "application/gzip",
        "application/x-gzip", "application/xml", "text/xml",
    };

    private static readonly string[] TlsRptMediaTypes =
    {
        "application/tlsrpt+gzip", "application/tlsrpt+json", "application/gzip", "application/x-gzip",
        "application/json", "application/zip", "application/x-zip-compressed",
    };

    /// <summary>Every report document in <paramref name="path"/>. Each document's stream must be
    /// read before the next is requested. Throws <see cref="ReportFormatException"/>.</summary>
    public static IEnumerable<ReportDocument> Open(string path, ReportPayload payload, IReportTrace? trace, CancellationToken cancellationToken)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 65536, FileOptions.SequentialScan);
        foreach (ReportDocument document in Unwrap(file, path, string.Empty, payload, trace, 0, false, cancellationToken))
        {
            yield return document;
        }
    }

    private static IEnumerable<ReportDocument> Unwrap(Stream stream, string path, string location, ReportPayload payload, IReportTrace? trace, int depth, bool compressed, CancellationToken cancellationToken)
    {
        if (depth > MaxNesting)
        {
            throw Fail(path, location, $"containers nested more than {MaxNesting} deep");
        }

        long start = stream.CanSeek ? stream.Position : 0;
        Stream content = PrefixedStream.Peek(stream, SniffLength, out byte[] head);
        string where = location.Length == 0 ? "the file" : location;

        if (head.Length == 0)
        {
            throw Fail(path, location, compressed ? "empty after decompression" : "the file is empty");
        }

        if (head.Length >= 2 && head[0] == 0x1F && head[1] == 0x8B)
        {
            trace?.Trace($"{path}: {where} is gzip-compressed");
            var gzip = new CheckedGZipStream(content);
            foreach (ReportDocument document in Unwrap(gzip, path, location, payload, trace, depth + 1, true, cancellationToken))
            {
                yield return document;
            }

            yield break;
        }

        if (head.Length >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4)
        {
            foreach (ReportDocument document in ReadZip(stream, start, content, path, location, payload, trace, depth, cancellationToken))
            {
                yield return document;
            }

            yield break;
        }

        char first = FirstSignificantChar(head);
        if (payload == ReportPayload.Xml && (first == '{' || first == '['))
        {
            throw Fail(path, location, "JSON, not XML: is it an SMTP TLS report? Read it with Import-TlsRptReport");
        }

        if (payload == ReportPayload.Json && first == '<')
        {
            throw Fail(path, location, "XML, not JSON: is it a DMARC aggregate report? Read it with Import-DmarcReport");
        }

        if (first == '<' || first == '{' || first == '[')
        {
            trace?.Trace($"{path}: reading {(location.Length == 0 ? "the report" : location)}");
            yield return new ReportDocument(path, location, content, compressed);
            yield break;
        }

        if (LooksLikeMessage(head))
        {
            foreach (ReportDocument document in ReadMessage(content, path, location, payload, trace, depth, cancellationToken))
            {
                yield return document;
            }

            yield break;
        }

        string expected = payload == ReportPayload.Xml ? "XML" : "JSON";
        throw Fail(path, location, compressed
            ? $"not {expected} after decompression (starts with '{Printable(head)}')"
            : $"not {expected}, gzip, zip or an e-mail message (starts with '{Printable(head)}')");
    }

    private static IEnumerable<ReportDocument> ReadZip(Stream original, long start, Stream content, string path, string location, ReportPayload payload, IReportTrace? trace, int depth, CancellationToken cancellationToken)
    {
        // ZipArchive needs to seek to the central directory at the end.
        Stream seekable;
        if (original.CanSeek)
        {
            original.Position = start;
            seekable = original;
        }
        else
        {
            seekable = CopyToMemory(content, path, location);
        }

        ZipArchive archive;
        try
        {
            archive = new ZipArchive(seekable, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException ex)
        {
            throw Fail(path, location, $"a damaged or truncated zip archive ({ex.Message})", ex);
        }

        using (archive)
        {
            string extension = payload == ReportPayload.Xml ? ".xml" : ".json";
            ZipArchiveEntry[] entries = archive.Entries
                .Where(e => e.Name.EndsWith(extension, StringComparison.OrdinalIgnoreCase) || e.Name.EndsWith(extension + ".gz", StringComparison.OrdinalIgnoreCase))
                .ToArray();
            if (entries.Length == 0)
            {
                string names = archive.Entries.Count == 0 ? "it is empty" : "entries: " + string.Join(", ", archive.Entries.Take(5).Select(e => e.FullName));
                throw Fail(path, location, $"a zip archive without a report (no {extension} or {extension}.gz entry; {names})");
            }

            trace?.Trace($"{path}: zip archive with {entries.Length} report entr{(entries.Length == 1 ? "y" : "ies")}");
            foreach (ZipArchiveEntry entry in entries)
            {
                cancellationToken.ThrowIfCancellationRequested();
                string entryLocation = Nest(location, $"zip entry '{entry.FullName}'");
                Stream entryStream;
                try
                {
                    entryStream = entry.Open();
                }
                catch (InvalidDataException ex)
                {
                    throw Fail(path, entryLocation, $"a damaged zip entry ({ex.Message})", ex);
                }

                using (entryStream)
                {
                    foreach (ReportDocument document in Unwrap(entryStream, path, entryLocation, payload, trace, depth + 1, true, cancellationToken))
                    {
                        yield return document;
                    }
                }
            }
        }
    }

    private static IEnumerable<ReportDocument> ReadMessage(Stream content, string path, string location, ReportPayload payload, IReportTrace? trace, int depth, CancellationToken cancellationToken)
    {
        MimeMessage message;
        try
        {
            message = MimeMessage.Load(content, cancellationToken);
        }
        catch (FormatException ex)
        {
            throw Fail(path, location, $"not a report and not a readable e-mail message ({ex.Message})", ex);
        }

        var parts = new List<MimePart>();
        bool feedbackReport = false;
        Collect(message.Body, payload, parts, ref feedbackReport);
        if (parts.Count == 0)
        {
            string what = payload == ReportPayload.Xml ? "DMARC aggregate report (zip, gzip or XML attachment)" : "TLS report (tlsrpt+gzip, tlsrpt+json, gzip or JSON attachment)";
            string hint = feedbackReport && payload == ReportPayload.Xml
                ? "; it is a DMARC failure report (RFC 6591 message/feedback-report), not an aggregate report"
                : string.Empty;
            throw Fail(path, location, $"an e-mail message without a {what}{hint}");
        }

        trace?.Trace($"{path}: e-mail message '{message.Subject}' with {parts.Count} report attachment{(parts.Count == 1 ? string.Empty : "s")}");
        foreach (MimePart part in parts)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string name = part.FileName ?? part.ContentType.MimeType;
            string partLocation = Nest(location, $"attachment '{name}'");
            var buffer = new MemoryStream();
            part.Content?.DecodeTo(buffer, cancellationToken);
            buffer.Position = 0;
            foreach (ReportDocument document in Unwrap(buffer, path, partLocation, payload, trace, depth + 1, false, cancellationToken))
            {
                yield return document;
            }
        }
    }

    private static void Collect(MimeEntity? entity, ReportPayload payload, List<MimePart> parts, ref bool feedbackReport)
    {
        if (entity is not null && entity.ContentType.IsMimeType("message", "feedback-report"))
        {
            // RFC 6591: a failure (forensic) report, not an aggregate one.
            feedbackReport = true;
            return;
        }

        switch (entity)
        {
            case Multipart multipart:
                foreach (MimeEntity child in multipart)
                {
                    Collect(child, payload, parts, ref feedbackReport);
                }

                break;
            case MessagePart forwarded:
                // message/rfc822: a report forwarded as an attachment.
                Collect(forwarded.Message?.Body, payload, parts, ref feedbackReport);
                break;
            case MimePart part:
                if (IsReportPart(part, payload))
                {
                    parts.Add(part);
                }

                break;
            default:
                break;
        }
    }

    private static bool IsReportPart(MimePart part, ReportPayload payload)
    {
        string mediaType = part.ContentType.MimeType.ToLowerInvariant();
        string[] accepted = payload == ReportPayload.Xml ? DmarcMediaTypes : TlsRptMediaTypes;
        if (accepted.Contains(mediaType))
        {
            return true;
        }

        // Many reporters send application/octet-stream and let the file name say what it is.
        string name = (part.FileName ?? string.Empty).ToLowerInvariant();
        string extension = payload == ReportPayload.Xml ? ".xml" : ".json";
        return name.EndsWith(extension, StringComparison.Ordinal) || name.EndsWith(".gz", StringComparison.Ordinal) || name.EndsWith(".zip", StringComparison.Ordinal);
    }

    private static MemoryStream CopyToMemory(Stream content, string path, string location)
    {
        var memory = new MemoryStream();
        var buffer = new byte[81920];
        int n;
        while ((n = content.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (memory.Length + n > MaxInMemoryBytes)
            {
                throw Fail(path, location, $"a nested archive larger than {MaxInMemoryBytes / (1024 * 1024)} MB");
            }

            memory.Write(buffer, 0, n);
        }

        memory.Position = 0;
        return memory;
    }

    /// <summary>The first character after a byte-order mark and white space; '\0' when none.</summary>
    private static char FirstSignificantChar(byte[] head)
    {
        int i = 0;
        if (head.Length >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF)
        {
            i = 3;
        }
        else if (head.Length >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF)))
        {
            // UTF-16: let the XML or JSON parser decode it; the first code unit is what counts.
            i = 2;
        }

        for (; i < head.Length; i++)
        {
            byte b = head[i];
            if (b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == 0)
            {
                continue;
            }

            return (char)b;
        }

        return '\0';
    }

    /// <summary>RFC 5322 section 2.2: a message starts with header fields "name: value"
    /// (or an mbox "From " line).</summary>
    private static bool LooksLikeMessage(byte[] head)
    {
        if (head.Length >= 5 && Encoding.ASCII.GetString(head, 0, 5) == "From ")
        {
            return true;
        }

        for (int i = 0; i < head.Length; i++)
        {
            byte b = head[i];
            if (b == ':')
            {
                return i > 0;
            }

            // Field names are printable US-ASCII except ':' (RFC 5322 section 2.2).
            if (b < 33 || b > 126)
            {
                return false;
            }
        }

        return false;
    }

    private static string Printable(byte[] head)
    {
        var builder = new StringBuilder();
        foreach (byte b in head.Take(16))
        {
            builder.Append(b >= 32 && b < 127 ? (char)b : '.');
        }

        return builder.ToString();
    }

    private static string Nest(string outer, string inner) => outer.Length == 0 ? inner : $"{outer}, {inner}";

    internal static ReportFormatException Fail(string path, string location, string reason, Exception? inner = null)
        => new ReportFormatException(path, location.Length == 0 ? reason : $"{location}: {reason}", inner);
}
