using System.Text;
using MailOps.Core.Relay;
using MailOps.Core.Store;
using MailOps.Core.Tests.Store;
using Microsoft.Data.Sqlite;
using Xunit;

namespace MailOps.Core.Tests.Outbox;

/// <summary>The outbox state machine, backoff, claims and purge against a real SQLite store
/// file, with a clock the tests move instead of sleeping.</summary>
public sealed class RelayOutboxTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly TempStore temp = new();
    private readonly MailOpsStore store;
    private readonly RelayOutbox outbox;
    private DateTime now = new(2026, 3, 1, 8, 0, 0, DateTimeKind.Utc);

    public RelayOutboxTests()
    {
        store = MailOpsStore.Open(temp.FilePath);
        outbox = new RelayOutbox(store, () => now);
    }

    public void Dispose()
    {
        store.Dispose();
        temp.Dispose();
    }

    private static byte[] Mime(string subject = "Invoice 1")
        => Encoding.ASCII.GetBytes($"From: billing@contoso.example\r\nTo: anna@fabrikam.example\r\nSubject: {subject}\r\nMessage-ID: <1@contoso.example>\r\n\r\nHello\r\n");

    private Task<RelayMessage> Enqueue(string subject = "Invoice 1", RelayCategory category = RelayCategory.Transactional)
        => outbox.EnqueueAsync(Mime(subject), "bounce@contoso.example", new[] { "anna@fabrikam.example", "ben@fabrikam.example" }, "<1@contoso.example>", "Billing <billing@contoso.example>", subject, category, None);

    private async Task<RelayMessage> Get(long id) => (await outbox.GetAsync(null, new[] { id }, None)).Single();

    /// <summary>A message brought to <paramref name="status"/> through the legal transitions.</summary>
    private async Task<RelayMessage> InState(RelayMessageStatus status)
    {
        RelayMessage m = await Enqueue();
        switch (status)
        {
            case RelayMessageStatus.Queued:
                break;
            case RelayMessageStatus.Cancelled:
                Assert.True(await outbox.CancelAsync(m.Id, None));
                break;
            default:
                Assert.NotNull(await outbox.TryBeginSendAsync(m.Id, false, None));
                if (status == RelayMessageStatus.Sent)
                {
                    await outbox.MarkSentAsync(m.Id, "Office", Array.Empty<string>(), None);
                }
                else if (status == RelayMessageStatus.Deferred)
                {
                    await outbox.MarkDeferredAsync(m.Id, "Office", "451 4.3.0 try later", 451, "4.3.0", None);
                }
                else if (status == RelayMessageStatus.Failed)
                {
                    await outbox.MarkFailedAsync(m.Id, "Office", "550 5.7.1 relaying denied", 550, "5.7.1", None);
                }

                break;
        }

        RelayMessage current = await Get(m.Id);
        Assert.Equal(status, current.Status);
        return current;
    }

    [Fact]
    public async Task Enqueued_message_is_Queued_due_now_with_its_envelope_and_headers()
    {
        RelayMessage m = await Enqueue();

        Assert.True(m.Id > 0);
        Assert.Equal(RelayMessageStatus.Queued, m.Status);
        Assert.Equal("bounce@contoso.example", m.From);
        Assert.Equal(new[] { "anna@fabrikam.example", "ben@fabrikam.example" }, m.Recipients);
        Assert.Equal("Billing <billing@contoso.example>", m.HeaderFrom);
        Assert.Equal("Invoice 1", m.Subject);
        Assert.Equal("<1@contoso.example>", m.MessageId);
        Assert.Equal(RelayCategory.Transactional, m.Category);
        Assert.Equal(0, m.Attempts);
        Assert.Equal(new DateTimeOffset(now), m.CreatedAt);
        Assert.Equal(new DateTimeOffset(now), m.NextAttemptAt);
        Assert.Null(m.SentAt);
        Assert.Null(m.RelayServer);
        Assert.Equal(Mime().Length, m.Size);
        Assert.Empty(m.RejectedRecipients);
    }

    [Fact]
    public async Task Enqueued_mime_comes_back_byte_for_byte()
    {
        RelayMessage m = await Enqueue("Grüße");
        byte[] expected = Mime("Grüße");

        Assert.Equal(expected, await outbox.GetMimeAsync(m.Id, None));
    }

    [Fact]
    public async Task Mime_of_an_unknown_id_is_null()
    {
        Assert.Null(await outbox.GetMimeAsync(424242, None));
    }

    [Fact]
    public async Task Recipient_with_a_line_break_is_refused_and_nothing_is_written()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => outbox.EnqueueAsync(Mime(), "a@contoso.example", new[] { "x@fabrikam.example\r\nRCPT TO:<y@evil.example>" }, "<2@contoso.example>", null, null, RelayCategory.Bulk, None));

        Assert.Empty(await outbox.GetAsync(null, null, None));
    }

    [Fact]
    public async Task Queued_message_is_claimed_as_Sending_with_one_more_attempt()
    {
        RelayMessage m = await Enqueue();

        RelayMessage? claimed = await outbox.TryBeginSendAsync(m.Id, false, None);

        Assert.NotNull(claimed);
        Assert.Equal(RelayMessageStatus.Sending, claimed!.Status);
        Assert.Equal(1, claimed.Attempts);
        Assert.Null(claimed.NextAttemptAt);
    }

    [Fact]
    public async Task Sending_message_cannot_be_claimed_a_second_time()
    {
        RelayMessage m = await InState(RelayMessageStatus.Sending);

        Assert.Null(await outbox.TryBeginSendAsync(m.Id, false, None));
        Assert.Equal(1, (await Get(m.Id)).Attempts);
    }

    [Fact]
    public async Task Sending_message_marked_sent_is_Sent_with_time_server_and_rejected_recipients()
    {
        RelayMessage m = await InState(RelayMessageStatus.Sending);
        now = now.AddSeconds(3);

        await outbox.MarkSentAsync(m.Id, "Office", new[] { "ben@fabrikam.example" }, None);

        RelayMessage sent = await Get(m.Id);
        Assert.Equal(RelayMessageStatus.Sent, sent.Status);
        Assert.Equal(new DateTimeOffset(now), sent.SentAt);
        Assert.Equal("Office", sent.RelayServer);
        Assert.Equal(new[] { "ben@fabrikam.example" }, sent.RejectedRecipients);
        Assert.Null(sent.NextAttemptAt);
    }

    [Fact]
    public async Task Sending_message_marked_deferred_waits_for_the_backoff_of_its_attempts()
    {
        RelayMessage m = await InState(RelayMessageStatus.Sending);

        await outbox.MarkDeferredAsync(m.Id, "Office", "451 4.7.1 greylisted", 451, "4.7.1", None);

        RelayMessage deferred = await Get(m.Id);
        Assert.Equal(RelayMessageStatus.Deferred, deferred.Status);
        Assert.Equal(new DateTimeOffset(now + TimeSpan.FromMinutes(1)), deferred.NextAttemptAt);
        Assert.Equal("451 4.7.1 greylisted", deferred.LastError);
        Assert.Equal(451, deferred.LastStatusCode);
        Assert.Equal("4.7.1", deferred.LastEnhancedStatusCode);
        Assert.Equal("Office", deferred.RelayServer);
    }

    [Fact]
    public async Task Deferred_message_is_not_claimable_before_its_time_and_is_after()
    {
        RelayMessage m = await InState(RelayMessageStatus.Deferred);

        now = now.AddSeconds(59);
        Assert.Null(await outbox.TryBeginSendAsync(m.Id, false, None));

        now = now.AddSeconds(1);
        RelayMessage? claimed = await outbox.TryBeginSendAsync(m.Id, false, None);
        Assert.Equal(2, claimed!.Attempts);
    }

    [Fact]
    public async Task Deferred_message_is_claimable_before_its_time_with_force()
    {
        RelayMessage m = await InState(RelayMessageStatus.Deferred);

        RelayMessage? claimed = await outbox.TryBeginSendAsync(m.Id, true, None);

        Assert.Equal(RelayMessageStatus.Sending, claimed!.Status);
    }

    [Fact]
    public async Task Sending_message_marked_failed_is_Failed_with_the_server_reply()
    {
        RelayMessage m = await InState(RelayMessageStatus.Sending);

        await outbox.MarkFailedAsync(m.Id, "Office", "550 5.7.1 relaying denied", 550, "5.7.1", None);

        RelayMessage failed = await Get(m.Id);
        Assert.Equal(RelayMessageStatus.Failed, failed.Status);
        Assert.Equal(550, failed.LastStatusCode);
        Assert.Equal("5.7.1", failed.LastEnhancedStatusCode);
        Assert.Null(failed.NextAttemptAt);
    }

    public static TheoryData<RelayMessageStatus, string> IllegalOutcomes()
    {
        var data = new TheoryData<RelayMessageStatus, string>();
        foreach (RelayMessageStatus status in new[] { RelayMessageStatus.Queued, RelayMessageStatus.Sent, RelayMessageStatus.Deferred, RelayMessageStatus.Failed, RelayMessageStatus.Cancelled })
        {
            foreach (string outcome in new[] { "Sent", "Deferred", "Failed" })
            {
                data.Add(status, outcome);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(IllegalOutcomes))]
    public async Task Only_a_Sending_message_can_get_an_outcome_and_a_refused_one_changes_nothing(RelayMessageStatus status, string outcome)
    {
        RelayMessage before = await InState(status);

        Task mark = outcome switch
        {
            "Sent" => outbox.MarkSentAsync(before.Id, "Other", Array.Empty<string>(), None),
            "Deferred" => outbox.MarkDeferredAsync(before.Id, "Other", "421 later", 421, null, None),
            _ => outbox.MarkFailedAsync(before.Id, "Other", "554 no", 554, null, None),
        };
        await Assert.ThrowsAsync<InvalidOperationException>(() => mark);

        RelayMessage after = await Get(before.Id);
        Assert.Equal(status, after.Status);
        Assert.Equal(before.Attempts, after.Attempts);
        Assert.Equal(before.RelayServer, after.RelayServer);
        Assert.Equal(before.LastError, after.LastError);
    }

    [Fact]
    public async Task Outcome_for_an_unknown_id_is_refused()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => outbox.MarkSentAsync(999, "Office", Array.Empty<string>(), None));
    }

    [Theory]
    [InlineData(RelayMessageStatus.Sent)]
    [InlineData(RelayMessageStatus.Failed)]
    [InlineData(RelayMessageStatus.Cancelled)]
    public async Task Final_message_is_never_claimed_even_with_force(RelayMessageStatus status)
    {
        RelayMessage m = await InState(status);
        now = now.AddDays(1);

        Assert.Null(await outbox.TryBeginSendAsync(m.Id, true, None));
        Assert.Equal(status, (await Get(m.Id)).Status);
    }

    [Fact]
    public async Task Unknown_id_is_not_claimed()
    {
        Assert.Null(await outbox.TryBeginSendAsync(31337, true, None));
    }

    [Theory]
    [InlineData(RelayMessageStatus.Queued)]
    [InlineData(RelayMessageStatus.Deferred)]
    public async Task Waiting_message_is_cancelled_and_is_then_never_due(RelayMessageStatus status)
    {
        RelayMessage m = await InState(status);

        Assert.True(await outbox.CancelAsync(m.Id, None));

        RelayMessage cancelled = await Get(m.Id);
        Assert.Equal(RelayMessageStatus.Cancelled, cancelled.Status);
        Assert.Null(cancelled.NextAttemptAt);
        Assert.Empty(await outbox.GetDueAsync(now.AddDays(1), true, None));
    }

    [Theory]
    [InlineData(RelayMessageStatus.Sending)]
    [InlineData(RelayMessageStatus.Sent)]
    [InlineData(RelayMessageStatus.Failed)]
    [InlineData(RelayMessageStatus.Cancelled)]
    public async Task Message_that_is_not_waiting_is_not_cancelled(RelayMessageStatus status)
    {
        RelayMessage m = await InState(status);

        Assert.False(await outbox.CancelAsync(m.Id, None));
        Assert.Equal(status, (await Get(m.Id)).Status);
    }

    [Fact]
    public async Task Cancelling_an_unknown_id_is_false()
    {
        Assert.False(await outbox.CancelAsync(777, None));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(4, 8)]
    [InlineData(5, 16)]
    [InlineData(6, 32)]
    [InlineData(7, 64)]
    [InlineData(8, 128)]
    [InlineData(9, 256)]
    [InlineData(10, 360)]
    [InlineData(11, 360)]
    [InlineData(int.MaxValue, 360)]
    public void Backoff_doubles_from_one_minute_and_is_capped_at_six_hours(int attempts, int minutes)
    {
        Assert.Equal(TimeSpan.FromMinutes(minutes), RelayOutbox.Backoff(attempts));
    }

    [Fact]
    public async Task Transient_failure_after_MaxAttempts_makes_the_message_Failed()
    {
        RelayMessage m = await Enqueue();
        for (int attempt = 1; attempt <= RelayOutbox.DefaultMaxAttempts; attempt++)
        {
            RelayMessage? claimed = await outbox.TryBeginSendAsync(m.Id, false, None);
            Assert.Equal(attempt, claimed!.Attempts);
            await outbox.MarkDeferredAsync(m.Id, "Office", "421 4.4.2 timeout", 421, "4.4.2", None);
            RelayMessage after = await Get(m.Id);
            Assert.Equal(attempt < RelayOutbox.DefaultMaxAttempts ? RelayMessageStatus.Deferred : RelayMessageStatus.Failed, after.Status);
            now = now + RelayOutbox.Backoff(attempt);
        }

        RelayMessage failed = await Get(m.Id);
        Assert.Null(failed.NextAttemptAt);
        Assert.Contains("gave up after 10 attempts", failed.LastError);
        Assert.Null(await outbox.TryBeginSendAsync(m.Id, true, None));
    }

    [Fact]
    public async Task A_lower_MaxAttempts_fails_sooner()
    {
        outbox.MaxAttempts = 2;
        RelayMessage m = await InState(RelayMessageStatus.Deferred);
        now = now.AddMinutes(1);
        Assert.NotNull(await outbox.TryBeginSendAsync(m.Id, false, None));

        await outbox.MarkDeferredAsync(m.Id, null, "421 busy", 421, null, None);

        Assert.Equal(RelayMessageStatus.Failed, (await Get(m.Id)).Status);
    }

    [Fact]
    public void MaxAttempts_below_one_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => outbox.MaxAttempts = 0);
    }

    [Fact]
    public async Task Two_connections_racing_for_200_messages_claim_each_exactly_once()
    {
        var ids = new List<long>();
        for (int i = 0; i < 200; i++)
        {
            ids.Add((await Enqueue("Bulk " + i, RelayCategory.Bulk)).Id);
        }

        using var start = new ManualResetEventSlim();
        Task<List<long>> Racer(bool reverse) => Task.Run(async () =>
        {
            using MailOpsStore own = MailOpsStore.Open(temp.FilePath);
            var racer = new RelayOutbox(own);
            var claimed = new List<long>();
            start.Wait();
            foreach (long id in reverse ? ids.AsEnumerable().Reverse() : ids)
            {
                if (await racer.TryBeginSendAsync(id, false, None) is not null)
                {
                    claimed.Add(id);
                }
            }

            return claimed;
        });

        Task<List<long>> first = Racer(false);
        Task<List<long>> second = Racer(true);
        start.Set();
        List<long>[] results = await Task.WhenAll(first, second);

        List<long> all = results[0].Concat(results[1]).ToList();
        Assert.Equal(200, all.Count);
        Assert.Equal(ids.OrderBy(x => x), all.OrderBy(x => x));
        Assert.All(await outbox.GetAsync(null, null, None), m => Assert.Equal(1, m.Attempts));
    }

    [Fact]
    public async Task Message_left_Sending_by_a_crash_stays_Sending_and_is_not_due_after_reopening()
    {
        RelayMessage m = await InState(RelayMessageStatus.Sending);

        // The process dies here; a later run opens the store anew.
        now = now.AddHours(5);
        using MailOpsStore reopened = MailOpsStore.Open(temp.FilePath);
        var later = new RelayOutbox(reopened, () => now);

        Assert.Equal(RelayMessageStatus.Sending, (await later.GetAsync(null, new[] { m.Id }, None)).Single().Status);
        Assert.Empty(await later.GetDueAsync(now, false, None));
        Assert.Null(await later.TryBeginSendAsync(m.Id, false, None));
    }

    [Fact]
    public async Task Forced_run_takes_a_crashed_Sending_message_only_after_ten_minutes()
    {
        RelayMessage m = await InState(RelayMessageStatus.Sending);

        now = now.AddMinutes(9);
        Assert.Empty(await outbox.GetDueAsync(now, true, None));
        Assert.Null(await outbox.TryBeginSendAsync(m.Id, true, None));

        now = now.AddMinutes(1);
        Assert.Equal(new[] { m.Id }, (await outbox.GetDueAsync(now, true, None)).Select(x => x.Id));
        RelayMessage? reclaimed = await outbox.TryBeginSendAsync(m.Id, true, None);
        Assert.Equal(2, reclaimed!.Attempts);

        // The reclaim is itself a fresh claim: a second forced run right after does not take it.
        Assert.Null(await outbox.TryBeginSendAsync(m.Id, true, None));
    }

    [Fact]
    public async Task Due_messages_are_Queued_and_Deferred_whose_time_has_come_oldest_first()
    {
        RelayMessage deferred = await InState(RelayMessageStatus.Deferred);
        now = now.AddSeconds(10);
        RelayMessage queued = await Enqueue("second");
        await InState(RelayMessageStatus.Sent);
        await InState(RelayMessageStatus.Failed);

        Assert.Equal(new[] { queued.Id }, (await outbox.GetDueAsync(now, false, None)).Select(x => x.Id));
        Assert.Equal(new[] { deferred.Id, queued.Id }, (await outbox.GetDueAsync(now.AddMinutes(1), false, None)).Select(x => x.Id));
        Assert.Equal(new[] { deferred.Id, queued.Id }, (await outbox.GetDueAsync(now, true, None)).Select(x => x.Id));
    }

    [Fact]
    public async Task Get_filters_by_status_and_by_id()
    {
        RelayMessage queued = await InState(RelayMessageStatus.Queued);
        RelayMessage sent = await InState(RelayMessageStatus.Sent);
        RelayMessage failed = await InState(RelayMessageStatus.Failed);

        Assert.Equal(new[] { queued.Id, sent.Id, failed.Id }, (await outbox.GetAsync(null, null, None)).Select(x => x.Id));
        Assert.Equal(new[] { sent.Id, failed.Id }, (await outbox.GetAsync(new[] { RelayMessageStatus.Failed, RelayMessageStatus.Sent }, null, None)).Select(x => x.Id));
        Assert.Equal(new[] { queued.Id, failed.Id }, (await outbox.GetAsync(null, new[] { failed.Id, queued.Id, 9999 }, None)).Select(x => x.Id));
        Assert.Empty(await outbox.GetAsync(new[] { RelayMessageStatus.Queued }, new[] { sent.Id }, None));
    }

    [Fact]
    public async Task Purge_deletes_Sent_and_Cancelled_older_than_the_retention_with_their_mime()
    {
        RelayMessage oldSent = await InState(RelayMessageStatus.Sent);
        RelayMessage oldCancelled = await InState(RelayMessageStatus.Cancelled);
        RelayMessage oldFailed = await InState(RelayMessageStatus.Failed);
        RelayMessage oldDeferred = await InState(RelayMessageStatus.Deferred);
        RelayMessage oldQueued = await InState(RelayMessageStatus.Queued);
        now = now.AddDays(20);
        RelayMessage newSent = await InState(RelayMessageStatus.Sent);
        now = now.AddDays(1);

        int purged = await outbox.PurgeAsync(TimeSpan.FromDays(7), None);

        Assert.Equal(2, purged);
        Assert.Equal(
            new[] { oldFailed.Id, oldDeferred.Id, oldQueued.Id, newSent.Id },
            (await outbox.GetAsync(null, null, None)).Select(x => x.Id));
        Assert.Null(await outbox.GetMimeAsync(oldSent.Id, None));
        Assert.Null(await outbox.GetMimeAsync(oldCancelled.Id, None));
    }

    [Fact]
    public async Task Ids_are_never_reused_after_a_purge()
    {
        RelayMessage sent = await InState(RelayMessageStatus.Sent);
        now = now.AddDays(1);
        Assert.Equal(1, await outbox.PurgeAsync(TimeSpan.Zero, None));

        RelayMessage next = await Enqueue();

        Assert.True(next.Id > sent.Id);
    }

    [Fact]
    public void Negative_retention_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = outbox.PurgeAsync(TimeSpan.FromDays(-1), None); });
    }

    [Fact]
    public void Outbox_has_no_foreign_key_to_relay_profiles_and_no_column_for_a_secret()
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = temp.FilePath, Pooling = false }.ToString());
        connection.Open();
        foreach (string table in new[] { "outbox_message", "outbox_mime" })
        {
            using SqliteCommand keys = connection.CreateCommand();
            keys.CommandText = $"SELECT \"table\" FROM pragma_foreign_key_list('{table}');";
            using (SqliteDataReader r = keys.ExecuteReader())
            {
                while (r.Read())
                {
                    Assert.NotEqual("relay_profile", r.GetString(0));
                }
            }

            using SqliteCommand columns = connection.CreateCommand();
            columns.CommandText = $"SELECT name FROM pragma_table_info('{table}');";
            using SqliteDataReader c = columns.ExecuteReader();
            int count = 0;
            while (c.Read())
            {
                count++;
                string name = c.GetString(0);
                Assert.DoesNotContain("password", name);
                Assert.DoesNotContain("secret", name);
                Assert.DoesNotContain("credential", name);
            }

            Assert.True(count > 1);
        }
    }

    [Fact]
    public async Task Message_sent_while_some_recipients_refused_for_now_leaves_a_deferred_copy_for_them_only()
    {
        RelayMessage m = await InState(RelayMessageStatus.Sending);

        long? copyId = await outbox.MarkSentWithRetryAsync(m.Id, "Office", new[] { "ben@fabrikam.example (451 busy)" }, new[] { "ben@fabrikam.example" }, "Refused for now: ben", 451, "4.2.1", None);

        RelayMessage sent = await Get(m.Id);
        Assert.Equal(RelayMessageStatus.Sent, sent.Status);
        Assert.NotNull(copyId);
        RelayMessage copy = await Get(copyId!.Value);
        Assert.Equal(RelayMessageStatus.Deferred, copy.Status);
        Assert.Equal(new[] { "ben@fabrikam.example" }, copy.Recipients);
        Assert.Equal(m.MessageId, copy.MessageId);
        Assert.Equal(m.From, copy.From);
        Assert.Equal(sent.Attempts, copy.Attempts);
        Assert.Equal(451, copy.LastStatusCode);
        Assert.Equal("4.2.1", copy.LastEnhancedStatusCode);
        Assert.Equal(new DateTimeOffset(now + RelayOutbox.Backoff(sent.Attempts)), copy.NextAttemptAt);
        Assert.Equal(await outbox.GetMimeAsync(m.Id, None), await outbox.GetMimeAsync(copy.Id, None));
    }

    [Fact]
    public async Task Recipients_refused_for_now_after_the_last_attempt_get_no_copy()
    {
        outbox.MaxAttempts = 1;
        RelayMessage m = await InState(RelayMessageStatus.Sending);

        long? copyId = await outbox.MarkSentWithRetryAsync(m.Id, "Office", new[] { "ben@fabrikam.example (451 busy)" }, new[] { "ben@fabrikam.example" }, "Refused for now: ben", 451, null, None);

        Assert.Null(copyId);
        Assert.Equal(RelayMessageStatus.Sent, (await Get(m.Id)).Status);
        Assert.Single(await outbox.GetAsync(null, null, None));
    }

    [Fact]
    public async Task Partial_retry_of_a_message_that_is_not_Sending_changes_nothing()
    {
        RelayMessage m = await InState(RelayMessageStatus.Sent);

        await Assert.ThrowsAsync<InvalidOperationException>(() => outbox.MarkSentWithRetryAsync(m.Id, "Office", Array.Empty<string>(), new[] { "ben@fabrikam.example" }, "x", 451, null, None));

        Assert.Single(await outbox.GetAsync(null, null, None));
    }
}
