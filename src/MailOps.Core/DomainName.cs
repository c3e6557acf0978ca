using System;
using System.Globalization;

namespace MailOps.Core;

/// <summary>
/// Validates and normalises the domain names users type. Unicode names become their A-label
/// (punycode) form, because that is what DNS and every receiver compare; a trailing dot is
/// dropped. Underscore labels (_dmarc, _domainkey, _spf) are allowed: mail DNS is full of them.
/// </summary>
public static class DomainName
{
    private static readonly IdnMapping Idn = new IdnMapping { AllowUnassigned = false, UseStd3AsciiRules = false };

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

        string name = input.Trim();
        if (name.EndsWith(".", StringComparison.Ordinal))
        {
            name = name.Substring(0, name.Length - 1);
        }

        foreach (char c in name)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                error = $"'{input}' is not a domain name: it contains white space or control characters.";
                return false;
            }
        }

        if (!IsAscii(name))
        {
            try
            {
                name = Idn.GetAscii(name);
            }
            catch (ArgumentException)
            {
                error = $"'{input}' is not a valid internationalised domain name.";
                return false;
            }
        }

        name = name.ToLowerInvariant();

        // RFC 1035 section 2.3.4: 255 octets on the wire, so 253 characters in text form.
        if (name.Length > 253)
        {
            error = $"'{input}' is longer than the 253 characters a domain name may have.";
            return false;
        }

        string[] labels = name.Split('.');
        if (labels.Length < 2)
        {
            error = $"'{input}' is not a fully qualified domain name (it has no dot).";
            return false;
        }

        foreach (string label in labels)
        {
            if (label.Length == 0)
            {
                error = $"'{input}' has an empty label.";
                return false;
            }

            if (label.Length > 63)
            {
                error = $"'{input}' has a label longer than 63 characters.";
                return false;
            }

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

    private static bool IsAscii(string value)
    {
        foreach (char c in value)
        {
            if (c > 0x7F)
            {
                return false;
            }
        }

        return true;
    }
}
