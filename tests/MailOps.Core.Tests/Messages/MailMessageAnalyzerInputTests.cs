using System.Text;
using MailOps.Core.Messages;
using Xunit;

namespace MailOps.Core.Tests.Messages;

/// <summary>What the analyzer accepts as a message, and what it rejects as not one.</summary>
public sealed class MailMessageAnalyzerInputTests : IClassFixture<MessageDnsFixture>
{
    private readonly MessageDnsFixture f;

    public MailMessageAnalyzerInputTests(MessageDnsFixture fixture) => f = fixture;

    [Theory]
    [InlineData("")]
    [InlineData("just some text\nwithout any header\n")]
    [InlineData("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj\n")]
    public async Task Input_that_is_not_a_message_is_a_format_exception(string text)
    {
        await Assert.ThrowsAsync<FormatException>(() => f.AnalyzeAsync(text));
    }

    [Fact]
    public async Task Message_file_is_read_from_disk_and_labelled_with_its_path()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Conformance", "dkim", "rfc6376.signed.msg");

        var v = await new MailMessageAnalyzer(f.Resolver).AnalyzeFileAsync(path, new MailMessageCheckOptions { Now = MessageDnsFixture.Now }, CancellationToken.None);

        Assert.Equal(path, v.File);
        Assert.Equal("20030712040037.46341.5F8J@football.example.com", v.MessageId);
        Assert.All(v.Dkim, s => Assert.Equal(DkimVerificationResult.Pass, s.Result));
    }

    [Fact]
    public async Task Authentication_results_that_disagree_with_the_check_now_are_an_info_finding()
    {
        string text = MessageDnsFixture.Plain("ceo@nodmarc.example", "Authentication-Results: mx.receiver.example; dmarc=pass header.from=nodmarc.example");

        var v = await f.AnalyzeAsync(text);

        var finding = Assert.Single(v.Findings, x => x.Code == MessageFindingCodes.MessageAuthenticationResultsDiffer);
        Assert.Equal("dmarc=pass", finding.Term);
        Assert.Equal("dmarc", Assert.Single(v.AuthenticationResults).Method);
    }

    [Fact]
    public async Task Cancelled_analysis_throws_operation_cancelled()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new MailMessageAnalyzer(f.Resolver).AnalyzeAsync(
            new MemoryStream(Encoding.UTF8.GetBytes(MessageDnsFixture.Plain("a@contoso.example"))), null, null, cts.Token));
    }
}
