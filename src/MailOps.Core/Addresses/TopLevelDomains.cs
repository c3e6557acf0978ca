using System;
using System.Collections.Generic;
using System.IO;

namespace MailOps.Core.Addresses;

/// <summary>
/// The top-level domains that exist, taken from the one-label rules of the shipped Public Suffix
/// List. A typed ".con" or ".cmo" is not a TLD, so no domain under it can exist and correcting
/// it is safe; ".co", ".cm" or ".de" are real TLDs, so a domain under them may be someone else's.
/// </summary>
internal static class TopLevelDomains
{
    private static readonly Lazy<HashSet<string>> Registered = new Lazy<HashSet<string>>(Load);

    /// <summary>True when <paramref name="label"/> is a delegated top-level domain.</summary>
    public static bool IsRegistered(string label) => Registered.Value.Contains(label);

    private static HashSet<string> Load()
    {
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        using Stream stream = DomainListReader.Open("public_suffix_list.dat");
        using var reader = new StreamReader(stream);
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            // publicsuffix.org: a rule is read up to the first white space; "//" starts a comment.
            string rule = line.Trim();
            int space = rule.IndexOfAny(new[] { ' ', '\t' });
            if (space >= 0)
            {
                rule = rule.Substring(0, space);
            }

            if (rule.Length == 0 || rule.StartsWith("//", StringComparison.Ordinal) || rule.IndexOf('.') >= 0 || rule[0] == '!' || rule[0] == '*')
            {
                continue;
            }

            set.Add(rule);
        }

        return set;
    }
}
