using MailOps.Core.Dkim;
using Xunit;

namespace MailOps.Core.Tests.Dkim;

/// <summary>The key records of dkimpy's test data and RFC 8463 appendix A, judged as the
/// reference implementation's tests expect (tests/Conformance/dkim/dkim-vectors.yml).</summary>
public sealed class DkimConformanceTests
{
    private static string[] Codes(DkimParsedRecord r) => r.Findings.Select(f => f.Code).ToArray();

    [Fact]
    public void Test_txt_is_a_valid_1024_bit_rsa_key_with_an_upgrade_recommendation()
    {
        var r = DkimParser.Parse(DkimTestKeys.Conformance("test.txt"));

        Assert.Equal(DkimKeyType.Rsa, r.KeyType);
        Assert.Equal(1024, r.KeySize);
        Assert.Equal("DKIM1", r.Version);
        Assert.True(r.IsValid);
        var finding = Assert.Single(r.Findings);
        Assert.Equal(DkimFindingCodes.DkimKeyUpgradeRecommended, finding.Code);
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
    }

    [Fact]
    public void Test2_txt_without_k_tag_defaults_to_rsa()
    {
        var r = DkimParser.Parse(DkimTestKeys.Conformance("test2.txt"));

        Assert.Equal(DkimKeyType.Rsa, r.KeyType);
        Assert.Equal(1024, r.KeySize);
        Assert.True(r.IsValid);
    }

    [Fact]
    public void Badversion_txt_with_a_colon_after_DKIM1_is_an_invalid_version_that_verifiers_discard()
    {
        var r = DkimParser.Parse(DkimTestKeys.Conformance("badversion.txt"));

        Assert.False(r.IsValid);
        var finding = Assert.Single(r.Findings, f => f.Code == DkimFindingCodes.DkimVersionInvalid);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Equal("v=DKIM1: g=*", finding.Term);
        Assert.Equal("DKIM1: g=*", r.Version);
    }

    [Fact]
    public void Badk_txt_names_an_unknown_key_type_and_has_no_key_type_or_size()
    {
        var r = DkimParser.Parse(DkimTestKeys.Conformance("badk.txt"));

        Assert.Null(r.KeyType);
        Assert.Null(r.KeySize);
        var finding = Assert.Single(r.Findings);
        Assert.Equal(DkimFindingCodes.DkimUnknownKeyType, finding.Code);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Equal("k=ed25519-sha256", finding.Term);
    }

    [Fact]
    public void Test_bad_txt_with_a_corrupted_key_is_a_key_parse_error()
    {
        var r = DkimParser.Parse(DkimTestKeys.Conformance("test_bad.txt"));

        Assert.Equal(DkimKeyType.Rsa, r.KeyType);
        Assert.Null(r.KeySize);
        var finding = Assert.Single(r.Findings);
        Assert.Equal(DkimFindingCodes.DkimKeyParseError, finding.Code);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
    }

    [Fact]
    public void Test_tlsrpt_txt_is_restricted_to_a_service_that_is_not_email()
    {
        var r = DkimParser.Parse(DkimTestKeys.Conformance("test_tlsrpt.txt"));

        Assert.Equal(new[] { "tlsrpt" }, r.ServiceTypes);
        Assert.Equal(1024, r.KeySize);
        var finding = Assert.Single(r.Findings, f => f.Code == DkimFindingCodes.DkimServiceRestricted);
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.Equal("s=tlsrpt", finding.Term);
    }

    [Fact]
    public void Ed25519test_dns_without_v_tag_is_a_valid_256_bit_ed25519_key()
    {
        var r = DkimParser.Parse(DkimTestKeys.Conformance("ed25519test.dns"));

        Assert.Equal(DkimKeyType.Ed25519, r.KeyType);
        Assert.Equal(256, r.KeySize);
        Assert.Null(r.Version);
        Assert.Empty(r.Findings);
    }

    [Fact]
    public void Eximtest_dns_is_a_valid_ed25519_key()
    {
        var r = DkimParser.Parse(DkimTestKeys.Conformance("eximtest.dns"));

        Assert.Equal(DkimKeyType.Ed25519, r.KeyType);
        Assert.Equal(256, r.KeySize);
        Assert.Empty(r.Findings);
    }

    [Fact]
    public void Brisbane_key_of_rfc8463_appendix_a_is_a_valid_ed25519_key()
    {
        var r = DkimParser.Parse(DkimTestKeys.Brisbane);

        Assert.Equal(DkimKeyType.Ed25519, r.KeyType);
        Assert.Equal(256, r.KeySize);
        Assert.Equal(DkimTestKeys.BrisbaneKey, r.PublicKey);
        Assert.Empty(r.Findings);
    }
}
