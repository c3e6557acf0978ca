using System.Text;
using MailOps.Core.Relay.Signing;
using MailOps.TestSupport.Smtp;
using Xunit;

namespace MailOps.Core.Tests.Signing;

/// <summary>Signatures made by the engine, checked by an independent verifier (dkimpy).</summary>
public sealed class DkimMessageSignerTests
{
    private const string RsaKeyName = "s2048._domainkey.contoso.example";

    private static DkimSigningOptions Rsa(DkimCanonicalization header = DkimCanonicalization.Relaxed, DkimCanonicalization body = DkimCanonicalization.Relaxed, string[]? headers = null)
        => new()
        {
            Domain = "contoso.example",
            Selector = "s2048",
            Key = DkimSigningKey.Load(SigningTestData.RsaPkcs1Pem),
            HeaderCanonicalization = header,
            BodyCanonicalization = body,
            Headers = headers,
        };

    private static string HeaderBlock(byte[] message)
    {
        string text = Encoding.ASCII.GetString(message);
        return text.Substring(0, text.IndexOf("\r\n\r\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Rsa_sha256_relaxed_relaxed_signature_verifies_with_dkimpy()
    {
        byte[] signed = DkimMessageSigner.Sign(SigningTestData.Plain(), Rsa());

        var verdict = DkimPythonVerifier.Verify(signed, SigningTestData.RsaRecord, RsaKeyName);

        Assert.True(verdict.Ok, verdict.ToString());
        Assert.StartsWith("DKIM-Signature: v=1; a=rsa-sha256; ", Encoding.ASCII.GetString(signed));
        Assert.Contains("c=relaxed/relaxed", HeaderBlock(signed));
    }

    [Fact]
    public void Simple_simple_signature_verifies_with_dkimpy()
    {
        byte[] signed = DkimMessageSigner.Sign(SigningTestData.Plain(), Rsa(DkimCanonicalization.Simple, DkimCanonicalization.Simple));

        var verdict = DkimPythonVerifier.Verify(signed, SigningTestData.RsaRecord, RsaKeyName);

        Assert.True(verdict.Ok, verdict.ToString());
        Assert.Contains("c=simple/simple", HeaderBlock(signed));
    }

    [Fact]
    public void Ed25519_sha256_signature_with_the_dkimpy_test_key_verifies_with_dkimpy()
    {
        var options = new DkimSigningOptions { Domain = "example.com", Selector = "test", Key = DkimSigningKey.Load(SigningTestData.Ed25519TestSeed) };

        byte[] signed = DkimMessageSigner.Sign(SigningTestData.Ed25519TestMessage, options);

        var verdict = DkimPythonVerifier.Verify(signed, SigningTestData.Ed25519TestRecord, "test._domainkey.example.com");
        Assert.True(verdict.Ok, verdict.ToString());
        Assert.Contains("a=ed25519-sha256", HeaderBlock(signed));
    }

    [Fact]
    public void Ed25519_sha256_signature_with_the_rfc8463_key_verifies_with_dkimpy()
    {
        var options = new DkimSigningOptions { Domain = "football.example.com", Selector = "brisbane", Key = DkimSigningKey.Load(SigningTestData.Ed25519Pkcs8Pem(SigningTestData.Rfc8032Seed)) };

        byte[] signed = DkimMessageSigner.Sign(SigningTestData.Plain(), options);

        var verdict = DkimPythonVerifier.Verify(signed, SigningTestData.Rfc8032Record, "brisbane._domainkey.football.example.com");
        Assert.True(verdict.Ok, verdict.ToString());
    }

    [Fact]
    public void Message_whose_body_is_altered_after_signing_fails_dkimpy_verification()
    {
        string signed = Encoding.ASCII.GetString(DkimMessageSigner.Sign(SigningTestData.Plain(), Rsa()));
        byte[] altered = Encoding.ASCII.GetBytes(signed.Replace("your invoice is attached.", "pay to IBAN XX00 0000."));

        var verdict = DkimPythonVerifier.Verify(altered, SigningTestData.RsaRecord, RsaKeyName);

        Assert.False(verdict.Ok);
        Assert.Equal("signature verification failed", verdict.Output);
    }

    [Fact]
    public void Message_whose_subject_is_altered_after_signing_fails_dkimpy_verification()
    {
        string signed = Encoding.ASCII.GetString(DkimMessageSigner.Sign(SigningTestData.Plain(), Rsa()));
        byte[] altered = Encoding.ASCII.GetBytes(signed.Replace("Subject: Invoice 2025-0042", "Subject: Overdue invoice 2025-0042"));

        Assert.False(DkimPythonVerifier.Verify(altered, SigningTestData.RsaRecord, RsaKeyName).Ok);
    }

    [Fact]
    public void Signature_checked_against_another_key_fails_dkimpy_verification()
    {
        byte[] signed = DkimMessageSigner.Sign(SigningTestData.Plain(), Rsa());
        using var other = System.Security.Cryptography.RSA.Create(2048);

        var verdict = DkimPythonVerifier.Verify(signed, "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(other.ExportSubjectPublicKeyInfo()), RsaKeyName);

        Assert.False(verdict.Ok);
    }

    [Fact]
    public void Message_with_lf_line_ends_is_written_with_crlf_and_verifies()
    {
        byte[] signed = DkimMessageSigner.Sign(SigningTestData.Plain("\n"), Rsa());

        string text = Encoding.ASCII.GetString(signed);
        Assert.DoesNotContain("\n", text.Replace("\r\n", string.Empty));
        Assert.True(DkimPythonVerifier.Verify(signed, SigningTestData.RsaRecord, RsaKeyName).Ok);
    }

    [Fact]
    public void Default_headers_sign_only_those_present_with_from_first()
    {
        byte[] signed = DkimMessageSigner.Sign(SigningTestData.Plain(), Rsa());

        string h = System.Text.RegularExpressions.Regex.Match(HeaderBlock(signed).Replace("\r\n", string.Empty), @"h=([^;]+);").Groups[1].Value.Replace(" ", string.Empty).Replace("\t", string.Empty);
        Assert.Equal("from:to:subject:date:message-id:mime-version:content-type", h);
    }

    [Fact]
    public void From_is_signed_even_when_the_header_list_omits_it()
    {
        Assert.Equal(new[] { "from", "subject" }, DkimMessageSigner.SelectHeaders(MimeKit.MimeMessage.Load(new MemoryStream(SigningTestData.Plain())), new[] { "Subject" }));
    }

    [Fact]
    public void Explicit_header_list_keeps_absent_and_repeated_names_for_oversigning()
    {
        byte[] signed = DkimMessageSigner.Sign(SigningTestData.Plain(), Rsa(headers: new[] { "from", "from", "subject", "reply-to" }));

        string unfolded = HeaderBlock(signed).Replace("\r\n", string.Empty).Replace(" ", string.Empty).Replace("\t", string.Empty);
        Assert.Contains("h=from:from:subject:reply-to;", unfolded);
        Assert.True(DkimPythonVerifier.Verify(signed, SigningTestData.RsaRecord, RsaKeyName).Ok);
    }

    [Fact]
    public void New_signature_goes_on_top_and_an_earlier_one_is_kept()
    {
        byte[] once = DkimMessageSigner.Sign(SigningTestData.Plain(), Rsa());
        var ed = new DkimSigningOptions { Domain = "example.com", Selector = "test", Key = DkimSigningKey.Load(SigningTestData.Ed25519TestSeed) };

        byte[] twice = DkimMessageSigner.Sign(once, ed);

        string headers = HeaderBlock(twice);
        Assert.Equal(2, headers.Split("DKIM-Signature:").Length - 1);
        Assert.Contains("a=ed25519-sha256", headers.Substring(0, headers.IndexOf("DKIM-Signature:", 10, StringComparison.Ordinal)));
        Assert.True(DkimPythonVerifier.Verify(twice, SigningTestData.Ed25519TestRecord, "test._domainkey.example.com").Ok);
    }

    [Fact]
    public void Rsa_key_with_the_ed25519_algorithm_is_refused_as_algorithm_mismatch()
    {
        var options = Rsa();
        options.Algorithm = DkimSigningAlgorithm.Ed25519Sha256;

        var ex = Assert.Throws<DkimSigningKeyException>(() => DkimMessageSigner.Sign(SigningTestData.Plain(), options));

        Assert.Equal(DkimSigningKeyError.AlgorithmMismatch, ex.Reason);
    }

    [Fact]
    public void Message_without_from_cannot_be_signed()
    {
        byte[] noFrom = Encoding.ASCII.GetBytes("To: a@fabrikam.example\r\nSubject: x\r\n\r\nbody\r\n");

        Assert.Throws<FormatException>(() => DkimMessageSigner.Sign(noFrom, Rsa()));
    }

    [Fact]
    public void Invalid_signing_domain_is_refused_before_signing()
    {
        var options = Rsa();
        options.Domain = "not a domain";

        Assert.Throws<ArgumentException>(() => DkimMessageSigner.Sign(SigningTestData.Plain(), options));
    }

    [Fact]
    public void Expiry_is_written_as_x_tag_after_t_tag()
    {
        var options = Rsa();
        options.SignaturesExpireAfter = TimeSpan.FromDays(7);

        string headers = HeaderBlock(DkimMessageSigner.Sign(SigningTestData.Plain(), options)).Replace("\r\n", string.Empty);

        long t = long.Parse(System.Text.RegularExpressions.Regex.Match(headers, @"t=(\d+)").Groups[1].Value);
        long x = long.Parse(System.Text.RegularExpressions.Regex.Match(headers, @"x=(\d+)").Groups[1].Value);
        Assert.Equal(7 * 86400, x - t);
    }
}
