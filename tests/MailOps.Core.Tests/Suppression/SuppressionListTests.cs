using MailOps.Core.Store;
using MailOps.Core.Suppression;
using MailOps.Core.Tests.Store;
using Xunit;

namespace MailOps.Core.Tests.Suppression;

public sealed class SuppressionListTests : IDisposable
{
    private static readonly DateTime T0 = new(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    private readonly TempStore temp = new();
    private readonly MailOpsStore store;
    private DateTime now = T0;

    public SuppressionListTests()
    {
        store = MailOpsStore.Open(temp.FilePath);
    }

    public void Dispose()
    {
        store.Dispose();
        temp.Dispose();
    }

    private SuppressionList List() => new(store, () => now);

    [Fact]
    public async Task Added_address_is_suppressed_and_others_are_not()
    {
        SuppressionAddResult result = await List().AddAsync("gone@contoso.example", "HardBounce", source: "bounces.mbox");

        Assert.False(result.IsUpdate);
        Assert.Equal("gone@contoso.example", result.Entry.Address);
        Assert.Equal("contoso.example", result.Entry.Domain);
        Assert.Equal("HardBounce", result.Entry.Reason);
        Assert.Equal("bounces.mbox", result.Entry.Source);
        Assert.Equal(T0, result.Entry.AddedAt);
        Assert.Null(result.Entry.ExpiresAt);
        Assert.True(await List().IsSuppressedAsync("gone@contoso.example"));
        Assert.False(await List().IsSuppressedAsync("here@contoso.example"));
    }

    [Fact]
    public async Task Matching_ignores_case_in_the_domain_and_the_local_part()
    {
        await List().AddAsync("John.Smith@contoso.example", "Complaint");

        Assert.True(await List().IsSuppressedAsync("john.smith@CONTOSO.example"));
        Assert.True(await List().IsSuppressedAsync("JOHN.SMITH@contoso.example"));
    }

    [Fact]
    public async Task Unicode_domain_is_stored_as_a_label_and_found_in_either_form()
    {
        SuppressionAddResult result = await List().AddAsync("info@Bücher.example", "HardBounce");

        Assert.Equal("info@xn--bcher-kva.example", result.Entry.Address);
        Assert.True(await List().IsSuppressedAsync("info@bücher.example"));
        Assert.True(await List().IsSuppressedAsync("info@xn--bcher-kva.example"));
        Assert.Single(await List().GetAsync("*@bücher.example"));
    }

    [Fact]
    public async Task Adding_a_listed_address_again_updates_its_entry_in_place()
    {
        await List().AddAsync("gone@contoso.example", "SoftBounce", source: "first.mbox");
        now = T0.AddHours(1);

        SuppressionAddResult second = await List().AddAsync("GONE@contoso.example", "HardBounce");

        Assert.True(second.IsUpdate);
        Assert.Equal("SoftBounce", second.Previous!.Reason);
        Assert.Equal("gone@contoso.example", second.Entry.Address);
        Assert.Equal("HardBounce", second.Entry.Reason);
        Assert.Equal("first.mbox", second.Entry.Source);
        Assert.Equal(T0, second.Entry.AddedAt);
        Assert.Equal(T0.AddHours(1), second.Entry.UpdatedAt);
        var all = await List().GetAsync(includeExpired: true);
        Assert.Equal("HardBounce", Assert.Single(all).Reason);
    }

    [Fact]
    public async Task An_earlier_expiry_does_not_shorten_an_active_suppression_without_force()
    {
        await List().AddAsync("gone@contoso.example", "HardBounce");

        SuppressionAddResult result = await List().AddAsync("gone@contoso.example", "SoftBounce", expiresAt: T0.AddDays(7));

        Assert.True(result.ExpiryKept);
        Assert.Null(result.Entry.ExpiresAt);
        Assert.Equal("SoftBounce", result.Entry.Reason);
        now = T0.AddDays(8);
        Assert.True(await List().IsSuppressedAsync("gone@contoso.example"));
    }

    [Fact]
    public async Task Force_applies_an_earlier_expiry()
    {
        await List().AddAsync("gone@contoso.example", "HardBounce");

        SuppressionAddResult result = await List().AddAsync("gone@contoso.example", "SoftBounce", expiresAt: T0.AddDays(7), force: true);

        Assert.False(result.ExpiryKept);
        Assert.Equal(T0.AddDays(7), result.Entry.ExpiresAt);
        now = T0.AddDays(8);
        Assert.False(await List().IsSuppressedAsync("gone@contoso.example"));
    }

    [Fact]
    public async Task A_later_expiry_extends_the_suppression()
    {
        await List().AddAsync("full@contoso.example", "MailboxFull", expiresAt: T0.AddDays(1));

        SuppressionAddResult result = await List().AddAsync("full@contoso.example", "MailboxFull", expiresAt: T0.AddDays(30));

        Assert.False(result.ExpiryKept);
        Assert.Equal(T0.AddDays(30), result.Entry.ExpiresAt);
    }

    [Fact]
    public async Task Expired_entry_no_longer_suppresses_and_is_hidden_unless_asked_for()
    {
        await List().AddAsync("full@contoso.example", "MailboxFull", expiresAt: T0.AddHours(1));
        Assert.True(await List().IsSuppressedAsync("full@contoso.example"));

        now = T0.AddHours(1);

        Assert.False(await List().IsSuppressedAsync("full@contoso.example"));
        Assert.Empty(await List().GetAsync());
        Assert.Empty(await List().GetAsync("full@contoso.example"));
        MailSuppression expired = Assert.Single(await List().GetAsync(includeExpired: true));
        Assert.True(expired.IsExpired);
        Assert.True((await List().FindAsync("full@contoso.example"))!.IsExpired);
    }

    [Fact]
    public async Task Adding_an_expired_address_again_starts_a_new_suppression()
    {
        await List().AddAsync("full@contoso.example", "MailboxFull", expiresAt: T0.AddHours(1));
        now = T0.AddDays(2);

        SuppressionAddResult result = await List().AddAsync("full@contoso.example", "MailboxFull", expiresAt: T0.AddDays(3));

        Assert.True(result.IsUpdate);
        Assert.True(result.Previous!.IsExpired);
        Assert.False(result.ExpiryKept);
        Assert.Equal(T0.AddDays(2), result.Entry.AddedAt);
        Assert.True(await List().IsSuppressedAsync("full@contoso.example"));
    }

    [Fact]
    public async Task Expiry_that_is_not_in_the_future_is_rejected_and_nothing_is_written()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => List().AddAsync("gone@contoso.example", "HardBounce", expiresAt: T0));

        Assert.Empty(await List().GetAsync(includeExpired: true));
    }

    [Fact]
    public async Task Invalid_address_is_rejected_and_never_suppressed()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => List().AddAsync("not an address", "HardBounce"));

        Assert.False(await List().IsSuppressedAsync("not an address"));
        Assert.Null(await List().FindAsync("not an address"));
    }

    [Fact]
    public async Task Wildcard_returns_the_matching_entries_ordered_by_address()
    {
        foreach (string a in new[] { "zed@contoso.example", "amy@contoso.example", "amy@fabrikam.example", "bob@sub.contoso.example" })
        {
            await List().AddAsync(a, "HardBounce");
        }

        var contoso = await List().GetAsync("*@contoso.example");
        var amys = await List().GetAsync("AMY@*");
        var classes = await List().GetAsync("[ab]??@*contoso.example");

        Assert.Equal(new[] { "amy@contoso.example", "zed@contoso.example" }, contoso.Select(e => e.Address));
        Assert.Equal(new[] { "amy@contoso.example", "amy@fabrikam.example" }, amys.Select(e => e.Address));
        Assert.Equal(new[] { "amy@contoso.example", "bob@sub.contoso.example" }, classes.Select(e => e.Address));
        Assert.Equal(4, (await List().GetAsync("*")).Count);
    }

    [Fact]
    public async Task Like_metacharacters_in_a_pattern_are_literal()
    {
        await List().AddAsync("a_b@contoso.example", "HardBounce");
        await List().AddAsync("axb@contoso.example", "HardBounce");

        var result = await List().GetAsync("a_*@contoso.example");

        Assert.Equal("a_b@contoso.example", Assert.Single(result).Address);
    }

    [Fact]
    public async Task Remove_takes_the_address_off_and_reports_a_missing_one()
    {
        await List().AddAsync("gone@contoso.example", "HardBounce");

        Assert.True(await List().RemoveAsync("GONE@Contoso.example"));
        Assert.False(await List().RemoveAsync("gone@contoso.example"));
        Assert.False(await List().IsSuppressedAsync("gone@contoso.example"));
    }

    [Fact]
    public async Task Checking_many_addresses_answers_each_in_input_order()
    {
        await List().AddAsync("a@contoso.example", "HardBounce");
        await List().AddAsync("c@contoso.example", "Complaint", expiresAt: T0.AddMinutes(1));
        await List().AddAsync("d@contoso.example", "Complaint", expiresAt: T0.AddDays(1));
        now = T0.AddHours(1);

        bool[] answers = await List().IsSuppressedAsync(new[] { "a@contoso.example", "b@contoso.example", "c@contoso.example", "not valid", "D@CONTOSO.EXAMPLE" });

        Assert.Equal(new[] { true, false, false, false, true }, answers);
    }

    [Fact]
    public async Task Two_connections_writing_at_once_lose_nothing()
    {
        using MailOpsStore other = MailOpsStore.Open(temp.FilePath);
        var lists = new[] { new SuppressionList(store), new SuppressionList(other) };
        using var start = new Barrier(2);

        await Task.WhenAll(Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
        {
            start.SignalAndWait();
            for (int i = 0; i < 150; i++)
            {
                await lists[w].AddAsync($"user{i}@writer{w}.example", "HardBounce");
            }
        })));

        Assert.Equal(300, (await new SuppressionList(store).GetAsync()).Count);
    }

    [Fact]
    public async Task Concurrent_upserts_of_one_address_leave_one_entry_with_one_add_and_the_rest_updates()
    {
        using MailOpsStore other = MailOpsStore.Open(temp.FilePath);
        var lists = new[] { new SuppressionList(store), new SuppressionList(other) };
        using var start = new Barrier(2);
        var results = new SuppressionAddResult[2][];

        await Task.WhenAll(Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
        {
            start.SignalAndWait();
            var mine = new List<SuppressionAddResult>();
            for (int i = 0; i < 50; i++)
            {
                mine.Add(await lists[w].AddAsync("shared@contoso.example", $"writer{w}-{i}"));
            }

            results[w] = mine.ToArray();
        })));

        var all = results.SelectMany(r => r).ToArray();
        Assert.Equal(1, all.Count(r => !r.IsUpdate));
        Assert.Equal(99, all.Count(r => r.IsUpdate));
        Assert.Single(await new SuppressionList(store).GetAsync(includeExpired: true));
    }
}
