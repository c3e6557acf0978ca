using Xunit;
using MailOps.Core.Bounces;

namespace MailOps.Core.Tests.Bounces;

/// <summary>The classification table: status code and wording together decide the kind.</summary>
public sealed class BounceClassifierTests
{
    [Theory]
    [InlineData("5.1.1", "smtp; 550 5.1.1 <x@y>: Recipient address rejected: User unknown", BounceKind.HardBounce)]
    [InlineData("5.1.10", "smtp; 550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup", BounceKind.HardBounce)]
    [InlineData("5.1.6", "smtp; 551 5.1.6 User has moved", BounceKind.HardBounce)]
    [InlineData("5.2.1", "smtp; 550 5.2.1 Mailbox disabled, not accepting messages", BounceKind.HardBounce)]
    [InlineData("5.0.0", "smtp; 550 No such user here", BounceKind.HardBounce)]
    [InlineData(null, "Sorry, no mailbox here by that name.", BounceKind.HardBounce)]
    [InlineData("5.2.2", "smtp; 552 5.2.2 Over quota", BounceKind.MailboxFull)]
    [InlineData("4.2.2", "smtp; 452 4.2.2 The email account that you tried to reach is over quota", BounceKind.MailboxFull)]
    [InlineData("5.0.0", "smtp; 550 Mailbox full", BounceKind.MailboxFull)]
    [InlineData("5.5.0", "smtp; 550 5.5.0 Requested action not taken: quota exceeded", BounceKind.MailboxFull)]
    [InlineData("5.7.1", "smtp; 554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org", BounceKind.SpamBlock)]
    [InlineData("5.7.1", "smtp; 550 5.7.1 Message rejected as spam by Content Filtering", BounceKind.SpamBlock)]
    [InlineData("5.7.1", "smtp; 550 5.7.1 Your IP 192.0.2.1 is listed on a blacklist", BounceKind.SpamBlock)]
    [InlineData("5.7.606", "smtp; 550 5.7.606 Access denied, banned sending IP [192.0.2.1]. To request removal from this list please visit the delist portal; sender reputation is poor", BounceKind.SpamBlock)]
    [InlineData("5.7.1", "smtp; 550 5.7.1 <x@y>: Relay access denied", BounceKind.PolicyBlock)]
    [InlineData("5.7.26", "smtp; 550 5.7.26 This message does not pass authentication checks (SPF and DKIM both do not pass)", BounceKind.PolicyBlock)]
    [InlineData("5.7.0", "smtp; 550 5.7.0 Sender address rejected: Access denied", BounceKind.PolicyBlock)]
    [InlineData("4.0.0", "smtp; 421 4.0.0 Service not available, closing transmission channel", BounceKind.SoftBounce)]
    [InlineData("4.7.1", "smtp; 450 4.7.1 Greylisted, please try again later", BounceKind.SoftBounce)]
    [InlineData("4.4.1", "smtp; 451 4.4.1 No answer from host", BounceKind.SoftBounce)]
    [InlineData("5.4.4", "X-Postfix; Host or domain name not found. Name service error for name=x.example type=MX", BounceKind.DnsFailure)]
    [InlineData("4.4.3", "X-Postfix; Host or domain name not found. Name service error for name=x.example type=MX: Host not found, try again", BounceKind.DnsFailure)]
    [InlineData("5.1.2", "Sorry, I couldn't find any host named nowhere.example. (#5.1.2)", BounceKind.DnsFailure)]
    [InlineData("5.0.0", "smtp; 550 Domain has no MX records", BounceKind.DnsFailure)]
    [InlineData(null, "Unrouteable address", BounceKind.DnsFailure)]
    [InlineData("5.0.0", "delivery failed: no MX record for example.invalid", BounceKind.DnsFailure)]
    [InlineData("5.3.4", "smtp; 552 5.3.4 Message size exceeds fixed maximum message size", BounceKind.Unknown)]
    [InlineData(null, null, BounceKind.Unknown)]
    public void Status_and_wording_give_the_kind(string? status, string? diagnostic, BounceKind expected)
        => Assert.Equal(expected, BounceClassifier.Classify(status, diagnostic));

    [Fact]
    public void Delayed_action_without_a_status_is_a_SoftBounce()
        => Assert.Equal(BounceKind.SoftBounce, BounceClassifier.Classify(null, "host not responding", BounceAction.Delayed));

    [Theory]
    [InlineData(BounceAction.Delivered)]
    [InlineData(BounceAction.Relayed)]
    [InlineData(BounceAction.Expanded)]
    public void Successful_actions_are_never_classified_as_failures(BounceAction action)
        => Assert.Equal(BounceKind.Unknown, BounceClassifier.Classify("5.1.1", "user unknown", action));

    [Theory]
    [InlineData("5.1.1 (bad destination mailbox address)", "5.1.1")]
    [InlineData("smtp; 550 5.1.1 <x@y>: user unknown", "5.1.1")]
    [InlineData("smtp; 550 5.01.001 padded", "5.1.1")]
    [InlineData("host [192.0.2.25]: 550 user unknown", "5.0.0")]
    [InlineData("#451 temporary failure ##", "4.0.0")]
    [InlineData("Giving up on 192.0.2.25.", null)]
    [InlineData("Unrouteable address", null)]
    public void Status_is_the_enhanced_code_else_the_class_of_the_reply_code(string text, string? expected)
        => Assert.Equal(expected, BounceClassifier.ExtractStatus(text));
}
