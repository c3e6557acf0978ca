using MailOps.Core.Dmarc;
using Xunit;

namespace MailOps.Core.Tests.Dmarc;

/// <summary>
/// The Public Suffix List algorithm against publicsuffix.org's own test file
/// (tests/Conformance/dmarc/psl-tests.txt, every active line), with the list MailOps ships.
/// </summary>
public sealed class PublicSuffixListTests
{
    private static readonly string TestFile = Path.Combine(AppContext.BaseDirectory, "Conformance", "dmarc", "psl-tests.txt");

    /// <summary>Every line of the test file that is not a comment or blank: input, expected
    /// registrable domain, with "null" meaning none (and, as input, a null name).</summary>
    public static TheoryData<int, string?, string?> Vectors()
    {
        var data = new TheoryData<int, string?, string?>();
        string[] lines = File.ReadAllLines(TestFile);
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }

            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            data.Add(i + 1, parts[0] == "null" ? null : parts[0], parts[1] == "null" ? null : parts[1]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Registrable_domain_matches_the_publicsuffix_org_test_file(int line, string? input, string? expected)
    {
        Assert.True(line > 0);
        Assert.Equal(expected, PublicSuffixList.Default.GetRegistrableDomain(input));
    }

    [Fact]
    public void Test_file_has_78_active_vectors_so_none_is_silently_skipped()
    {
        Assert.Equal(78, Vectors().Count());
    }

    [Fact]
    public void Shipped_list_is_loaded_from_the_embedded_resource_with_both_sections()
    {
        Assert.True(PublicSuffixList.Default.RuleCount > 9000);

        // "uk.com" is in the PRIVATE section, "co.uk" in the ICANN one: DMARC uses both.
        Assert.True(PublicSuffixList.Default.IsPublicSuffix("uk.com"));
        Assert.True(PublicSuffixList.Default.IsPublicSuffix("co.uk"));
    }

    [Fact]
    public void Public_suffix_of_a_wildcard_rule_is_two_labels()
    {
        Assert.Equal("c.mm", PublicSuffixList.Default.GetPublicSuffix("a.b.c.mm"));
    }

    [Fact]
    public void Trailing_dot_of_a_fully_qualified_name_is_ignored()
    {
        Assert.Equal("example.com", PublicSuffixList.Default.GetRegistrableDomain("www.example.com."));
    }

    [Theory]
    [InlineData("a.b.c.bcx.com", "bcx.com")]
    [InlineData("a.b.c.educ.ar", "educ.ar")]
    [InlineData("a.b.c.xn--mgba3a4f16a.ir", "c.xn--mgba3a4f16a.ir")]
    public void OpenDMARC_org_domain_vectors_hold_with_the_shipped_list(string domain, string expected)
    {
        Assert.Equal(expected, PublicSuffixList.Default.GetRegistrableDomain(domain));
    }

    [Fact]
    public void OpenDMARC_exception_vector_holds_with_its_2012_rules_for_ar()
    {
        // OpenDMARC's 2012 effective_tld_names.dat had "*.ar" with "!educ.ar" as an exception.
        var list = PublicSuffixList.Parse(new StringReader("// 2012 rules\nar\n*.ar\n!congresodelalumno.ar\n!educ.ar\n"));

        Assert.Equal("educ.ar", list.GetRegistrableDomain("a.b.c.educ.ar"));
        Assert.Equal("c.com.ar", list.GetRegistrableDomain("a.b.c.com.ar"));
        Assert.Null(list.GetRegistrableDomain("com.ar"));
    }

    [Fact]
    public void Unicode_rules_match_punycode_names_and_the_other_way_round()
    {
        var list = PublicSuffixList.Parse(new StringReader("ایران.ir\nxn--55qx5d.cn\n"));

        Assert.Equal("c.xn--mgba3a4f16a.ir", list.GetRegistrableDomain("a.b.c.xn--mgba3a4f16a.ir"));
        Assert.Equal("食狮.公司.cn", list.GetRegistrableDomain("www.食狮.公司.cn"));
    }

    [Fact]
    public void Only_the_first_word_of_a_line_is_a_rule()
    {
        var list = PublicSuffixList.Parse(new StringReader("example.test  this part is ignored\n"));

        Assert.True(list.IsPublicSuffix("example.test"));
        Assert.Equal("a.example.test", list.GetRegistrableDomain("b.a.example.test"));
    }
}
