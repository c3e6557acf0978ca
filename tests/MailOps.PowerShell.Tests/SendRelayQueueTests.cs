using System.Management.Automation;
using System.Text.RegularExpressions;
using MailOps.TestSupport.PowerShell;
using MailOps.TestSupport.Smtp;

namespace MailOps.PowerShell.Tests;

/// <summary>The outbox side of sending: 4xx deferral, Invoke-RelayQueue retries, and a
/// fault-injection run that must deliver every message exactly once.</summary>
public sealed class SendRelayQueueTests : IClassFixture<SendFixture>
{
    private readonly SendFixture f;
    private readonly string store;

    public SendRelayQueueTests(SendFixture fixture)
    {
        f = fixture;
        store = fixture.NewStorePath();
    }

    [Fact]
    public void Transient_4xx_defers_the_message_and_Invoke_RelayQueue_delivers_it_once_the_server_recovers()
    {
        SmtpTestServer server = f.StartServer(new SmtpTestServerOptions { StartFailing = true, FailReply = "451 4.3.2 Try again later" });
        f.Register(store, "Office", server.Port);

        var sent = f.Send(store, new Dictionary<string, object?> { ["From"] = "billing@contoso.example", ["To"] = new[] { "carol@fabrikam.example" }, ["Subject"] = "Retry me" });

        var first = sent.Single();
        Assert.Equal("Deferred", first.Str("Status"));
        Assert.Equal(451, (int)first.Prop("StatusCode")!);
        Assert.Contains(sent.Warnings, w => w.Contains("deferred", StringComparison.OrdinalIgnoreCase));
        long id = (long)first.Prop("OutboxId")!;
        Assert.Equal("Deferred", f.Host.Invoke("Get-RelayMessage", new Dictionary<string, object?> { ["Id"] = new[] { id }, ["Path"] = store }).Single().Str("Status"));

        var notDue = f.Host.Invoke("Invoke-RelayQueue", new Dictionary<string, object?> { ["Path"] = store });
        notDue.ThrowIfFailed();
        Assert.Empty(notDue.Output);

        server.SetFailing(false);
        var retried = f.Host.Invoke("Invoke-RelayQueue", new Dictionary<string, object?> { ["Force"] = true, ["Path"] = store });

        retried.ThrowIfFailed();
        var result = retried.Single();
        Assert.Equal("Sent", result.Str("Status"));
        Assert.Equal(first.Str("MessageId"), result.Str("MessageId"));
        Assert.Equal(2, (int)result.Prop("Attempts")!);
        Assert.Equal("Sent", f.Host.Invoke("Get-RelayMessage", new Dictionary<string, object?> { ["Id"] = new[] { id }, ["Path"] = store }).Single().Str("Status"));
        Assert.Single(server.ReceivedMessages);
        Assert.Empty(f.Host.Invoke("Invoke-RelayQueue", new Dictionary<string, object?> { ["Force"] = true, ["Path"] = store }).Output);
    }

    [Fact]
    public void Invoke_RelayQueue_WhatIf_sends_nothing_and_leaves_the_message_Deferred()
    {
        SmtpTestServer server = f.StartServer(new SmtpTestServerOptions { StartFailing = true });
        f.Register(store, "Office", server.Port);
        f.Send(store, new Dictionary<string, object?> { ["From"] = "billing@contoso.example", ["To"] = new[] { "carol@fabrikam.example" }, ["Subject"] = "Later", ["HeloName"] = "whatif.test.example" });
        server.SetFailing(false);

        // The server logs a session's last commands after the client has moved on: wait until
        // the sending session is closed before counting, so only Invoke-RelayQueue could add more.
        server.WaitForSession("whatif.test.example");
        int before = server.Commands.Count;

        var r = f.Host.Invoke("Invoke-RelayQueue", new Dictionary<string, object?> { ["Force"] = true, ["WhatIf"] = true, ["Path"] = store });

        Assert.Empty(r.Output);
        Assert.Equal(before, server.Commands.Count);
        Assert.Equal("Deferred", f.Host.Invoke("Get-RelayMessage", new Dictionary<string, object?> { ["Path"] = store }).Single().Str("Status"));
    }

    [Fact]
    public void Invoke_RelayQueue_with_an_unknown_Id_writes_RelayMessageNotFound()
    {
        SmtpTestServer server = f.StartServer();
        f.Register(store, "Office", server.Port);

        var r = f.Host.Invoke("Invoke-RelayQueue", new Dictionary<string, object?> { ["Id"] = new[] { 4242L }, ["Path"] = store });

        var error = Assert.Single(r.Errors);
        Assert.Equal("RelayMessageNotFound", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
    }

    [Fact]
    public void Messages_sent_while_the_server_fails_randomly_are_all_delivered_exactly_once_after_draining()
    {
        const int Count = 500;
        SmtpTestServer server = f.StartServer(new SmtpTestServerOptions { RandomFailureRate = 0.3, RandomSeed = 7 });
        f.Register(store, "Office", server.Port);
        var rows = Enumerable.Range(1, Count).Select(i =>
        {
            var row = new PSObject();
            row.Properties.Add(new PSNoteProperty("To", $"user{i}@fabrikam.example"));
            row.Properties.Add(new PSNoteProperty("Subject", $"Fault {i}"));
            return (object?)row;
        }).ToArray();

        var sent = f.Send(store, new Dictionary<string, object?> { ["From"] = "billing@contoso.example" }, rows);

        Assert.Equal(Count, sent.Output.Count);
        Assert.Contains(sent.Output, o => o.Str("Status") == "Deferred");
        string[] ids = sent.Output.Select(o => o.Str("MessageId")!).ToArray();
        for (int round = 0; round < 40; round++)
        {
            var left = f.Host.Invoke("Get-RelayMessage", new Dictionary<string, object?> { ["Status"] = new[] { "Queued", "Deferred", "Sending" }, ["Path"] = store });
            if (left.Output.Count == 0)
            {
                break;
            }

            f.Host.Invoke("Invoke-RelayQueue", new Dictionary<string, object?> { ["Force"] = true, ["Path"] = store });
        }

        Assert.Empty(f.Host.Invoke("Get-RelayMessage", new Dictionary<string, object?> { ["Status"] = new[] { "Queued", "Deferred", "Sending", "Failed" }, ["Path"] = store }).Output);
        string[] delivered = server.ReceivedMessages
            .Select(m => Regex.Match(m, @"^Message-Id:\s*<([^>]+)>", RegexOptions.Multiline | RegexOptions.IgnoreCase).Groups[1].Value)
            .ToArray();
        Assert.Equal(Count, delivered.Length);
        Assert.Equal(ids.OrderBy(x => x, StringComparer.Ordinal), delivered.OrderBy(x => x, StringComparer.Ordinal));
    }

    [Fact]
    public void Sent_messages_stay_as_a_log_for_RetentionDays_then_Invoke_RelayQueue_purges_them()
    {
        SmtpTestServer server = f.StartServer();
        f.Register(store, "Office", server.Port);
        var sent = f.Send(store, new Dictionary<string, object?> { ["From"] = "billing@contoso.example", ["To"] = new[] { "carol@fabrikam.example" }, ["Subject"] = "Logged" });
        long id = (long)sent.Single().Prop("OutboxId")!;

        f.Host.Invoke("Invoke-RelayQueue", new Dictionary<string, object?> { ["Path"] = store }).ThrowIfFailed();
        Assert.Equal("Sent", f.Host.Invoke("Get-RelayMessage", new Dictionary<string, object?> { ["Id"] = new[] { id }, ["Path"] = store }).Single().Str("Status"));

        f.Host.Invoke("Invoke-RelayQueue", new Dictionary<string, object?> { ["RetentionDays"] = 0, ["Path"] = store }).ThrowIfFailed();
        var gone = f.Host.Invoke("Get-RelayMessage", new Dictionary<string, object?> { ["Id"] = new[] { id }, ["Path"] = store });

        Assert.Empty(gone.Output);
        Assert.StartsWith("RelayMessageNotFound", Assert.Single(gone.Errors).FullyQualifiedErrorId);
    }
}
