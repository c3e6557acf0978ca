using System;
using System.Collections.Generic;

namespace MailOps.Core.Dmarc;

/// <summary>
/// The names the RFC 9989 DNS Tree Walk asks about (section 4.10): the domain itself, then
/// its parents label by label up to the top-level domain. A name of 8 or more labels jumps
/// straight to its last 7 labels after the first query, so a walk costs at most 8 queries
/// however long the name is (the limit protects the DNS from abuse).
/// </summary>
public static class DmarcTreeWalk
{
    /// <summary>RFC 9989 section 4.10: a walk sends at most this many queries.</summary>
    public const int MaxQueries = 8;

    /// <summary>After the first query, a longer name is shortened to this many labels.</summary>
    internal const int ShortcutLabels = MaxQueries - 1;

    /// <summary>
    /// The domains whose _dmarc records the walk reads, in order, starting with
    /// <paramref name="domain"/> (a normalized name without trailing dot).
    /// </summary>
    public static string[] GetTargets(string domain)
    {
        if (string.IsNullOrEmpty(domain))
        {
            throw new ArgumentException("The domain is empty.", nameof(domain));
        }

        string[] labels = domain.Split('.');
        var targets = new List<string> { domain };
        int count = labels.Length;
        while (count > 1)
        {
            // x >= 8: remove left-most labels until 7 remain; x < 8: remove one label.
            count = count > ShortcutLabels ? ShortcutLabels : count - 1;
            targets.Add(string.Join(".", labels, labels.Length - count, count));
        }

        return targets.ToArray();
    }

    /// <summary>"_dmarc." + <paramref name="domain"/>: where a domain's DMARC record lives
    /// (RFC 7489 section 6.1).</summary>
    public static string RecordName(string domain) => "_dmarc." + domain;

    /// <summary>
    /// The Organizational Domain per RFC 9989 section 4.10.2, from the records the walk found
    /// (longest name first): the first with psd=n is it; the first other than the start with
    /// psd=y makes the name one label below it the answer; otherwise the record with the fewest
    /// labels; with no records, the start domain itself.
    /// </summary>
    /// <param name="start">The domain the walk started at.</param>
    /// <param name="found">The names with exactly one DMARC record, longest first, with the psd flag.</param>
    /// <param name="publicSuffixDomain">The psd=y domain that decided, or null.</param>
    /// <param name="reason">Why this domain was chosen, for the trace.</param>
    public static string SelectOrganizationalDomain(
        string start,
        IReadOnlyList<KeyValuePair<string, DmarcPublicSuffixFlag>> found,
        out string? publicSuffixDomain,
        out string reason)
    {
        publicSuffixDomain = null;
        foreach (KeyValuePair<string, DmarcPublicSuffixFlag> record in found)
        {
            if (record.Value == DmarcPublicSuffixFlag.No)
            {
                reason = $"{record.Key} has psd=n";
                return record.Key;
            }

            if (record.Value == DmarcPublicSuffixFlag.Yes && !string.Equals(record.Key, start, StringComparison.Ordinal))
            {
                publicSuffixDomain = record.Key;
                reason = $"{record.Key} has psd=y, so the Organizational Domain is one label below it";
                return OneLabelBelow(start, record.Key);
            }
        }

        if (found.Count > 0)
        {
            string fewest = found[0].Key;
            foreach (KeyValuePair<string, DmarcPublicSuffixFlag> record in found)
            {
                if (LabelCount(record.Key) < LabelCount(fewest))
                {
                    fewest = record.Key;
                }
            }

            reason = $"{fewest} is the DMARC record with the fewest labels";
            return fewest;
        }

        reason = "no DMARC record was found, so the domain is its own Organizational Domain";
        return start;
    }

    /// <summary>The ancestor of <paramref name="start"/> that has one label more than
    /// <paramref name="ancestor"/> ("example.com" for "a.mail.example.com" under "com").</summary>
    internal static string OneLabelBelow(string start, string ancestor)
    {
        string[] labels = start.Split('.');
        int count = Math.Min(labels.Length, LabelCount(ancestor) + 1);
        return string.Join(".", labels, labels.Length - count, count);
    }

    internal static int LabelCount(string domain) => domain.Split('.').Length;
}
