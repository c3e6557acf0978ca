using System;
using System.Globalization;
using System.Text;

namespace MailOps.Core.Dns;

/// <summary>
/// Checks a query name before it goes on the wire. Names reach the resolver from user input and
/// from SPF macro expansion (RFC 7208 section 7), so they can be anything: too long, with empty
/// labels, with spaces. Such a name must become an outcome, never an exception or a corrupt packet.
/// </summary>
internal static class DnsName
{
    /// <summary>RFC 1035 section 2.3.4: 63 octets per label.</summary>
    public const int MaxLabelLength = 63;

    /// <summary>RFC 1035 section 2.3.4: 255 octets on the wire, i.e. 253 characters in text form.</summary>
    public const int MaxNameLength = 253;

    private static readonly IdnMapping Idn = new IdnMapping { AllowUnassigned = true, UseStd3AsciiRules = false };

    /// <summary>The name without one trailing dot, as answers and cache keys show it.</summary>
    public static string TrimTrailingDot(string? name)
    {
        var value = name ?? string.Empty;
        return value.Length > 1 && value[value.Length - 1] == '.' ? value.Substring(0, value.Length - 1) : value;
    }

    /// <summary>The lower-cased form names are compared by (RFC 4343: DNS names are case-insensitive).</summary>
    public static string Key(string? name) => TrimTrailingDot(name).ToLowerInvariant();

    /// <summary>
    /// Validates <paramref name="name"/> and returns its wire-ready text form (A-labels for
    /// internationalised names, RFC 5891), or a reason it cannot be asked.
    /// </summary>
    public static bool TryGetQueryName(string? name, out string queryName, out string error)
    {
        queryName = string.Empty;
        var value = TrimTrailingDot(name?.Trim());
        if (value.Length == 0 || value == ".")
        {
            error = "The name is empty.";
            return false;
        }

        if (HasNonAscii(value))
        {
            try
            {
                value = Idn.GetAscii(value);
            }
            catch (ArgumentException e)
            {
                error = $"'{name}' is not a valid internationalised domain name: {e.Message}";
                return false;
            }
        }

        var labels = value.Split('.');
        var total = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var octets = Encoding.UTF8.GetByteCount(labels[i]);
            if (octets == 0)
            {
                error = $"'{name}' has an empty label (RFC 1035 section 2.3.1).";
                return false;
            }

            if (octets > MaxLabelLength)
            {
                error = $"'{name}' has a label of {octets} octets; at most {MaxLabelLength} are allowed (RFC 1035 section 2.3.4).";
                return false;
            }

            total += octets + (i == 0 ? 0 : 1);
        }

        if (total > MaxNameLength)
        {
            error = $"'{name}' is {total} octets long; at most {MaxNameLength} are allowed (RFC 1035 section 2.3.4).";
            return false;
        }

        queryName = value;
        error = string.Empty;
        return true;
    }

    private static bool HasNonAscii(string value)
    {
        foreach (var c in value)
        {
            if (c > '\u007F')
            {
                return true;
            }
        }

        return false;
    }
}
