using MailOps.Core.Suppression;
using Xunit;

namespace MailOps.Core.Tests.Suppression;

public sealed class SuppressionAddressTests
{
    [Theory]
    [InlineData("user@Contoso.EXAMPLE", "user@contoso.example")]
    [InlineData("John.Smith@contoso.example", "John.Smith@contoso.example")]
    [InlineData("  user@contoso.example ", "user@contoso.example")]
    [InlineData("<user@contoso.example>", "user@contoso.example")]
    [InlineData("info@bücher.example", "info@xn--bcher-kva.example")]
    [InlineData("jörg@bücher.example", "jörg@xn--bcher-kva.example")]
    [InlineData("first+tag@contoso.example", "first+tag@contoso.example")]
    [InlineData("o'brien@contoso.example", "o'brien@contoso.example")]
    [InlineData("\"john smith\"@contoso.example", "\"john smith\"@contoso.example")]
    [InlineData("\"a@b\"@contoso.example", "\"a@b\"@contoso.example")]
    [InlineData("user@contoso.example.", "user@contoso.example")]
    public void Domain_is_lower_case_a_label_and_local_part_is_kept(string input, string expected)
    {
        Assert.True(SuppressionAddress.TryNormalize(input, out string normalized, out string? error), error);
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("user")]
    [InlineData("@contoso.example")]
    [InlineData("user@")]
    [InlineData("user@localhost")]
    [InlineData("user@[192.0.2.1]")]
    [InlineData("two words@contoso.example")]
    [InlineData(".lead@contoso.example")]
    [InlineData("trail.@contoso.example")]
    [InlineData("dou..ble@contoso.example")]
    [InlineData("a(b)@contoso.example")]
    [InlineData("user@bad..example")]
    [InlineData("user@not a domain.example")]
    public void Malformed_addresses_are_rejected_with_a_reason(string? input)
    {
        Assert.False(SuppressionAddress.TryNormalize(input, out string normalized, out string? error));
        Assert.Equal(string.Empty, normalized);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void Local_part_longer_than_64_octets_is_rejected()
    {
        string input = new string('a', 65) + "@contoso.example";

        Assert.False(SuppressionAddress.TryNormalize(input, out _, out string? error));
        Assert.Contains("64", error);
    }

    [Fact]
    public void Local_part_of_exactly_64_octets_is_accepted()
    {
        Assert.True(SuppressionAddress.TryNormalize(new string('a', 64) + "@contoso.example", out _, out string? error), error);
    }
}
