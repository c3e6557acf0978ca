using System;
using System.Collections.Generic;
using System.Linq;

namespace MailOps.Core.Addresses;

/// <summary>
/// Suggests the popular mail domain a typed domain was probably meant to be ("hotmial.com" ->
/// "hotmail.com", "gmail.con" -> "gmail.com"). The name (the label left of the public suffix)
/// and the suffix are compared separately with <see cref="DamerauLevenshtein"/>, so a
/// transposed name and a mistyped TLD each count as one edit.
/// <para>
/// The rule that matters most is what it never does: correct a real, different domain. A domain
/// on the known list is never corrected; with DNS evidence that the domain receives mail (MX
/// records) nothing is suggested; without DNS evidence only one-edit typos of the very popular
/// domains and TLDs that do not exist are corrected. A typed TLD that exists (.co, .cm, .om,
/// .de) is replaced only when the name is exactly a very popular one, and never for TLDs other
/// than those few known slips of ".com".
/// </para>
/// </summary>
public sealed class DomainTypoSuggester
{
    // Real ccTLDs/gTLDs that are also the classic slips of ".com" (a missing or swapped letter):
    // gmail.co, gmail.cm, gmail.om, gmail.cam. Corrected only for an exact very popular name.
    private static readonly Dictionary<string, string> RealTldSlips = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["co"] = "com",
        ["cm"] = "com",
        ["om"] = "com",
        ["cam"] = "com",
    };

    private static readonly Lazy<DomainTypoSuggester> DefaultSuggester = new Lazy<DomainTypoSuggester>(() => new DomainTypoSuggester(KnownMailDomains.Default));

    private readonly KnownMailDomains known;

    /// <summary>Creates a suggester over <paramref name="known"/> (the shipped list when null).</summary>
    public DomainTypoSuggester(KnownMailDomains? known = null)
    {
        this.known = known ?? KnownMailDomains.Default;
    }

    /// <summary>A suggester over the shipped list.</summary>
    public static DomainTypoSuggester Default => DefaultSuggester.Value;

    /// <summary>The known domains it suggests from.</summary>
    public KnownMailDomains Known => known;

    /// <summary>
    /// The domain <paramref name="domain"/> (a valid mail domain, A-label form) was probably meant
    /// to be, or null. <paramref name="evidence"/> is what DNS said about the typed domain.
    /// </summary>
    public string? Suggest(string domain, DomainMailEvidence evidence)
    {
        if (string.IsNullOrEmpty(domain) || evidence == DomainMailEvidence.HasMail)
        {
            return null;
        }

        string typed = domain.Trim().ToLowerInvariant();
        if (known.Contains(typed))
        {
            return null;
        }

        string[] labels = typed.Split('.');
        bool conservative = evidence == DomainMailEvidence.Unknown;
        KnownMailDomain? best = null;
        int bestCost = int.MaxValue;
        foreach (KnownMailDomain candidate in known.Entries)
        {
            int suffixLabels = CountLabels(candidate.Suffix);
            if (labels.Length != suffixLabels + 1)
            {
                continue;
            }

            string name = labels[0];
            string suffix = string.Join(".", labels, 1, suffixLabels);
            int cost = Cost(name, suffix, candidate, conservative);
            if (cost > 0 && cost < bestCost)
            {
                // Ties go to the more popular domain: the list is ordered by popularity.
                best = candidate;
                bestCost = cost;
            }
        }

        return best?.Domain;
    }

    /// <summary>
    /// A repair for a domain that is not even well-formed: "gmail,com" -> "gmail.com",
    /// "gmailcom" -> "gmail.com", "hotmail.com." -> "hotmail.com", then the usual typo check
    /// (without DNS evidence) on the repaired name. Null when nothing plausible comes out.
    /// </summary>
    public string? SuggestForMalformed(string? domainText)
    {
        if (string.IsNullOrWhiteSpace(domainText))
        {
            return null;
        }

        string text = domainText!.Trim().ToLowerInvariant().Replace(',', '.').Replace(';', '.').Replace(" ", string.Empty);
        while (text.IndexOf("..", StringComparison.Ordinal) >= 0)
        {
            text = text.Replace("..", ".");
        }

        text = text.Trim('.');
        if (text.Length == 0)
        {
            return null;
        }

        if (text.IndexOf('.') < 0)
        {
            // A forgotten dot: "gmailcom" is gmail.com with the dot left out.
            return known.Entries.FirstOrDefault(e => string.Equals(e.Domain.Replace(".", string.Empty), text, StringComparison.Ordinal))?.Domain;
        }

        if (EmailAddressSyntax.CheckDomainName(text, out string repaired) is not null)
        {
            return null;
        }

        return Suggest(repaired, DomainMailEvidence.Unknown) ?? repaired;
    }

    /// <summary>Edits from the typed name and suffix to <paramref name="candidate"/>; 0 or less
    /// when it is no candidate.</summary>
    private static int Cost(string name, string suffix, KnownMailDomain candidate, bool conservative)
    {
        int nameCost = DamerauLevenshtein.Distance(name, candidate.Name);
        int suffixCost;
        if (string.Equals(suffix, candidate.Suffix, StringComparison.Ordinal))
        {
            suffixCost = 0;
        }
        else if (RealTldSlips.TryGetValue(suffix, out string? meant) && meant == candidate.Suffix)
        {
            // gmail.co may be a real domain of someone else; only an exact, very popular name
            // makes ".com" the likely intent.
            if (nameCost != 0 || !candidate.IsPopular)
            {
                return 0;
            }

            suffixCost = 1;
        }
        else
        {
            suffixCost = SuffixTypoCost(suffix, candidate.Suffix);
            if (suffixCost == 0)
            {
                return 0;
            }
        }

        if (nameCost > 0)
        {
            if (nameCost > NameThreshold(candidate.Name.Length, conservative))
            {
                return 0;
            }

            if (conservative)
            {
                // Without DNS: one edit in all, to a very popular domain, and the first letter
                // kept (wahoo.com and email.com are real domains, not yahoo.com and gmail.com).
                if (suffixCost > 0 || !candidate.IsPopular || !SameStart(name, candidate.Name))
                {
                    return 0;
                }
            }
        }

        return nameCost + suffixCost;
    }

    /// <summary>1 when <paramref name="typed"/> is a one-edit slip of <paramref name="meant"/> in
    /// the last label and that label is not a real TLD (so the typed domain cannot exist); else 0.</summary>
    private static int SuffixTypoCost(string typed, string meant)
    {
        string[] t = typed.Split('.');
        string[] m = meant.Split('.');
        if (t.Length != m.Length)
        {
            return 0;
        }

        for (int i = 0; i < t.Length - 1; i++)
        {
            if (!string.Equals(t[i], m[i], StringComparison.Ordinal))
            {
                return 0;
            }
        }

        string tld = t[t.Length - 1];
        return !TopLevelDomains.IsRegistered(tld) && DamerauLevenshtein.Distance(tld, m[m.Length - 1]) == 1 ? 1 : 0;
    }

    /// <summary>How many edits a name of <paramref name="length"/> may take: none for names of
    /// three letters or fewer (aol, msn, gmx are one edit from many real names), then more as
    /// names grow; without DNS evidence one edit for names of five letters or more.</summary>
    internal static int NameThreshold(int length, bool conservative)
    {
        if (conservative)
        {
            return length >= 5 ? 1 : 0;
        }

        return length <= 3 ? 0 : length <= 5 ? 1 : length <= 9 ? 2 : 3;
    }

    /// <summary>The first letter kept, or the first two swapped ("mgail"), but not dropped or
    /// replaced: "mymail" is not "ymail", "wahoo" not "yahoo".</summary>
    private static bool SameStart(string typed, string meant)
        => typed.Length > 1 && meant.Length > 1
            && (typed[0] == meant[0]
                || (typed[0] == meant[1] && typed[1] == meant[0] && string.Equals(typed.Substring(2), meant.Substring(2), StringComparison.Ordinal)));

    private static int CountLabels(string suffix)
    {
        int count = 1;
        foreach (char c in suffix)
        {
            if (c == '.')
            {
                count++;
            }
        }

        return count;
    }
}
