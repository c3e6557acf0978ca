using MailOps.Core.Dkim;
using Xunit;

namespace MailOps.Core.Tests.Dkim;

/// <summary>The key record grammar (RFC 6376 sections 3.2 and 3.6.1) and what each tag means.</summary>
public sealed class DkimParserTests
{
    private static readonly string Key2048 = DkimTestKeys.Spki(2048);

    private static string[] Codes(DkimParsedRecord r) => r.Findings.Select(f => f.Code).ToArray();

    [Fact]
    public void Well_formed_2048_bit_record_has_no_findings()
    {
        var r = DkimParser.Parse($"v=DKIM1; k=rsa; p={Key2048}");

        Assert.Empty(r.Findings);
        Assert.True(r.IsValid);
        Assert.Equal(2048, r.KeySize);
        Assert.Equal(Key2048, r.PublicKey);
    }

    [Fact]
    public void Trailing_semicolon_and_folding_white_space_are_allowed()
    {
        string folded = Key2048.Substring(0, 40) + " \t" + Key2048.Substring(40, 100) + "\r\n " + Key2048.Substring(140);

        var r = DkimParser.Parse($" v = DKIM1 ;\tk=rsa ;  p= {folded} ;");

        Assert.Empty(r.Findings);
        Assert.Equal(2048, r.KeySize);
        Assert.Equal(Key2048, r.PublicKey);
    }

    [Fact]
    public void Empty_p_tag_means_the_key_is_revoked_with_an_info_finding()
    {
        var r = DkimParser.Parse("v=DKIM1; k=rsa; p=");

        Assert.True(r.IsRevoked);
        Assert.Null(r.KeySize);
        Assert.Equal(string.Empty, r.PublicKey);
        var finding = Assert.Single(r.Findings);
        Assert.Equal(DkimFindingCodes.DkimKeyRevoked, finding.Code);
        Assert.Equal(FindingSeverity.Info, finding.Severity);
    }

    [Fact]
    public void Missing_p_tag_is_a_syntax_error()
    {
        var r = DkimParser.Parse("v=DKIM1; k=rsa");

        var finding = Assert.Single(r.Findings);
        Assert.Equal(DkimFindingCodes.DkimSyntaxError, finding.Code);
        Assert.Contains("p=", finding.Message);
        Assert.Null(r.PublicKey);
    }

    [Fact]
    public void Text_that_is_not_a_key_record_is_a_syntax_error()
    {
        var r = DkimParser.Parse("google-site-verification=abc123");

        Assert.Contains(DkimFindingCodes.DkimSyntaxError, Codes(r));
        Assert.False(r.IsValid);
    }

    [Fact]
    public void Tag_without_equals_sign_is_a_syntax_error_naming_the_tag()
    {
        var r = DkimParser.Parse($"v=DKIM1; k rsa; p={Key2048}");

        var finding = Assert.Single(r.Findings);
        Assert.Equal(DkimFindingCodes.DkimSyntaxError, finding.Code);
        Assert.Equal("k rsa", finding.Term);
    }

    [Fact]
    public void Duplicate_tag_is_a_syntax_error()
    {
        var r = DkimParser.Parse($"v=DKIM1; k=rsa; k=rsa; p={Key2048}");

        var finding = Assert.Single(r.Findings);
        Assert.Equal(DkimFindingCodes.DkimSyntaxError, finding.Code);
        Assert.Contains("more than once", finding.Message);
    }

    [Fact]
    public void Empty_tag_between_two_semicolons_is_a_syntax_error()
    {
        var r = DkimParser.Parse($"v=DKIM1;; p={Key2048}");

        Assert.Equal(new[] { DkimFindingCodes.DkimSyntaxError }, Codes(r));
    }

    [Fact]
    public void Tag_name_starting_with_a_digit_is_a_syntax_error()
    {
        var r = DkimParser.Parse($"v=DKIM1; 1k=rsa; p={Key2048}");

        Assert.Equal(new[] { DkimFindingCodes.DkimSyntaxError }, Codes(r));
    }

    [Fact]
    public void Non_ascii_character_in_a_value_is_a_syntax_error()
    {
        var r = DkimParser.Parse($"v=DKIM1; n=clé; p={Key2048}");

        Assert.Equal(new[] { DkimFindingCodes.DkimSyntaxError }, Codes(r));
    }

    [Fact]
    public void Empty_record_is_a_syntax_error()
    {
        var r = DkimParser.Parse("");

        Assert.Contains(DkimFindingCodes.DkimSyntaxError, Codes(r));
    }

    [Fact]
    public void Version_DKIM1_after_another_tag_is_a_warning_that_it_must_come_first()
    {
        var r = DkimParser.Parse($"k=rsa; v=DKIM1; p={Key2048}");

        var finding = Assert.Single(r.Findings);
        Assert.Equal(DkimFindingCodes.DkimVersionNotFirst, finding.Code);
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
    }

    [Fact]
    public void Version_other_than_DKIM1_is_an_error()
    {
        var r = DkimParser.Parse($"v=DKIM2; p={Key2048}");

        var finding = Assert.Single(r.Findings);
        Assert.Equal(DkimFindingCodes.DkimVersionInvalid, finding.Code);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
    }

    [Fact]
    public void Key_type_is_case_insensitive()
    {
        var r = DkimParser.Parse($"v=DKIM1; k=RSA; p={Key2048}");

        Assert.Equal(DkimKeyType.Rsa, r.KeyType);
        Assert.Empty(r.Findings);
    }

    [Fact]
    public void Testing_flag_y_sets_IsTesting_with_a_warning_and_keeps_every_flag()
    {
        var r = DkimParser.Parse($"v=DKIM1; t=s:y; p={Key2048}");

        Assert.True(r.IsTesting);
        Assert.Equal(new[] { "s", "y" }, r.Flags);
        var finding = Assert.Single(r.Findings);
        Assert.Equal(DkimFindingCodes.DkimTestingMode, finding.Code);
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
    }

    [Fact]
    public void Strict_flag_alone_is_not_testing()
    {
        var r = DkimParser.Parse($"v=DKIM1; t=s; p={Key2048}");

        Assert.False(r.IsTesting);
        Assert.Equal(new[] { "s" }, r.Flags);
        Assert.Empty(r.Findings);
    }

    [Fact]
    public void Hash_list_of_sha1_only_is_an_error_because_verifiers_reject_sha1()
    {
        var r = DkimParser.Parse($"v=DKIM1; h=sha1; p={Key2048}");

        Assert.Equal(new[] { "sha1" }, r.HashAlgorithms);
        var finding = Assert.Single(r.Findings);
        Assert.Equal(DkimFindingCodes.DkimSha256NotAllowed, finding.Code);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
    }

    [Fact]
    public void Hash_list_with_sha256_is_fine()
    {
        var r = DkimParser.Parse($"v=DKIM1; h=sha1 : sha256; p={Key2048}");

        Assert.Equal(new[] { "sha1", "sha256" }, r.HashAlgorithms);
        Assert.Empty(r.Findings);
    }

    [Theory]
    [InlineData("email")]
    [InlineData("*")]
    [InlineData("tlsrpt:email")]
    public void Service_list_including_email_or_star_is_fine(string services)
    {
        var r = DkimParser.Parse($"v=DKIM1; s={services}; p={Key2048}");

        Assert.Empty(r.Findings);
    }

    [Fact]
    public void Absent_optional_tags_give_empty_lists()
    {
        var r = DkimParser.Parse($"p={Key2048}");

        Assert.Empty(r.HashAlgorithms);
        Assert.Empty(r.ServiceTypes);
        Assert.Empty(r.Flags);
        Assert.Null(r.Notes);
        Assert.Null(r.Version);
        Assert.Equal(DkimKeyType.Rsa, r.KeyType);
    }

    [Fact]
    public void Notes_are_kept()
    {
        var r = DkimParser.Parse($"v=DKIM1; n=rotated 2024-05; p={Key2048}");

        Assert.Equal("rotated 2024-05", r.Notes);
    }

    [Fact]
    public void Unknown_tags_are_ignored()
    {
        var r = DkimParser.Parse($"v=DKIM1; g=*; x_vendor=1; p={Key2048}");

        Assert.Empty(r.Findings);
    }
}
