using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MailOps.Core.Addresses;

/// <summary>
/// Checks an address the way an SMTP server checks a RCPT TO argument: the Mailbox of RFC 5321
/// section 4.1.2 (a dot-string or quoted-string local part, a domain or an address literal),
/// extended by RFC 6531 for UTF-8 local parts and U-label domains, within the length limits of
/// RFC 5321 section 4.5.3.1. RFC 5322 constructs that SMTP does not carry (comments, folding
/// white space, display names) are errors, because a server would refuse them.
/// </summary>
public static class EmailAddressSyntax
{
    /// <summary>RFC 5321 section 4.5.3.1.1: a local part is at most 64 octets.</summary>
    public const int MaxLocalPartOctets = 64;

    /// <summary>RFC 5321 section 4.5.3.1.2: a domain is at most 255 octets.</summary>
    public const int MaxDomainOctets = 255;

    /// <summary>RFC 5321 section 4.5.3.1.3: a path is at most 256 octets including the angle
    /// brackets, so the address itself is at most 254 (RFC 5321 erratum 1690).</summary>
    public const int MaxAddressOctets = 254;

    private const int MaxLabelOctets = 63;

    // RFC 5891 section 5.4: the U-label to A-label conversion; STD3 rules keep to LDH labels.
    private static readonly IdnMapping Idn = new IdnMapping { AllowUnassigned = false, UseStd3AsciiRules = true };

    /// <summary>Parses <paramref name="input"/>; never throws. Surrounding white space (from CSV
    /// files and copy-paste) is ignored; anything else that is not a Mailbox is an error.</summary>
    public static ParsedEmailAddress Parse(string? input)
    {
        var result = new ParsedEmailAddress(input ?? string.Empty);
        string text = (input ?? string.Empty).Trim();
        if (text.Length == 0)
        {
            result.Error = "The address is empty.";
            return result;
        }

        int at = FindSeparator(text);
        if (at == -2)
        {
            result.Error = $"'{text}' has text between the quoted local part and the '@'; a local part is either quoted whole or not at all (RFC 5321 section 4.1.2).";
            return result;
        }

        if (at < 0)
        {
            result.Error = text.IndexOf('@') < 0
                ? $"'{text}' has no '@': an address is local-part@domain (RFC 5321 section 4.1.2)."
                : $"'{text}' has an unterminated quoted local part (RFC 5321 section 4.1.2).";
            return result;
        }

        string local = text.Substring(0, at);
        string domain = text.Substring(at + 1);
        result.LocalPart = local;
        result.DomainText = domain;

        string? localError = CheckLocalPart(local, out string normalizedLocal, out bool localNonAscii);
        result.IsLocalPartValid = localError is null;
        if (localError is null)
        {
            result.NormalizedLocalPart = normalizedLocal;
        }

        string? domainError = CheckDomain(domain, out string normalizedDomain, out bool literal, out bool domainNonAscii);
        result.IsInternational = localNonAscii || domainNonAscii;
        result.RequiresSmtpUtf8 = localNonAscii;
        result.IsAddressLiteral = literal && domainError is null;
        string? error = localError ?? domainError;
        if (error is null)
        {
            // RFC 5321 section 4.5.3.1.3 (with erratum 1690): the whole address in at most 254 octets.
            int octets = Encoding.UTF8.GetByteCount(local) + 1 + Encoding.UTF8.GetByteCount(domain);
            if (octets > MaxAddressOctets)
            {
                error = $"The address is {octets} octets long; at most {MaxAddressOctets} are allowed (RFC 5321 section 4.5.3.1.3).";
            }
        }

        if (error is not null)
        {
            result.Error = error;
            return result;
        }

        result.Domain = normalizedDomain;
        result.Normalized = normalizedLocal + "@" + normalizedDomain;
        return result;
    }

    /// <summary>Checks a domain alone (the part after "@"): null when it is a valid mail domain,
    /// else why not. <paramref name="normalized"/> is its lower-case A-label form.</summary>
    public static string? CheckDomainName(string domain, out string normalized)
    {
        string? error = CheckDomain(domain ?? string.Empty, out normalized, out bool literal, out _);
        if (error is null && literal)
        {
            return $"'{domain}' is an address literal, not a domain name.";
        }

        return error;
    }

    /// <summary>The index of the "@" that ends the local part: after a quoted string, or the
    /// first "@" of a dot-string (atext has no "@"). -1 when there is none, -2 when something
    /// other than "@" follows a closed quoted string.</summary>
    private static int FindSeparator(string text)
    {
        if (text[0] != '"')
        {
            return text.IndexOf('@');
        }

        for (int i = 1; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == '"')
            {
                // The quoted string is the whole local part: "@" must follow the closing quote.
                return i + 1 < text.Length && text[i + 1] == '@' ? i + 1 : -2;
            }
        }

        return -1;
    }

    private static string? CheckLocalPart(string local, out string normalized, out bool nonAscii)
    {
        normalized = local;
        nonAscii = false;
        if (local.Length == 0)
        {
            return "The local part (before '@') is empty (RFC 5321 section 4.1.2).";
        }

        // RFC 5321 section 4.5.3.1.1: 64 octets, counted in UTF-8 for SMTPUTF8 (RFC 6531 section 3.3).
        int octets = Encoding.UTF8.GetByteCount(local);
        if (octets > MaxLocalPartOctets)
        {
            return $"The local part is {octets} octets long; at most {MaxLocalPartOctets} are allowed (RFC 5321 section 4.5.3.1.1).";
        }

        if (local[0] == '"')
        {
            return CheckQuotedLocalPart(local, out normalized, out nonAscii);
        }

        // Dot-string = Atom *("." Atom) (RFC 5321 section 4.1.2): no empty atoms.
        if (local[0] == '.' || local[local.Length - 1] == '.')
        {
            return $"The local part '{local}' starts or ends with a dot; quote it or remove the dot (RFC 5321 section 4.1.2).";
        }

        if (local.IndexOf("..", StringComparison.Ordinal) >= 0)
        {
            return $"The local part '{local}' has two dots in a row; quote it or remove one (RFC 5321 section 4.1.2).";
        }

        foreach (char c in local)
        {
            if (c == '.')
            {
                continue;
            }

            if (c > '\u007F')
            {
                if (char.IsControl(c) || char.IsWhiteSpace(c))
                {
                    return $"The local part '{local}' contains a control or white-space character.";
                }

                // RFC 6531 section 3.3: atext =/ UTF8-non-ascii.
                nonAscii = true;
                continue;
            }

            if (!IsAtext(c))
            {
                return c switch
                {
                    '(' or ')' => $"The local part '{local}' contains a comment; comments are not allowed in SMTP addresses (RFC 5321 section 4.1.2).",
                    ' ' or '\t' => $"The local part '{local}' contains white space; quote it (\"...\") if it is really part of the address (RFC 5321 section 4.1.2).",
                    '"' => $"The local part '{local}' has a quote inside a dot-string; only a whole local part may be quoted (RFC 5321 section 4.1.2).",
                    _ => $"The local part '{local}' contains '{c}', which needs quoting (RFC 5321 section 4.1.2).",
                };
            }
        }

        return null;
    }

    private static string? CheckQuotedLocalPart(string local, out string normalized, out bool nonAscii)
    {
        normalized = local;
        nonAscii = false;
        if (local.Length < 2 || local[local.Length - 1] != '"')
        {
            return $"The quoted local part {local} is not closed by a quote (RFC 5321 section 4.1.2).";
        }

        var content = new StringBuilder();
        for (int i = 1; i < local.Length - 1; i++)
        {
            char c = local[i];
            if (c == '\\')
            {
                // quoted-pairSMTP = %d92 %d32-126 (RFC 5321 section 4.1.2).
                if (i + 1 >= local.Length - 1 || local[i + 1] < ' ' || local[i + 1] > '~')
                {
                    return $"The quoted local part {local} has a backslash that escapes nothing printable (RFC 5321 section 4.1.2).";
                }

                content.Append(local[++i]);
                continue;
            }

            if (c == '"')
            {
                return $"The quoted local part {local} has an unescaped quote inside (RFC 5321 section 4.1.2).";
            }

            if (c > '\u007F' && !char.IsControl(c))
            {
                // RFC 6531 section 3.3: qtextSMTP =/ UTF8-non-ascii.
                nonAscii = true;
                content.Append(c);
                continue;
            }

            // qtextSMTP = %d32-33 / %d35-91 / %d93-126: printable ASCII and space, no controls.
            if (c < ' ' || c > '~')
            {
                return $"The quoted local part {local} contains a control character (RFC 5321 section 4.1.2).";
            }

            content.Append(c);
        }

        // RFC 5321 section 4.1.2: senders SHOULD NOT quote a local part that is a valid dot-string.
        string inner = content.ToString();
        normalized = IsDotString(inner) ? inner : local;
        return null;
    }

    private static bool IsDotString(string value)
    {
        if (value.Length == 0 || value[0] == '.' || value[value.Length - 1] == '.' || value.IndexOf("..", StringComparison.Ordinal) >= 0)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (c != '.' && !IsAtext(c) && !(c > '\u007F' && !char.IsControl(c) && !char.IsWhiteSpace(c)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>atext of RFC 5322 section 3.2.3 (used by RFC 5321 Atom): letters, digits and
    /// !#$%&amp;'*+-/=?^_`{|}~.</summary>
    private static bool IsAtext(char c)
        => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-/=?^_`{|}~".IndexOf(c) >= 0;

    private static string? CheckDomain(string domain, out string normalized, out bool literal, out bool nonAscii)
    {
        normalized = string.Empty;
        literal = false;
        nonAscii = false;
        if (domain.Length == 0)
        {
            return "The domain (after '@') is empty (RFC 5321 section 4.1.2).";
        }

        if (domain[0] == '[')
        {
            literal = true;
            return CheckAddressLiteral(domain, out normalized);
        }

        if (domain.IndexOf('@') >= 0)
        {
            return $"The address has more than one '@'; quote the local part if the first one belongs to it (RFC 5321 section 4.1.2).";
        }

        int octets = Encoding.UTF8.GetByteCount(domain);
        if (octets > MaxDomainOctets)
        {
            return $"The domain is {octets} octets long; at most {MaxDomainOctets} are allowed (RFC 5321 section 4.5.3.1.2).";
        }

        foreach (char c in domain)
        {
            if (c == '(' || c == ')')
            {
                return $"The domain '{domain}' contains a comment; comments are not allowed in SMTP addresses (RFC 5321 section 4.1.2).";
            }

            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return $"The domain '{domain}' contains white space or a control character.";
            }

            if (c > '\u007F')
            {
                nonAscii = true;
            }
        }

        if (domain[domain.Length - 1] == '.')
        {
            return $"The domain '{domain}' ends with a dot; SMTP domains are written without the root dot (RFC 5321 section 4.1.2).";
        }

        string ascii = domain;
        if (nonAscii)
        {
            // RFC 6531 section 3.3: sub-domain =/ U-label; it is looked up and compared as its A-label.
            try
            {
                ascii = Idn.GetAscii(domain);
            }
            catch (ArgumentException e)
            {
                return $"The domain '{domain}' is not a valid internationalized domain name: {e.Message}";
            }
        }

        ascii = ascii.ToLowerInvariant();
        string[] labels = ascii.Split('.');
        foreach (string label in labels)
        {
            // sub-domain = Let-dig [Ldh-str] (RFC 5321 section 4.1.2); 63 octets (RFC 1035 section 2.3.4).
            if (label.Length == 0)
            {
                return $"The domain '{domain}' has an empty label (two dots in a row or a leading dot).";
            }

            if (label.Length > MaxLabelOctets)
            {
                return $"The domain '{domain}' has a label of {label.Length} octets; at most {MaxLabelOctets} are allowed (RFC 1035 section 2.3.4).";
            }

            foreach (char c in label)
            {
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
                {
                    return $"The domain '{domain}' contains '{c}'; a mail domain has letters, digits, hyphens and dots only (RFC 5321 section 4.1.2).";
                }
            }

            if (label[0] == '-' || label[label.Length - 1] == '-')
            {
                return $"The domain '{domain}' has a label that starts or ends with a hyphen (RFC 5321 section 4.1.2).";
            }
        }

        // RFC 5321 section 2.3.5: only fully-qualified domain names are permitted in SMTP.
        if (labels.Length < 2)
        {
            return $"The domain '{domain}' is not fully qualified (it has no dot); SMTP accepts only fully-qualified names (RFC 5321 section 2.3.5).";
        }

        // RFC 3696 section 2: a top-level domain is never all-numeric; this is an IP address without brackets.
        string tld = labels[labels.Length - 1];
        if (IsAllDigits(tld))
        {
            return $"The domain '{domain}' looks like an IP address; an address literal is written in brackets, e.g. [192.0.2.1] (RFC 5321 section 4.1.3).";
        }

        normalized = ascii;
        return null;
    }

    private static string? CheckAddressLiteral(string domain, out string normalized)
    {
        normalized = string.Empty;
        if (domain[domain.Length - 1] != ']' || domain.Length < 3)
        {
            return $"The address literal '{domain}' is not closed by ']' (RFC 5321 section 4.1.3).";
        }

        string inner = domain.Substring(1, domain.Length - 2);
        if (inner.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase))
        {
            // IPv6-address-literal = "IPv6:" IPv6-addr (RFC 5321 section 4.1.3); no zone index.
            string v6 = inner.Substring(5);
            if (v6.IndexOf('%') < 0 && v6.Length > 1 && IPAddress.TryParse(v6, out IPAddress? address) && address.AddressFamily == AddressFamily.InterNetworkV6)
            {
                normalized = "[IPv6:" + address.ToString().ToLowerInvariant() + "]";
                return null;
            }

            return $"The address literal '{domain}' is not a valid IPv6 address (RFC 5321 section 4.1.3).";
        }

        // IPv4-address-literal = Snum 3("." Snum), Snum = 1*3DIGIT of value 0-255 (RFC 5321 section 4.1.3).
        string[] parts = inner.Split('.');
        if (parts.Length == 4)
        {
            bool ok = true;
            foreach (string part in parts)
            {
                ok &= part.Length >= 1 && part.Length <= 3 && IsAllDigits(part) && int.Parse(part, CultureInfo.InvariantCulture) <= 255;
            }

            if (ok)
            {
                normalized = "[" + string.Join(".", Array.ConvertAll(parts, p => int.Parse(p, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture))) + "]";
                return null;
            }
        }

        if (inner.IndexOf(':') > 0)
        {
            return $"The address literal '{domain}' uses a tag other than IPv6; no other standardized tag exists (RFC 5321 section 4.1.3).";
        }

        return $"The address literal '{domain}' is not a valid IPv4 address (RFC 5321 section 4.1.3).";
    }

    private static bool IsAllDigits(string value)
    {
        if (value.Length == 0)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (c < '0' || c > '9')
            {
                return false;
            }
        }

        return true;
    }
}
