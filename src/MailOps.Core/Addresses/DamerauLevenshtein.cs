using System;

namespace MailOps.Core.Addresses;

/// <summary>
/// Edit distance that counts an adjacent transposition as one edit ("hotmial" is one edit from
/// "hotmail", not two): the optimal string alignment form of Damerau-Levenshtein. People
/// mistyping a domain swap neighbouring keys as often as they miss or double one, so plain
/// Levenshtein would rank the most common typo as a distant one.
/// </summary>
public static class DamerauLevenshtein
{
    /// <summary>The number of insertions, deletions, substitutions and adjacent transpositions
    /// (each substring edited at most once) that turn <paramref name="a"/> into <paramref name="b"/>.
    /// Ordinal, case-sensitive comparison.</summary>
    public static int Distance(string a, string b)
    {
        if (a is null)
        {
            throw new ArgumentNullException(nameof(a));
        }

        if (b is null)
        {
            throw new ArgumentNullException(nameof(b));
        }

        int n = a.Length;
        int m = b.Length;
        if (n == 0)
        {
            return m;
        }

        if (m == 0)
        {
            return n;
        }

        var d = new int[n + 1, m + 1];
        for (int i = 0; i <= n; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= m; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= n; i++)
        {
            for (int j = 1; j <= m; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                int best = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    best = Math.Min(best, d[i - 2, j - 2] + 1);
                }

                d[i, j] = best;
            }
        }

        return d[n, m];
    }
}
