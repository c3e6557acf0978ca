using MailOps.Core.Addresses;
using Xunit;

namespace MailOps.Core.Tests.Addresses;

/// <summary>Address syntax as an SMTP server checks a RCPT TO argument (RFC 5321 section 4.1.2,
/// RFC 6531 for internationalized addresses).</summary>
public sealed class EmailAddressSyntaxTests
{
    private static readonly string Local64 = new string('a', 64);
    private static readonly string Label63 = new string('b', 63);

    /// <summary>Valid addresses and their normalized form.</summary>
    public static TheoryData<string, string> Valid => new()
    {
        { "anna@contoso.com", "anna@contoso.com" },
        { "Anna.Berg@Contoso.COM", "Anna.Berg@contoso.com" },
        { "  anna@contoso.com\t", "anna@contoso.com" },
        { "anna+news@contoso.com", "anna+news@contoso.com" },
        { "first.middle.last@mail.contoso.co.uk", "first.middle.last@mail.contoso.co.uk" },
        { "!#$%&'*+-/=?^_`{|}~@contoso.com", "!#$%&'*+-/=?^_`{|}~@contoso.com" },
        { "\"john smith\"@contoso.com", "\"john smith\"@contoso.com" },
        { "\"john\"@contoso.com", "john@contoso.com" },
        { "\"a\\\"b\"@contoso.com", "\"a\\\"b\"@contoso.com" },
        { "\"a@b\"@contoso.com", "\"a@b\"@contoso.com" },
        { "\"..\"@contoso.com", "\"..\"@contoso.com" },
        { "x@a-b.contoso.com", "x@a-b.contoso.com" },
        { "x@123.contoso.com", "x@123.contoso.com" },
        { "x@[192.0.2.1]", "x@[192.0.2.1]" },
        { "x@[IPv6:2001:DB8::1]", "x@[IPv6:2001:db8::1]" },
        { "x@[IPv6:::ffff:192.0.2.1]", "x@[IPv6:::ffff:192.0.2.1]" },
        { "anna@bücher.de", "anna@xn--bcher-kva.de" },
        { "用户@例子.测试", "用户@xn--fsqu00a.xn--0zwm56d" },
        { "jörg@contoso.com", "jörg@contoso.com" },
        { Local64 + "@contoso.com", Local64 + "@contoso.com" },
    };

    /// <summary>Invalid addresses and a word the error must contain.</summary>
    public static TheoryData<string, string> Invalid => new()
    {
        { "", "empty" },
        { "   ", "empty" },
        { "anna", "no '@'" },
        { "anna.contoso.com", "no '@'" },
        { "@contoso.com", "local part" },
        { "anna@", "domain" },
        { "anna@@contoso.com", "more than one '@'" },
        { "anna@b@contoso.com", "more than one '@'" },
        { ".anna@contoso.com", "dot" },
        { "anna.@contoso.com", "dot" },
        { "an..na@contoso.com", "two dots" },
        { "anna smith@contoso.com", "white space" },
        { "anna(comment)@contoso.com", "comment" },
        { "anna@contoso.com(comment)", "comment" },
        { "anna@(comment)contoso.com", "comment" },
        { "a\"b@contoso.com", "quote" },
        { "\"unterminated@contoso.com", "quoted" },
        { "\"a\"b@contoso.com", "quoted" },
        { "anna<x>@contoso.com", "needs quoting" },
        { "Anna <anna@contoso.com>", "white space" },
        { "anna@contoso", "fully qualified" },
        { "anna@localhost", "fully qualified" },
        { "anna@contoso.com.", "ends with a dot" },
        { "anna@contoso..com", "empty label" },
        { "anna@.contoso.com", "empty label" },
        { "anna@-contoso.com", "hyphen" },
        { "anna@contoso-.com", "hyphen" },
        { "anna@con_toso.com", "'_'" },
        { "anna@contoso,com", "','" },
        { "anna@con toso.com", "white space" },
        { "anna@192.0.2.1", "IP address" },
        { "anna@[192.0.2.256]", "IPv4" },
        { "anna@[192.0.2]", "IPv4" },
        { "anna@[IPv6:2001:db8::zz]", "IPv6" },
        { "anna@[IPv6:fe80::1%eth0]", "IPv6" },
        { "anna@[x-tag:stuff]", "tag" },
        { "anna@[192.0.2.1", "closed" },
        { Local64 + "a@contoso.com", "64" },
        { "anna@" + Label63 + "b.com", "63" },
        { "a\u0001b@contoso.com", "needs quoting" },
        { "\"a\u0001b\"@contoso.com", "control" },
        { "\"a\\\u00e9\"@contoso.com", "backslash" },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void A_valid_mailbox_parses_to_its_normalized_form(string input, string normalized)
    {
        ParsedEmailAddress parsed = EmailAddressSyntax.Parse(input);

        Assert.Null(parsed.Error);
        Assert.True(parsed.IsValid);
        Assert.Equal(normalized, parsed.Normalized);
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void An_invalid_mailbox_names_the_rule_it_breaks(string input, string because)
    {
        ParsedEmailAddress parsed = EmailAddressSyntax.Parse(input);

        Assert.False(parsed.IsValid);
        Assert.Null(parsed.Normalized);
        Assert.Contains(because, parsed.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Null_is_an_empty_address_not_an_exception()
        => Assert.Contains("empty", EmailAddressSyntax.Parse(null).Error);

    [Fact]
    public void An_address_of_254_octets_is_valid_and_of_255_is_not()
    {
        // 64 + 1 + 189 = 254: the longest address a path of 256 octets can carry (RFC 5321 4.5.3.1.3).
        string domain189 = string.Join(".", Label63, Label63, new string('c', 57)) + ".com";
        Assert.Equal(189, domain189.Length);

        Assert.True(EmailAddressSyntax.Parse(Local64 + "@" + domain189).IsValid);
        ParsedEmailAddress tooLong = EmailAddressSyntax.Parse(Local64 + "@" + domain189.Replace("ccc.com", "cccc.com"));
        Assert.False(tooLong.IsValid);
        Assert.Contains("254", tooLong.Error);
    }

    [Fact]
    public void A_domain_of_more_than_255_octets_is_invalid()
    {
        string domain = string.Join(".", Label63, Label63, Label63, Label63, "com");

        Assert.Contains("255", EmailAddressSyntax.Parse("a@" + domain).Error);
    }

    [Fact]
    public void The_local_part_limit_counts_utf8_octets_not_characters()
    {
        // 32 two-octet characters are 64 octets (allowed), 33 are 66 (not).
        Assert.True(EmailAddressSyntax.Parse(new string('é', 32) + "@contoso.com").IsValid);
        Assert.Contains("64", EmailAddressSyntax.Parse(new string('é', 33) + "@contoso.com").Error);
    }

    [Fact]
    public void A_utf8_local_part_is_international_and_requires_smtputf8()
    {
        ParsedEmailAddress parsed = EmailAddressSyntax.Parse("jörg@contoso.com");

        Assert.True(parsed.IsValid);
        Assert.True(parsed.IsInternational);
        Assert.True(parsed.RequiresSmtpUtf8);
    }

    [Fact]
    public void An_idn_domain_is_international_but_travels_as_its_a_label_without_smtputf8()
    {
        ParsedEmailAddress parsed = EmailAddressSyntax.Parse("anna@Bücher.de");

        Assert.True(parsed.IsInternational);
        Assert.False(parsed.RequiresSmtpUtf8);
        Assert.Equal("xn--bcher-kva.de", parsed.Domain);
    }

    [Fact]
    public void An_ascii_address_is_neither_international_nor_needs_smtputf8()
    {
        ParsedEmailAddress parsed = EmailAddressSyntax.Parse("anna@contoso.com");

        Assert.False(parsed.IsInternational);
        Assert.False(parsed.RequiresSmtpUtf8);
    }

    [Fact]
    public void An_address_literal_is_flagged_and_has_no_dns_domain()
    {
        ParsedEmailAddress parsed = EmailAddressSyntax.Parse("postmaster@[192.0.2.010]");

        Assert.True(parsed.IsAddressLiteral);
        Assert.Equal("[192.0.2.10]", parsed.Domain);
    }

    [Fact]
    public void The_local_part_keeps_its_case_because_it_is_case_sensitive()
        => Assert.Equal("Anna@contoso.com", EmailAddressSyntax.Parse("Anna@CONTOSO.com").Normalized);

    [Fact]
    public void A_bad_domain_leaves_the_local_part_usable_for_a_repair()
    {
        ParsedEmailAddress parsed = EmailAddressSyntax.Parse("anna@gmail,com");

        Assert.False(parsed.IsValid);
        Assert.True(parsed.IsLocalPartValid);
        Assert.Equal(("anna", "gmail,com"), (parsed.NormalizedLocalPart, parsed.DomainText));
    }
}
