using System;
using System.Text.RegularExpressions;

namespace MailOps.Core.Bounces;

/// <summary>
/// Turns a status code and the server's wording into a <see cref="BounceKind"/>. Both are needed:
/// receivers use 5.7.1 for a spam block and for a relaying refusal alike, and many say "mailbox
/// full" with a plain 5.0.0. The rules, first match wins:
/// <list type="number">
/// <item>X.2.2, or "mailbox full", "quota", "insufficient storage": <see cref="BounceKind.MailboxFull"/>.</item>
/// <item>X.4.4, X.1.2, or "Host or domain name not found", "no MX", "couldn't find any host",
/// "Unrouteable address", "domain not found": <see cref="BounceKind.DnsFailure"/>.</item>
/// <item>Any other 4.X.X, or the Action "delayed": <see cref="BounceKind.SoftBounce"/>.</item>
/// <item>Spam or blocklist wording ("spam", "blocked", "blacklist", "blocklist", "listed",
/// "spamhaus", "reputation"...): <see cref="BounceKind.SpamBlock"/>.</item>
/// <item>Any other 5.7.X: <see cref="BounceKind.PolicyBlock"/>.</item>
/// <item>5.1.X, 5.2.1, or "user unknown", "no such user", "does not exist", "recipient not found"
/// with no more specific code: <see cref="BounceKind.HardBounce"/>.</item>
/// <item>Anything else: <see cref="BounceKind.Unknown"/>.</item>
/// </list>
/// </summary>
public static class BounceClassifier
{
    // RFC 3463 section 2: class "." subject "." detail, class 2, 4 or 5; subject and detail of
    // one to three digits. The look-arounds keep IP addresses (192.0.2.25) from matching.
    private static readonly Regex EnhancedCode = new Regex(@"(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d.])", RegexOptions.CultureInvariant);

    // RFC 5321 section 4.2: a three-digit reply code at the start of a reply line.
    private static readonly Regex BasicCode = new Regex(@"(?:^|[\s;'#:(])([245]\d\d)(?=[\s-]|$)", RegexOptions.CultureInvariant);

    private static readonly Regex MailboxFullWords = new Regex(
        @"mailbox (?:is )?full|over ?quota|quota (?:exceeded|full)|exceeded (?:the |its |their )?(?:storage |mailbox )?quota|\bquota\b|insufficient (?:system )?storage|mailbox size limit|storage (?:space|limit)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static readonly Regex DnsWords = new Regex(
        @"host or domain name not found|\bno mx\b|couldn'?t find any host|unrouteable address|domain (?:name )?not found|name service error|\bnxdomain\b|no such domain|domain does not exist|mx records? point to non-existent hosts",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static readonly Regex SpamWords = new Regex(
        @"spam|black ?list|block ?list|\bblocked\b|\blisted\b|spamhaus|spamcop|barracuda|\brbl\b|\bdnsbl\b|reputation|junk",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static readonly Regex UnknownUserWords = new Regex(
        @"user unknown|unknown user|no such user|no such (?:mailbox|recipient)|does not exist|doesn'?t exist|recipient not found|recipnotfound|address rejected|mailbox unavailable|mailbox not found|invalid (?:recipient|mailbox|address)|no mailbox here|address couldn'?t be found|not our customer",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>Classifies one recipient's failure.</summary>
    /// <param name="status">The enhanced status code ("5.1.1"), or null.</param>
    /// <param name="diagnostic">The server's reply or the MTA's explanation, or null.</param>
    /// <param name="action">The recipient's action; delivered, relayed and expanded are no failure.</param>
    public static BounceKind Classify(string? status, string? diagnostic, BounceAction action = BounceAction.Failed)
    {
        if (action == BounceAction.Delivered || action == BounceAction.Relayed || action == BounceAction.Expanded)
        {
            return BounceKind.Unknown;
        }

        string text = diagnostic ?? string.Empty;
        string code = ExtractStatus(status) ?? ExtractStatus(text) ?? string.Empty;
        bool temporary = code.StartsWith("4", StringComparison.Ordinal) || action == BounceAction.Delayed;

        // RFC 3463 section 3.3: X.2.2 "Mailbox full".
        if (SubjectDetail(code) == "2.2" || MailboxFullWords.IsMatch(text))
        {
            return BounceKind.MailboxFull;
        }

        // RFC 3463 sections 3.2 and 3.5: X.1.2 "Bad destination system address" and X.4.4
        // "Unable to route" are what MTAs report when the domain has no usable MX or A record.
        if (SubjectDetail(code) == "4.4" || SubjectDetail(code) == "1.2" || DnsWords.IsMatch(text))
        {
            return BounceKind.DnsFailure;
        }

        // RFC 3463 section 3.1: class 4 is a persistent transient failure; the sender retries.
        if (temporary)
        {
            return BounceKind.SoftBounce;
        }

        if (SpamWords.IsMatch(text))
        {
            return BounceKind.SpamBlock;
        }

        // RFC 3463 section 3.8: X.7.X "Security or policy status".
        if (code.StartsWith("5.7.", StringComparison.Ordinal))
        {
            return BounceKind.PolicyBlock;
        }

        // RFC 3463 sections 3.2 and 3.3: X.1.X addressing status (bad mailbox, moved, ...) and
        // X.2.1 "Mailbox disabled, not accepting messages".
        if (code.StartsWith("5.1.", StringComparison.Ordinal) || code == "5.2.1")
        {
            return BounceKind.HardBounce;
        }

        if ((code.Length == 0 || code == "5.0.0") && UnknownUserWords.IsMatch(text))
        {
            return BounceKind.HardBounce;
        }

        return BounceKind.Unknown;
    }

    /// <summary>
    /// The enhanced status code in <paramref name="text"/> ("5.1.1"), else "5.0.0" or "4.0.0" for a
    /// basic 5xx or 4xx SMTP reply code (RFC 3463 section 3.1: X.0.0 "Other undefined status"),
    /// else null.
    /// </summary>
    public static string? ExtractStatus(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        Match enhanced = EnhancedCode.Match(text);
        if (enhanced.Success)
        {
            return enhanced.Groups[1].Value + "." + int.Parse(enhanced.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)
                + "." + int.Parse(enhanced.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture);
        }

        Match basic = BasicCode.Match(text);
        if (basic.Success && basic.Groups[1].Value[0] != '2')
        {
            return basic.Groups[1].Value[0] + ".0.0";
        }

        return null;
    }

    private static string SubjectDetail(string code)
    {
        int dot = code.IndexOf('.');
        return dot < 0 ? string.Empty : code.Substring(dot + 1);
    }
}
