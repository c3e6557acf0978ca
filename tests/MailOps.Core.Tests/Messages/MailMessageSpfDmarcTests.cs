using System.Net;
using MailOps.Core.Dmarc;
using MailOps.Core.Messages;
using MailOps.Core.Spf;
using Xunit;

namespace MailOps.Core.Tests.Messages;

/// <summary>SPF for the connecting IP, DMARC alignment and the overall verdict.</summary>
public sealed class MailMessageSpfDmarcTests : IClassFixture<MessageDnsFixture>
{
    private readonly MessageDnsFixture f;

    public MailMessageSpfDmarcTests(MessageDnsFixture fixture) => f = fixture;

    private static MailMessageCheckOptions From(string ip, string? helo = null) => new MailMessageCheckOptions { IPAddress = IPAddress.Parse(ip), HeloName = helo };

    [Fact]
    public async Task Spf_is_checked_for_the_given_ip_and_the_return_path_domain()
    {
        var v = await f.AnalyzeAsync(MessageDnsFixture.Plain("ceo@contoso.example", "Return-Path: <bounce@contoso.example>"), From("198.51.100.7"));

        Assert.NotNull(v.Spf);
        Assert.Equal(SpfResult.Pass, v.Spf!.Result);
        Assert.Equal("contoso.example", v.Spf.Domain);
        Assert.Equal("bounce@contoso.example", v.MailFrom);
        Assert.Equal(IPAddress.Parse("198.51.100.7"), v.IPAddress);
        Assert.True(v.SpfAligned);
    }

    [Fact]
    public async Task Aligned_spf_pass_alone_passes_dmarc_and_the_verdict_is_warning_because_unsigned()
    {
        var v = await f.AnalyzeAsync(MessageDnsFixture.Plain("ceo@contoso.example", "Return-Path: <bounce@contoso.example>"), From("198.51.100.7"));

        Assert.Equal(DmarcVerdictResult.Pass, v.Dmarc.Result);
        Assert.True(v.Dmarc.SpfAligned);
        Assert.False(v.Dmarc.DkimAligned);
        Assert.Equal(MailVerdict.Pass, v.Verdict);
    }

    [Fact]
    public async Task Spf_fail_and_no_signature_fails_dmarc_under_reject()
    {
        var v = await f.AnalyzeAsync(MessageDnsFixture.Plain("ceo@contoso.example", "Return-Path: <bounce@contoso.example>"), From("192.0.2.55"));

        Assert.Equal(SpfResult.Fail, v.Spf!.Result);
        Assert.Equal(DmarcVerdictResult.Fail, v.Dmarc.Result);
        Assert.Equal(DmarcPolicyKind.Reject, v.Dmarc.Policy);
        Assert.Equal(MailVerdict.Fail, v.Verdict);
        Assert.Contains(v.Findings, x => x.Code == MessageFindingCodes.MessageSpfFailed);
        Assert.Contains(v.Findings, x => x.Code == MessageFindingCodes.MessageDmarcFailed && x.Term == "Reject");
    }

    [Fact]
    public async Task Aligned_dkim_pass_passes_dmarc_even_when_spf_fails_as_for_forwarded_mail()
    {
        string signed = f.Sign(MessageDnsFixture.Plain("ceo@contoso.example"));

        var v = await f.AnalyzeAsync("Return-Path: <bounce@contoso.example>\r\n" + signed, From("192.0.2.55"));

        Assert.Equal(SpfResult.Fail, v.Spf!.Result);
        Assert.Equal(DmarcVerdictResult.Pass, v.Dmarc.Result);
        Assert.Equal(MailVerdict.Pass, v.Verdict);
    }

    [Fact]
    public async Task Spf_pass_for_a_provider_bounce_domain_is_not_aligned()
    {
        var v = await f.AnalyzeAsync(MessageDnsFixture.Plain("ceo@contoso.example", "Return-Path: <b-123@bounces.esp.example>"), From("203.0.113.9"));

        Assert.Equal(SpfResult.Pass, v.Spf!.Result);
        Assert.False(v.SpfAligned);
        Assert.Contains(v.Findings, x => x.Code == MessageFindingCodes.MessageSpfNotAligned);
        Assert.Equal(DmarcVerdictResult.Fail, v.Dmarc.Result);
    }

    [Fact]
    public async Task Relaxed_alignment_accepts_a_subdomain_of_the_from_organizational_domain()
    {
        var v = await f.AnalyzeAsync(MessageDnsFixture.Plain("ceo@contoso.example", "Return-Path: <bounce@mail.contoso.example>"), From("198.51.100.7"));

        // mail.contoso.example has no SPF record of its own: SPF None, so not aligned...
        Assert.Equal(SpfResult.None, v.Spf!.Result);
        Assert.False(v.SpfAligned);

        // ...whereas a signature by the parent domain for a subdomain From aligns (relaxed).
        var sub = await f.AnalyzeAsync(f.Sign(MessageDnsFixture.Plain("ceo@news.contoso.example")));
        Assert.True(Assert.Single(sub.Dkim).IsAligned);
        Assert.Equal(MailOps.Core.Dmarc.DmarcAlignment.Relaxed, sub.Dmarc.DkimAlignment);
    }

    [Fact]
    public async Task Connecting_ip_and_helo_come_from_the_top_most_received_header()
    {
        string text = MessageDnsFixture.Plain(
            "ceo@contoso.example",
            "Return-Path: <bounce@contoso.example>",
            "Received: from out1.contoso.example (out1.contoso.example [198.51.100.25]) by mx.receiver.example with ESMTPS id 4F; Sun, 1 Jun 2025 10:00:01 +0000",
            "Received: from [10.0.0.5] by out1.contoso.example; Sun, 1 Jun 2025 10:00:00 +0000");

        var v = await f.AnalyzeAsync(text);

        Assert.Equal(IPAddress.Parse("198.51.100.25"), v.IPAddress);
        Assert.Equal("out1.contoso.example", v.HeloName);
        Assert.Equal(SpfResult.Pass, v.Spf!.Result);
    }

    [Fact]
    public async Task IPAddress_option_overrides_the_received_header()
    {
        string text = MessageDnsFixture.Plain(
            "ceo@contoso.example",
            "Return-Path: <bounce@contoso.example>",
            "Received: from out1.contoso.example (out1.contoso.example [198.51.100.25]) by mx.receiver.example; Sun, 1 Jun 2025 10:00:01 +0000");

        var v = await f.AnalyzeAsync(text, From("192.0.2.55"));

        Assert.Equal(IPAddress.Parse("192.0.2.55"), v.IPAddress);
        Assert.Equal(SpfResult.Fail, v.Spf!.Result);
    }

    [Fact]
    public async Task Without_any_ip_spf_is_not_checked_and_an_info_finding_says_so()
    {
        var v = await f.AnalyzeAsync(MessageDnsFixture.Plain("ceo@contoso.example"));

        Assert.Null(v.Spf);
        Assert.Null(v.SpfResult);
        Assert.Contains(v.Findings, x => x.Code == MessageFindingCodes.MessageNoConnectingIp && x.Severity == FindingSeverity.Info);
    }

    [Fact]
    public async Task Dmarc_fail_under_p_none_is_a_warning_not_a_fail()
    {
        var v = await f.AnalyzeAsync(MessageDnsFixture.Plain("ceo@monitor.example", "Return-Path: <bounce@monitor.example>"), From("192.0.2.55"));

        Assert.Equal(DmarcVerdictResult.Fail, v.Dmarc.Result);
        Assert.Equal(DmarcPolicyKind.None, v.Dmarc.Policy);
        Assert.Equal(SpfResult.Fail, v.Spf!.Result);

        // No DKIM pass and SPF fail: receivers reject on SPF even without an enforcing DMARC policy.
        Assert.Equal(MailVerdict.Fail, v.Verdict);
    }

    [Fact]
    public async Task Dmarc_fail_under_p_none_with_spf_softfail_is_a_warning()
    {
        var v = await f.AnalyzeAsync(f.Sign(MessageDnsFixture.Plain("ceo@monitor.example"), "esp.example"));

        Assert.Equal(DmarcVerdictResult.Fail, v.Dmarc.Result);
        Assert.Equal(MailVerdict.Warning, v.Verdict);
    }

    [Fact]
    public async Task From_domain_without_dmarc_record_is_none_with_a_warning()
    {
        var v = await f.AnalyzeAsync(MessageDnsFixture.Plain("ceo@nodmarc.example"));

        Assert.Equal(DmarcVerdictResult.None, v.Dmarc.Result);
        Assert.Null(v.Dmarc.Policy);
        Assert.Contains(v.Findings, x => x.Code == MessageFindingCodes.MessageDmarcNoPolicy);
        Assert.Equal(MailVerdict.Warning, v.Verdict);
    }

    [Fact]
    public async Task Identity_fields_are_read_from_the_headers()
    {
        var v = await f.AnalyzeAsync(MessageDnsFixture.Plain("CEO@Contoso.Example"));

        Assert.Equal("CEO@Contoso.Example", v.From);
        Assert.Equal("contoso.example", v.FromDomain);
        Assert.Equal("Quarterly numbers", v.Subject);
        Assert.Equal("1@Contoso.Example", v.MessageId);
        Assert.Equal(new DateTimeOffset(2025, 6, 1, 10, 0, 0, TimeSpan.Zero), v.Date);
        Assert.Equal("test.eml", v.File);
        Assert.NotEmpty(v.Trace);
    }
}
