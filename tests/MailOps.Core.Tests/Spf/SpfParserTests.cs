using System.Diagnostics;
using System.Net;
using System.Text;
using MailOps.Core.Spf;
using Xunit;

namespace MailOps.Core.Tests.Spf;

/// <summary>The RFC 7208 section 12 grammar, term by term.</summary>
public sealed class SpfParserTests
{
    [Theory]
    [InlineData("v=spf1", true)]
    [InlineData("v=spf1 -all", true)]
    [InlineData("V=SpF1 ~all", true)]
    [InlineData("v=spf10", false)]
    [InlineData("v=spf1-all", false)]
    [InlineData("v=spf1\t-all", false)]
    [InlineData(" v=spf1 -all", false)]
    [InlineData("spf2.0/pra -all", false)]
    [InlineData("", false)]
    public void Version_is_v_spf1_followed_by_end_or_space(string text, bool expected)
    {
        Assert.Equal(expected, SpfParser.IsSpfRecord(text));
    }

    [Fact]
    public void Null_text_is_not_an_spf_record()
    {
        Assert.False(SpfParser.IsSpfRecord(null!));
    }

    [Fact]
    public void Empty_text_is_an_error_not_an_exception()
    {
        var record = SpfParser.Parse(string.Empty);

        Assert.False(record.IsValid);
        Assert.Empty(record.Terms);
    }

    [Fact]
    public void Bare_version_is_a_valid_record_without_terms()
    {
        var record = SpfParser.Parse("v=spf1");

        Assert.True(record.IsValid);
        Assert.Empty(record.Terms);
    }

    [Theory]
    [InlineData("all", SpfMechanismKind.All, SpfQualifier.Pass, false)]
    [InlineData("+all", SpfMechanismKind.All, SpfQualifier.Pass, true)]
    [InlineData("-all", SpfMechanismKind.All, SpfQualifier.Fail, true)]
    [InlineData("~all", SpfMechanismKind.All, SpfQualifier.SoftFail, true)]
    [InlineData("?all", SpfMechanismKind.All, SpfQualifier.Neutral, true)]
    [InlineData("ALL", SpfMechanismKind.All, SpfQualifier.Pass, false)]
    [InlineData("include:_spf.example.com", SpfMechanismKind.Include, SpfQualifier.Pass, false)]
    [InlineData("a", SpfMechanismKind.A, SpfQualifier.Pass, false)]
    [InlineData("-mx", SpfMechanismKind.Mx, SpfQualifier.Fail, true)]
    [InlineData("ptr", SpfMechanismKind.Ptr, SpfQualifier.Pass, false)]
    [InlineData("ip4:192.0.2.1", SpfMechanismKind.Ip4, SpfQualifier.Pass, false)]
    [InlineData("?ip6:2001:db8::1", SpfMechanismKind.Ip6, SpfQualifier.Neutral, true)]
    [InlineData("exists:%{i}.bl.example.com", SpfMechanismKind.Exists, SpfQualifier.Pass, false)]
    public void Each_mechanism_parses_with_its_qualifier(string term, SpfMechanismKind kind, SpfQualifier qualifier, bool explicitQualifier)
    {
        var mechanism = Assert.IsType<SpfMechanism>(Assert.Single(SpfParser.Parse("v=spf1 " + term).Terms));

        Assert.Equal(kind, mechanism.Kind);
        Assert.Equal(qualifier, mechanism.Qualifier);
        Assert.Equal(explicitQualifier, mechanism.HasExplicitQualifier);
        Assert.Equal(term, mechanism.Text);
    }

    [Theory]
    [InlineData("a", null, null, null)]
    [InlineData("a:mail.example.com", "mail.example.com", null, null)]
    [InlineData("a/24", null, 24, null)]
    [InlineData("a//64", null, null, 64)]
    [InlineData("a/24//64", null, 24, 64)]
    [InlineData("a:mail.example.com/0", "mail.example.com", 0, null)]
    [InlineData("a:mail.example.com/32//128", "mail.example.com", 32, 128)]
    [InlineData("mx:example.com//0", "example.com", null, 0)]
    [InlineData("mx/30", null, 30, null)]
    [InlineData("a:foo:bar/baz.example.com", "foo:bar/baz.example.com", null, null)]
    public void A_and_mx_take_a_domain_and_dual_cidr(string term, string? domain, int? ip4, int? ip6)
    {
        var mechanism = Assert.IsType<SpfMechanism>(Assert.Single(SpfParser.Parse("v=spf1 " + term).Terms));

        Assert.Equal(domain, mechanism.DomainSpec);
        Assert.Equal(ip4, mechanism.Ip4PrefixLength);
        Assert.Equal(ip6, mechanism.Ip6PrefixLength);
    }

    [Theory]
    [InlineData("ip4:192.0.2.0/24", "192.0.2.0", 24)]
    [InlineData("ip4:0.0.0.0/0", "0.0.0.0", 0)]
    [InlineData("ip4:255.255.255.255/32", "255.255.255.255", 32)]
    [InlineData("ip4:192.0.2.1", "192.0.2.1", null)]
    public void Ip4_takes_a_network_and_prefix(string term, string network, int? prefix)
    {
        var mechanism = Assert.IsType<SpfMechanism>(Assert.Single(SpfParser.Parse("v=spf1 " + term).Terms));

        Assert.Equal(IPAddress.Parse(network), mechanism.Network);
        Assert.Equal(prefix, mechanism.Ip4PrefixLength);
        Assert.Null(mechanism.Ip6PrefixLength);
    }

    [Theory]
    [InlineData("ip6:2001:db8::/32", "2001:db8::", 32)]
    [InlineData("ip6:::/0", "::", 0)]
    [InlineData("ip6:::1.1.1.1/0", "::1.1.1.1", 0)]
    [InlineData("ip6:Cafe:Babe:8000::/33", "cafe:babe:8000::", 33)]
    [InlineData("ip6:2001:db8::1/128", "2001:db8::1", 128)]
    [InlineData("ip6:::FFFF:1.2.3.4", "::ffff:1.2.3.4", null)]
    public void Ip6_takes_a_network_and_prefix(string term, string network, int? prefix)
    {
        var mechanism = Assert.IsType<SpfMechanism>(Assert.Single(SpfParser.Parse("v=spf1 " + term).Terms));

        Assert.Equal(IPAddress.Parse(network), mechanism.Network);
        Assert.Equal(prefix, mechanism.Ip6PrefixLength);
    }

    [Theory]
    [InlineData("a/33")]
    [InlineData("a//129")]
    [InlineData("a/024")]
    [InlineData("a//064")]
    [InlineData("a/24/64")]
    [InlineData("a/")]
    [InlineData("a//")]
    [InlineData("mx/-1")]
    [InlineData("ip4:1.2.3.4/33")]
    [InlineData("ip4:1.2.3.4/032")]
    [InlineData("ip4:1.2.3.4/")]
    [InlineData("ip4:1.2.3.4//32")]
    [InlineData("ip6:::1/129")]
    [InlineData("ip6:::1.1.1.1//33")]
    [InlineData("ip6:::1/0128")]
    public void Cidr_lengths_out_of_range_or_with_leading_zeros_are_errors(string term)
    {
        Assert.False(SpfParser.Parse("v=spf1 " + term).IsValid);
    }

    [Theory]
    [InlineData("moo")]
    [InlineData("-all.")]
    [InlineData("-all:foobar")]
    [InlineData("-all/8")]
    [InlineData("include")]
    [InlineData("include:")]
    [InlineData("include:ip5.example.com/24")]
    [InlineData("exists")]
    [InlineData("exists:")]
    [InlineData("exists:mail.example.com/24")]
    [InlineData("ptr/0")]
    [InlineData("ptr:")]
    [InlineData("a:")]
    [InlineData("mx:")]
    [InlineData("ip4")]
    [InlineData("ip4:1.2.3")]
    [InlineData("ip4:1.2.3.4:8080")]
    [InlineData("ip4:256.1.1.1")]
    [InlineData("ip4:01.2.3.4")]
    [InlineData("ip6")]
    [InlineData("ip6::CAFE::BABE")]
    [InlineData("ip6:192.0.2.1")]
    [InlineData("ip6:fe80::1%eth0")]
    [InlineData("+")]
    [InlineData("+redirect=example.com")]
    [InlineData("redirect:example.com")]
    [InlineData("1up=foo")]
    [InlineData("=all")]
    [InlineData("moo.cow/far_out=man:dog/cat")]
    [InlineData("moo.cow:far_out=man:dog/cat")]
    public void Invalid_terms_are_syntax_errors(string term)
    {
        var record = SpfParser.Parse("v=spf1 " + term);

        var error = Assert.Single(record.Errors);
        Assert.Equal(term, error.Term);
        Assert.Equal(7, error.Position);
    }

    [Theory]
    [InlineData("a:foo-bar")]
    [InlineData("a:111.222.33.44")]
    [InlineData("a:abc.123")]
    [InlineData("a:museum")]
    [InlineData("a:museum.")]
    [InlineData("a:example.-com")]
    [InlineData("a:example.com-")]
    [InlineData("a:example.com:8080")]
    [InlineData("mx:abc.123")]
    [InlineData("a:example.com..")]
    public void Domain_spec_must_end_in_a_valid_toplabel(string term)
    {
        Assert.False(SpfParser.Parse("v=spf1 " + term).IsValid);
    }

    [Theory]
    [InlineData("example.com")]
    [InlineData("example.com.")]
    [InlineData("foo.example.xn--zckzah")]
    [InlineData("host.123-45")]
    [InlineData("_spf.example.com")]
    [InlineData("%{d}")]
    [InlineData("%{ir}.%{v}._spf.%{d2}")]
    [InlineData("%{l1r-}.lp._spf.%{d2}")]
    [InlineData("macro%%percent%_%_space%-url-space.example.com")]
    [InlineData("foo.%%")]
    [InlineData("%{H}.bar")]
    public void Valid_domain_specs(string domainSpec)
    {
        Assert.True(SpfParser.IsValidDomainSpec(domainSpec));
    }

    [Theory]
    [InlineData("")]
    [InlineData("example")]
    [InlineData("%{d}.")]
    [InlineData("%(ir).sbl.example.com")]
    [InlineData("foo%(ir).sbl.example.com")]
    [InlineData("foo%.sbl.example.com")]
    [InlineData("%{a}.example.com")]
    [InlineData("%{d0}.example.com")]
    [InlineData("%{d2r+-x}.example.com")]
    [InlineData("%{d.example.com")]
    [InlineData("%{}.example.com")]
    [InlineData("%")]
    [InlineData("%{c}.example.com")]
    [InlineData("%{r}.example.com")]
    [InlineData("%{t}.example.com")]
    [InlineData("exa mple.com")]
    public void Invalid_domain_specs(string domainSpec)
    {
        Assert.False(SpfParser.IsValidDomainSpec(domainSpec));
    }

    [Fact]
    public void Macro_letters_are_case_insensitive_in_domain_specs()
    {
        Assert.True(SpfParser.IsValidDomainSpec("%{IR}.%{V}.%{D2R}.example.com"));
    }

    [Fact]
    public void Macros_in_a_domain_spec_are_kept_unexpanded()
    {
        var mechanism = Assert.Single(SpfParser.Parse("v=spf1 exists:%{ir}.%{l1r-}.lp._spf.%{d2}").Mechanisms);

        Assert.Equal("%{ir}.%{l1r-}.lp._spf.%{d2}", mechanism.DomainSpec);
    }

    [Fact]
    public void Every_syntax_error_is_collected()
    {
        var record = SpfParser.Parse("v=spf1 moo ip4:1.2.3.4 foo=%x a:museum -all");

        Assert.Equal(new[] { "moo", "foo=%x", "a:museum" }, record.Errors.Select(e => e.Term));
        Assert.Equal(new[] { "ip4:1.2.3.4", "-all" }, record.Terms.Select(t => t.Text));
    }

    [Fact]
    public void Syntax_error_after_a_valid_term_invalidates_the_record()
    {
        var record = SpfParser.Parse("v=spf1 ip4:1.2.3.4 -all moo");

        Assert.False(record.IsValid);
    }

    [Fact]
    public void Redirect_twice_is_an_error()
    {
        var record = SpfParser.Parse("v=spf1 redirect=a.example.com -all redirect=a.example.com");

        Assert.Contains(record.Errors, e => e.Term == "redirect=a.example.com" && e.Position == 35);
    }

    [Fact]
    public void Exp_twice_is_an_error()
    {
        Assert.False(SpfParser.Parse("v=spf1 exp=a.example.com -all exp=b.example.com").IsValid);
    }

    [Theory]
    [InlineData("v=spf1 exp=")]
    [InlineData("v=spf1 exp=-all")]
    [InlineData("v=spf1 redirect=")]
    [InlineData("v=spf1 redirect=-all ?all")]
    public void Known_modifiers_need_a_domain_spec(string text)
    {
        Assert.False(SpfParser.Parse(text).IsValid);
    }

    [Fact]
    public void Redirect_and_exp_are_exposed()
    {
        var record = SpfParser.Parse("v=spf1 -all exp=why.%{d} REDIRECT=other.example.com");

        Assert.Equal("why.%{d}", record.Explanation!.Value);
        Assert.Equal("other.example.com", record.Redirect!.Value);
        Assert.True(record.Redirect.IsKnown);
    }

    [Theory]
    [InlineData("moo.cow-far_out=man:dog/cat", "moo.cow-far_out")]
    [InlineData("default=pass", "default")]
    [InlineData("default=+", "default")]
    [InlineData("a=b.example.com", "a")]
    [InlineData("x-note=", "x-note")]
    public void Unknown_modifiers_are_kept_when_well_formed(string term, string name)
    {
        var modifier = Assert.IsType<SpfModifier>(Assert.Single(SpfParser.Parse("v=spf1 " + term).Terms));

        Assert.Equal(name, modifier.Name);
        Assert.False(modifier.IsKnown);
    }

    [Fact]
    public void Unknown_modifier_with_invalid_macro_is_an_error()
    {
        Assert.False(SpfParser.Parse("v=spf1 -all foo=%abc").IsValid);
    }

    [Fact]
    public void Terms_keep_their_text_and_position()
    {
        var record = SpfParser.Parse("v=spf1  a:Mail.Example.com   -all ");

        Assert.Equal(new[] { "a:Mail.Example.com", "-all" }, record.Terms.Select(t => t.Text));
        Assert.Equal(new[] { 8, 29 }, record.Terms.Select(t => t.Position));
        Assert.True(record.IsValid);
    }

    [Theory]
    [InlineData("v=spf1 a:\uFEFFgarbage.example.net -all")]
    [InlineData("v=spf1 \u0080a:example.net -all")]
    [InlineData("v=spf1 a:example.net \u0096all")]
    [InlineData("v=spf1 a:bücher.example -all")]
    [InlineData("v=spf1 include:\uD83D\uDE00.example.com")]
    [InlineData("v=spf1 ip4:192.0.2.1 \uD800")]
    public void Non_ascii_is_an_error_and_never_a_crash(string text)
    {
        var record = SpfParser.Parse(text);

        Assert.Contains(record.Errors, e => e.Message.Contains("non-ASCII", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("v=spf1 a:ctrl.example.com\rptr -all")]
    [InlineData("v=spf1 ip4:192.0.2.5\n include:spf.protection.outlook.com ~all")]
    [InlineData("v=spf1 a:foo.example.com\0")]
    [InlineData("v=spf1 a\t-all")]
    public void Only_spaces_separate_terms(string text)
    {
        Assert.False(SpfParser.Parse(text).IsValid);
    }

    [Fact]
    public void A_5000_character_record_parses_quickly()
    {
        var text = new StringBuilder("v=spf1");
        var i = 0;
        while (text.Length < 5000 - 30)
        {
            text.Append(" ip4:198.51.").Append(i / 256 % 256).Append('.').Append(i % 256).Append("/32");
            i++;
        }

        text.Append(" include:%{d2}.example.com -all");
        var watch = Stopwatch.StartNew();
        var record = SpfParser.Parse(text.ToString());
        watch.Stop();

        Assert.True(record.IsValid);
        Assert.Equal(i + 2, record.Terms.Count);
        Assert.True(watch.ElapsedMilliseconds < 500, $"took {watch.ElapsedMilliseconds} ms");
    }

    [Theory]
    [InlineData('%')]
    [InlineData('/')]
    [InlineData(':')]
    [InlineData('a')]
    [InlineData('{')]
    public void Pathological_5000_character_terms_do_not_hang(char filler)
    {
        var text = "v=spf1 a:" + new string(filler, 5000) + " -all";
        var watch = Stopwatch.StartNew();
        SpfParser.Parse(text);
        watch.Stop();

        Assert.True(watch.ElapsedMilliseconds < 500, $"took {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void Mechanisms_that_query_dns_are_flagged()
    {
        var record = SpfParser.Parse("v=spf1 ip4:192.0.2.1 ip6:::1 a mx ptr exists:x.example.com include:y.example.com all");

        Assert.Equal(
            new[] { false, false, true, true, true, true, true, false },
            record.Mechanisms.Select(m => m.CountsTowardLookupLimit));
    }
}
