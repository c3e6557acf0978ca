using System;
using System.Globalization;
using System.Text;

namespace MailOps.Core.Dmarc;

/// <summary>
/// One entry of a rua or ruf tag: a URI with an optional size limit (RFC 7489 section 6.2,
/// "mailto:dmarc@example.com!10m"), and whether the destination may receive the reports
/// (RFC 7489 section 7.1, RFC 9990 section 3).
/// </summary>
public sealed class DmarcReportUri
{
    private DmarcReportUri(string uri, string scheme, string? address, string? addressDomain, long? sizeLimit)
    {
        Uri = uri;
        Scheme = scheme;
        Address = address;
        AddressDomain = addressDomain;
        SizeLimit = sizeLimit;
        IsAuthorized = true;
    }

    /// <summary>The entry as published, size limit included ("mailto:d@example.com!10m").</summary>
    public string Uri { get; }

    /// <summary>The URI scheme in lower case ("mailto", "https").</summary>
    public string Scheme { get; }

    /// <summary>The e-mail address of a mailto URI (domain lower-cased, A-label form), or null
    /// when the URI is not mailto or holds no usable address.</summary>
    public string? Address { get; }

    /// <summary>The domain of <see cref="Address"/>: where the reports go.</summary>
    public string? AddressDomain { get; }

    /// <summary>The largest report the destination accepts, in bytes ("!10m" is 10 485 760:
    /// k, m, g and t are powers of 2, RFC 7489 section 6.2), or null when there is no limit.</summary>
    public long? SizeLimit { get; }

    /// <summary>True when the destination belongs to another organization than the domain
    /// that publishes the record, so it must authorize the reports (RFC 7489 section 7.1).</summary>
    public bool IsExternal { get; internal set; }

    /// <summary>True when receivers will send reports there: the destination is not external,
    /// or it publishes the authorization record <see cref="AuthorizationName"/>. False for an
    /// external destination without it, or when the check failed.</summary>
    public bool IsAuthorized { get; internal set; }

    /// <summary>The TXT name checked for an external destination
    /// ("example.com._report._dmarc.reports.example.net"), or null when no check was needed.</summary>
    public string? AuthorizationName { get; internal set; }

    /// <inheritdoc />
    public override string ToString() => Uri;

    /// <summary>
    /// Parses one list entry. Returns false, with a reason, when the entry is not a URI
    /// (scheme ":" and a non-empty rest, no white space) or its size limit is malformed. A
    /// mailto URI whose address is unusable still parses, with a null <see cref="Address"/>.
    /// </summary>
    public static bool TryParse(string? entry, out DmarcReportUri? uri, out string reason)
    {
        uri = null;
        string text = (entry ?? string.Empty).Trim(' ', '\t');
        if (text.Length == 0)
        {
            reason = "The URI is empty.";
            return false;
        }

        // RFC 7489 section 6.2: dmarc-uri = URI [ "!" 1*DIGIT [ "k" / "m" / "g" / "t" ] ].
        // "!" inside the URI must be percent-encoded, so the last "!" starts the size limit.
        string body = text;
        long? size = null;
        int bang = text.LastIndexOf('!');
        if (bang >= 0)
        {
            if (!TryParseSize(text.Substring(bang + 1), out long parsed))
            {
                reason = $"'{text}' has a malformed size limit '{text.Substring(bang)}'; write it as !<digits>[k|m|g|t], e.g. !10m.";
                return false;
            }

            size = parsed;
            body = text.Substring(0, bang);
        }

        int colon = body.IndexOf(':');
        if (colon <= 0 || colon == body.Length - 1 || !IsScheme(body.Substring(0, colon)))
        {
            reason = $"'{text}' is not a URI (RFC 3986 needs a scheme, e.g. mailto:dmarc@example.com).";
            return false;
        }

        foreach (char c in body)
        {
            if (c <= ' ' || c == '\u007F' || c > '\u007E')
            {
                reason = $"'{text}' contains white space or characters a URI cannot hold unencoded.";
                return false;
            }
        }

        string scheme = body.Substring(0, colon).ToLowerInvariant();
        string? address = null;
        string? addressDomain = null;
        if (scheme == "mailto")
        {
            TryReadMailtoAddress(body.Substring(colon + 1), out address, out addressDomain);
        }

        uri = new DmarcReportUri(text, scheme, address, addressDomain, size);
        reason = string.Empty;
        return true;
    }

    /// <summary>Reads the single address of a mailto URI (RFC 6068: addresses before "?").</summary>
    private static bool TryReadMailtoAddress(string rest, out string? address, out string? domain)
    {
        address = null;
        domain = null;
        int query = rest.IndexOf('?');
        string to = UnescapeOrKeep(query >= 0 ? rest.Substring(0, query) : rest);
        if (to.IndexOf(',') >= 0)
        {
            // Several addresses in one URI: DMARC lists them as separate URIs instead.
            return false;
        }

        int at = to.LastIndexOf('@');
        if (at <= 0 || at == to.Length - 1)
        {
            return false;
        }

        string local = to.Substring(0, at);
        if (local.IndexOf('/') == 0 || local.IndexOf('@') >= 0)
        {
            return false;
        }

        if (!DomainName.TryNormalize(to.Substring(at + 1), out string normalized, out _))
        {
            return false;
        }

        address = local + "@" + normalized;
        domain = normalized;
        return true;
    }

    private static string UnescapeOrKeep(string value)
    {
        try
        {
            return System.Uri.UnescapeDataString(value);
        }
        catch (UriFormatException)
        {
            return value;
        }
    }

    private static bool IsScheme(string scheme)
    {
        // RFC 3986 section 3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
        if (!IsAsciiLetter(scheme[0]))
        {
            return false;
        }

        foreach (char c in scheme)
        {
            if (!(IsAsciiLetter(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAsciiLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

    private static bool TryParseSize(string text, out long bytes)
    {
        bytes = 0;
        if (text.Length == 0)
        {
            return false;
        }

        int shift = 0;
        string digits = text;
        switch (char.ToLowerInvariant(text[text.Length - 1]))
        {
            case 'k': shift = 10; break;
            case 'm': shift = 20; break;
            case 'g': shift = 30; break;
            case 't': shift = 40; break;
        }

        if (shift > 0)
        {
            digits = text.Substring(0, text.Length - 1);
        }

        if (digits.Length == 0 || digits.Length > 12)
        {
            return false;
        }

        foreach (char c in digits)
        {
            if (c < '0' || c > '9')
            {
                return false;
            }
        }

        bytes = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture) << shift;
        return true;
    }

    /// <summary>"mailto:" plus the address, percent-encoding the characters DMARC reserves
    /// ("," separates URIs, "!" starts a size limit: RFC 7489 section 6.2).</summary>
    internal static string ToMailto(string address)
    {
        var builder = new StringBuilder("mailto:", address.Length + 7);
        foreach (char c in address)
        {
            switch (c)
            {
                case ',': builder.Append("%2C"); break;
                case '!': builder.Append("%21"); break;
                case ';': builder.Append("%3B"); break;
                default: builder.Append(c); break;
            }
        }

        return builder.ToString();
    }
}
