using System;
using System.Collections.Generic;

namespace MailOps.Core.MtaSts;

/// <summary>
/// Parses the _mta-sts TXT record of RFC 8461 section 3.1:
/// <c>v=STSv1; id=20240101T000000;</c>. Only the grammar is checked here; choosing the one record
/// among several is the analyzer's job.
/// </summary>
internal static class MtaStsRecordParser
{
    /// <summary>RFC 8461 section 3.1: sts-version = %s"v=STSv1" (case-sensitive).</summary>
    public const string Version = "v=STSv1";

    /// <summary>True when the text starts with "v=STSv1", i.e. it is meant as an MTA-STS record.</summary>
    public static bool IsStsRecord(string text)
        => text.StartsWith(Version, StringComparison.Ordinal)
            && (text.Length == Version.Length || text[Version.Length] == ';' || text[Version.Length] == ' ' || text[Version.Length] == '\t');

    /// <summary>Parses a record; <paramref name="id"/> is the first id (or null) and
    /// <paramref name="errors"/> lists every grammar error.</summary>
    public static void Parse(string text, out string? id, out List<string> errors)
    {
        id = null;
        errors = new List<string>();
        if (!IsStsRecord(text))
        {
            errors.Add($"The record does not start with \"{Version}\".");
            return;
        }

        // sts-text-record = sts-version 1*(sts-field-delim sts-field) [sts-field-delim]
        // sts-field-delim = *WSP ";" *WSP
        string rest = text.Substring(Version.Length).TrimStart(' ', '\t');
        if (rest.Length == 0 || rest[0] != ';')
        {
            errors.Add(rest.Length == 0
                ? "The record has no id field; it must be \"v=STSv1; id=<1 to 32 letters or digits>;\"."
                : $"\"{Version}\" must be followed by \";\", not '{rest[0]}'.");
            return;
        }

        string[] fields = rest.Substring(1).Split(';');
        for (int i = 0; i < fields.Length; i++)
        {
            string field = fields[i].Trim(' ', '\t');
            if (field.Length == 0)
            {
                // Only the optional trailing delimiter may leave an empty field.
                if (i != fields.Length - 1)
                {
                    errors.Add("The record has an empty field (two \";\" in a row).");
                }

                continue;
            }

            int equals = field.IndexOf('=');
            if (equals <= 0)
            {
                errors.Add($"'{field}' is not a name=value field.");
                continue;
            }

            string name = field.Substring(0, equals);
            string value = field.Substring(equals + 1);
            if (name == "id")
            {
                // sts-id = %s"id=" 1*32(ALPHA / DIGIT)
                if (value.Length < 1 || value.Length > 32 || !IsAlphaNumeric(value))
                {
                    errors.Add($"The id '{value}' is not 1 to 32 letters and digits (RFC 8461 section 3.1).");
                }
                else if (id is null)
                {
                    id = value;
                }

                continue;
            }

            // sts-extension = sts-ext-name "=" sts-ext-value; unknown extensions are ignored.
            if (!IsExtensionName(name) || value.Length == 0 || !IsExtensionValue(value))
            {
                errors.Add($"'{field}' is not a valid extension field (RFC 8461 section 3.1).");
            }
        }

        if (id is null && errors.Count == 0)
        {
            errors.Add("The record has no id field; it must be \"v=STSv1; id=<1 to 32 letters or digits>;\".");
        }
    }

    internal static bool IsAlphaNumeric(string value)
    {
        foreach (char c in value)
        {
            if (!IsAlphaDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>sts-ext-name = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".").</summary>
    internal static bool IsExtensionName(string name)
    {
        if (name.Length == 0 || name.Length > 32 || !IsAlphaDigit(name[0]))
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!IsAlphaDigit(c) && c != '_' && c != '-' && c != '.')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsExtensionValue(string value)
    {
        // sts-ext-value = 1*(%x21-3A / %x3C / %x3E-7E): visible characters except ";" and "=".
        foreach (char c in value)
        {
            if (c < 0x21 || c > 0x7E || c == ';' || c == '=')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAlphaDigit(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
