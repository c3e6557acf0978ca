using MailOps.Core.Relay;
using Xunit;

namespace MailOps.Core.Tests.Relay;

/// <summary>The server choice and From rewrite of RelayRoute.Choose, on profiles built in memory.</summary>
public sealed class RelayRouteTests
{
    private static RelayServer P(string name, int priority = 100, RelayCategory category = RelayCategory.Transactional, bool enabled = true, params string[] filter)
        => RelayServer.Create(name, "smtp." + name.ToLowerInvariant() + ".example", priority: priority, fromFilter: filter, category: category, enabled: enabled);

    private static string[] Names(RelayRouteDecision d) => d.Candidates.Select(c => c.Name).ToArray();

    private static RelayDefaults Defaults(string local = "noreply", string domain = "alias.example") => RelayDefaults.Create(local, domain);

    [Theory]
    [InlineData("billing@contoso.example", "billing@contoso.example", true)]
    [InlineData("billing@contoso.example", "BILLING@Contoso.Example", true)]
    [InlineData("billing@contoso.example", "sales@contoso.example", false)]
    [InlineData("contoso.example", "anyone@contoso.example", true)]
    [InlineData("contoso.example", "anyone@CONTOSO.example", true)]
    [InlineData("contoso.example", "news@mail.contoso.example", false)]
    [InlineData("contoso.example", "x@notcontoso.example", false)]
    [InlineData("*.contoso.example", "news@mail.contoso.example", true)]
    [InlineData("*.contoso.example", "news@eu.mail.contoso.example", true)]
    [InlineData("*.contoso.example", "x@contoso.example", false)]
    [InlineData("*.contoso.example", "x@badcontoso.example", false)]
    [InlineData("@contoso.example", "x@contoso.example", true)]
    [InlineData("*@contoso.example", "x@contoso.example", true)]
    [InlineData("*@contoso.example", "x@sub.contoso.example", false)]
    public void From_filter_matching_table(string filter, string from, bool matches)
    {
        RelayRouteDecision d = RelayRoute.Choose(new[] { P("A", filter: filter) }, null, from, RelayCategory.Transactional);

        Assert.Equal(matches, d.Candidates.Length == 1);
    }

    [Fact]
    public void Empty_filter_matches_every_From()
    {
        RelayRouteDecision d = RelayRoute.Choose(new[] { P("Any") }, null, "someone@anywhere.example", RelayCategory.Transactional);

        Assert.Equal(new[] { "Any" }, Names(d));
        Assert.False(d.FromRewritten);
        Assert.Equal("someone@anywhere.example", d.From);
        Assert.Null(d.ReplyTo);
    }

    [Fact]
    public void Disabled_profiles_are_skipped()
    {
        var profiles = new[] { P("Off", priority: 1, enabled: false), P("On", priority: 50) };

        Assert.Equal(new[] { "On" }, Names(RelayRoute.Choose(profiles, null, "a@contoso.example", RelayCategory.Transactional)));
    }

    [Fact]
    public void Only_profiles_of_the_messages_category_are_candidates()
    {
        var profiles = new[] { P("Tx", priority: 1), P("Bulk1", priority: 5, category: RelayCategory.Bulk), P("Bulk2", priority: 2, category: RelayCategory.Bulk) };

        Assert.Equal(new[] { "Bulk2", "Bulk1" }, Names(RelayRoute.Choose(profiles, null, "news@contoso.example", RelayCategory.Bulk)));
        Assert.Equal(new[] { "Tx" }, Names(RelayRoute.Choose(profiles, null, "news@contoso.example", RelayCategory.Transactional)));
    }

    [Fact]
    public void Lowest_priority_number_comes_first()
    {
        var profiles = new[] { P("C", priority: 30), P("A", priority: 10), P("B", priority: 20) };

        Assert.Equal(new[] { "A", "B", "C" }, Names(RelayRoute.Choose(profiles, null, "a@contoso.example", RelayCategory.Transactional)));
    }

    [Fact]
    public void Equal_priorities_are_ordered_by_name_whatever_the_input_order()
    {
        var profiles = new[] { P("zeta", priority: 10), P("Alpha", priority: 10), P("beta", priority: 10), P("First", priority: 1) };

        Assert.Equal(new[] { "First", "Alpha", "beta", "zeta" }, Names(RelayRoute.Choose(profiles, null, "a@contoso.example", RelayCategory.Transactional)));
        Assert.Equal(new[] { "First", "Alpha", "beta", "zeta" }, Names(RelayRoute.Choose(profiles.Reverse().ToArray(), null, "a@contoso.example", RelayCategory.Transactional)));
    }

    [Fact]
    public void A_matching_filter_and_an_empty_filter_both_qualify_in_priority_order()
    {
        var profiles = new[] { P("Catchall", priority: 5), P("Contoso", priority: 10, filter: "contoso.example"), P("Fabrikam", priority: 1, filter: "fabrikam.example") };

        Assert.Equal(new[] { "Catchall", "Contoso" }, Names(RelayRoute.Choose(profiles, null, "a@contoso.example", RelayCategory.Transactional)));
    }

    [Fact]
    public void No_match_and_no_defaults_gives_no_candidates_and_says_what_to_configure()
    {
        var profiles = new[] { P("Fabrikam", filter: "fabrikam.example") };

        RelayRouteDecision d = RelayRoute.Choose(profiles, null, "a@contoso.example", RelayCategory.Transactional);

        Assert.Empty(d.Candidates);
        Assert.False(d.CanSend);
        Assert.Null(d.RelayServer);
        Assert.False(d.FromRewritten);
        Assert.Contains("No enabled Transactional relay profile may send as a@contoso.example", d.Reason);
        Assert.Contains("Set-RelayDefault", d.Reason);
    }

    [Fact]
    public void No_profile_at_all_says_to_register_one()
    {
        RelayRouteDecision d = RelayRoute.Choose(Array.Empty<RelayServer>(), Defaults(), "a@contoso.example", RelayCategory.Bulk);

        Assert.Empty(d.Candidates);
        Assert.Contains("No enabled Bulk relay profile is registered", d.Reason);
    }

    [Fact]
    public void No_match_with_defaults_rewrites_From_keeping_the_display_name_and_sets_ReplyTo()
    {
        var profiles = new[] { P("Alias", filter: "alias.example"), P("Fabrikam", priority: 1, filter: "fabrikam.example") };

        RelayRouteDecision d = RelayRoute.Choose(profiles, Defaults(), "Jane Doe <jane@contoso.example>", RelayCategory.Transactional);

        Assert.True(d.FromRewritten);
        Assert.Equal("\"Jane Doe\" <noreply@alias.example>", d.From);
        Assert.Equal("\"Jane Doe\" <jane@contoso.example>", d.OriginalFrom);
        Assert.Equal(d.OriginalFrom, d.ReplyTo);
        Assert.Equal(new[] { "Alias" }, Names(d));
        Assert.Equal("Alias", d.RelayServer);
        Assert.Contains("From rewritten to", d.Reason);
    }

    [Fact]
    public void Rewrite_of_a_bare_address_gives_a_bare_address()
    {
        RelayRouteDecision d = RelayRoute.Choose(new[] { P("Alias", filter: "alias.example") }, Defaults(), "jane@contoso.example", RelayCategory.Transactional);

        Assert.Equal("noreply@alias.example", d.From);
        Assert.Equal("jane@contoso.example", d.ReplyTo);
    }

    [Fact]
    public void A_match_is_never_rewritten_even_when_defaults_exist()
    {
        RelayRouteDecision d = RelayRoute.Choose(new[] { P("Contoso", filter: "contoso.example") }, Defaults(), "Jane <jane@contoso.example>", RelayCategory.Transactional);

        Assert.False(d.FromRewritten);
        Assert.Null(d.ReplyTo);
        Assert.Equal(d.OriginalFrom, d.From);
    }

    [Fact]
    public void Rewrite_whose_default_sender_no_profile_may_use_has_no_candidates_and_says_so()
    {
        RelayRouteDecision d = RelayRoute.Choose(new[] { P("Fabrikam", filter: "fabrikam.example") }, Defaults(), "jane@contoso.example", RelayCategory.Transactional);

        Assert.True(d.FromRewritten);
        Assert.Empty(d.Candidates);
        Assert.Contains("no enabled Transactional profile may send as noreply@alias.example either", d.Reason);
    }

    [Fact]
    public void The_default_sender_itself_is_not_rewritten_to_itself()
    {
        RelayRouteDecision d = RelayRoute.Choose(new[] { P("Fabrikam", filter: "fabrikam.example") }, Defaults(), "NoReply@alias.example", RelayCategory.Transactional);

        Assert.False(d.FromRewritten);
        Assert.Empty(d.Candidates);
        Assert.Contains("default sender itself", d.Reason);
    }

    [Fact]
    public void Rewritten_candidates_are_also_limited_to_the_category_and_ordered()
    {
        var profiles = new[]
        {
            P("AliasB", priority: 20, filter: "alias.example"),
            P("AliasA", priority: 10, filter: "alias.example"),
            P("AliasBulk", priority: 1, category: RelayCategory.Bulk, filter: "alias.example"),
            P("AliasOff", priority: 1, enabled: false, filter: "alias.example"),
        };

        RelayRouteDecision d = RelayRoute.Choose(profiles, Defaults(), "jane@contoso.example", RelayCategory.Transactional);

        Assert.Equal(new[] { "AliasA", "AliasB" }, Names(d));
    }

    [Fact]
    public void Unicode_and_punycode_domains_match_each_other()
    {
        var unicodeFilter = new[] { P("Buecher", filter: "bücher.example") };
        var punyFilter = new[] { P("Buecher", filter: "xn--bcher-kva.example") };

        Assert.Single(RelayRoute.Choose(unicodeFilter, null, "info@xn--bcher-kva.example", RelayCategory.Transactional).Candidates);
        Assert.Single(RelayRoute.Choose(punyFilter, null, "info@bücher.example", RelayCategory.Transactional).Candidates);
        Assert.Single(RelayRoute.Choose(punyFilter, null, "Bücherei <info@BÜCHER.example>", RelayCategory.Transactional).Candidates);
        Assert.Equal(new[] { "xn--bcher-kva.example" }, unicodeFilter[0].FromFilter);
    }

    [Fact]
    public void Rewrite_to_an_IDN_alias_uses_its_punycode_form()
    {
        RelayRouteDecision d = RelayRoute.Choose(new[] { P("Alias", filter: "*.bücher.example", priority: 1), P("Exact", filter: "bücher.example") }, RelayDefaults.Create("noreply", "bücher.example"), "Shop <shop@contoso.example>", RelayCategory.Transactional);

        Assert.True(d.FromRewritten);
        Assert.Equal("\"Shop\" <noreply@xn--bcher-kva.example>", d.From);
        Assert.Equal(new[] { "Exact" }, Names(d));
    }

    [Fact]
    public void Many_profiles_are_filtered_and_ordered_correctly()
    {
        var profiles = new List<RelayServer>();
        for (int i = 0; i < 500; i++)
        {
            string filter = i % 5 == 0 ? "contoso.example" : "other" + i + ".example";
            profiles.Add(P("relay" + i.ToString("D3"), priority: 1000 - i, enabled: i % 10 != 5, category: i % 3 == 0 ? RelayCategory.Transactional : RelayCategory.Bulk, filter: filter));
        }

        RelayRouteDecision d = RelayRoute.Choose(profiles, null, "a@contoso.example", RelayCategory.Transactional);

        int[] expected = Enumerable.Range(0, 500).Where(i => i % 5 == 0 && i % 10 != 5 && i % 3 == 0).OrderByDescending(i => i).ToArray();
        Assert.Equal(expected.Select(i => "relay" + i.ToString("D3")), Names(d));
        Assert.Equal(expected.Length, d.Candidates.Length);
        Assert.True(expected.Length > 10);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not an address")]
    [InlineData("jane@contoso.example\r\nBcc: victim@x.example")]
    [InlineData("Jane <jane@")]
    public void A_From_that_is_not_a_mailbox_is_refused(string from)
    {
        Assert.Throws<ArgumentException>(() => RelayRoute.Choose(new[] { P("Any") }, null, from, RelayCategory.Transactional));
    }

    [Fact]
    public void Angle_bracket_address_without_a_name_is_accepted()
    {
        RelayRouteDecision d = RelayRoute.Choose(new[] { P("Contoso", filter: "contoso.example") }, null, "<jane@contoso.example>", RelayCategory.Transactional);

        Assert.Equal("jane@contoso.example", d.From);
        Assert.Single(d.Candidates);
    }

    [Fact]
    public void Rewrite_keeps_a_display_name_with_quotes_and_commas_intact()
    {
        RelayRouteDecision d = RelayRoute.Choose(new[] { P("Alias", filter: "alias.example") }, Defaults(), "\"O'Brien, \\\"Pat\\\"\" <pat@contoso.example>", RelayCategory.Transactional);

        Assert.Equal("\"O'Brien, \\\"Pat\\\"\" <noreply@alias.example>", d.From);
        Assert.Equal("\"O'Brien, \\\"Pat\\\"\" <pat@contoso.example>", d.ReplyTo);
    }
}
