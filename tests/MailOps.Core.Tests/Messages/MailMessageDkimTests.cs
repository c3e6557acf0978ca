using Xunit;
using MailOps.Core.Messages;

namespace MailOps.Core.Tests.Messages;

/// <summary>DKIM verification of whole messages: the RFC 8463 appendix A message and its
/// variations, keys fetched from a DNS test server.</summary>
public sealed class MailMessageDkimTests : IClassFixture<MessageDnsFixture>
{
    private readonly MessageDnsFixture f;

    public MailMessageDkimTests(MessageDnsFixture fixture) => f = fixture;

    private static string Rfc8463Message => MessageDnsFixture.Conformance("rfc6376.signed.msg").Replace("\r\n", "\n").Replace("\n", "\r\n") + "\r\n";

    /// <summary>The RFC 8463 message with the RSA signature's selector replaced: the body hash
    /// still verifies, so the key lookup decides.</summary>
    private static string WithRsaSelector(string selector) => Rfc8463Message.Replace("q=dns/txt; s=test;", $"q=dns/txt; s={selector};");

    private static DkimSignatureVerdict Rsa(MailMessageVerdict v) => v.Dkim.Single(s => s.Algorithm == "rsa-sha256");

    [Fact]
    public async Task Rfc8463_message_passes_both_ed25519_and_rsa_signatures()
    {
        var v = await f.AnalyzeAsync(Rfc8463Message);

        Assert.Equal(2, v.Dkim.Length);
        Assert.Equal(new[] { "ed25519-sha256", "rsa-sha256" }, v.Dkim.Select(s => s.Algorithm));
        Assert.All(v.Dkim, s => Assert.Equal(DkimVerificationResult.Pass, s.Result));
        Assert.All(v.Dkim, s => Assert.Null(s.Error));
        Assert.Equal(new[] { "brisbane", "test" }, v.Dkim.Select(s => s.Selector));
        Assert.All(v.Dkim, s => Assert.Equal("football.example.com", s.Domain));
        Assert.All(v.Dkim, s => Assert.Equal("simple/simple", s.Canonicalization));
        Assert.Equal(DkimVerificationResult.Pass, v.DkimResult);
    }

    [Fact]
    public async Task Rfc8463_signatures_align_with_the_from_domain_and_dmarc_passes()
    {
        var v = await f.AnalyzeAsync(Rfc8463Message);

        Assert.Equal("football.example.com", v.FromDomain);
        Assert.All(v.Dkim, s => Assert.True(s.IsAligned));
        Assert.Equal(DmarcVerdictResult.Pass, v.Dmarc.Result);
        Assert.True(v.Dmarc.DkimAligned);
    }

    [Fact]
    public async Task Altered_body_fails_with_body_hash_mismatch()
    {
        var v = await f.AnalyzeAsync(Rfc8463Message.Replace("We lost the game.", "We won the game."));

        Assert.All(v.Dkim, s => Assert.Equal(DkimVerificationResult.Fail, s.Result));
        Assert.All(v.Dkim, s => Assert.StartsWith("body hash mismatch", s.Error));
        Assert.Equal(DkimVerificationResult.Fail, v.DkimResult);
    }

    [Fact]
    public async Task Altered_signed_header_fails_with_signature_mismatch()
    {
        var v = await f.AnalyzeAsync(Rfc8463Message.Replace("Subject: Is dinner ready?", "Subject: Is lunch ready?"));

        Assert.All(v.Dkim, s => Assert.Equal(DkimVerificationResult.Fail, s.Result));
        Assert.All(v.Dkim, s => Assert.StartsWith("signature mismatch", s.Error));
    }

    [Fact]
    public async Task Altered_body_with_a_failing_aligned_signature_fails_dmarc_under_reject()
    {
        var v = await f.AnalyzeAsync(Rfc8463Message.Replace("We lost the game.", "We won the game."));

        Assert.Equal(DmarcVerdictResult.Fail, v.Dmarc.Result);
        Assert.Equal(MailOps.Core.Dmarc.DmarcPolicyKind.Reject, v.Dmarc.Policy);
        Assert.Equal(MailVerdict.Fail, v.Verdict);
        Assert.Contains(v.Findings, x => x.Code == MessageFindingCodes.MessageDmarcFailed);
        Assert.Contains(v.Findings, x => x.Code == MessageFindingCodes.MessageDkimFailed);
    }

    [Fact]
    public async Task Selector_without_key_record_is_permerror_key_not_found()
    {
        var s = Rsa(await f.AnalyzeAsync(WithRsaSelector("missing")));

        Assert.Equal(DkimVerificationResult.PermError, s.Result);
        Assert.StartsWith("key not found", s.Error);
        Assert.Equal("missing._domainkey.football.example.com", s.KeyName);
    }

    [Fact]
    public async Task Key_lookup_servfail_is_temperror()
    {
        var s = Rsa(await f.AnalyzeAsync(WithRsaSelector("broken")));

        Assert.Equal(DkimVerificationResult.TempError, s.Result);
        Assert.StartsWith("key lookup failed", s.Error);
    }

    [Fact]
    public async Task Revoked_key_with_empty_p_is_permerror_key_revoked()
    {
        var s = Rsa(await f.AnalyzeAsync(WithRsaSelector("revoked")));

        Assert.Equal(DkimVerificationResult.PermError, s.Result);
        Assert.StartsWith("key revoked", s.Error);
    }

    [Theory]
    [InlineData("badk", "unsupported key type")]
    [InlineData("badversion", "key record invalid")]
    [InlineData("tlsrpt", "key not for email")]
    [InlineData("corrupt", "key record invalid")]
    public async Task Dkimpy_bad_key_records_fail_with_their_reason(string selector, string reason)
    {
        var s = Rsa(await f.AnalyzeAsync(WithRsaSelector(selector)));

        Assert.Equal(DkimVerificationResult.PermError, s.Result);
        Assert.StartsWith(reason, s.Error);
    }

    [Fact]
    public async Task Message_signed_here_with_mimekit_relaxed_relaxed_passes_and_is_aligned()
    {
        var v = await f.AnalyzeAsync(f.Sign(MessageDnsFixture.Plain("ceo@contoso.example")));

        var s = Assert.Single(v.Dkim);
        Assert.Equal(DkimVerificationResult.Pass, s.Result);
        Assert.Equal("relaxed/relaxed", s.Canonicalization);
        Assert.Equal("contoso.example", s.Domain);
        Assert.True(s.IsAligned);
        Assert.Equal(DmarcVerdictResult.Pass, v.Dmarc.Result);
    }

    [Fact]
    public async Task Relaxed_signature_survives_whitespace_changes_in_headers()
    {
        string signed = f.Sign(MessageDnsFixture.Plain("ceo@contoso.example"));

        var v = await f.AnalyzeAsync(signed.Replace("Subject: Quarterly numbers", "Subject:   Quarterly    numbers"));

        Assert.Equal(DkimVerificationResult.Pass, Assert.Single(v.Dkim).Result);
    }

    [Fact]
    public async Task Signature_of_another_organizational_domain_passes_but_is_not_aligned()
    {
        var v = await f.AnalyzeAsync(f.Sign(MessageDnsFixture.Plain("ceo@contoso.example"), "esp.example"));

        var s = Assert.Single(v.Dkim);
        Assert.Equal(DkimVerificationResult.Pass, s.Result);
        Assert.False(s.IsAligned);
        Assert.Contains(v.Findings, x => x.Code == MessageFindingCodes.MessageDkimNotAligned);
    }

    [Fact]
    public async Task Expired_signature_fails_with_expired_reason()
    {
        string signed = f.Sign(MessageDnsFixture.Plain("ceo@contoso.example"));
        var past = new MailMessageCheckOptions { Now = MessageDnsFixture.Now.AddYears(5) };
        string expiring = signed.Replace("DKIM-Signature: v=1;", "DKIM-Signature: v=1; x=1800000000;");

        var v = await f.AnalyzeAsync(expiring, past);

        var s = Assert.Single(v.Dkim);
        Assert.Equal(DkimVerificationResult.Fail, s.Result);
        Assert.StartsWith("expired", s.Error);
    }

    [Fact]
    public async Task Rsa_sha1_signature_is_permerror_unsupported_algorithm()
    {
        var v = await f.AnalyzeAsync(Rfc8463Message.Replace("a=rsa-sha256;", "a=rsa-sha1;"));

        var s = v.Dkim.Single(x => x.Algorithm == "rsa-sha1");
        Assert.Equal(DkimVerificationResult.PermError, s.Result);
        Assert.StartsWith("unsupported algorithm", s.Error);
    }

    [Fact]
    public async Task Signature_without_required_tag_is_permerror_malformed()
    {
        var v = await f.AnalyzeAsync(Rfc8463Message.Replace("bh=4bLNXImK9drULnmePzZNEBleUanJCX5PIsDIFoH4KTQ=; \r\n b=icKc", "b=icKc"));

        var s = Rsa(v);
        Assert.Equal(DkimVerificationResult.PermError, s.Result);
        Assert.Equal("malformed signature (bh= missing)", s.Error);
    }

    [Fact]
    public async Task Unsigned_message_has_no_dkim_results_and_a_not_signed_warning()
    {
        var v = await f.AnalyzeAsync(MessageDnsFixture.Plain("ceo@contoso.example"));

        Assert.Empty(v.Dkim);
        Assert.Equal(DkimVerificationResult.None, v.DkimResult);
        Assert.Contains(v.Findings, x => x.Code == MessageFindingCodes.MessageNotSigned && x.Severity == MailOps.Core.FindingSeverity.Warning);
    }

    [Fact]
    public async Task Keys_are_fetched_through_the_dns_resolver()
    {
        int before = f.Server.CountQueries("brisbane._domainkey.football.example.com", "TXT");

        await f.AnalyzeAsync(Rfc8463Message, resolver: f.NewResolver());

        Assert.True(f.Server.CountQueries("brisbane._domainkey.football.example.com", "TXT") > before);
    }
}
