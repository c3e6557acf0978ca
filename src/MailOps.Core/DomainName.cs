using System;
using MailOps.Core.Dns;

namespace MailOps.Core;

/// <summary>
/// Validates and normalises the domain names users type. Unicode names become their A-label
/// (punycode) form, because that is what DNS and every receiver compare; a trailing dot is
/// dropped. Underscore labels (_dmarc, _domainkey, _spf) are allowed: mail DNS is full of them.
/// </summary>
public static class DomainName
{
    /// <summary>Normalises <paramref name="input"/> or says why it is not a domain name.</summary>
    /// <returns>True when <paramref name="normalized"/> holds the lower-case ASCII name.</returns>
    public static bool TryNormalize(string? input, out string normalized, out string? error)
    {
        normalized = string.Empty;
        if (input is null || input.Trim().Length == 0)
        {
            error = "The domain name is empty.";
            return false;
        }

        // Surrounding blanks come from CSV files and copy-paste; inner ones make it no name.
        string trimmed = input.Trim();
        foreach (char c in trimmed)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                error = $"'{input}' is not a domain name: it contains white space or control characters.";
                return false;
            }
        }

        // Length, empty labels and IDN conversion are the DNS layer's rules (RFC 1035 2.3.4);
        // what follows adds the stricter rules for a name a user types.
        if (!DnsName.TryGetQueryName(trimmed, out string name, out string queryError))
        {
            error = queryError;
            return false;
        }

        name = name.ToLowerInvariant();

        string[] labels = name.Split('.');
        if (labels.Length < 2)
        {
            error = $"'{input}' is not a fully qualified domain name (it has no dot).";
            return false;
        }

        foreach (string label in labels)
        {
            foreach (char c in label)
            {
                bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
                if (!ok)
                {
                    error = $"'{input}' contains '{c}', which is not allowed in a domain name.";
                    return false;
                }
            }

            if (label[0] == '-' || label[label.Length - 1] == '-')
            {
                error = $"'{input}' has a label that starts or ends with a hyphen.";
                return false;
            }
        }

        normalized = name;
        error = null;
        return true;
    }
}
