using MailOps.Core.Dkim;
using Xunit;

namespace MailOps.Core.Tests.Dkim;

/// <summary>Key sizes and encodings: RSA moduli read from the DER (RFC 6376 section 3.6.1),
/// strength judged by RFC 8301, Ed25519 as 32 raw bytes (RFC 8463).</summary>
public sealed class DkimKeyTests
{
    private static string[] Codes(DkimParsedRecord r) => r.Findings.Select(f => f.Code).ToArray();

    [Fact]
    public void Rsa_512_bit_key_is_a_weak_key_error()
    {
        var r = DkimParser.Parse("v=DKIM1; k=rsa; p=" + DkimTestKeys.Spki(512));

        Assert.Equal(512, r.KeySize);
        var finding = Assert.Single(r.Findings);
        Assert.Equal(DkimFindingCodes.DkimWeakKey, finding.Code);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Equal("512", finding.Term);
    }

    [Fact]
    public void Rsa_1024_bit_key_is_a_warning_to_upgrade_to_2048()
    {
        var r = DkimParser.Parse("v=DKIM1; k=rsa; p=" + DkimTestKeys.Spki(1024));

        Assert.Equal(1024, r.KeySize);
        var finding = Assert.Single(r.Findings);
        Assert.Equal(DkimFindingCodes.DkimKeyUpgradeRecommended, finding.Code);
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
    }

    [Fact]
    public void Rsa_2048_bit_key_has_no_findings()
    {
        var r = DkimParser.Parse("v=DKIM1; k=rsa; p=" + DkimTestKeys.Spki(2048));

        Assert.Equal(2048, r.KeySize);
        Assert.Empty(r.Findings);
    }

    [Fact]
    public void Rsa_4096_bit_key_has_no_findings()
    {
        var r = DkimParser.Parse("v=DKIM1; k=rsa; p=" + DkimTestKeys.Spki(4096));

        Assert.Equal(4096, r.KeySize);
        Assert.Empty(r.Findings);
    }

    [Theory]
    [InlineData(1023, DkimFindingCodes.DkimWeakKey)]
    [InlineData(1536, DkimFindingCodes.DkimKeyUpgradeRecommended)]
    [InlineData(2047, DkimFindingCodes.DkimKeyUpgradeRecommended)]
    [InlineData(3072, null)]
    [InlineData(8192, DkimFindingCodes.DkimKeyTooLarge)]
    public void Odd_and_large_key_sizes_are_read_to_the_bit(int bits, string? code)
    {
        var r = DkimParser.Parse("v=DKIM1; p=" + DkimTestKeys.SyntheticSpki(bits));

        Assert.Equal(bits, r.KeySize);
        Assert.Equal(code is null ? Array.Empty<string>() : new[] { code }, Codes(r));
    }

    [Fact]
    public void Bare_pkcs1_rsa_key_is_accepted_with_a_warning_and_its_size()
    {
        var r = DkimParser.Parse("v=DKIM1; k=rsa; p=" + DkimTestKeys.Pkcs1(2048));

        Assert.Equal(2048, r.KeySize);
        var finding = Assert.Single(r.Findings);
        Assert.Equal(DkimFindingCodes.DkimKeyNotSubjectPublicKeyInfo, finding.Code);
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
    }

    [Fact]
    public void Ed25519_key_wrapped_in_spki_is_a_parse_error_that_asks_for_the_raw_bytes()
    {
        var r = DkimParser.Parse("v=DKIM1; k=ed25519; p=" + DkimTestKeys.Ed25519Spki(DkimTestKeys.BrisbaneKey));

        Assert.Null(r.KeySize);
        var finding = Assert.Single(r.Findings);
        Assert.Equal(DkimFindingCodes.DkimKeyParseError, finding.Code);
        Assert.Contains("32 raw", finding.Message);
    }

    [Fact]
    public void Rsa_key_published_with_k_ed25519_is_a_parse_error()
    {
        var r = DkimParser.Parse("v=DKIM1; k=ed25519; p=" + DkimTestKeys.Spki(2048));

        Assert.Equal(DkimKeyType.Ed25519, r.KeyType);
        Assert.Null(r.KeySize);
        Assert.Equal(new[] { DkimFindingCodes.DkimKeyParseError }, Codes(r));
    }

    [Fact]
    public void Ed25519_spki_key_published_without_k_tag_is_a_parse_error_suggesting_k_ed25519()
    {
        var r = DkimParser.Parse("v=DKIM1; p=" + DkimTestKeys.Ed25519Spki(DkimTestKeys.BrisbaneKey));

        var finding = Assert.Single(r.Findings);
        Assert.Equal(DkimFindingCodes.DkimKeyParseError, finding.Code);
        Assert.Contains("k=ed25519", finding.Message);
    }

    [Fact]
    public void Raw_ed25519_key_published_as_rsa_is_a_parse_error()
    {
        var r = DkimParser.Parse("v=DKIM1; k=rsa; p=" + DkimTestKeys.BrisbaneKey);

        Assert.Null(r.KeySize);
        Assert.Equal(new[] { DkimFindingCodes.DkimKeyParseError }, Codes(r));
    }

    [Fact]
    public void Ed25519_key_of_31_bytes_is_a_parse_error()
    {
        string short31 = Convert.ToBase64String(Convert.FromBase64String(DkimTestKeys.BrisbaneKey)[..31]);

        var r = DkimParser.Parse("v=DKIM1; k=ed25519; p=" + short31);

        var finding = Assert.Single(r.Findings);
        Assert.Equal(DkimFindingCodes.DkimKeyParseError, finding.Code);
        Assert.Contains("31 bytes", finding.Message);
    }

    [Theory]
    [InlineData("not*base64")]
    [InlineData("MIGfMA0")]
    [InlineData("====")]
    public void Value_that_is_not_base64_is_a_parse_error(string value)
    {
        var r = DkimParser.Parse("v=DKIM1; p=" + value);

        Assert.Equal(new[] { DkimFindingCodes.DkimKeyParseError }, Codes(r));
    }

    [Fact]
    public void Spki_with_trailing_bytes_is_a_parse_error()
    {
        byte[] key = Convert.FromBase64String(DkimTestKeys.Spki(2048));
        string padded = Convert.ToBase64String(key.Concat(new byte[] { 0, 0 }).ToArray());

        var r = DkimParser.Parse("v=DKIM1; p=" + padded);

        Assert.Equal(new[] { DkimFindingCodes.DkimKeyParseError }, Codes(r));
    }

    [Fact]
    public void Spki_of_another_algorithm_is_a_parse_error_naming_its_oid()
    {
        // An EC P-256 key: algorithm 1.2.840.10045.2.1.
        using var ec = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);

        var r = DkimParser.Parse("v=DKIM1; p=" + Convert.ToBase64String(ec.ExportSubjectPublicKeyInfo()));

        var finding = Assert.Single(r.Findings);
        Assert.Equal(DkimFindingCodes.DkimKeyParseError, finding.Code);
        Assert.Contains("1.2.840.10045.2.1", finding.Message);
    }
}
