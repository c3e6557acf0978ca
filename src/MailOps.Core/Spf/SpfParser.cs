using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MailOps.Core.Spf;

/// <summary>
/// Parses SPF records by the ABNF of RFC 7208 section 12. It never throws and reports every
/// syntax error it finds, because an audit wants all problems at once while check_host() only
/// needs to know that there is at least one (section 4.6: any syntax error is a permerror).
/// </summary>
public static class SpfParser
{
    private const string Version = "v=spf1";

    /// <summary>
    /// True when <paramref name="text"/> is an SPF record: it starts with "v=spf1",
    /// case-insensitively, followed by the end of the text or a space (RFC 7208 section 4.5).
    /// "v=spf10" and "v=spf1-all" are not SPF records and are ignored during record selection.
    /// </summary>
    public static bool IsSpfRecord(string text)
    {
        if (text is null || text.Length < Version.Length)
        {
            return false;
        }

        return string.Compare(text, 0, Version, 0, Version.Length, StringComparison.OrdinalIgnoreCase) == 0
            && (text.Length == Version.Length || text[Version.Length] == ' ');
    }

    /// <summary>
    /// Parses a whole record. Never throws; syntax problems are collected in
    /// <see cref="SpfParsedRecord.Errors"/> and the terms that did parse are kept in
    /// <see cref="SpfParsedRecord.Terms"/> so analyzers can still show them.
    /// </summary>
    public static SpfParsedRecord Parse(string text)
    {
        text ??= string.Empty;
        var terms = new List<SpfTerm>();
        var errors = new List<SpfSyntaxError>();
        if (!IsSpfRecord(text))
        {
            errors.Add(new SpfSyntaxError("The record does not start with \"v=spf1\" followed by a space or the end (RFC 7208 section 4.5).", null, 0));
            return new SpfParsedRecord(text, terms, errors);
        }

        var redirects = 0;
        var explanations = 0;
        var i = Version.Length;
        while (i < text.Length)
        {
            // Section 12: terms = *( 1*SP ( directive / modifier ) ), record = version terms *SP.
            // Only SP separates terms; tabs and other controls land inside a term and fail it.
            if (text[i] == ' ')
            {
                i++;
                continue;
            }

            var end = text.IndexOf(' ', i);
            if (end < 0)
            {
                end = text.Length;
            }

            var term = ParseTerm(text.Substring(i, end - i), i, errors);
            if (term is SpfModifier modifier)
            {
                // Section 6: redirect and exp must not appear more than once each.
                if (modifier.IsRedirect && ++redirects == 2)
                {
                    errors.Add(new SpfSyntaxError("\"redirect=\" appears more than once (RFC 7208 section 6).", modifier.Text, modifier.Position));
                }
                else if (modifier.IsExplanation && ++explanations == 2)
                {
                    errors.Add(new SpfSyntaxError("\"exp=\" appears more than once (RFC 7208 section 6).", modifier.Text, modifier.Position));
                }
            }

            if (term is not null)
            {
                terms.Add(term);
            }

            i = end;
        }

        return new SpfParsedRecord(text, terms, errors);
    }

    /// <summary>
    /// True when <paramref name="domainSpec"/> follows the domain-spec grammar: a macro-string
    /// (RFC 7208 section 7.1) ending in a macro-expand or in "." and a toplabel that is
    /// alphanumeric with at least one letter, or has an inner hyphen (section 12). The c, r and t
    /// macros are rejected here because they belong to explanation text only (section 7.2).
    /// </summary>
    public static bool IsValidDomainSpec(string domainSpec) => TryValidateDomainSpec(domainSpec, out _);

    /// <summary>Like <see cref="IsValidDomainSpec"/>, with the reason when it is not valid.</summary>
    internal static bool TryValidateDomainSpec(string? domainSpec, out string? error)
    {
        if (string.IsNullOrEmpty(domainSpec))
        {
            error = "The domain-spec is empty (RFC 7208 section 12).";
            return false;
        }

        if (!SpfMacro.TryTokenize(domainSpec!, explanation: false, allowExplanationLetters: false, out var tokens, out error))
        {
            return false;
        }

        // Section 12: domain-end = ( "." toplabel [ "." ] ) / macro-expand.
        var last = tokens[tokens.Count - 1];
        if (last.Kind != SpfMacroTokenKind.Literal)
        {
            return true;
        }

        var tail = last.Literal;
        if (tail.EndsWith(".", StringComparison.Ordinal))
        {
            tail = tail.Substring(0, tail.Length - 1);
        }

        var dot = tail.LastIndexOf('.');
        if (dot < 0 || !IsTopLabel(tail.Substring(dot + 1)))
        {
            error = $"'{domainSpec}' does not end in a valid top-level label (letters, digits and inner hyphens, not all digits) or a macro (RFC 7208 section 7.1).";
            return false;
        }

        return true;
    }

    /// <summary>
    /// toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum ):
    /// all-numeric labels are refused so an IP address is never mistaken for a name (section 7.1).
    /// </summary>
    internal static bool IsTopLabel(string label)
    {
        if (label.Length == 0 || !IsAlphaNum(label[0]) || !IsAlphaNum(label[label.Length - 1]))
        {
            return false;
        }

        var hasAlpha = false;
        var hasHyphen = false;
        foreach (var c in label)
        {
            if (c == '-')
            {
                hasHyphen = true;
            }
            else if (IsAlpha(c))
            {
                hasAlpha = true;
            }
            else if (!IsDigit(c))
            {
                return false;
            }
        }

        return hasAlpha || hasHyphen;
    }

    private static SpfTerm? ParseTerm(string term, int position, List<SpfSyntaxError> errors)
    {
        for (var k = 0; k < term.Length; k++)
        {
            var c = term[k];
            if (c < '\x21' || c > '\x7e')
            {
                // Section 3.1: records are 7-bit ASCII; section 12 allows only SP between terms.
                var what = c > '\x7e' ? $"non-ASCII character U+{(int)c:X4} (RFC 7208 section 3.1)" : $"control character 0x{(int)c:X2}; terms are separated by spaces only (RFC 7208 section 4.6.1)";
                errors.Add(new SpfSyntaxError($"The term contains a {what}.", term, position));
                return null;
            }
        }

        // Section 4.6.1: a modifier is name "=" with the "=" right after the name, before any ":" or "/".
        if (IsAlpha(term[0]))
        {
            var n = 1;
            while (n < term.Length && IsNameChar(term[n]))
            {
                n++;
            }

            if (n < term.Length && term[n] == '=')
            {
                return ParseModifier(term, position, term.Substring(0, n), term.Substring(n + 1), errors);
            }
        }

        return ParseDirective(term, position, errors);
    }

    private static SpfModifier? ParseModifier(string term, int position, string name, string value, List<SpfSyntaxError> errors)
    {
        var modifier = new SpfModifier(term, position, name, value);
        if (modifier.IsKnown)
        {
            // Sections 6.1 and 6.2: redirect = "redirect" "=" domain-spec; explanation = "exp" "=" domain-spec.
            if (!TryValidateDomainSpec(value, out var error))
            {
                errors.Add(new SpfSyntaxError(error!, term, position));
                return null;
            }
        }
        else if (!SpfMacro.TryTokenize(value, explanation: false, allowExplanationLetters: true, out _, out var error))
        {
            // Section 12: unknown-modifier = name "=" macro-string; ignored, but it must still parse.
            errors.Add(new SpfSyntaxError(error!, term, position));
            return null;
        }

        return modifier;
    }

    private static SpfMechanism? ParseDirective(string term, int position, List<SpfSyntaxError> errors)
    {
        // Section 4.6.2: qualifier = "+" / "-" / "?" / "~", "+" when absent.
        var qualifier = SpfQualifier.Pass;
        var explicitQualifier = true;
        switch (term[0])
        {
            case '+': qualifier = SpfQualifier.Pass; break;
            case '-': qualifier = SpfQualifier.Fail; break;
            case '~': qualifier = SpfQualifier.SoftFail; break;
            case '?': qualifier = SpfQualifier.Neutral; break;
            default: explicitQualifier = false; break;
        }

        var start = explicitQualifier ? 1 : 0;
        var nameEnd = start;
        while (nameEnd < term.Length && term[nameEnd] != ':' && term[nameEnd] != '/')
        {
            nameEnd++;
        }

        var name = term.Substring(start, nameEnd - start);
        var rest = term.Substring(nameEnd);
        SpfMechanismKind kind;
        switch (name.ToLowerInvariant())
        {
            case "all": kind = SpfMechanismKind.All; break;
            case "include": kind = SpfMechanismKind.Include; break;
            case "a": kind = SpfMechanismKind.A; break;
            case "mx": kind = SpfMechanismKind.Mx; break;
            case "ptr": kind = SpfMechanismKind.Ptr; break;
            case "ip4": kind = SpfMechanismKind.Ip4; break;
            case "ip6": kind = SpfMechanismKind.Ip6; break;
            case "exists": kind = SpfMechanismKind.Exists; break;
            default:
                // Section 4.6.1 / 5: an unknown mechanism is a syntax error (no extension mechanism exists).
                errors.Add(new SpfSyntaxError(
                    name.Length == 0 ? "A qualifier must be followed by a mechanism (RFC 7208 section 4.6.2)." : $"Unknown mechanism '{name}' (RFC 7208 section 5).",
                    term,
                    position));
                return null;
        }

        string? error = null;
        string? domainSpec = null;
        IPAddress? network = null;
        int? ip4Prefix = null;
        int? ip6Prefix = null;
        switch (kind)
        {
            case SpfMechanismKind.All:
                // Section 5.1: all = "all", nothing may follow.
                if (rest.Length != 0)
                {
                    error = "\"all\" takes no argument or prefix length (RFC 7208 section 5.1).";
                }

                break;

            case SpfMechanismKind.Include:
            case SpfMechanismKind.Exists:
                // Sections 5.2 and 5.7: the ":" domain-spec is required.
                if (!rest.StartsWith(":", StringComparison.Ordinal))
                {
                    error = $"\"{name}\" requires \":\" and a domain (RFC 7208 section {(kind == SpfMechanismKind.Include ? "5.2" : "5.7")}).";
                }
                else
                {
                    domainSpec = rest.Substring(1);
                    TryValidateDomainSpec(domainSpec, out error);
                }

                break;

            case SpfMechanismKind.Ptr:
                // Section 5.5: ptr = "ptr" [ ":" domain-spec ]; no prefix length.
                if (rest.Length != 0)
                {
                    if (!rest.StartsWith(":", StringComparison.Ordinal))
                    {
                        error = "\"ptr\" takes no prefix length (RFC 7208 section 5.5).";
                    }
                    else
                    {
                        domainSpec = rest.Substring(1);
                        TryValidateDomainSpec(domainSpec, out error);
                    }
                }

                break;

            case SpfMechanismKind.A:
            case SpfMechanismKind.Mx:
                // Sections 5.3 and 5.4: [ ":" domain-spec ] [ dual-cidr-length ].
                error = ParseDomainAndDualCidr(rest, out domainSpec, out ip4Prefix, out ip6Prefix);
                break;

            case SpfMechanismKind.Ip4:
                error = ParseIp4(rest, out network, out ip4Prefix);
                break;

            case SpfMechanismKind.Ip6:
                error = ParseIp6(rest, out network, out ip6Prefix);
                break;
        }

        if (error is not null)
        {
            errors.Add(new SpfSyntaxError(error, term, position));
            return null;
        }

        return new SpfMechanism(term, position, qualifier, explicitQualifier, kind, domainSpec, network, ip4Prefix, ip6Prefix);
    }

    private static string? ParseDomainAndDualCidr(string rest, out string? domainSpec, out int? ip4Prefix, out int? ip6Prefix)
    {
        domainSpec = null;
        ip4Prefix = null;
        ip6Prefix = null;
        string body;
        if (rest.StartsWith(":", StringComparison.Ordinal))
        {
            body = rest.Substring(1);
        }
        else if (rest.Length == 0 || rest[0] == '/')
        {
            body = rest;
        }
        else
        {
            return "Expected \":\" or \"/\" after the mechanism name (RFC 7208 section 12).";
        }

        // dual-cidr-length = [ ip4-cidr-length ] [ "/" ip6-cidr-length ], taken from the end:
        // a literal "/" could also be part of a macro-string, but never of a valid domain-end.
        var end = body.Length;
        string? v6 = null;
        string? v4 = null;
        var digits = TrailingDigits(body, end);
        if (digits > 0 && end - digits >= 2 && body[end - digits - 1] == '/' && body[end - digits - 2] == '/')
        {
            v6 = body.Substring(end - digits, digits);
            end -= digits + 2;
            digits = TrailingDigits(body, end);
        }

        if (digits > 0 && end - digits >= 1 && body[end - digits - 1] == '/')
        {
            v4 = body.Substring(end - digits, digits);
            end -= digits + 1;
        }

        var spec = body.Substring(0, end);
        if (rest.StartsWith(":", StringComparison.Ordinal))
        {
            if (!TryValidateDomainSpec(spec, out var error))
            {
                return error;
            }

            domainSpec = spec;
        }
        else if (spec.Length != 0)
        {
            return "Invalid prefix length; use \"/n\" for IPv4 (0-32) and \"//n\" for IPv6 (0-128) (RFC 7208 section 5.3).";
        }

        if (v4 is not null)
        {
            if (!TryParseCidr(v4, 32, 2, out var p))
            {
                return $"Invalid IPv4 prefix length '/{v4}': 0-32 without leading zeros (RFC 7208 section 12).";
            }

            ip4Prefix = p;
        }

        if (v6 is not null)
        {
            if (!TryParseCidr(v6, 128, 3, out var p))
            {
                return $"Invalid IPv6 prefix length '//{v6}': 0-128 without leading zeros (RFC 7208 section 12).";
            }

            ip6Prefix = p;
        }

        return null;
    }

    private static string? ParseIp4(string rest, out IPAddress? network, out int? prefix)
    {
        network = null;
        prefix = null;
        if (!rest.StartsWith(":", StringComparison.Ordinal))
        {
            return "\"ip4\" requires \":\" and an IPv4 network (RFC 7208 section 5.6).";
        }

        var body = rest.Substring(1);
        var slash = body.IndexOf('/');
        var address = slash < 0 ? body : body.Substring(0, slash);
        if (slash >= 0)
        {
            if (!TryParseCidr(body.Substring(slash + 1), 32, 2, out var p))
            {
                return $"Invalid IPv4 prefix length '{body.Substring(slash)}': 0-32 without leading zeros (RFC 7208 section 5.6).";
            }

            prefix = p;
        }

        // Section 12: ip4-network = qnum "." qnum "." qnum "." qnum, each 0-255 without leading zeros.
        var parts = address.Split('.');
        var bytes = new byte[4];
        if (parts.Length != 4)
        {
            return $"'{address}' is not a dotted-quad IPv4 address (RFC 7208 section 5.6).";
        }

        for (var k = 0; k < 4; k++)
        {
            var part = parts[k];
            if (part.Length == 0 || part.Length > 3 || TrailingDigits(part, part.Length) != part.Length
                || (part.Length > 1 && part[0] == '0') || int.Parse(part, CultureInfo.InvariantCulture) > 255)
            {
                return $"'{address}' is not a dotted-quad IPv4 address (RFC 7208 section 5.6).";
            }

            bytes[k] = (byte)int.Parse(part, CultureInfo.InvariantCulture);
        }

        network = new IPAddress(bytes);
        return null;
    }

    private static string? ParseIp6(string rest, out IPAddress? network, out int? prefix)
    {
        network = null;
        prefix = null;
        if (!rest.StartsWith(":", StringComparison.Ordinal))
        {
            return "\"ip6\" requires \":\" and an IPv6 network (RFC 7208 section 5.6).";
        }

        var body = rest.Substring(1);
        var slash = body.IndexOf('/');
        var address = slash < 0 ? body : body.Substring(0, slash);
        if (slash >= 0)
        {
            if (!TryParseCidr(body.Substring(slash + 1), 128, 3, out var p))
            {
                return $"Invalid IPv6 prefix length '{body.Substring(slash)}': 0-128 without leading zeros (RFC 7208 section 5.6).";
            }

            prefix = p;
        }

        // Section 12: ip6-network as in RFC 4291 section 2.2: hex groups, "::" and an optional
        // dotted-quad tail; no zone index, no brackets.
        var ok = address.Length >= 2 && address.IndexOf(':') >= 0;
        foreach (var c in address)
        {
            if (!(IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.'))
            {
                ok = false;
                break;
            }
        }

        if (!ok || !IPAddress.TryParse(address, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return $"'{address}' is not an IPv6 address (RFC 7208 section 5.6).";
        }

        network = parsed;
        return null;
    }

    /// <summary>
    /// ip4-cidr-length = "/" ( "0" / %x31-39 0*1DIGIT ), ip6-cidr-length = "/" ( "0" / %x31-39 0*2DIGIT ):
    /// no leading zeros, within the address size (section 12).
    /// </summary>
    private static bool TryParseCidr(string text, int max, int maxDigits, out int value)
    {
        value = 0;
        if (text.Length == 0 || text.Length > maxDigits || TrailingDigits(text, text.Length) != text.Length
            || (text.Length > 1 && text[0] == '0'))
        {
            return false;
        }

        value = int.Parse(text, CultureInfo.InvariantCulture);
        return value <= max;
    }

    private static int TrailingDigits(string text, int end)
    {
        var n = 0;
        while (end - n - 1 >= 0 && IsDigit(text[end - n - 1]))
        {
            n++;
        }

        return n;
    }

    private static bool IsAlpha(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

    private static bool IsDigit(char c) => c >= '0' && c <= '9';

    private static bool IsAlphaNum(char c) => IsAlpha(c) || IsDigit(c);

    // Section 12: name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." ).
    private static bool IsNameChar(char c) => IsAlphaNum(c) || c == '-' || c == '_' || c == '.';
}
