using System.Management.Automation;
using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>Test-DnsBlocklist through real PowerShell and fake blocklists on a loopback DNS server.</summary>
public sealed class BlocklistTests : IClassFixture<BlocklistFixture>
{
    private readonly BlocklistFixture f;

    public BlocklistTests(BlocklistFixture fixture) => f = fixture;

    private PowerShellResult Check(string[] addresses, params string[] lists)
        => f.Run(new Dictionary<string, object?> { ["IPAddress"] = addresses, ["Blocklist"] = lists });

    [Fact]
    public void Listed_address_has_return_codes_catalogue_meaning_and_txt_reason()
    {
        var r = Check(new[] { "192.0.2.99" }, "zen.spamhaus.org").Single();

        Assert.Equal("192.0.2.99", r.Str("Target"));
        Assert.Equal("zen.spamhaus.org", r.Str("Blocklist"));
        Assert.Equal(true, r.Prop("IsListed"));
        Assert.Equal("127.0.0.2, 127.0.0.4", r.Str("ReturnCode"));
        Assert.StartsWith("SBL: ", r.Str("Meaning"));
        Assert.Contains("; XBL: ", r.Str("Meaning"));
        Assert.Equal("https://check.spamhaus.org/query/ip/192.0.2.99", r.Str("Reason"));
        Assert.Null(r.Prop("Error"));
    }

    [Fact]
    public void Clean_address_is_not_listed_and_has_no_error()
    {
        var r = Check(new[] { "192.0.2.1" }, "zen.spamhaus.org").Single();

        Assert.Equal(false, r.Prop("IsListed"));
        Assert.Equal("NotListed", r.Str("Status"));
        Assert.Null(r.Prop("ReturnCode"));
        Assert.Null(r.Prop("Error"));
    }

    [Fact]
    public void Public_resolver_refusal_code_is_an_error_not_a_listing()
    {
        var r = Check(new[] { "203.0.113.254" }, "zen.spamhaus.org").Single();

        Assert.Equal(false, r.Prop("IsListed"));
        Assert.Equal("Error", r.Str("Status"));
        Assert.Equal("127.255.255.254", r.Str("ReturnCode"));
        Assert.Contains("public", r.Str("Error"));
    }

    [Fact]
    public void Answer_outside_127_slash_8_is_an_error_not_a_listing()
    {
        var r = Check(new[] { "203.0.113.7" }, "zen.spamhaus.org").Single();

        Assert.Equal(false, r.Prop("IsListed"));
        Assert.Contains("outside 127.0.0.0/8", r.Str("Error"));
    }

    [Fact]
    public void Dead_list_fails_its_self_test_and_gives_error_rows()
    {
        var r = Check(new[] { "192.0.2.99" }, "dead.test.example").Single();

        Assert.Equal(false, r.Prop("IsListed"));
        Assert.StartsWith("self-test failed: ", r.Str("Error"));
        Assert.Contains("127.0.0.2 must be listed", r.Str("Error"));
    }

    [Fact]
    public void Wildcarding_list_fails_its_self_test_instead_of_listing_everything()
    {
        var r = Check(new[] { "192.0.2.99" }, "wild.test.example").Single();

        Assert.Equal(false, r.Prop("IsListed"));
        Assert.Contains("127.0.0.1 must not be listed", r.Str("Error"));
    }

    [Fact]
    public void Custom_zone_listing_has_a_generic_meaning()
    {
        var r = Check(new[] { "192.0.2.99" }, "bl.test.example").Single();

        Assert.Equal(true, r.Prop("IsListed"));
        Assert.StartsWith("listed on bl.test.example", r.Str("Meaning"));
    }

    [Fact]
    public void Rows_come_in_target_order_then_in_the_order_of_the_lists()
    {
        var r = Check(new[] { "192.0.2.1", "192.0.2.99", "192.0.2.2" }, "bl.test.example", "zen.spamhaus.org");

        r.ThrowIfFailed();
        Assert.Equal(
            new[] { "192.0.2.1 bl.test.example", "192.0.2.1 zen.spamhaus.org", "192.0.2.99 bl.test.example", "192.0.2.99 zen.spamhaus.org", "192.0.2.2 bl.test.example", "192.0.2.2 zen.spamhaus.org" },
            r.Output.Select(o => o.Str("Target") + " " + o.Str("Blocklist")));
    }

    [Fact]
    public void Ipv6_address_is_queried_in_nibble_form()
    {
        var r = Check(new[] { "2001:db8::99" }, "zen.spamhaus.org").Single();

        Assert.Equal(true, r.Prop("IsListed"));
        Assert.StartsWith("SBL CSS", r.Str("Meaning"));
        Assert.Equal(BlocklistFixture.Nibbles("2001:db8::99", "zen.spamhaus.org"), r.Str("QueryName"));
    }

    [Fact]
    public void Ipv4_mapped_ipv6_address_is_checked_as_ipv4()
    {
        var r = Check(new[] { "::ffff:192.0.2.99" }, "zen.spamhaus.org").Single();

        Assert.Equal("192.0.2.99", r.Str("Target"));
        Assert.Equal(true, r.Prop("IsListed"));
        Assert.Equal("99.2.0.192.zen.spamhaus.org", r.Str("QueryName"));
    }

    [Fact]
    public void Ipv6_address_on_an_ipv4_only_catalogue_list_is_not_applicable()
    {
        var r = Check(new[] { "2001:db8::99" }, "bl.spamcop.net").Single();

        Assert.Equal("NotApplicable", r.Str("Status"));
        Assert.Equal(false, r.Prop("IsListed"));
        Assert.Null(r.Prop("Error"));
    }

    [Fact]
    public void Quiet_returns_one_boolean_per_target_true_when_listed_nowhere()
    {
        var r = f.Run(new Dictionary<string, object?> { ["IPAddress"] = new[] { "192.0.2.1", "192.0.2.99" }, ["Blocklist"] = new[] { "zen.spamhaus.org", "bl.test.example" }, ["Quiet"] = true });

        r.ThrowIfFailed();
        Assert.Equal(new object[] { true, false }, r.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void Quiet_warns_about_lists_that_could_not_be_trusted()
    {
        var r = f.Run(new Dictionary<string, object?> { ["IPAddress"] = new[] { "192.0.2.1" }, ["Blocklist"] = new[] { "dead.test.example" }, ["Quiet"] = true });

        Assert.Equal(true, r.Single().BaseObject);
        Assert.Contains(r.Warnings, w => w.Contains("dead.test.example") && w.Contains("self-test failed"));
    }

    [Fact]
    public void Domain_is_checked_on_a_domain_list_with_its_meaning()
    {
        var r = f.Run(new Dictionary<string, object?> { ["Domain"] = new[] { "spammy.example", "phish.example", "clean.example" }, ["Blocklist"] = new[] { "dbl.spamhaus.org" } });

        r.ThrowIfFailed();
        Assert.Equal(new object[] { true, true, false }, r.Output.Select(o => o.Prop("IsListed")));
        Assert.Equal("spam domain", r.Output[0].Str("Meaning"));
        Assert.Equal("phishing domain", r.Output[1].Str("Meaning"));
        Assert.Equal("Domain", r.Output[0].Str("TargetKind"));
    }

    [Fact]
    public void Domain_is_never_asked_of_an_ip_list()
    {
        var r = f.Run(new Dictionary<string, object?> { ["Domain"] = new[] { "spammy.example" }, ["Blocklist"] = new[] { "zen.spamhaus.org", "dbl.spamhaus.org" } });

        var row = Assert.Single(r.Output);
        Assert.Equal("dbl.spamhaus.org", row.Str("Blocklist"));
        var error = Assert.Single(r.Errors);
        Assert.StartsWith("BlocklistKindMismatch", error.FullyQualifiedErrorId);
        Assert.Equal("zen.spamhaus.org", error.TargetObject);
        Assert.Equal(0, f.Dns.CountQueries("spammy.example.zen.spamhaus.org"));
    }

    [Fact]
    public void Without_blocklist_every_catalogue_ip_list_is_asked_and_no_domain_list()
    {
        var r = f.Run(new Dictionary<string, object?> { ["IPAddress"] = new[] { "192.0.2.1" } });

        var lists = r.Output.Select(o => o.Str("Blocklist")!).ToArray();
        Assert.Equal(7, lists.Length);
        Assert.Equal("zen.spamhaus.org", lists[0]);
        Assert.Contains("bl.spamcop.net", lists);
        Assert.DoesNotContain("dbl.spamhaus.org", lists);
        Assert.DoesNotContain("multi.uribl.com", lists);
        Assert.DoesNotContain(lists, l => l.Contains("sorbs"));
    }

    [Fact]
    public void Invalid_addresses_are_errors_and_the_other_addresses_still_run()
    {
        var r = Check(new[] { "192.0.2.99", "10.1", "not-an-ip", "192.0.2.1" }, "bl.test.example");

        Assert.Equal(new[] { "192.0.2.99", "192.0.2.1" }, r.Output.Select(o => o.Str("Target")));
        Assert.Equal(2, r.Errors.Count);
        Assert.All(r.Errors, e => Assert.StartsWith("InvalidIPAddress", e.FullyQualifiedErrorId));
        Assert.All(r.Errors, e => Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category));
        Assert.Equal(new object[] { "10.1", "not-an-ip" }, r.Errors.Select(e => e.TargetObject));
    }

    [Fact]
    public void Invalid_domain_is_an_error_and_the_other_domains_still_run()
    {
        var r = f.Run(new Dictionary<string, object?> { ["Domain"] = new[] { "bad..example", "spammy.example" }, ["Blocklist"] = new[] { "dbl.spamhaus.org" } });

        Assert.Equal("spammy.example", Assert.Single(r.Output).Str("Target"));
        Assert.StartsWith("InvalidDomainName", Assert.Single(r.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void Invalid_blocklist_value_is_an_error_and_the_other_lists_still_run()
    {
        var r = Check(new[] { "192.0.2.99" }, "not a zone", "bl.test.example");

        Assert.Equal("bl.test.example", Assert.Single(r.Output).Str("Blocklist"));
        var error = Assert.Single(r.Errors);
        Assert.StartsWith("InvalidBlocklist", error.FullyQualifiedErrorId);
        Assert.Equal("not a zone", error.TargetObject);
    }

    [Fact]
    public void Servfail_on_a_target_query_is_an_error_row()
    {
        var r = Check(new[] { "192.0.2.5" }, "broken.test.example").Single();

        Assert.Equal(false, r.Prop("IsListed"));
        Assert.Contains("ServerFailure", r.Str("Error"));
    }

    [Fact]
    public void Self_test_runs_once_per_list_in_one_invocation()
    {
        var r = Check(new[] { "192.0.2.11", "192.0.2.12", "192.0.2.13", "192.0.2.14" }, "once.test.example");

        r.ThrowIfFailed();
        Assert.Equal(4, r.Output.Count);
        Assert.Equal(1, f.Dns.CountQueries("2.0.0.127.once.test.example", "A"));
        Assert.Equal(1, f.Dns.CountQueries("1.0.0.127.once.test.example", "A"));
    }

    [Fact]
    public void Csv_like_rows_bind_IPAddress_by_property_name()
    {
        var r = f.Script("""
            @([pscustomobject]@{ IPAddress = '192.0.2.99'; Relay = 'smtp1' }, [pscustomobject]@{ IPAddress = '192.0.2.1'; Relay = 'smtp2' }) |
                Test-DnsBlocklist -Blocklist bl.test.example -Server $dns
            """);

        r.ThrowIfFailed();
        Assert.Equal(new[] { "192.0.2.99", "192.0.2.1" }, r.Output.Select(o => o.Str("Target")));
        Assert.Equal(new object[] { true, false }, r.Output.Select(o => o.Prop("IsListed")));
    }

    [Fact]
    public void Csv_like_rows_with_a_Domain_column_bind_the_domain_set()
    {
        var r = f.Script("""
            @([pscustomobject]@{ Domain = 'spammy.example' }, [pscustomobject]@{ Domain = 'clean.example' }) |
                Test-DnsBlocklist -Blocklist dbl.spamhaus.org -Server $dns
            """);

        r.ThrowIfFailed();
        Assert.Equal(new[] { "spammy.example", "clean.example" }, r.Output.Select(o => o.Str("Target")));
    }

    [Fact]
    public void Object_with_both_IPAddress_and_Domain_is_checked_by_address()
    {
        var r = f.Script("""
            [pscustomobject]@{ Domain = 'spammy.example'; IPAddress = '192.0.2.99' } | Test-DnsBlocklist -Blocklist bl.test.example -Server $dns
            """);

        r.ThrowIfFailed();
        Assert.Equal("192.0.2.99", r.Single().Str("Target"));
    }

    [Fact]
    public void Addresses_piped_by_value_are_checked()
    {
        var r = f.Script("'192.0.2.99', [ipaddress]'192.0.2.1' | Test-DnsBlocklist -Blocklist bl.test.example -Server $dns -Quiet");

        r.ThrowIfFailed();
        Assert.Equal(new object[] { false, true }, r.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void Verbose_shows_the_self_test_and_each_query()
    {
        var r = f.Run(new Dictionary<string, object?> { ["IPAddress"] = new[] { "192.0.2.99" }, ["Blocklist"] = new[] { "bl.test.example" }, ["Verbose"] = true });

        Assert.Contains(r.Verbose, v => v.Contains("bl.test.example IPv4 self-test passed"));
        Assert.Contains(r.Verbose, v => v.Contains("99.2.0.192.bl.test.example: Listed"));
    }

    [Fact]
    public void Dmarc_report_rows_bind_their_SourceIP_to_IPAddress()
    {
        // Import-DmarcReport rows carry the sending IP as SourceIP: they pipe straight in.
        var r = f.Script("[pscustomobject]@{ SourceIP = '192.0.2.99'; HeaderFrom = 'contoso.example'; Count = 12 } | Test-DnsBlocklist -Blocklist zen.spamhaus.org -Server $dns");

        r.ThrowIfFailed();
        var row = Assert.Single(r.Output);
        Assert.Equal("192.0.2.99", row.Str("Target"));
        Assert.Equal(true, row.Prop("IsListed"));
    }
}
