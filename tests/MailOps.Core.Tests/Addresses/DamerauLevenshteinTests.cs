using MailOps.Core.Addresses;
using Xunit;

namespace MailOps.Core.Tests.Addresses;

/// <summary>The edit distance typo suggestions are measured with.</summary>
public sealed class DamerauLevenshteinTests
{
    [Theory]
    [InlineData("hotmail", "hotmail", 0)]
    [InlineData("hotmial", "hotmail", 1)]   // adjacent transposition: one edit
    [InlineData("gmai", "gmail", 1)]        // deletion
    [InlineData("gmaill", "gmail", 1)]      // insertion
    [InlineData("gnail", "gmail", 1)]       // substitution
    [InlineData("gmx", "gmail", 3)]
    [InlineData("", "com", 3)]
    [InlineData("com", "", 3)]
    [InlineData("ca", "abc", 3)]            // optimal string alignment: no edit of a transposed pair
    [InlineData("me", "mac", 2)]
    public void Distance_counts_insertions_deletions_substitutions_and_transpositions(string a, string b, int expected)
    {
        Assert.Equal(expected, DamerauLevenshtein.Distance(a, b));
        Assert.Equal(expected, DamerauLevenshtein.Distance(b, a));
    }
}
