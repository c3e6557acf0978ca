using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using MimeKit;

namespace MailOps.Core.Bounces;

/// <summary>
/// Reads the bounces that are not RFC 3464 reports, or whose report is missing, from the text
/// their MTA is known to write: Exchange/Office 365, Gmail, qmail and Exim. Each reader first
/// looks for its MTA's fixed sentence, so an ordinary message never matches.
/// </summary>
internal static class TextBounceParser
{
    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Multiline;

    private static readonly Regex AddressPattern = new Regex(@"[^\s<>()\[\]""',;:]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?", Options);
    private static readonly Regex ExchangeMarker = new Regex(@"Delivery has failed to these recipients or groups", Options);
    private static readonly Regex ExchangeRemote = new Regex(@"Remote Server returned '(?<reply>[^']*)'|^\s*#(?<reply>[245]\d\d .*?)\s*##", Options);
    private static readonly Regex ExchangeGenerating = new Regex(@"^\s*Generating server:\s*(?<host>\S+)", Options);
    private static readonly Regex GmailMarker = new Regex(@"Your message wasn'?t delivered to|Delivery to the following recipient failed permanently|There was a temporary problem delivering your message to", Options);
    private static readonly Regex GmailResponse = new Regex(@"(?:The response from the remote server was|The error that the other server returned was):\s*\n(?<reply>(?:[ \t]*\S.*\n?)+)", Options);
    private static readonly Regex GmailRemote = new Regex(@"rejected by the server for the recipient domain \S+ by (?<host>[A-Za-z0-9.-]+?)\.? \[", Options);
    private static readonly Regex QmailMarker = new Regex(@"^Hi\. This is the qmail-send program at (?<host>[^\s]+?)\.?\s*$", Options);
    private static readonly Regex EximMarker = new Regex(@"This message was created automatically by mail delivery software", Options);
    private static readonly Regex EximFailed = new Regex(@"The following address\(es\) failed:", Options);
    private static readonly Regex EximHost = new Regex(@"^host (?<host>\S+) \[(?<ip>[^\]]+)\](?::\s*(?<reply>.*))?$", Options);
    private static readonly Regex ReplyStart = new Regex(@"^[245]\d\d[ -]", Options);
    private static readonly Regex InlineOriginal = new Regex(
        @"^(?:-+ This is a copy of the message, including all the headers\. -+|--- Below this line is a copy of the message\.|Original message headers:|-+ Original message -+|-+ Forwarded message -+)\s*$",
        Options);
    private static readonly Regex HeaderMessageId = new Regex(@"^Message-ID:\s*(?<v>.+)$", Options);
    private static readonly Regex HeaderSubject = new Regex(@"^Subject:\s*(?<v>.+)$", Options);

    /// <summary>The rows of the first text form that matches, with the form; null when none does.</summary>
    internal static List<MailBounce>? Parse(MimeMessage message, string text, out BounceFormat format)
    {
        string body = OriginalStart(text) is int start ? text.Substring(0, start) : text;
        List<MailBounce>? rows;
        if (ExchangeMarker.IsMatch(body) && (rows = Exchange(body)) is not null)
        {
            format = BounceFormat.ExchangeNdr;
        }
        else if (GmailMarker.IsMatch(body) && (rows = Gmail(message, body)) is not null)
        {
            format = BounceFormat.Gmail;
        }
        else if (QmailMarker.IsMatch(body) && (rows = Qmail(body)) is not null)
        {
            format = BounceFormat.Qmail;
        }
        else if (EximMarker.IsMatch(body) && EximFailed.IsMatch(body) && (rows = Exim(body)) is not null)
        {
            format = BounceFormat.Exim;
        }
        else
        {
            format = default;
            return null;
        }

        foreach (MailBounce row in rows)
        {
            row.Format = format;
        }

        return rows;
    }

    /// <summary>Message-ID and Subject of an original that the MTA pasted into the text after its
    /// "copy of the message" line (qmail, Exim, Exchange "Original message headers").</summary>
    internal static (string? MessageId, string? Subject) InlineOriginalHeaders(string text)
    {
        if (!(OriginalStart(text) is int start))
        {
            return (null, null);
        }

        string rest = text.Substring(start);
        int blank = rest.IndexOf("\n\n", rest.IndexOf('\n') + 1, StringComparison.Ordinal);
        string headers = blank < 0 ? rest : rest.Substring(0, blank);
        Match id = HeaderMessageId.Match(headers);
        Match subject = HeaderSubject.Match(headers);
        return (id.Success ? id.Groups["v"].Value.Trim() : null, subject.Success ? subject.Groups["v"].Value.Trim() : null);
    }

    private static int? OriginalStart(string text)
    {
        Match m = InlineOriginal.Match(text);
        return m.Success ? m.Index : (int?)null;
    }

    /// <summary>
    /// Exchange/Office 365: the "Diagnostic information for administrators" section lists each
    /// recipient followed by "Remote Server returned '...'" (or "#550 5.1.1 ... ##" in older
    /// versions); the addresses of the first section are used when it is missing.
    /// </summary>
    private static List<MailBounce>? Exchange(string text)
    {
        string? generating = ExchangeGenerating.Match(text) is { Success: true } g ? g.Groups["host"].Value : null;
        var rows = new List<MailBounce>();
        string? current = null;
        foreach (string line in Lines(text))
        {
            Match remote = ExchangeRemote.Match(line);
            if (remote.Success && current is not null)
            {
                AddOrUpdate(rows, current, Smtp(remote.Groups["reply"].Value), BounceAction.Failed, null, generating);
                continue;
            }

            string trimmed = line.Trim();
            if (trimmed.Length > 0 && AddressPattern.Match(trimmed) is { Success: true } a && (a.Index == 0 || trimmed[0] == '<'))
            {
                current = Clean(a.Value);
                if (!rows.Any(r => r.Recipient.Equals(current, StringComparison.OrdinalIgnoreCase)) && InFailedList(text, current))
                {
                    AddOrUpdate(rows, current, null, BounceAction.Failed, null, generating);
                }
            }
        }

        return rows.Count > 0 ? rows : null;
    }

    private static bool InFailedList(string text, string address)
    {
        Match marker = ExchangeMarker.Match(text);
        int diagnostic = text.IndexOf("Diagnostic information for administrators", StringComparison.OrdinalIgnoreCase);
        int end = diagnostic < 0 ? text.Length : diagnostic;
        return marker.Success && end > marker.Index
            && text.Substring(marker.Index, end - marker.Index).IndexOf(address, StringComparison.OrdinalIgnoreCase) >= 0;
    }

    /// <summary>Gmail: "Your message wasn't delivered to x@y because ..." (or the older "Delivery to
    /// the following recipient failed permanently:" list), then "The response from the remote
    /// server was:" and the reply. X-Failed-Recipients names the addresses when the text does not.</summary>
    private static List<MailBounce>? Gmail(MimeMessage message, string text)
    {
        bool temporary = text.IndexOf("temporary problem delivering", StringComparison.OrdinalIgnoreCase) >= 0;
        Match markerMatch = GmailMarker.Match(text);
        var recipients = new List<string>();
        Match first = AddressPattern.Match(text, markerMatch.Index);
        if (first.Success)
        {
            recipients.Add(Clean(first.Value));
        }

        foreach (string failed in FailedRecipientsHeader(message))
        {
            if (!recipients.Contains(failed, StringComparer.OrdinalIgnoreCase))
            {
                recipients.Add(failed);
            }
        }

        if (recipients.Count == 0)
        {
            return null;
        }

        Match response = GmailResponse.Match(text);
        string? reply = response.Success ? Smtp(string.Join(" ", Lines(response.Groups["reply"].Value).Select(l => l.Trim()).Where(l => l.Length > 0))) : null;
        string? remote = GmailRemote.Match(text) is { Success: true } r ? r.Groups["host"].Value : null;
        var rows = new List<MailBounce>();
        foreach (string recipient in recipients)
        {
            AddOrUpdate(rows, recipient, reply, temporary ? BounceAction.Delayed : BounceAction.Failed, remote, null);
        }

        return rows;
    }

    /// <summary>qmail-send: "&lt;x@y&gt;:" starts a recipient, the lines up to the next blank line
    /// explain it: "Remote host said: 550 ...", "192.0.2.1 does not like recipient.", or qmail's own
    /// sentence with its status in "(#5.1.2)".</summary>
    private static List<MailBounce>? Qmail(string text)
    {
        string host = QmailMarker.Match(text).Groups["host"].Value;
        var rows = new List<MailBounce>();
        string[] lines = Lines(text).ToArray();
        for (int i = 0; i < lines.Length; i++)
        {
            Match start = Regex.Match(lines[i], @"^<(?<a>[^>]+@[^>]+)>:\s*$");
            if (!start.Success)
            {
                continue;
            }

            var block = new List<string>();
            for (i++; i < lines.Length && lines[i].Trim().Length > 0; i++)
            {
                block.Add(lines[i].Trim());
            }

            i--;
            string? said = block.Select(l => Regex.Match(l, @"^Remote host said:\s*(?<r>.*)$")).FirstOrDefault(m => m.Success)?.Groups["r"].Value;
            string? remote = block.Select(l => Regex.Match(l, @"^(?<h>\S+) does not like recipient\.")).FirstOrDefault(m => m.Success)?.Groups["h"].Value
                ?? block.Select(l => Regex.Match(l, @"^Giving up on (?<h>\S+?)\.?$")).FirstOrDefault(m => m.Success)?.Groups["h"].Value;
            string diagnostic = said is not null ? Smtp(said) : string.Join(" ", block);
            AddOrUpdate(rows, start.Groups["a"].Value, diagnostic.Length == 0 ? null : diagnostic, BounceAction.Failed, remote, host.Length == 0 ? null : host);
        }

        return rows.Count > 0 ? rows : null;
    }

    /// <summary>Exim: after "The following address(es) failed:", each address on a line indented by
    /// two spaces, then deeper-indented detail: "host mx [ip]", "SMTP error from remote mail server
    /// after RCPT TO:...", the reply (possibly on the host line after "]: "), or Exim's own reason
    /// ("Unrouteable address").</summary>
    private static List<MailBounce>? Exim(string text)
    {
        Match failed = EximFailed.Match(text);
        string[] lines = Lines(text.Substring(failed.Index + failed.Length)).ToArray();
        var rows = new List<MailBounce>();
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.Trim().Length == 0)
            {
                continue;
            }

            if (!line.StartsWith("  ", StringComparison.Ordinal) || line.StartsWith("   ", StringComparison.Ordinal))
            {
                // The failed list ends at the first line that is neither an address nor detail.
                break;
            }

            Match address = AddressPattern.Match(line);
            if (!address.Success)
            {
                break;
            }

            var detail = new List<string>();
            for (i++; i < lines.Length && lines[i].StartsWith("   ", StringComparison.Ordinal); i++)
            {
                detail.Add(lines[i].Trim());
            }

            i--;
            string? remote = null;
            var reply = new List<string>();
            foreach (string d in detail)
            {
                Match hostLine = EximHost.Match(d);
                if (hostLine.Success)
                {
                    remote = hostLine.Groups["host"].Value;
                    if (hostLine.Groups["reply"].Success && hostLine.Groups["reply"].Value.Length > 0)
                    {
                        reply.Add(hostLine.Groups["reply"].Value);
                    }
                }
                else if (reply.Count > 0 || ReplyStart.IsMatch(d))
                {
                    reply.Add(d);
                }
            }

            string? diagnostic = reply.Count > 0
                ? Smtp(string.Join(" ", reply))
                : detail.Count > 0 ? string.Join(" ", detail.Where(d => !d.StartsWith("SMTP error from", StringComparison.OrdinalIgnoreCase))) : null;
            AddOrUpdate(rows, Clean(address.Value), string.IsNullOrEmpty(diagnostic) ? null : diagnostic, BounceAction.Failed, remote, null);
        }

        return rows.Count > 0 ? rows : null;
    }

    private static IEnumerable<string> FailedRecipientsHeader(MimeMessage message)
    {
        foreach (Header header in message.Headers)
        {
            if (header.Field.Equals("X-Failed-Recipients", StringComparison.OrdinalIgnoreCase))
            {
                foreach (Match m in AddressPattern.Matches(header.Value))
                {
                    yield return Clean(m.Value);
                }
            }
        }
    }

    private static void AddOrUpdate(List<MailBounce> rows, string recipient, string? diagnostic, BounceAction action, string? remote, string? reporting)
    {
        MailBounce? row = rows.FirstOrDefault(r => r.Recipient.Equals(recipient, StringComparison.OrdinalIgnoreCase));
        if (row is null)
        {
            row = new MailBounce { Recipient = recipient, Action = action, ReportingMta = reporting };
            rows.Add(row);
        }

        if (diagnostic is not null)
        {
            row.DiagnosticCode = diagnostic;
        }

        row.RemoteMta ??= remote;
        row.Status = BounceClassifier.ExtractStatus(row.DiagnosticCode);
        if (row.Status is not null && row.Status.StartsWith("4", StringComparison.Ordinal))
        {
            row.Action = BounceAction.Delayed;
        }

        row.Kind = BounceClassifier.Classify(row.Status, row.DiagnosticCode, row.Action);
    }

    /// <summary>An SMTP reply gets the "smtp;" diagnostic type a DSN would give it (RFC 3464
    /// section 2.3.6), so the column reads the same whatever form the bounce came in.</summary>
    private static string Smtp(string reply)
    {
        string trimmed = Regex.Replace(reply, @"\s+", " ").Trim();
        return ReplyStart.IsMatch(trimmed) ? "smtp; " + trimmed : trimmed;
    }

    private static string Clean(string address) => address.Trim().TrimEnd('.').Trim('<', '>');

    private static IEnumerable<string> Lines(string text) => text.Replace("\r\n", "\n").Split('\n');
}
