using MailOps.Core.MtaSts;
using Xunit;

namespace MailOps.Core.Tests.MtaSts;

/// <summary>The TXT record grammar (RFC 8461 section 3.1), the policy grammar (section 3.2)
/// and MX pattern matching (section 4.1).</summary>
public sealed class MtaStsParserTests
{
    [Theory]
    [InlineData("v=STSv1; id=20240101T000000;", "20240101T000000")]
    [InlineData("v=STSv1;id=abc", "abc")]
    [InlineData("v=STSv1 ; id=abc ; ", "abc")]
    [InlineData("v=STSv1; id=abc; ext_1.x=value", "abc")]
    [InlineData("v=STSv1; id=ABCDEFGHIJKLMNOPQRSTUVWXYZ123456", "ABCDEFGHIJKLMNOPQRSTUVWXYZ123456")]
    public void Valid_records_give_their_id(string record, string id)
    {
        MtaStsRecordParser.Parse(record, out string? parsed, out List<string> errors);

        Assert.Empty(errors);
        Assert.Equal(id, parsed);
    }

    [Theory]
    [InlineData("v=STSv1")]
    [InlineData("v=STSv1;")]
    [InlineData("v=STSv1; id=")]
    [InlineData("v=STSv1; id=2024-01-01")]
    [InlineData("v=STSv1; id=ABCDEFGHIJKLMNOPQRSTUVWXYZ1234567")]
    [InlineData("v=STSv1; id=abc;; x=1")]
    [InlineData("v=STSv1; id=abc; =x")]
    [InlineData("v=STSv1, id=abc")]
    public void Broken_records_have_errors(string record)
    {
        MtaStsRecordParser.Parse(record, out _, out List<string> errors);

        Assert.NotEmpty(errors);
    }

    [Theory]
    [InlineData("v=STSv1; id=1", true)]
    [InlineData("v=STSv1", true)]
    [InlineData("v=stsv1; id=1", false)]
    [InlineData("v=STSv10; id=1", false)]
    [InlineData("v=spf1 -all", false)]
    public void Only_records_starting_with_the_case_sensitive_version_are_candidates(string record, bool expected)
    {
        Assert.Equal(expected, MtaStsRecordParser.IsStsRecord(record));
    }

    [Fact]
    public void A_complete_policy_with_crlf_lines_parses()
    {
        var policy = MtaStsPolicyDocument.Parse("version: STSv1\r\nmode: enforce\r\nmx: mail.contoso.example\r\nmx: *.contoso.example\r\nmax_age: 604800\r\n");

        Assert.Empty(policy.Errors);
        Assert.Empty(policy.MaxAgeErrors);
        Assert.Equal(MtaStsMode.Enforce, policy.Mode);
        Assert.Equal(604800, policy.MaxAge);
        Assert.Equal(new[] { "mail.contoso.example", "*.contoso.example" }, policy.MxPatterns);
    }

    [Fact]
    public void Lf_lines_and_unknown_fields_are_accepted()
    {
        var policy = MtaStsPolicyDocument.Parse("version: STSv1\nmode: testing\nmx:mx.contoso.example\nmax_age:86400\nfuture_field: anything at all");

        Assert.Empty(policy.Errors);
        Assert.Equal(MtaStsMode.Testing, policy.Mode);
    }

    [Theory]
    [InlineData("version: STSv1\nmode: Enforce\nmx: a.example\nmax_age: 1")]
    [InlineData("version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 1")]
    [InlineData("mode: enforce\nmx: a.example\nmax_age: 1")]
    [InlineData("version: STSv1\nmx: a.example\nmax_age: 1")]
    [InlineData("version: STSv1\nmode: enforce\nmax_age: 1")]
    [InlineData("version: STSv1\nmode: enforce\nmx: mail.*.example\nmax_age: 1")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1\njust text")]
    public void Policy_grammar_errors_are_reported(string text)
    {
        Assert.NotEmpty(MtaStsPolicyDocument.Parse(text).Errors);
    }

    [Fact]
    public void Mode_none_needs_no_mx()
    {
        var policy = MtaStsPolicyDocument.Parse("version: STSv1\nmode: none\nmax_age: 86400\n");

        Assert.Empty(policy.Errors);
        Assert.Equal(MtaStsMode.None, policy.Mode);
    }

    [Theory]
    [InlineData("31557601")]
    [InlineData("12345678901")]
    [InlineData("-1")]
    [InlineData("1w")]
    public void Max_age_out_of_range_or_not_a_number_is_an_error(string value)
    {
        var policy = MtaStsPolicyDocument.Parse($"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: {value}\n");

        Assert.NotEmpty(policy.MaxAgeErrors);
        Assert.Empty(policy.Errors);
    }

    [Fact]
    public void The_largest_allowed_max_age_is_valid()
    {
        Assert.Empty(MtaStsPolicyDocument.Parse("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 31557600\n").MaxAgeErrors);
    }

    [Fact]
    public void A_repeated_field_is_a_warning_and_the_first_one_counts()
    {
        var policy = MtaStsPolicyDocument.Parse("version: STSv1\nmode: testing\nmode: enforce\nmx: a.example\nmax_age: 86400\n");

        Assert.Equal(MtaStsMode.Testing, policy.Mode);
        Assert.Single(policy.Warnings);
        Assert.Empty(policy.Errors);
    }

    [Theory]
    [InlineData("mail.contoso.example", "mail.contoso.example", true)]
    [InlineData("mail.contoso.example", "MAIL.Contoso.Example.", true)]
    [InlineData("*.contoso.example", "mail.contoso.example", true)]
    [InlineData("*.contoso.example", "contoso.example", false)]
    [InlineData("*.contoso.example", "a.mail.contoso.example", false)]
    [InlineData("*.contoso.example", "mail.fabrikam.example", false)]
    [InlineData("mail.contoso.example", "mail2.contoso.example", false)]
    public void Mx_patterns_match_as_section_4_1_says(string pattern, string host, bool expected)
    {
        Assert.Equal(expected, MtaStsMxPattern.Matches(pattern, host));
    }

    [Theory]
    [InlineData("text/plain", true)]
    [InlineData("Text/Plain; charset=utf-8", true)]
    [InlineData("text/html", false)]
    [InlineData("application/octet-stream", false)]
    [InlineData(null, false)]
    public void Only_text_plain_is_an_accepted_content_type(string? type, bool expected)
    {
        Assert.Equal(expected, MtaStsPolicyAnalyzer.IsTextPlain(type));
    }
}
