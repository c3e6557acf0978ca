using System;
using System.Globalization;

namespace MailOps.Core.Dkim;

/// <summary>
/// One selector of the <see cref="DkimSelectorCatalog"/>: the name a signer puts in the s= tag
/// of its DKIM-Signature header and the provider known to use it.
/// </summary>
public sealed class DkimSelector
{
    /// <summary>Creates an entry; <paramref name="name"/> must pass <see cref="TryNormalize"/>.</summary>
    /// <exception cref="ArgumentException">The name is not a valid selector.</exception>
    public DkimSelector(string name, string? provider)
    {
        if (!TryNormalize(name, out string normalized, out string? error))
        {
            throw new ArgumentException(error, nameof(name));
        }

        Name = normalized;
        Provider = string.IsNullOrWhiteSpace(provider) ? null : provider!.Trim();
    }

    /// <summary>The selector, lower-case A-label form.</summary>
    public string Name { get; }

    /// <summary>Who uses the selector ("Microsoft 365", "generic"), or null.</summary>
    public string? Provider { get; }

    /// <inheritdoc />
    public override string ToString() => Provider is null ? Name : $"{Name} ({Provider})";

    /// <summary>
    /// Validates a selector a user typed. RFC 6376 section 3.1 makes a selector one or more
    /// dot-separated sub-domains (so "2024.marketing" is one selector) placed before
    /// "._domainkey."; Unicode labels become A-labels (RFC 8616 section 4). Underscores are
    /// accepted because DNS allows them and some signers use them.
    /// </summary>
    /// <returns>True when <paramref name="normalized"/> holds the lower-case selector.</returns>
    public static bool TryNormalize(string? input, out string normalized, out string? error)
    {
        normalized = string.Empty;
        string value = (input ?? string.Empty).Trim();
        if (value.Length == 0)
        {
            error = "The selector is empty.";
            return false;
        }

        if (value.IndexOf("._domainkey", StringComparison.OrdinalIgnoreCase) >= 0 || value.StartsWith("_domainkey", StringComparison.OrdinalIgnoreCase))
        {
            error = $"'{input}' is a key record name, not a selector: give only the s= value of the DKIM-Signature header (the part before ._domainkey).";
            return false;
        }

        if (value.EndsWith(".", StringComparison.Ordinal))
        {
            value = value.Substring(0, value.Length - 1);
        }

        try
        {
            value = new IdnMapping { AllowUnassigned = true }.GetAscii(value);
        }
        catch (ArgumentException)
        {
            // Not an IDN problem only: GetAscii also rejects empty labels and bad characters;
            // the checks below give the precise reason.
        }

        value = value.ToLowerInvariant();
        foreach (string label in value.Split('.'))
        {
            if (label.Length == 0)
            {
                error = $"'{input}' has an empty label.";
                return false;
            }

            if (label.Length > 63)
            {
                error = $"'{input}' has a label of {label.Length} characters; at most 63 are allowed (RFC 1035 section 2.3.4).";
                return false;
            }

            foreach (char c in label)
            {
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
                {
                    error = $"'{input}' contains '{c}', which is not allowed in a selector (letters, digits, '-' and '.' between labels, RFC 6376 section 3.1).";
                    return false;
                }
            }

            if (label[0] == '-' || label[label.Length - 1] == '-')
            {
                error = $"'{input}' has a label that starts or ends with a hyphen.";
                return false;
            }
        }

        normalized = value;
        error = null;
        return true;
    }
}
