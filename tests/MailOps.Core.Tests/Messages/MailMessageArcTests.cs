using System.Text;
using MailOps.Core.Messages;
using MimeKit;
using MimeKit.Cryptography;
using Xunit;

namespace MailOps.Core.Tests.Messages;

/// <summary>ARC chains (RFC 8617) built here with MimeKit's ArcSigner and validated through the DNS test server.</summary>
public sealed class MailMessageArcTests : IClassFixture<MessageDnsFixture>
{
    private readonly MessageDnsFixture f;

    public MailMessageArcTests(MessageDnsFixture fixture) => f = fixture;

    /// <summary>An intermediary (a mailing list at esp.example) that seals what it saw.</summary>
    private sealed class ListSigner : ArcSigner
    {
        public ListSigner(Stream key)
            : base(key, "esp.example", "s2048", DkimSignatureAlgorithm.RsaSha256)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed;
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed;
        }

        protected override AuthenticationResults GenerateArcAuthenticationResults(FormatOptions options, MimeMessage message, CancellationToken cancellationToken)
        {
            var results = new AuthenticationResults("lists.esp.example");
            results.Results.Add(new AuthenticationMethodResult("dkim", "pass"));
            return results;
        }

        protected override Task<AuthenticationResults> GenerateArcAuthenticationResultsAsync(FormatOptions options, MimeMessage message, CancellationToken cancellationToken)
            => Task.FromResult(GenerateArcAuthenticationResults(options, message, cancellationToken));
    }

    private string Seal(string text)
    {
        MimeMessage message = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(text)));
        var signer = new ListSigner(new MemoryStream(Encoding.ASCII.GetBytes(f.Rsa.ExportRSAPrivateKeyPem())));
        signer.Sign(message, new[] { HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId });
        using var output = new MemoryStream();
        message.WriteTo(output);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    [Fact]
    public async Task Message_without_arc_headers_has_arc_none()
    {
        var v = await f.AnalyzeAsync(MessageDnsFixture.Plain("ceo@contoso.example"));

        Assert.Equal(ArcVerdictResult.None, v.Arc.Result);
        Assert.Equal(0, v.Arc.ChainLength);
    }

    [Fact]
    public async Task Chain_sealed_by_one_intermediary_passes_with_length_one()
    {
        var v = await f.AnalyzeAsync(Seal(f.Sign(MessageDnsFixture.Plain("ceo@contoso.example"))));

        Assert.Equal(ArcVerdictResult.Pass, v.Arc.Result);
        Assert.Equal(1, v.Arc.ChainLength);
        Assert.Null(v.Arc.Error);
    }

    [Fact]
    public async Task Chain_of_a_message_changed_after_sealing_fails()
    {
        string sealedText = Seal(f.Sign(MessageDnsFixture.Plain("ceo@contoso.example")));

        var v = await f.AnalyzeAsync(sealedText.Replace("the numbers are attached.", "the numbers are gone."));

        Assert.Equal(ArcVerdictResult.Fail, v.Arc.Result);
        Assert.Contains("MessageSignatureValidationFailed", v.Arc.Error);
        Assert.Contains(v.Findings, x => x.Code == MessageFindingCodes.MessageArcFailed);
    }
}
