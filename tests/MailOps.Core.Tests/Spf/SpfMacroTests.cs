using System.Net;
using MailOps.Core.Spf;
using Xunit;

namespace MailOps.Core.Tests.Spf;

/// <summary>Macro expansion, RFC 7208 section 7, starting with every example of section 7.4.</summary>
public sealed class SpfMacroTests
{
    // Section 7.4: "The <sender> is strong-bad@email.example.com. The IPv4 SMTP client IP is
    // 192.0.2.3. The IPv6 SMTP client IP is 2001:db8::cb01. The PTR domain name of the client IP
    // is mx.example.org."
    private static readonly SpfMacroContext Rfc = new("strong-bad@email.example.com", "email.example.com", IPAddress.Parse("192.0.2.3"), "mx.example.org", "mx.example.org");

    private static readonly SpfMacroContext RfcIPv6 = new("strong-bad@email.example.com", "email.example.com", IPAddress.Parse("2001:db8::cb01"), "mx.example.org", "mx.example.org");

    [Theory]
    [InlineData("%{s}", "strong-bad@email.example.com")]
    [InlineData("%{o}", "email.example.com")]
    [InlineData("%{d}", "email.example.com")]
    [InlineData("%{d4}", "email.example.com")]
    [InlineData("%{d3}", "email.example.com")]
    [InlineData("%{d2}", "example.com")]
    [InlineData("%{d1}", "com")]
    [InlineData("%{dr}", "com.example.email")]
    [InlineData("%{d2r}", "example.email")]
    [InlineData("%{l}", "strong-bad")]
    [InlineData("%{l-}", "strong.bad")]
    [InlineData("%{lr}", "strong-bad")]
    [InlineData("%{lr-}", "bad.strong")]
    [InlineData("%{l1r-}", "strong")]
    public void Section_7_4_examples(string macro, string expected)
    {
        Assert.Equal(expected, SpfMacro.ExpandDomainSpec(macro, Rfc));
    }

    [Theory]
    [InlineData("%{ir}.%{v}._spf.%{d2}", "3.2.0.192.in-addr._spf.example.com")]
    [InlineData("%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com")]
    [InlineData("%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", "bad.strong.lp.3.2.0.192.in-addr._spf.example.com")]
    [InlineData("%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", "3.2.0.192.in-addr.strong.lp._spf.example.com")]
    [InlineData("%{d2}.trusted-domains.example.net", "example.com.trusted-domains.example.net")]
    public void Section_7_4_ipv4_domain_examples(string domainSpec, string expected)
    {
        Assert.Equal(expected, SpfMacro.ExpandDomainSpec(domainSpec, Rfc));
    }

    [Fact]
    public void Section_7_4_ipv6_example()
    {
        var expanded = SpfMacro.ExpandDomainSpec("%{ir}.%{v}._spf.%{d2}", RfcIPv6);

        // A query name: DNS compares it case-insensitively (RFC 4343). The RFC prints the
        // nibbles lower-case; MailOps writes them upper-case like pyspf and the OpenSPF suite.
        Assert.Equal("1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com", expanded, ignoreCase: true);
    }

    [Fact]
    public void Ipv6_i_macro_is_32_dotted_nibbles()
    {
        Assert.Equal("2.0.0.1.0.D.B.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.C.B.0.1", SpfMacro.ExpandDomainSpec("%{i}", RfcIPv6));
    }

    [Theory]
    [InlineData("%{v}", "in-addr")]
    [InlineData("%{p}", "mx.example.org")]
    [InlineData("%{p2}", "example.org")]
    [InlineData("%{h}", "mx.example.org")]
    [InlineData("%{p2}.trusted-domains.example.net.", "example.org.trusted-domains.example.net")]
    public void Other_domain_letters(string macro, string expected)
    {
        Assert.Equal(expected, SpfMacro.ExpandDomainSpec(macro, Rfc));
    }

    [Fact]
    public void V_is_ip6_for_ipv6_clients()
    {
        Assert.Equal("ip6", SpfMacro.ExpandDomainSpec("%{v}", RfcIPv6));
    }

    [Fact]
    public void Ipv4_mapped_client_expands_as_ipv4()
    {
        var context = new SpfMacroContext("a@example.com", "example.com", IPAddress.Parse("::ffff:192.0.2.3"));

        Assert.Equal("3.2.0.192.in-addr", SpfMacro.ExpandDomainSpec("%{ir}.%{v}", context));
    }

    [Fact]
    public void Upper_case_letters_are_url_escaped()
    {
        var context = new SpfMacroContext("~jack&jill=up-a_b3.c@e8.example.com", "e8.example.com", IPAddress.Parse("192.168.218.42"));

        Assert.Equal("http://example.com/why.html?l=~jack%26jill%3Dup-a_b3.c", SpfMacro.ExpandExplanation("http://example.com/why.html?l=%{L}", context));
    }

    [Fact]
    public void Url_escaping_keeps_only_unreserved_characters()
    {
        Assert.Equal("strong-bad%40email.example.com", SpfMacro.ExpandDomainSpec("%{S}", Rfc));
    }

    [Fact]
    public void Upper_case_letters_expand_like_lower_case_ones_before_escaping()
    {
        Assert.Equal("example.com", SpfMacro.ExpandDomainSpec("%{D2}", Rfc));
        Assert.Equal("3.2.0.192", SpfMacro.ExpandDomainSpec("%{IR}", Rfc));
    }

    [Fact]
    public void Percent_escapes_expand_to_percent_space_and_url_space()
    {
        Assert.Equal("macro%percent  space%20url-space.example.com", SpfMacro.ExpandDomainSpec("macro%%percent%_%_space%-url-space.example.com", Rfc));
    }

    [Fact]
    public void Several_delimiters_split_together()
    {
        var context = new SpfMacroContext("foo-bar+zip+quux@e12.example.com", "e12.example.com", IPAddress.Parse("1.2.3.4"));

        Assert.Equal("bar.foo.user.example.com", SpfMacro.ExpandDomainSpec("%{l2r+-}.user.%{d2}", context));
    }

    [Fact]
    public void Digit_larger_than_the_parts_keeps_them_all()
    {
        Assert.Equal("email.example.com", SpfMacro.ExpandDomainSpec("%{d10}", Rfc));
        Assert.Equal("com.example.email", SpfMacro.ExpandDomainSpec("%{d999999999999r}", Rfc));
    }

    [Fact]
    public void Empty_local_part_becomes_postmaster()
    {
        var context = new SpfMacroContext("@example.net", "example.net", IPAddress.Parse("1.2.3.4"));

        Assert.Equal("postmaster", SpfMacro.ExpandExplanation("%{l}", context));
        Assert.Equal("postmaster@example.net", SpfMacro.ExpandExplanation("%{s}", context));
    }

    [Fact]
    public void Null_sender_is_postmaster_at_helo()
    {
        var context = new SpfMacroContext(null, "mail.example.com", IPAddress.Parse("1.2.3.4"), "mail.example.com");

        Assert.Equal("postmaster@mail.example.com", SpfMacro.ExpandExplanation("%{s}", context));
        Assert.Equal("mail.example.com", SpfMacro.ExpandExplanation("%{o}", context));
    }

    [Fact]
    public void Validated_domain_defaults_to_unknown()
    {
        var context = new SpfMacroContext("a@example.com", "example.com", IPAddress.Parse("1.2.3.4"));

        Assert.Equal("connect from unknown", SpfMacro.ExpandExplanation("connect from %{p}", context));
    }

    [Fact]
    public void Explanation_letters_c_r_t()
    {
        var context = new SpfMacroContext("a@example.com", "example.com", IPAddress.Parse("192.0.2.3"), receiverName: "mx.receiver.example", timestamp: DateTimeOffset.FromUnixTimeSeconds(1700000000));

        Assert.Equal("192.0.2.3 mx.receiver.example 1700000000", SpfMacro.ExpandExplanation("%{c} %{r} %{t}", context));
    }

    [Fact]
    public void C_is_the_compact_ipv6_text()
    {
        Assert.Equal("2001:db8::cb01", SpfMacro.ExpandExplanation("%{c}", RfcIPv6));
    }

    [Fact]
    public void Receiver_defaults_to_unknown()
    {
        Assert.Equal("unknown", SpfMacro.ExpandExplanation("%{r}", Rfc));
    }

    [Theory]
    [InlineData("%{c}.example.com")]
    [InlineData("%{r}.example.com")]
    [InlineData("%{t}.example.com")]
    public void C_r_t_are_refused_outside_explanations(string domainSpec)
    {
        Assert.Throws<FormatException>(() => SpfMacro.ExpandDomainSpec(domainSpec, Rfc));
    }

    [Theory]
    [InlineData("%(ir).example.com")]
    [InlineData("foo%.example.com")]
    [InlineData("%{a}.example.com")]
    [InlineData("%{d0}")]
    [InlineData("The %{x}-files.")]
    public void Invalid_macros_are_refused(string text)
    {
        Assert.False(SpfMacro.TryExpandExplanation(text, Rfc, out _, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void Explanations_keep_spaces_and_trailing_dots()
    {
        Assert.Equal("This is a test.", SpfMacro.ExpandExplanation("This is a test.", Rfc));
    }

    [Fact]
    public void Domain_expansion_drops_one_trailing_dot()
    {
        Assert.Equal("o.spf.example.com", SpfMacro.ExpandDomainSpec("o.spf.example.com.", Rfc));
    }

    [Fact]
    public void Domain_expansion_longer_than_253_drops_labels_from_the_left()
    {
        var context = new SpfMacroContext("test@somewhat.long.exp.example.com", "somewhat.long.exp.example.com", IPAddress.Parse("192.168.218.40"));
        var expected = string.Concat(Enumerable.Repeat("somewhat.long.exp.example.com.", 8)) + "example.com";

        var expanded = SpfMacro.ExpandDomainSpec("foobar.%{o}.%{o}.%{o}.%{o}.%{o}.%{o}.%{o}.%{o}.example.com", context);

        Assert.Equal(expected, expanded);
        Assert.True(expanded.Length <= 253);
    }

    [Fact]
    public void Explanations_are_not_truncated()
    {
        var text = new string('x', 300);

        Assert.Equal(text, SpfMacro.ExpandExplanation(text, Rfc));
    }

    [Fact]
    public void IsValid_distinguishes_domain_and_explanation_grammar()
    {
        Assert.True(SpfMacro.IsValid("%{c} is %{i}", explanation: true));
        Assert.False(SpfMacro.IsValid("%{c} is %{i}"));
    }
}
