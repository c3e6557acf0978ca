using System.Management.Automation;
using MailOps.TestSupport.PowerShell;
using MailOps.TestSupport.Smtp;

namespace MailOps.PowerShell.Tests;

/// <summary>
/// The end-to-end run against a real MTA: Send-RelayMail through hosted PowerShell to the Postfix
/// that tests/postfix/start-postfix.sh runs on 127.0.0.1:2525, then the Maildir Postfix delivered
/// to. Where the aiosmtpd tests prove what MailOps says on the wire, these prove that a
/// production mail server accepts it, queues it and delivers it intact, and that its refusals
/// come back as the codes an admin reads. Postfix not running fails these tests (with the command
/// to run); they are never skipped.
/// </summary>
public sealed class PostfixTests : IClassFixture<SendFixture>
{
    // Postfix delivers in milliseconds; the bound only matters when something is broken.
    private static readonly TimeSpan DeliveryBound = TimeSpan.FromSeconds(30);

    private readonly SendFixture f;
    private readonly string store;
    private readonly PostfixServer postfix = PostfixServer.FromEnvironment();

    public PostfixTests(SendFixture fixture)
    {
        f = fixture;
        store = fixture.NewStorePath();
    }

    /// <summary>Register-RelayServer -Name Postfix -Server 127.0.0.1 -Port 2525 -Security None
    /// -FromFilter contoso.example, after checking that Postfix answers.</summary>
    private void RegisterPostfix()
    {
        postfix.EnsureRunning();
        f.Host.Invoke("Register-RelayServer", new Dictionary<string, object?>
        {
            ["Name"] = "Postfix",
            ["Server"] = postfix.Host,
            ["Port"] = postfix.Port,
            ["Security"] = "None",
            ["FromFilter"] = new[] { "contoso.example" },
            ["Path"] = store,
        }).ThrowIfFailed();
    }

    private static string UniqueSubject() => "MailOps Postfix end-to-end " + Guid.NewGuid().ToString("N");

    [Fact]
    public void Message_sent_through_Postfix_arrives_in_the_Maildir_with_its_headers_and_is_listed_as_Sent()
    {
        RegisterPostfix();
        string subject = UniqueSubject();

        var r = f.Send(store, new() { ["From"] = "billing@contoso.example", ["To"] = new[] { "alice@postfix.test" }, ["Subject"] = subject, ["Body"] = "Delivered by a real Postfix." });

        r.ThrowIfFailed();
        var result = r.Single();
        Assert.Equal("Sent", result.Str("Status"));
        Assert.Equal("Postfix", result.Str("Server"));
        Assert.Contains("alice@postfix.test", (string[])result.Prop("AcceptedRecipients")!);
        Assert.Empty(result.Items("RejectedRecipients"));
        PostfixDelivery delivery = postfix.WaitForMessage(subject, DeliveryBound);
        Assert.Equal(subject, delivery.Header("Subject"));
        Assert.Equal("billing@contoso.example", delivery.Header("From"));
        Assert.Equal("<" + result.Str("MessageId") + ">", delivery.Header("Message-ID"));
        // Added by Postfix itself: the envelope it accepted and the mailbox it delivered to.
        Assert.Equal("<billing@contoso.example>", delivery.Header("Return-Path"));
        Assert.Equal("alice@postfix.test", delivery.Header("Delivered-To"));
        Assert.Contains("Delivered by a real Postfix.", delivery.Text);
        var sent = f.Host.Invoke("Get-RelayMessage", new Dictionary<string, object?> { ["Status"] = new[] { "Sent" }, ["Path"] = store });
        sent.ThrowIfFailed();
        var listed = Assert.Single(sent.Output);
        Assert.Equal((long)result.Prop("OutboxId")!, (long)listed.Prop("Id")!);
        Assert.Equal(result.Str("MessageId"), listed.Str("MessageId"));
        Assert.Equal("Postfix", listed.Str("RelayServer"));
    }

    [Fact]
    public void Recipient_Postfix_refuses_with_550_5_1_1_makes_the_message_Failed_in_the_result_and_the_outbox()
    {
        RegisterPostfix();

        var r = f.Send(store, new() { ["From"] = "billing@contoso.example", ["To"] = new[] { PostfixServer.RejectedRecipient }, ["Subject"] = UniqueSubject(), ["Body"] = "Refused at RCPT TO." });

        var result = Assert.Single(r.Output);
        Assert.Equal("Failed", result.Str("Status"));
        Assert.Equal("Postfix", result.Str("Server"));
        // Postfix's own reply to RCPT, not the 554 "No recipients were accepted" that MailKit
        // makes up when every RCPT was refused (Postfix never saw DATA).
        Assert.Equal(550, (int)result.Prop("StatusCode")!);
        Assert.Equal("5.1.1", result.Str("EnhancedStatusCode"));
        Assert.Empty((string[])result.Prop("AcceptedRecipients")!);
        var rejected = Assert.Single(result.Items("RejectedRecipients"));
        Assert.Equal(PostfixServer.RejectedRecipient, rejected.Str("Address"));
        Assert.Equal(550, (int)rejected.Prop("StatusCode")!);
        Assert.Equal("5.1.1", rejected.Str("EnhancedStatusCode"));
        Assert.Contains("no such user", rejected.Str("Reason"));
        var error = Assert.Single(r.Errors);
        Assert.Equal("RelaySendFailed", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.ProtocolError, error.CategoryInfo.Category);
        var queued = f.Host.Invoke("Get-RelayMessage", new Dictionary<string, object?> { ["Id"] = new[] { (long)result.Prop("OutboxId")! }, ["Path"] = store });
        var message = queued.Single();
        Assert.Equal("Failed", message.Str("Status"));
        Assert.Equal(550, (int)message.Prop("LastStatusCode")!);
        Assert.Equal("5.1.1", message.Str("LastEnhancedStatusCode"));
    }
}
