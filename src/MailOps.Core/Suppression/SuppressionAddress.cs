using System;

namespace MailOps.Core.Suppression;

/// <summary>
/// Validates and normalises the e-mail addresses put on, and looked up in, the suppression list:
/// the domain lower-cased and in A-label form (IDN to punycode, as DNS and receivers compare it),
/// the local part kept as given (RFC 5321 2.4: only the receiving server may interpret it).
/// Surrounding blanks and angle brackets (<c>&lt;user@example.com&gt;</c>, as bounce reports and
/// logs write it) are removed.
/// </summary>
public static class SuppressionAddress
{
    // RFC 5321 4.5.3.1.1: local part at most 64 octets; 4.5.3.1.3: a path at most 256 octets
    // including the angle brackets, so an address at most 254.
    private const int MaxLocalPartLength = 64;
    private const int MaxAddressLength = 254;

    /// <summary>Normalises <paramref name="input"/> or says why it is not an address.</summary>
    /// <returns>True when <paramref name="normalized"/> holds local-part@a-label-domain.</returns>
    public static bool TryNormalize(string? input, out string normalized, out string? error)
    {
        normalized = string.Empty;
        string text = (input ?? string.Empty).Trim();
        if (text.Length > 1 && text[0] == '<' && text[text.Length - 1] == '>')
        {
            text = text.Substring(1, text.Length - 2).Trim();
        }

        if (text.Length == 0)
        {
            error = "The e-mail address is empty.";
            return false;
        }

        // The last @ separates: a quoted local part may itself contain @ (RFC 5321 4.1.2).
        int at = text.LastIndexOf('@');
        if (at <= 0 || at == text.Length - 1)
        {
            error = $"'{input}' is not an e-mail address: it needs a local part, an @ and a domain.";
            return false;
        }

        string local = text.Substring(0, at);
        string domainText = text.Substring(at + 1);
        if (!IsValidLocalPart(local, out string? localError))
        {
            error = $"'{input}' is not an e-mail address: {localError}";
            return false;
        }

        if (domainText.StartsWith("[", StringComparison.Ordinal))
        {
            error = $"'{input}' uses an address literal ({domainText}); the suppression list takes addresses at domain names.";
            return false;
        }

        if (!DomainName.TryNormalize(domainText, out string domain, out string? domainError))
        {
            error = $"'{input}' is not an e-mail address: {domainError}";
            return false;
        }

        string address = local + "@" + domain;
        if (System.Text.Encoding.UTF8.GetByteCount(address) > MaxAddressLength)
        {
            error = $"'{input}' is longer than the {MaxAddressLength} octets an address may have (RFC 5321 4.5.3.1.3).";
            return false;
        }

        normalized = address;
        error = null;
        return true;
    }

    /// <summary>The domain of a normalised address (after its last @).</summary>
    public static string DomainOf(string normalizedAddress)
        => normalizedAddress.Substring(normalizedAddress.LastIndexOf('@') + 1);

    /// <summary>
    /// RFC 5321 4.1.2: Local-part = Dot-string / Quoted-string, atext as in RFC 5322 3.2.3, with
    /// UTF-8 beyond ASCII allowed in atext by RFC 6531 3.3 (internationalised mailboxes).
    /// </summary>
    private static bool IsValidLocalPart(string local, out string? error)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(local) > MaxLocalPartLength)
        {
            error = $"the local part is longer than {MaxLocalPartLength} octets (RFC 5321 4.5.3.1.1).";
            return false;
        }

        if (local.Length >= 2 && local[0] == '"' && local[local.Length - 1] == '"')
        {
            return IsValidQuotedString(local.Substring(1, local.Length - 2), out error);
        }

        if (local[0] == '.' || local[local.Length - 1] == '.' || local.IndexOf("..", StringComparison.Ordinal) >= 0)
        {
            error = "a dot may not start or end the local part or follow another dot (RFC 5321 4.1.2).";
            return false;
        }

        foreach (char c in local)
        {
            if (c != '.' && !IsAtext(c))
            {
                error = $"'{c}' is not allowed in an unquoted local part (RFC 5322 3.2.3).";
                return false;
            }
        }

        error = null;
        return true;
    }

    // RFC 5321 4.1.2: qtextSMTP = %d32-33 / %d35-91 / %d93-126; quoted-pairSMTP = "\" %d32-126.
    private static bool IsValidQuotedString(string content, out string? error)
    {
        for (int i = 0; i < content.Length; i++)
        {
            char c = content[i];
            if (c == '\\')
            {
                if (i + 1 >= content.Length || content[i + 1] < 32 || content[i + 1] > 126)
                {
                    error = "a backslash in a quoted local part must escape a printable character.";
                    return false;
                }

                i++;
            }
            else if (c == '"' || (c < 32 && c != ' ') || c == 127)
            {
                error = "a quoted local part may not hold an unescaped quote or control characters.";
                return false;
            }
        }

        error = null;
        return true;
    }

    private static bool IsAtext(char c)
        => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || "!#$%&'*+-/=?^_`{|}~".IndexOf(c) >= 0
            || (c >= 0x80 && !char.IsWhiteSpace(c) && !char.IsControl(c));
}
