using MailOps.Core.Dmarc;
using Xunit;

namespace MailOps.Core.Tests.Dmarc;

/// <summary>
/// The strict tag parser: the OpenDMARC parse vectors of tests/Conformance/dmarc/dmarc-vectors.yml
/// (RFC 7489 expectations under the PublicSuffixList method, RFC 9989 ones under TreeWalk) and
/// the rules that make it strict.
/// </summary>
public sealed class DmarcRecordParserTests
{
    private static string[] Codes(DmarcParsedRecord record) => record.Findings.Select(f => f.Code).ToArray();

    private static DmarcParsedRecord Rfc7489(string text) => DmarcRecordParser.Parse(text, DmarcDiscoveryMethod.PublicSuffixList);

    private static DmarcParsedRecord Rfc9989(string text) => DmarcRecordParser.Parse(text, DmarcDiscoveryMethod.TreeWalk);

    // OpenDMARC "OKAY" vectors: the record is valid and applies its policy.
    [Theory]
    [InlineData("v=DMARC1; p=none; rf=afrf; rua=mailto:dmarc-a@abuse.net; ruf=mailto:dmarc-f@abuse.net", DmarcPolicyKind.None)]
    [InlineData("v=DMARC1; p=none;", DmarcPolicyKind.None)]
    [InlineData("v=DMARC1; p=reject;", DmarcPolicyKind.Reject)]
    [InlineData("v=DMARC1; p=quarantine;", DmarcPolicyKind.Quarantine)]
    public void OpenDMARC_okay_vectors_parse_without_errors_under_RFC_7489(string text, DmarcPolicyKind policy)
    {
        var r = Rfc7489(text);

        Assert.True(r.IsDmarcRecord);
        Assert.True(r.HasValidPolicy);
        Assert.False(r.HasErrors);
        Assert.Equal(policy, r.Policy);
    }

    [Fact]
    public void OpenDMARC_p_n_abbreviation_is_rejected_by_this_strict_parser()
    {
        // OpenDMARC accepts "p=n" as a prefix of none; the grammar does not (RFC 7489 section 6.4).
        var r = Rfc7489("v=DMARC1; p=n;");

        Assert.Null(r.Policy);
        Assert.False(r.HasValidPolicy);
        Assert.False(r.AppliesPolicy);
        Assert.Contains(r.Findings, f => f.Code == DmarcFindingCodes.DmarcSyntaxError && f.Term == "p=n");
        Assert.Contains(DmarcFindingCodes.DmarcPolicyMissing, Codes(r));
    }

    [Theory]
    [InlineData("")]
    [InlineData("V=BOB")]
    [InlineData("v=DMARC2; p=none")]
    [InlineData("v=dmarc1; p=none")]
    [InlineData("p=none; v=DMARC1")]
    public void Empty_or_bad_version_is_not_a_DMARC_record(string text)
    {
        var r = Rfc7489(text);

        Assert.False(DmarcRecordParser.IsDmarcRecord(text));
        Assert.False(r.IsDmarcRecord);
        Assert.False(r.AppliesPolicy);
        Assert.Equal(new[] { DmarcFindingCodes.DmarcVersionInvalid }, Codes(r));
    }

    [Theory]
    [InlineData("v=dmarc1; p=none")]
    [InlineData("p=none; v=DMARC1")]
    [InlineData("v=DMARC2; p=none")]
    public void Misspelt_version_is_recognized_as_a_look_alike_to_explain_the_missing_record(string text)
    {
        Assert.True(DmarcRecordParser.LooksLikeDmarc(text));
        Assert.False(DmarcRecordParser.LooksLikeDmarc("google-site-verification=abc"));
    }

    [Theory]
    [InlineData("v=DMARC1; p=bob;", "p=bob")]
    [InlineData("v=DMARC1; p=none; sp=bob;", "sp=bob")]
    public void OpenDMARC_bad_policy_values_leave_no_usable_policy(string text, string term)
    {
        var r = Rfc7489(text);

        Assert.Contains(r.Findings, f => f.Code == DmarcFindingCodes.DmarcSyntaxError && f.Term == term);
        Assert.False(r.HasValidPolicy);
        // RFC 7489 section 6.6.3: no valid p (or an invalid sp) and no rua: no DMARC processing.
        Assert.False(r.AppliesPolicy);
        Assert.Null(r.PolicyFor(ownDomain: true, domainExists: true));
    }

    [Theory]
    [InlineData("v=DMARC1; p=none; adkim=bob;", "adkim=bob")]
    [InlineData("v=DMARC1; p=none; aspf=bob;", "aspf=bob")]
    public void OpenDMARC_bad_alignment_values_are_errors_and_fall_back_to_relaxed(string text, string term)
    {
        var r = Rfc7489(text);

        Assert.Contains(r.Findings, f => f.Code == DmarcFindingCodes.DmarcSyntaxError && f.Term == term);
        Assert.Equal(DmarcAlignment.Relaxed, r.DkimAlignment);
        Assert.Equal(DmarcAlignment.Relaxed, r.SpfAlignment);
        Assert.True(r.AppliesPolicy);
    }

    [Theory]
    [InlineData("v=DMARC1; p=none; rf=bob;", "rf=bob")]
    [InlineData("v=DMARC1; p=none; ri=bob;", "ri=bob")]
    [InlineData("v=DMARC1; p=none; pct=500;", "pct=500")]
    [InlineData("v=DMARC1; p=none; rf=000000000000000000000000000000000", "rf=000000000000000000000000000000000")]
    public void OpenDMARC_bad_removed_tag_values_are_errors_under_RFC_7489(string text, string term)
    {
        var r = Rfc7489(text);

        var finding = Assert.Single(r.Findings, f => f.Code == DmarcFindingCodes.DmarcSyntaxError);
        Assert.Equal(term, finding.Term);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
    }

    [Theory]
    [InlineData("v=DMARC1; p=none; rf=bob;", "rf=bob")]
    [InlineData("v=DMARC1; p=none; ri=bob;", "ri=bob")]
    [InlineData("v=DMARC1; p=none; pct=500;", "pct=500")]
    [InlineData("v=DMARC1; p=none; rf=000000000000000000000000000000000", "rf=000000000000000000000000000000000")]
    public void OpenDMARC_bad_removed_tag_values_are_only_ignored_tags_under_RFC_9989(string text, string term)
    {
        var r = Rfc9989(text);

        Assert.False(r.HasErrors);
        var finding = Assert.Single(r.Findings, f => f.Code == DmarcFindingCodes.DmarcRemovedTag);
        Assert.Equal(term, finding.Term);
        Assert.Equal(FindingSeverity.Info, finding.Severity);
        Assert.Equal(100, r.Percentage);
    }

    [Theory]
    [InlineData(DmarcDiscoveryMethod.PublicSuffixList)]
    [InlineData(DmarcDiscoveryMethod.TreeWalk)]
    public void OpenDMARC_missing_p_without_rua_applies_no_policy(DmarcDiscoveryMethod method)
    {
        var r = DmarcRecordParser.Parse("v=DMARC1; pct=100;", method);

        Assert.True(r.IsDmarcRecord);
        Assert.False(r.AppliesPolicy);
        var finding = Assert.Single(r.Findings, f => f.Code == DmarcFindingCodes.DmarcPolicyMissing);
        Assert.Contains("no DMARC policy at all", finding.Message);
    }

    [Fact]
    public void Missing_p_with_a_valid_rua_acts_as_p_none_for_every_domain()
    {
        var r = Rfc9989("v=DMARC1; sp=reject; rua=mailto:d@example.com");

        Assert.True(r.FallsBackToNone);
        Assert.True(r.AppliesPolicy);
        Assert.Equal(DmarcPolicyKind.None, r.PolicyFor(ownDomain: true, domainExists: true));
        Assert.Equal(DmarcPolicyKind.None, r.PolicyFor(ownDomain: false, domainExists: true));
        Assert.Contains(r.Findings, f => f.Code == DmarcFindingCodes.DmarcPolicyMissing && f.Message.Contains("p=none"));
    }

    [Fact]
    public void OpenDMARC_ftp_rua_is_valid_but_not_mailto()
    {
        var r = Rfc7489("v=DMARC1; p=none; rua=ftp://abuse.com");

        Assert.False(r.HasErrors);
        var uri = Assert.Single(r.AggregateReportUri);
        Assert.Equal("ftp", uri.Scheme);
        Assert.Null(uri.Address);
        Assert.Equal(new[] { DmarcFindingCodes.DmarcReportUriNotMailto }, Codes(r));
    }

    [Fact]
    public void OpenDMARC_mailto_without_an_address_is_a_uri_receivers_cannot_use()
    {
        var r = Rfc7489("v=DMARC1; p=none; ruf=mailto://abuse.com");

        var uri = Assert.Single(r.FailureReportUri);
        Assert.Null(uri.Address);
        Assert.Contains(r.Findings, f => f.Code == DmarcFindingCodes.DmarcReportUriInvalid && f.Term == "mailto://abuse.com" && f.Severity == FindingSeverity.Warning);
        Assert.True(r.HasValidPolicy);
        Assert.False(r.HasGrammarErrors);
    }

    [Fact]
    public void OpenDMARC_unknown_tags_are_ignored_with_a_warning_each()
    {
        var r = Rfc7489("v=DMARC1; p=none; ruf=mailto://abuse.com; foo=bar; buzz=happy;");

        var unknown = r.Findings.Where(f => f.Code == DmarcFindingCodes.DmarcUnknownTag).ToArray();
        Assert.Equal(new[] { "foo=bar", "buzz=happy" }, unknown.Select(f => f.Term));
        Assert.All(unknown, f => Assert.Equal(FindingSeverity.Warning, f.Severity));
        Assert.Equal(DmarcPolicyKind.None, r.Policy);
    }

    [Fact]
    public void Authheaders_bare_word_after_p_is_a_syntax_error_and_p_still_applies()
    {
        // "v=DMARC1; p=none; reject": authheaders reports permerror (missing tag or value) with policy none.
        var r = Rfc9989("v=DMARC1; p=none; reject");

        Assert.Contains(r.Findings, f => f.Code == DmarcFindingCodes.DmarcSyntaxError && f.Term == "reject");
        Assert.Equal(DmarcPolicyKind.None, r.Policy);
        Assert.True(r.AppliesPolicy);
    }

    [Fact]
    public void Authheaders_record_without_p_and_without_rua_applies_no_policy()
    {
        // _dmarc.nop.example.org: authheaders gives dmarc=none; RFC 9989 only falls back to p=none with a valid rua.
        var r = Rfc9989("v=DMARC1; sp=quarantine; np=reject");

        Assert.Null(r.Policy);
        Assert.Equal(DmarcPolicyKind.Quarantine, r.SubdomainPolicy);
        Assert.Equal(DmarcPolicyKind.Reject, r.NonexistentSubdomainPolicy);
        Assert.False(r.AppliesPolicy);
        Assert.Null(r.PolicyFor(ownDomain: true, domainExists: true));
    }

    [Fact]
    public void Tag_names_are_matched_whole_so_sp_never_counts_as_p()
    {
        var r = Rfc9989("v=DMARC1; sp=none; np=none; rua=mailto:d@example.com");

        Assert.Null(r.Policy);
        Assert.Equal(DmarcPolicyKind.None, r.SubdomainPolicy);
        Assert.Contains(DmarcFindingCodes.DmarcPolicyMissing, Codes(r));
    }

    [Fact]
    public void Policy_values_are_whole_words_in_any_case()
    {
        Assert.Equal(DmarcPolicyKind.Reject, Rfc9989("v=DMARC1; p=Reject").Policy);
        Assert.Null(Rfc9989("v=DMARC1; p=rejected").Policy);
    }

    [Fact]
    public void White_space_around_separators_and_equals_is_allowed()
    {
        var r = Rfc9989("v = DMARC1 ;\tp = quarantine ; sp=reject ;");

        Assert.True(r.IsDmarcRecord);
        Assert.Equal(DmarcPolicyKind.Quarantine, r.Policy);
        Assert.Equal(DmarcPolicyKind.Reject, r.SubdomainPolicy);
        Assert.False(r.HasErrors);
    }

    [Fact]
    public void Duplicate_tag_is_an_error_and_the_first_value_counts()
    {
        var r = Rfc9989("v=DMARC1; p=reject; p=none");

        Assert.Equal(DmarcPolicyKind.Reject, r.Policy);
        Assert.Contains(r.Findings, f => f.Code == DmarcFindingCodes.DmarcSyntaxError && f.Term == "p=none");
    }

    [Fact]
    public void Np_falls_back_to_sp_then_p()
    {
        Assert.Equal(DmarcPolicyKind.Quarantine, Rfc9989("v=DMARC1; p=reject; sp=quarantine").PolicyFor(ownDomain: false, domainExists: false));
        Assert.Equal(DmarcPolicyKind.Reject, Rfc9989("v=DMARC1; p=reject").PolicyFor(ownDomain: false, domainExists: false));
        Assert.Equal(DmarcPolicyKind.None, Rfc9989("v=DMARC1; p=reject; sp=quarantine; np=none").PolicyFor(ownDomain: false, domainExists: false));
        Assert.Equal(DmarcPolicyKind.Reject, Rfc9989("v=DMARC1; p=reject; sp=quarantine; np=none").PolicyFor(ownDomain: true, domainExists: false));
    }

    [Fact]
    public void Pct_below_100_is_a_warning_in_both_methods()
    {
        Assert.Contains(DmarcFindingCodes.DmarcPercentageBelow100, Codes(Rfc7489("v=DMARC1; p=reject; pct=25; rua=mailto:d@example.com")));
        var r = Rfc9989("v=DMARC1; p=reject; pct=25; rua=mailto:d@example.com");
        Assert.Contains(DmarcFindingCodes.DmarcPercentageBelow100, Codes(r));
        Assert.Equal(25, r.Percentage);
    }

    [Fact]
    public void Weaker_subdomain_policy_is_a_warning()
    {
        // The authheaders .gov PSD record: p=reject; sp=none.
        var r = Rfc9989("v=DMARC1; p=reject; sp=none; np=reject; rua=mailto:dotgov_dmarc@cisa.dhs.gov; psd=y");

        var finding = Assert.Single(r.Findings, f => f.Code == DmarcFindingCodes.DmarcSubdomainPolicyWeaker);
        Assert.Equal("sp=none", finding.Term);
        Assert.Equal(DmarcPublicSuffixFlag.Yes, r.PublicSuffixFlag);
    }

    [Fact]
    public void Report_uris_are_split_at_commas_with_size_limits_in_bytes()
    {
        var r = Rfc9989("v=DMARC1; p=reject; rua=mailto:a@example.com!10m , mailto:b@Example.NET!512");

        Assert.Equal(new[] { "a@example.com", "b@example.net" }, r.AggregateReportUri.Select(u => u.Address));
        Assert.Equal(new long?[] { 10L * 1024 * 1024, 512 }, r.AggregateReportUri.Select(u => u.SizeLimit));
        Assert.Equal("mailto:a@example.com!10m", r.AggregateReportUri[0].Uri);
    }

    [Fact]
    public void Rua_that_is_not_a_uri_is_a_syntax_error_naming_the_entry()
    {
        var r = Rfc9989("v=DMARC1; p=none; rua=dmarc@example.com");

        Assert.Empty(r.AggregateReportUri);
        Assert.Contains(r.Findings, f => f.Code == DmarcFindingCodes.DmarcSyntaxError && f.Term == "dmarc@example.com");
        Assert.True(r.HasGrammarErrors);
    }

    [Fact]
    public void Missing_rua_is_a_warning_and_fo_without_ruf_is_information()
    {
        var r = Rfc9989("v=DMARC1; p=reject; fo=1");

        Assert.Contains(DmarcFindingCodes.DmarcNoReportUri, Codes(r));
        Assert.Contains(r.Findings, f => f.Code == DmarcFindingCodes.DmarcFailureOptionsIgnored && f.Severity == FindingSeverity.Info);
        Assert.Equal("1", r.FailureOptions);
    }

    [Fact]
    public void Test_mode_is_a_warning()
    {
        var r = Rfc9989("v=DMARC1; p=reject; t=y; rua=mailto:d@example.com");

        Assert.True(r.Testing);
        Assert.Contains(DmarcFindingCodes.DmarcTestMode, Codes(r));
    }

    [Theory]
    [InlineData("0", "0")]
    [InlineData("d:S", "d:s")]
    [InlineData("1:1", "1")]
    public void Failure_options_are_normalized(string value, string expected)
    {
        Assert.True(DmarcRecordParser.TryNormalizeFailureOptions(value, out string normalized));
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData("x")]
    [InlineData("0,1")]
    [InlineData("")]
    public void Invalid_failure_options_are_refused(string value)
    {
        Assert.False(DmarcRecordParser.TryNormalizeFailureOptions(value, out _));
    }
}
