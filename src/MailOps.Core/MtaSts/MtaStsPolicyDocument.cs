using System;
using System.Collections.Generic;
using System.Globalization;

namespace MailOps.Core.MtaSts;

/// <summary>
/// A parsed policy file (RFC 8461 section 3.2): the fields a sender uses and every problem found,
/// so the analyzer can turn them into findings. Parsing never throws.
/// </summary>
internal sealed class MtaStsPolicyDocument
{
    /// <summary>RFC 8461 section 3.2: max_age has a maximum value of 31557600 (about one year).</summary>
    public const long MaxAgeLimit = 31557600;

    /// <summary>Under this, a policy protects little between refreshes; section 3.2 expects weeks.</summary>
    public const long MaxAgeShort = 86400;

    private MtaStsPolicyDocument()
    {
    }

    /// <summary>The mode, or null when missing or invalid.</summary>
    public MtaStsMode? Mode { get; private set; }

    /// <summary>max_age in seconds, or null when missing or not a number.</summary>
    public long? MaxAge { get; private set; }

    /// <summary>The mx patterns, in file order.</summary>
    public List<string> MxPatterns { get; } = new List<string>();

    /// <summary>Grammar errors: a sender rejects the policy.</summary>
    public List<string> Errors { get; } = new List<string>();

    /// <summary>Grammar oddities a sender tolerates (a repeated field).</summary>
    public List<string> Warnings { get; } = new List<string>();

    /// <summary>Problems with max_age that make the policy invalid (missing, not a number, too large).</summary>
    public List<string> MaxAgeErrors { get; } = new List<string>();

    /// <summary>Parses the policy text.</summary>
    public static MtaStsPolicyDocument Parse(string text)
    {
        var document = new MtaStsPolicyDocument();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        bool versionSeen = false;

        // sts-policy-term = LF / CRLF
        string[] lines = (text ?? string.Empty).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.EndsWith("\r", StringComparison.Ordinal))
            {
                line = line.Substring(0, line.Length - 1);
            }

            if (line.Trim().Length == 0)
            {
                continue;
            }

            int number = i + 1;
            int colon = line.IndexOf(':');
            if (colon <= 0)
            {
                document.Errors.Add($"Line {number} '{line}' is not a \"key: value\" field.");
                continue;
            }

            // sts-policy-field-delim = ":" *WSP; the value may not end in white space other than WSP.
            string key = line.Substring(0, colon);
            string value = line.Substring(colon + 1).Trim(' ', '\t');
            if (!MtaStsRecordParser.IsExtensionName(key))
            {
                document.Errors.Add($"Line {number}: '{key}' is not a valid field name.");
                continue;
            }

            // RFC 8461 section 3.2: any field but mx that appears more than once: the first counts.
            if (key != "mx" && !seen.Add(key))
            {
                document.Warnings.Add($"The field '{key}' appears more than once; senders use the first one.");
                continue;
            }

            switch (key)
            {
                case "version":
                    versionSeen = true;
                    if (value != "STSv1")
                    {
                        document.Errors.Add($"version is '{value}'; it must be \"STSv1\".");
                    }

                    break;
                case "mode":
                    // Values are case-sensitive (%s"enforce" in the ABNF).
                    switch (value)
                    {
                        case "enforce": document.Mode = MtaStsMode.Enforce; break;
                        case "testing": document.Mode = MtaStsMode.Testing; break;
                        case "none": document.Mode = MtaStsMode.None; break;
                        default:
                            document.Errors.Add($"mode is '{value}'; it must be \"enforce\", \"testing\" or \"none\" (lower case).");
                            break;
                    }

                    break;
                case "max_age":
                    // sts-policy-max-age-value = 1*10(DIGIT), at most 31557600.
                    if (value.Length == 0 || value.Length > 10 || !IsDigits(value))
                    {
                        document.MaxAgeErrors.Add($"max_age '{value}' is not a number of seconds (1 to 10 digits).");
                    }
                    else
                    {
                        long seconds = long.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
                        document.MaxAge = seconds;
                        if (seconds > MaxAgeLimit)
                        {
                            document.MaxAgeErrors.Add($"max_age {seconds} is above the maximum of {MaxAgeLimit} seconds (RFC 8461 section 3.2).");
                        }
                    }

                    break;
                case "mx":
                    if (!IsMxPattern(value))
                    {
                        document.Errors.Add($"mx '{value}' is not a host name or a \"*.\" wildcard pattern (RFC 8461 section 3.2).");
                    }
                    else
                    {
                        document.MxPatterns.Add(value.TrimEnd('.').ToLowerInvariant());
                    }

                    break;
                default:
                    // Unknown fields are ignored (RFC 8461 section 3.2).
                    break;
            }
        }

        if (!versionSeen)
        {
            document.Errors.Add("The policy has no \"version: STSv1\" field.");
        }

        if (document.Mode is null && !seen.Contains("mode"))
        {
            document.Errors.Add("The policy has no mode field (enforce, testing or none).");
        }

        if (!seen.Contains("max_age"))
        {
            document.MaxAgeErrors.Add("The policy has no max_age field.");
        }

        if (document.MxPatterns.Count == 0 && document.Mode != MtaStsMode.None)
        {
            document.Errors.Add("The policy lists no mx pattern; in enforce or testing mode it must list every MX host.");
        }

        return document;
    }

    /// <summary>sts-policy-mx-value = ["*."] Domain: a wildcard only as the whole left-most label.</summary>
    internal static bool IsMxPattern(string value)
    {
        string name = value.StartsWith("*.", StringComparison.Ordinal) ? value.Substring(2) : value;
        name = name.EndsWith(".", StringComparison.Ordinal) ? name.Substring(0, name.Length - 1) : name;
        if (name.Length == 0 || name.Length > 253)
        {
            return false;
        }

        foreach (string label in name.Split('.'))
        {
            if (label.Length == 0 || label.Length > 63 || label[0] == '-' || label[label.Length - 1] == '-')
            {
                return false;
            }

            foreach (char c in label)
            {
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool IsDigits(string value)
    {
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
