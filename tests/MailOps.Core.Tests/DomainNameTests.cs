using MailOps.Core;
using Xunit;

namespace MailOps.Core.Tests;

public sealed class DomainNameTests
{
    [Theory]
    [InlineData("Contoso.COM", "contoso.com")]
    [InlineData("contoso.com.", "contoso.com")]
    [InlineData("  contoso.com ", "contoso.com")]
    [InlineData("_dmarc.contoso.com", "_dmarc.contoso.com")]
    [InlineData("bücher.example", "xn--bcher-kva.example")]
    [InlineData("xn--bcher-kva.example", "xn--bcher-kva.example")]
    public void Valid_names_are_normalized_to_lower_case_a_labels(string input, string expected)
    {
        Assert.True(DomainName.TryNormalize(input, out string normalized, out string? error), error);
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("localhost")]
    [InlineData("bad..example")]
    [InlineData("not a domain!")]
    [InlineData("exa\nmple.com")]
    [InlineData("-lead.example")]
    [InlineData("trail-.example")]
    [InlineData("semi;colon.example")]
    [InlineData("user@contoso.com")]
    public void Invalid_names_are_refused_with_a_reason(string? input)
    {
        Assert.False(DomainName.TryNormalize(input, out _, out string? error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Label_of_64_characters_is_refused()
    {
        Assert.False(DomainName.TryNormalize(new string('a', 64) + ".example", out _, out _));
        Assert.True(DomainName.TryNormalize(new string('a', 63) + ".example", out _, out _));
    }

    [Fact]
    public void Name_over_253_characters_is_refused()
    {
        string name = string.Join(".", Enumerable.Repeat(new string('a', 60), 5)) + ".example";

        Assert.True(name.Length > 253);
        Assert.False(DomainName.TryNormalize(name, out _, out _));
    }

    [Fact]
    public void Five_thousand_characters_of_garbage_is_refused_without_throwing()
    {
        Assert.False(DomainName.TryNormalize(new string('\u00e9', 5000), out _, out _));
    }
}
