using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;
using MailOps.Core.Providers;

namespace MailOps.Core.Reports;

/// <summary>
/// Reads SMTP TLS reports (RFC 8460 section 4; .json, .json.gz, .eml with an
/// application/tlsrpt+gzip or +json attachment) into <see cref="TlsRptReportRow"/>s. A TLS
/// report aggregates failures per policy and result type, so it is small: the document is
/// read whole (capped at <see cref="MaxDocumentBytes"/>) and parsed with the engine's JSON reader.
/// </summary>
public static class TlsRptReportReader
{
    /// <summary>The largest decompressed report accepted (a guard against gzip bombs).</summary>
    public const int MaxDocumentBytes = 64 * 1024 * 1024;

    /// <summary>The rows of every report in <paramref name="path"/>. Throws
    /// <see cref="ReportFormatException"/> when the file is not a readable TLS report.</summary>
    public static IEnumerable<TlsRptReportRow> ReadFile(string path, IReportTrace? trace = null, CancellationToken cancellationToken = default)
    {
        if (path is null)
        {
            throw new ArgumentNullException(nameof(path));
        }

        foreach (ReportDocument document in ReportSource.Open(path, ReportPayload.Json, trace, cancellationToken))
        {
            List<TlsRptReportRow> rows = Parse(document);
            trace?.Trace($"{path}: {rows.Count} row{(rows.Count == 1 ? string.Empty : "s")} from {(document.Location.Length == 0 ? "the report" : document.Location)}");
            foreach (TlsRptReportRow row in rows)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return row;
            }
        }
    }

    private static List<TlsRptReportRow> Parse(ReportDocument document)
    {
        string json = ReadText(document);
        object? parsed;
        try
        {
            parsed = JsonReader.Parse(json);
        }
        catch (FormatException ex)
        {
            throw Fail(document, document.Compressed && ex.Message.IndexOf("end of text", StringComparison.Ordinal) >= 0
                ? $"truncated: the compressed data ends in the middle of the report ({ex.Message})"
                : $"not valid JSON ({ex.Message})", ex);
        }

        // RFC 8460 section 4.4: an object with report-id and policies.
        if (!(parsed is Dictionary<string, object?> report) || !report.ContainsKey("policies") && !report.ContainsKey("report-id"))
        {
            throw Fail(document, "not an SMTP TLS report: expected a JSON object with \"report-id\" and \"policies\" (RFC 8460 section 4.4)");
        }

        if (report.TryGetValue("policies", out object? policiesValue) && policiesValue is not null && !(policiesValue is List<object?>))
        {
            throw Fail(document, "not an SMTP TLS report: \"policies\" is not an array");
        }

        string? reportId = String(report, "report-id");
        string? organization = String(report, "organization-name");
        string? contact = String(report, "contact-info");
        DateTimeOffset? begin = null;
        DateTimeOffset? end = null;
        if (report.TryGetValue("date-range", out object? rangeValue) && rangeValue is Dictionary<string, object?> range)
        {
            begin = Date(document, range, "start-datetime");
            end = Date(document, range, "end-datetime");
        }

        var rows = new List<TlsRptReportRow>();
        foreach (object? item in policiesValue as List<object?> ?? new List<object?>())
        {
            if (!(item is Dictionary<string, object?> entry))
            {
                throw Fail(document, "a \"policies\" entry is not an object");
            }

            var policy = entry.TryGetValue("policy", out object? p) ? p as Dictionary<string, object?> : null;
            var summary = entry.TryGetValue("summary", out object? s) ? s as Dictionary<string, object?> : null;
            var failures = entry.TryGetValue("failure-details", out object? f) ? f as List<object?> : null;

            TlsRptReportRow NewRow() => new TlsRptReportRow
            {
                ReportId = reportId,
                OrganizationName = organization,
                ContactInfo = contact,
                Begin = begin,
                End = end,
                PolicyType = Token(String(policy, "policy-type")),
                PolicyDomain = String(policy, "policy-domain")?.TrimEnd('.').ToLowerInvariant(),
                PolicyString = Strings(policy, "policy-string"),
                MxHost = Strings(policy, "mx-host") is { Length: > 0 } hosts ? string.Join(", ", hosts) : null,
                SuccessfulSessions = Number(document, summary, "total-successful-session-count") ?? 0,
                FailedSessions = Number(document, summary, "total-failure-session-count") ?? 0,
                File = document.File,
            };

            if (failures is null || failures.Count == 0)
            {
                rows.Add(NewRow());
                continue;
            }

            foreach (object? failureValue in failures)
            {
                if (!(failureValue is Dictionary<string, object?> failure))
                {
                    throw Fail(document, "a \"failure-details\" entry is not an object");
                }

                TlsRptReportRow row = NewRow();
                row.ResultType = Token(String(failure, "result-type"));
                row.SendingMtaIp = Address(document, failure, "sending-mta-ip");
                row.ReceivingMxHostname = String(failure, "receiving-mx-hostname")?.TrimEnd('.').ToLowerInvariant();
                row.ReceivingMxHelo = String(failure, "receiving-mx-helo");
                row.ReceivingIp = Address(document, failure, "receiving-ip");
                row.FailedSessionCount = Number(document, failure, "failed-session-count");
                row.FailureReasonCode = String(failure, "failure-reason-code");
                row.AdditionalInformation = String(failure, "additional-information");
                rows.Add(row);
            }
        }

        return rows;
    }

    private static string ReadText(ReportDocument document)
    {
        var memory = new MemoryStream();
        var buffer = new byte[81920];
        try
        {
            int n;
            while ((n = document.Content.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (memory.Length + n > MaxDocumentBytes)
                {
                    throw Fail(document, $"larger than {MaxDocumentBytes / (1024 * 1024)} MB: not a TLS report");
                }

                memory.Write(buffer, 0, n);
            }
        }
        catch (InvalidDataException ex)
        {
            throw Fail(document, $"damaged or truncated compressed data: {ex.Message}", ex);
        }
        catch (EndOfStreamException ex)
        {
            throw Fail(document, $"truncated compressed data ({ex.Message})", ex);
        }

        // RFC 8460 section 4.4 reports are UTF-8 (RFC 8259 section 8.1); drop a byte-order mark.
        byte[] bytes = memory.ToArray();
        int offset = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        try
        {
            return new UTF8Encoding(false, true).GetString(bytes, offset, bytes.Length - offset);
        }
        catch (DecoderFallbackException ex)
        {
            throw Fail(document, "not UTF-8 text (RFC 8259 section 8.1)", ex);
        }
    }

    private static string? String(Dictionary<string, object?>? obj, string name)
    {
        if (obj is null || !obj.TryGetValue(name, out object? value) || value is null)
        {
            return null;
        }

        string text = value is double d ? d.ToString(CultureInfo.InvariantCulture) : value.ToString() ?? string.Empty;
        text = text.Trim();
        return text.Length == 0 ? null : text;
    }

    private static string[] Strings(Dictionary<string, object?>? obj, string name)
    {
        if (obj is null || !obj.TryGetValue(name, out object? value) || value is null)
        {
            return Array.Empty<string>();
        }

        // Some reporters write mx-host as a string, others as an array.
        return value is List<object?> list
            ? list.Where(v => v is not null).Select(v => v!.ToString()!).ToArray()
            : new[] { value.ToString()! };
    }

    private static string? Token(string? value) => value?.ToLowerInvariant();

    private static long? Number(ReportDocument document, Dictionary<string, object?>? obj, string name)
    {
        if (obj is null || !obj.TryGetValue(name, out object? value) || value is null)
        {
            return null;
        }

        if (value is double d && d >= 0 && d <= 9e15 && Math.Floor(d) == d)
        {
            return (long)d;
        }

        if (value is string s && long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out long parsed))
        {
            return parsed;
        }

        throw Fail(document, $"\"{name}\" is not a session count ({value})");
    }

    private static DateTimeOffset? Date(ReportDocument document, Dictionary<string, object?> obj, string name)
    {
        string? text = String(obj, name);
        if (text is null)
        {
            return null;
        }

        // RFC 8460 section 4.4: RFC 3339 date-time.
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset date))
        {
            throw Fail(document, $"\"{name}\" '{text}' is not an RFC 3339 date-time");
        }

        return date;
    }

    private static IPAddress? Address(ReportDocument document, Dictionary<string, object?> obj, string name)
    {
        string? text = String(obj, name);
        if (text is null)
        {
            return null;
        }

        if (!IPAddress.TryParse(text, out IPAddress? address))
        {
            throw Fail(document, $"\"{name}\" '{text}' is not an IP address");
        }

        return address;
    }

    private static ReportFormatException Fail(ReportDocument document, string reason, Exception? inner = null)
        => new ReportFormatException(document.File, document.Describe(reason), inner);
}
