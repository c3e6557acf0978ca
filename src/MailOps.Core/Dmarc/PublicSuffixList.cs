using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Reflection;

namespace MailOps.Core.Dmarc;

/// <summary>
/// The Public Suffix List algorithm (https://publicsuffix.org/list/): which part of a name is a
/// public suffix ("com", "co.uk", "*.kobe.jp") and so which name is the registrable domain.
/// RFC 7489 section 3.2 defines the DMARC Organizational Domain as the public suffix plus one
/// label, so this is the engine of the RFC 7489 discovery method (and of org-domain comparisons
/// that must not cost DNS queries). The list shipped in the engine is Debian's copy of the PSL.
/// </summary>
public sealed class PublicSuffixList
{
    /// <summary>The embedded resource that holds the list.</summary>
    internal const string ResourceName = "MailOps.Core.Resources.public_suffix_list.dat";

    private static readonly Lazy<PublicSuffixList> DefaultList = new Lazy<PublicSuffixList>(LoadDefault, isThreadSafe: true);

    // Rules are kept as A-label (punycode) strings, so a name typed in either form matches.
    private readonly HashSet<string> rules = new HashSet<string>(StringComparer.Ordinal);
    private readonly HashSet<string> wildcards = new HashSet<string>(StringComparer.Ordinal);
    private readonly HashSet<string> exceptions = new HashSet<string>(StringComparer.Ordinal);

    private PublicSuffixList()
    {
    }

    /// <summary>The list shipped with MailOps (ICANN and private sections, as DMARC
    /// implementations use it), loaded once on first use.</summary>
    public static PublicSuffixList Default => DefaultList.Value;

    /// <summary>Number of rules loaded (normal, wildcard and exception).</summary>
    public int RuleCount => rules.Count + wildcards.Count + exceptions.Count;

    /// <summary>
    /// Reads a list in the publicsuffix.org format: one rule per line, "//" comments, the rule
    /// being the first white-space-delimited word; "*." marks a wildcard and "!" an exception.
    /// </summary>
    public static PublicSuffixList Parse(TextReader reader)
    {
        if (reader is null)
        {
            throw new ArgumentNullException(nameof(reader));
        }

        var list = new PublicSuffixList();
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            string trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }

            // publicsuffix.org: "Each line is only read up to the first whitespace".
            int space = trimmed.IndexOfAny(new[] { ' ', '\t' });
            string rule = space < 0 ? trimmed : trimmed.Substring(0, space);
            list.AddRule(rule);
        }

        return list;
    }

    /// <summary>
    /// The registrable domain of <paramref name="domain"/> (public suffix plus one label), in the
    /// form it was given (Unicode stays Unicode, punycode stays punycode), lower-cased; null when
    /// the name is itself a public suffix, is empty, starts with a dot or has an empty label.
    /// </summary>
    public string? GetRegistrableDomain(string? domain)
    {
        if (!TrySplit(domain, out string[] labels, out string[] asciiLabels))
        {
            return null;
        }

        int suffixLabels = CountSuffixLabels(asciiLabels);
        if (labels.Length <= suffixLabels)
        {
            return null;
        }

        return string.Join(".", labels, labels.Length - suffixLabels - 1, suffixLabels + 1);
    }

    /// <summary>The public suffix of <paramref name="domain"/>, or null for a name that cannot be
    /// split into labels.</summary>
    public string? GetPublicSuffix(string? domain)
    {
        if (!TrySplit(domain, out string[] labels, out string[] asciiLabels))
        {
            return null;
        }

        int suffixLabels = Math.Min(CountSuffixLabels(asciiLabels), labels.Length);
        return string.Join(".", labels, labels.Length - suffixLabels, suffixLabels);
    }

    /// <summary>True when <paramref name="domain"/> is exactly a public suffix ("com", "co.uk").</summary>
    public bool IsPublicSuffix(string? domain)
        => TrySplit(domain, out string[] labels, out string[] asciiLabels) && labels.Length <= CountSuffixLabels(asciiLabels);

    /// <summary>
    /// How many rightmost labels form the public suffix. publicsuffix.org algorithm: an
    /// exception rule wins and its suffix is the rule minus its leftmost label; otherwise the
    /// matching rule with the most labels wins; with no match the implicit "*" rule applies
    /// (one label, so an unlisted TLD is a public suffix).
    /// </summary>
    private int CountSuffixLabels(string[] asciiLabels)
    {
        int n = asciiLabels.Length;
        for (int k = n; k >= 1; k--)
        {
            if (exceptions.Contains(Suffix(asciiLabels, k)))
            {
                return k - 1;
            }
        }

        for (int k = n; k >= 1; k--)
        {
            if (rules.Contains(Suffix(asciiLabels, k)) || (k >= 2 && wildcards.Contains(Suffix(asciiLabels, k - 1))))
            {
                return k;
            }
        }

        return 1;
    }

    private static string Suffix(string[] labels, int count) => string.Join(".", labels, labels.Length - count, count);

    private void AddRule(string rule)
    {
        string lower = rule.ToLowerInvariant();
        if (lower.StartsWith("!", StringComparison.Ordinal))
        {
            Add(exceptions, lower.Substring(1));
        }
        else if (lower.StartsWith("*.", StringComparison.Ordinal))
        {
            Add(wildcards, lower.Substring(2));
        }
        else if (lower == "*")
        {
            // The implicit default rule, spelled out: nothing to store.
        }
        else
        {
            Add(rules, lower);
        }
    }

    private static void Add(HashSet<string> set, string name)
    {
        if (name.Length > 0 && TryToAscii(name, out string ascii))
        {
            set.Add(ascii);
        }
    }

    /// <summary>Splits a name into lower-case labels in its own form and in A-label form.</summary>
    private static bool TrySplit(string? domain, out string[] labels, out string[] asciiLabels)
    {
        labels = Array.Empty<string>();
        asciiLabels = Array.Empty<string>();
        if (domain is null)
        {
            return false;
        }

        string name = domain.Trim().ToLowerInvariant();
        if (name.Length > 1 && name[name.Length - 1] == '.')
        {
            // A fully qualified name's trailing dot is the root, not an empty label.
            name = name.Substring(0, name.Length - 1);
        }

        if (name.Length == 0)
        {
            return false;
        }

        labels = name.Split('.');
        asciiLabels = new string[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i].Length == 0 || !TryToAscii(labels[i], out asciiLabels[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryToAscii(string name, out string ascii)
    {
        foreach (char c in name)
        {
            if (c > '\u007F')
            {
                try
                {
                    // RFC 5891: Unicode labels compare by their A-label form.
                    // A mapping per call: IdnMapping instances are not documented as thread-safe.
                    var idn = new IdnMapping { AllowUnassigned = true, UseStd3AsciiRules = false };
                    ascii = idn.GetAscii(name).ToLowerInvariant();
                    return true;
                }
                catch (ArgumentException)
                {
                    ascii = string.Empty;
                    return false;
                }
            }
        }

        ascii = name;
        return true;
    }

    private static PublicSuffixList LoadDefault()
    {
        Assembly assembly = typeof(PublicSuffixList).Assembly;
        using Stream? stream = assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return Parse(reader);
    }
}
