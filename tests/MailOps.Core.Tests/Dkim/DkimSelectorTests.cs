using MailOps.Core.Dkim;
using Xunit;

namespace MailOps.Core.Tests.Dkim;

/// <summary>Selector input rules (RFC 6376 section 3.1) and the built-in probe catalogue.</summary>
public sealed class DkimSelectorTests
{
    [Theory]
    [InlineData("selector1", "selector1")]
    [InlineData(" Google ", "google")]
    [InlineData("2024.marketing", "2024.marketing")]
    [InlineData("s1024", "s1024")]
    [InlineData("dkim_2019", "dkim_2019")]
    [InlineData("sélecteur", "xn--slecteur-b1a")]
    public void Valid_selectors_are_normalised_to_lower_case_a_labels(string input, string expected)
    {
        Assert.True(DkimSelector.TryNormalize(input, out string normalized, out string? error), error);
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad selector")]
    [InlineData("a..b")]
    [InlineData("-s1")]
    [InlineData("s1-")]
    [InlineData("s1;k=rsa")]
    [InlineData("selector1._domainkey.contoso.com")]
    public void Invalid_selectors_are_rejected_with_a_reason(string input)
    {
        Assert.False(DkimSelector.TryNormalize(input, out _, out string? error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Whole_key_record_name_is_rejected_with_a_hint_to_give_only_the_selector()
    {
        DkimSelector.TryNormalize("selector1._domainkey.contoso.com", out _, out string? error);

        Assert.Contains("before ._domainkey", error);
    }

    [Fact]
    public void Label_longer_than_63_characters_is_rejected()
    {
        Assert.False(DkimSelector.TryNormalize(new string('a', 64), out _, out _));
    }

    [Fact]
    public void Catalogue_starts_with_google_and_microsoft_365_in_file_order()
    {
        Assert.Equal(new[] { "google", "selector1", "selector2" }, DkimSelectorCatalog.All.Take(3).Select(s => s.Name));
        Assert.Equal("Microsoft 365", DkimSelectorCatalog.All[1].Provider);
    }

    [Fact]
    public void Catalogue_holds_the_selectors_of_the_common_providers()
    {
        string[] expected =
        {
            "google", "selector1", "selector2", "s1", "s2", "smtpapi", "k1", "k2", "k3", "mandrill", "mte1",
            "amazonses", "mailo", "mg", "smtp", "krs", "pic", "zoho", "zmail", "mail", "brevo", "pm",
            "default", "dkim", "key1", "key2", "s1024", "s2048", "selector", "everlytickey1", "everlytickey2",
            "fm1", "fm2", "fm3", "protonmail", "protonmail2", "protonmail3", "mxvault", "dkim1",
        };

        string[] names = DkimSelectorCatalog.All.Select(s => s.Name).ToArray();

        Assert.Empty(expected.Except(names));
        Assert.Equal(names.Length, names.Distinct().Count());
    }

    [Fact]
    public void Find_is_case_insensitive_and_names_the_provider()
    {
        Assert.Contains("SendGrid", DkimSelectorCatalog.Find("S1")!.Provider);
        Assert.Null(DkimSelectorCatalog.Find("nosuchselector"));
    }

    [Fact]
    public void Load_rejects_a_selector_listed_twice()
    {
        const string json = """{ "selectors": [ { "selector": "a" }, { "selector": "A", "provider": "x" } ] }""";

        Assert.Throws<FormatException>(() => DkimSelectorCatalog.Load(json));
    }

    [Fact]
    public void Load_rejects_an_invalid_selector()
    {
        const string json = """{ "selectors": [ { "selector": "bad selector" } ] }""";

        Assert.Throws<FormatException>(() => DkimSelectorCatalog.Load(json));
    }

    [Fact]
    public void Load_keeps_file_order_and_providers()
    {
        const string json = """{ "selectors": [ { "selector": "zz", "provider": "Z" }, { "selector": "aa" } ] }""";

        DkimSelector[] list = DkimSelectorCatalog.Load(json);

        Assert.Equal(new[] { "zz", "aa" }, list.Select(s => s.Name));
        Assert.Equal("Z", list[0].Provider);
        Assert.Null(list[1].Provider);
    }
}
