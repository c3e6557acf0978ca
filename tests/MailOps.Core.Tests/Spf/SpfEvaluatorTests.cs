using System.Net;
using MailOps.Core.Dns;
using MailOps.Core.Spf;
using Xunit;

namespace MailOps.Core.Tests.Spf;

/// <summary>check_host(), RFC 7208 sections 4 to 6, against an in-memory resolver.</summary>
public sealed class SpfEvaluatorTests
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.10");

    private readonly FakeDnsResolver dns = new();

    [Fact]
    public async Task Matching_ip4_passes()
    {
        dns.Txt("example.com", "v=spf1 ip4:192.0.2.0/24 -all");

        var result = await CheckAsync();

        Assert.Equal(SpfResult.Pass, result.Result);
        Assert.Equal("ip4:192.0.2.0/24", result.Mechanism);
    }

    [Fact]
    public async Task First_matching_mechanism_decides()
    {
        dns.Txt("example.com", "v=spf1 ~ip4:192.0.2.10 -all");

        var result = await CheckAsync();

        Assert.Equal(SpfResult.SoftFail, result.Result);
    }

    [Fact]
    public async Task No_match_and_no_redirect_is_neutral()
    {
        dns.Txt("example.com", "v=spf1 ip4:198.51.100.1");

        var result = await CheckAsync();

        Assert.Equal(SpfResult.Neutral, result.Result);
        Assert.Equal("default", result.Mechanism);
    }

    [Fact]
    public async Task Domain_without_spf_record_is_none()
    {
        dns.Txt("example.com", "google-site-verification=abc");

        var result = await CheckAsync();

        Assert.Equal(SpfResult.None, result.Result);
    }

    [Fact]
    public async Task Nonexistent_domain_is_none()
    {
        var result = await CheckAsync();

        Assert.Equal(SpfResult.None, result.Result);
    }

    [Fact]
    public async Task Two_spf_records_is_permerror()
    {
        dns.Txt("example.com", "v=spf1 -all").Txt("example.com", "V=SPF1 +all");

        var result = await CheckAsync();

        Assert.Equal(SpfResult.PermError, result.Result);
    }

    [Fact]
    public async Task Character_strings_are_joined_without_separator()
    {
        dns.Txt("example.com", "v=spf1 ip4:", "192.0.2.10 -all");

        var result = await CheckAsync();

        Assert.Equal(SpfResult.Pass, result.Result);
    }

    [Fact]
    public async Task Only_txt_is_queried_for_the_record()
    {
        dns.Txt("example.com", "v=spf1 -all");

        await CheckAsync();

        Assert.Equal(new[] { DnsRecordType.TXT }, dns.Queries.Select(q => q.Type));
    }

    [Theory]
    [InlineData("a123456789012345678901234567890123456789012345678901234567890123.example.com")]
    [InlineData("a...example.com")]
    [InlineData("localhost")]
    [InlineData("[192.0.2.10]")]
    [InlineData("192.0.2.10")]
    public async Task Malformed_domain_is_none_without_a_query(string domain)
    {
        var result = await CheckAsync(domain: domain);

        Assert.Equal(SpfResult.None, result.Result);
        Assert.Empty(dns.Queries);
    }

    [Fact]
    public async Task Servfail_on_the_record_lookup_is_temperror()
    {
        dns.Fail("example.com", DnsRecordType.TXT, DnsOutcome.ServerFailure);

        var result = await CheckAsync();

        Assert.Equal(SpfResult.TempError, result.Result);
        Assert.NotNull(result.Error);
    }

    [Fact]
    public async Task Timeout_in_a_mechanism_lookup_is_temperror()
    {
        dns.Txt("example.com", "v=spf1 a:slow.example.com -all").Fail("slow.example.com", null, DnsOutcome.Timeout);

        var result = await CheckAsync();

        Assert.Equal(SpfResult.TempError, result.Result);
    }

    [Fact]
    public async Task Resolver_exception_is_temperror_not_a_crash()
    {
        dns.ThrowOnQuery = new InvalidOperationException("malformed packet");

        var result = await CheckAsync();

        Assert.Equal(SpfResult.TempError, result.Result);
    }

    [Fact]
    public async Task Syntax_error_after_a_matching_mechanism_is_permerror()
    {
        dns.Txt("example.com", "v=spf1 ip4:192.0.2.10 -all moo");

        var result = await CheckAsync();

        Assert.Equal(SpfResult.PermError, result.Result);
        Assert.Contains("moo", result.Error);
    }

    [Fact]
    public async Task Unknown_modifiers_are_ignored()
    {
        dns.Txt("example.com", "v=spf1 moo.cow-far_out=man:dog/cat ip4:192.0.2.10 -all");

        var result = await CheckAsync();

        Assert.Equal(SpfResult.Pass, result.Result);
    }

    [Fact]
    public async Task Include_of_domain_without_record_is_permerror()
    {
        dns.Txt("example.com", "v=spf1 include:nothing.example.net -all").A("nothing.example.net", "192.0.2.99");

        var result = await CheckAsync();

        Assert.Equal(SpfResult.PermError, result.Result);
    }

    [Fact]
    public async Task Include_loop_is_permerror()
    {
        dns.Txt("example.com", "v=spf1 include:loop.example.net -all")
           .Txt("loop.example.net", "v=spf1 include:example.com");

        var result = await CheckAsync();

        Assert.Equal(SpfResult.PermError, result.Result);
    }

    [Fact]
    public async Task Redirect_loop_is_permerror()
    {
        dns.Txt("example.com", "v=spf1 ip4:198.51.100.1 redirect=example.com");

        var result = await CheckAsync();

        Assert.Equal(SpfResult.PermError, result.Result);
    }

    [Theory]
    [InlineData("v=spf1 +all", SpfResult.Fail)]
    [InlineData("v=spf1 -all", SpfResult.SoftFail)]
    [InlineData("v=spf1 ~all", SpfResult.SoftFail)]
    [InlineData("v=spf1 ?all", SpfResult.SoftFail)]
    [InlineData("v=spf1 ip4:198.51.100.1", SpfResult.SoftFail)]
    [InlineData("v=spf1 include", SpfResult.PermError)]
    public async Task Include_maps_the_included_result(string included, SpfResult expected)
    {
        dns.Txt("example.com", "v=spf1 -include:inc.example.net ~all").Txt("inc.example.net", included);

        var result = await CheckAsync();

        Assert.Equal(expected, result.Result);
    }

    [Fact]
    public async Task Include_temperror_is_temperror()
    {
        dns.Txt("example.com", "v=spf1 include:inc.example.net -all").Fail("inc.example.net", DnsRecordType.TXT, DnsOutcome.ServerFailure);

        var result = await CheckAsync();

        Assert.Equal(SpfResult.TempError, result.Result);
    }

    [Fact]
    public async Task Eleven_dns_lookups_is_permerror()
    {
        dns.Txt("example.com", "v=spf1 a a a a a a a a a a a ip4:192.0.2.10").A("example.com", "198.51.100.1");

        var result = await CheckAsync();

        Assert.Equal(SpfResult.PermError, result.Result);
        Assert.Equal(11, result.DnsLookupCount);
    }

    [Fact]
    public async Task Ten_dns_lookups_are_allowed()
    {
        dns.Txt("example.com", "v=spf1 a a a a a a a a a a ip4:192.0.2.10").A("example.com", "198.51.100.1");

        var result = await CheckAsync();

        Assert.Equal(SpfResult.Pass, result.Result);
        Assert.Equal(10, result.DnsLookupCount);
    }

    [Fact]
    public async Task Lookups_in_included_records_count_toward_the_limit()
    {
        dns.Txt("example.com", "v=spf1 a include:inc.example.net a ip4:192.0.2.10 -all")
           .A("example.com", "198.51.100.1")
           .Txt("inc.example.net", "v=spf1 a a a a a a a a")
           .A("inc.example.net", "198.51.100.2");

        var result = await CheckAsync();

        Assert.Equal(SpfResult.PermError, result.Result);
    }

    [Fact]
    public async Task Terms_after_the_match_are_not_counted()
    {
        dns.Txt("example.com", "v=spf1 ip4:192.0.2.10 a a a a a a a a a a a a");

        var result = await CheckAsync();

        Assert.Equal(SpfResult.Pass, result.Result);
        Assert.Equal(0, result.DnsLookupCount);
    }

    [Fact]
    public async Task Lookup_limit_can_be_changed()
    {
        dns.Txt("example.com", "v=spf1 a a a ip4:192.0.2.10").A("example.com", "198.51.100.1");

        var result = await CheckAsync(options: new SpfEvaluatorOptions { MaxDnsLookups = 2 });

        Assert.Equal(SpfResult.PermError, result.Result);
    }

    [Fact]
    public async Task Third_void_lookup_is_permerror()
    {
        dns.Txt("example.com", "v=spf1 a:void1.example.com a:void2.example.com a:void3.example.com ?all");

        var result = await CheckAsync();

        Assert.Equal(SpfResult.PermError, result.Result);
        Assert.Equal(3, result.VoidLookupCount);
    }

    [Fact]
    public async Task Two_void_lookups_are_allowed()
    {
        dns.Txt("example.com", "v=spf1 a:void1.example.com mx:void2.example.com ?all");

        var result = await CheckAsync();

        Assert.Equal(SpfResult.Neutral, result.Result);
        Assert.Equal(2, result.VoidLookupCount);
    }

    [Fact]
    public async Task Explanation_is_expanded_on_fail()
    {
        dns.Txt("example.com", "v=spf1 -all exp=why.%{d}")
           .Txt("why.example.com", "%{i} may not send for %{d}; ask %{l}");

        var result = await CheckAsync(sender: "alice@example.com");

        Assert.Equal(SpfResult.Fail, result.Result);
        Assert.Equal("192.0.2.10 may not send for example.com; ask alice", result.Explanation);
    }

    [Fact]
    public async Task Explanation_is_not_given_on_softfail()
    {
        dns.Txt("example.com", "v=spf1 ~all exp=why.example.com").Txt("why.example.com", "no");

        var result = await CheckAsync();

        Assert.Null(result.Explanation);
        Assert.Equal(0, dns.CountQueries("why.example.com"));
    }

    [Fact]
    public async Task Explanation_dns_failure_is_still_fail_without_explanation()
    {
        dns.Txt("example.com", "v=spf1 -all exp=why.example.com").Fail("why.example.com", null, DnsOutcome.ServerFailure);

        var result = await CheckAsync();

        Assert.Equal(SpfResult.Fail, result.Result);
        Assert.Null(result.Explanation);
    }

    [Fact]
    public async Task Explanation_with_two_txt_records_is_ignored()
    {
        dns.Txt("example.com", "v=spf1 -all exp=why.example.com").Txt("why.example.com", "one").Txt("why.example.com", "two");

        var result = await CheckAsync();

        Assert.Null(result.Explanation);
    }

    [Fact]
    public async Task Explanation_with_bad_macro_is_ignored()
    {
        dns.Txt("example.com", "v=spf1 -all exp=why.example.com").Txt("why.example.com", "The %{x}-files.");

        var result = await CheckAsync();

        Assert.Equal(SpfResult.Fail, result.Result);
        Assert.Null(result.Explanation);
    }

    [Fact]
    public async Task Default_explanation_is_used_when_there_is_no_exp()
    {
        dns.Txt("example.com", "v=spf1 -all");

        var result = await CheckAsync(options: new SpfEvaluatorOptions { DefaultExplanation = "%{i} is not allowed" });

        Assert.Equal("192.0.2.10 is not allowed", result.Explanation);
    }

    [Fact]
    public async Task Explanation_of_an_included_record_is_not_used()
    {
        dns.Txt("example.com", "v=spf1 include:inc.example.net -all exp=outer.example.com")
           .Txt("inc.example.net", "v=spf1 -all exp=inner.example.com")
           .Txt("outer.example.com", "outer")
           .Txt("inner.example.com", "inner");

        var result = await CheckAsync();

        Assert.Equal("outer", result.Explanation);
        Assert.Equal(0, dns.CountQueries("inner.example.com"));
    }

    [Fact]
    public async Task Redirect_result_is_the_result()
    {
        dns.Txt("example.com", "v=spf1 ip4:198.51.100.1 redirect=_spf.example.net")
           .Txt("_spf.example.net", "v=spf1 ~all");

        var result = await CheckAsync();

        Assert.Equal(SpfResult.SoftFail, result.Result);
        Assert.Equal("~all", result.Mechanism);
    }

    [Fact]
    public async Task Redirect_is_ignored_when_the_record_has_all()
    {
        dns.Txt("example.com", "v=spf1 redirect=_spf.example.net ?all").Txt("_spf.example.net", "v=spf1 -all");

        var result = await CheckAsync();

        Assert.Equal(SpfResult.Neutral, result.Result);
        Assert.Equal(0, dns.CountQueries("_spf.example.net"));
    }

    [Fact]
    public async Task Redirect_to_domain_without_record_is_permerror()
    {
        dns.Txt("example.com", "v=spf1 redirect=nothing.example.net");

        var result = await CheckAsync();

        Assert.Equal(SpfResult.PermError, result.Result);
    }

    [Fact]
    public async Task Redirect_target_becomes_the_current_domain()
    {
        dns.Txt("example.com", "v=spf1 redirect=target.example.net")
           .Txt("target.example.net", "v=spf1 a -all")
           .A("target.example.net", "192.0.2.10");

        var result = await CheckAsync();

        Assert.Equal(SpfResult.Pass, result.Result);
    }

    [Fact]
    public async Task Redirect_replaces_the_explanation_of_the_redirecting_record()
    {
        dns.Txt("example.com", "v=spf1 exp=first.example.com redirect=target.example.net")
           .Txt("target.example.net", "v=spf1 -all")
           .Txt("first.example.com", "first");

        var result = await CheckAsync();

        Assert.Equal(SpfResult.Fail, result.Result);
        Assert.Null(result.Explanation);
    }

    [Fact]
    public async Task Record_override_is_evaluated_instead_of_the_published_record()
    {
        dns.Txt("example.com", "v=spf1 -all");

        var result = await CheckAsync(record: "v=spf1 ip4:192.0.2.10 -all");

        Assert.Equal(SpfResult.Pass, result.Result);
        Assert.Equal("v=spf1 ip4:192.0.2.10 -all", result.Record);
        Assert.Equal(0, dns.CountQueries("example.com", DnsRecordType.TXT));
    }

    [Fact]
    public async Task Record_override_still_resolves_includes_from_dns()
    {
        dns.Txt("inc.example.net", "v=spf1 ip4:192.0.2.10 -all");

        var result = await CheckAsync(record: "v=spf1 include:inc.example.net -all");

        Assert.Equal(SpfResult.Pass, result.Result);
    }

    [Fact]
    public async Task Null_sender_is_checked_as_postmaster_at_helo()
    {
        dns.Txt("mail.example.com", "v=spf1 -all exp=why.example.com").Txt("why.example.com", "%{s}");

        var result = await CheckAsync(domain: string.Empty, sender: string.Empty, helo: "mail.example.com");

        Assert.Equal("mail.example.com", result.Domain);
        Assert.Equal("postmaster@mail.example.com", result.Sender);
        Assert.Equal("postmaster@mail.example.com", result.Explanation);
    }

    [Fact]
    public async Task Ipv4_mapped_client_is_checked_as_ipv4()
    {
        dns.Txt("example.com", "v=spf1 ip6:::/0 ip4:192.0.2.10 -all");

        var result = await CheckAsync(ip: IPAddress.Parse("::ffff:192.0.2.10"));

        Assert.Equal(SpfResult.Pass, result.Result);
        Assert.Equal("ip4:192.0.2.10", result.Mechanism);
        Assert.Equal(IPAddress.Parse("192.0.2.10"), result.IPAddress);
    }

    [Fact]
    public async Task A_uses_aaaa_for_ipv6_clients_with_the_ipv6_prefix()
    {
        dns.Txt("example.com", "v=spf1 a/32//64 -all").A("example.com", "192.0.2.10").Aaaa("example.com", "2001:db8::1");

        var result = await CheckAsync(ip: IPAddress.Parse("2001:db8::ffff"));

        Assert.Equal(SpfResult.Pass, result.Result);
        Assert.Equal(0, dns.CountQueries("example.com", DnsRecordType.A));
    }

    [Fact]
    public async Task Exists_asks_for_a_records_even_for_ipv6_clients()
    {
        dns.Txt("example.com", "v=spf1 exists:ok.example.com -all").A("ok.example.com", "127.0.0.2");

        var result = await CheckAsync(ip: IPAddress.Parse("2001:db8::1"));

        Assert.Equal(SpfResult.Pass, result.Result);
        Assert.Equal(0, dns.CountQueries("ok.example.com", DnsRecordType.AAAA));
    }

    [Fact]
    public async Task A_target_with_a_hyphenated_toplabel_is_queried_as_written()
    {
        dns.Txt("example.com", "v=spf1 a:foo.example.xn--zckzah -all").A("foo.example.xn--zckzah", "192.0.2.10");

        var result = await CheckAsync();

        Assert.Equal(SpfResult.Pass, result.Result);
        Assert.Equal(1, dns.CountQueries("foo.example.xn--zckzah", DnsRecordType.A));
    }

    [Fact]
    public async Task Mx_matches_an_exchange_address()
    {
        dns.Txt("example.com", "v=spf1 mx -all").Mx("example.com", 10, "mx1.example.com").A("mx1.example.com", "192.0.2.10");

        var result = await CheckAsync();

        Assert.Equal(SpfResult.Pass, result.Result);
    }

    [Fact]
    public async Task Mx_with_more_than_ten_names_is_permerror()
    {
        dns.Txt("example.com", "v=spf1 mx -all").A("mx0.example.com", "192.0.2.10");
        for (var i = 0; i < 11; i++)
        {
            dns.Mx("example.com", i, $"mx{i}.example.com");
        }

        var result = await CheckAsync();

        Assert.Equal(SpfResult.PermError, result.Result);
    }

    [Fact]
    public async Task Null_mx_names_no_host()
    {
        dns.Txt("example.com", "v=spf1 mx").Mx("example.com", 0, string.Empty);

        var result = await CheckAsync();

        Assert.Equal(SpfResult.Neutral, result.Result);
    }

    [Fact]
    public async Task Ptr_matches_a_forward_confirmed_subdomain()
    {
        dns.Txt("example.com", "v=spf1 ptr -all")
           .Ptr("10.2.0.192.in-addr.arpa", "mail.Example.COM")
           .A("mail.example.com", "192.0.2.10");

        var result = await CheckAsync();

        Assert.Equal(SpfResult.Pass, result.Result);
    }

    [Fact]
    public async Task Ptr_name_that_does_not_resolve_back_does_not_match()
    {
        dns.Txt("example.com", "v=spf1 ptr -all")
           .Ptr("10.2.0.192.in-addr.arpa", "mail.example.com")
           .A("mail.example.com", "192.0.2.99");

        var result = await CheckAsync();

        Assert.Equal(SpfResult.Fail, result.Result);
    }

    [Fact]
    public async Task Ptr_considers_only_the_first_ten_names()
    {
        dns.Txt("example.com", "v=spf1 ptr -all");
        for (var i = 0; i < 10; i++)
        {
            dns.Ptr("10.2.0.192.in-addr.arpa", $"host{i}.example.org");
        }

        dns.Ptr("10.2.0.192.in-addr.arpa", "mail.example.com").A("mail.example.com", "192.0.2.10");

        var result = await CheckAsync();

        Assert.Equal(SpfResult.Fail, result.Result);
    }

    [Fact]
    public async Task Ptr_dns_error_is_no_match_not_temperror()
    {
        dns.Txt("example.com", "v=spf1 ptr ?all").Fail("10.2.0.192.in-addr.arpa", null, DnsOutcome.ServerFailure);

        var result = await CheckAsync();

        Assert.Equal(SpfResult.Neutral, result.Result);
    }

    [Fact]
    public async Task P_macro_uses_the_validated_name()
    {
        dns.Txt("example.com", "v=spf1 -all exp=why.example.com")
           .Txt("why.example.com", "connect from %{p}")
           .Ptr("10.2.0.192.in-addr.arpa", "mx.example.org")
           .A("mx.example.org", "192.0.2.10");

        var result = await CheckAsync();

        Assert.Equal("connect from mx.example.org", result.Explanation);
    }

    [Fact]
    public async Task Trace_records_the_steps_in_order()
    {
        dns.Txt("example.com", "v=spf1 include:inc.example.net -all").Txt("inc.example.net", "v=spf1 ip4:192.0.2.0/24");

        var result = await CheckAsync();

        var steps = result.Trace;
        Assert.StartsWith("TXT example.com -> ", steps[0]);
        Assert.Contains(steps, s => s.Trim() == "ip4:192.0.2.0/24 matched -> pass");
        Assert.Contains(steps, s => s == "include:inc.example.net -> pass");
        Assert.Equal("result pass", steps[^1]);
    }

    [Fact]
    public async Task Cancellation_is_honoured()
    {
        dns.Txt("example.com", "v=spf1 -all");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var evaluator = new SpfEvaluator(dns);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => evaluator.CheckHostAsync(Request(), cancelled.Token));
    }

    private static SpfCheckRequest Request(string domain = "example.com", IPAddress? ip = null, string? sender = "user@example.com", string? helo = "mail.example.org", string? record = null)
        => new()
        {
            Domain = domain,
            IPAddress = ip ?? Client,
            Sender = sender,
            HeloName = helo,
            Record = record,
        };

    private Task<SpfCheckResult> CheckAsync(
        string domain = "example.com",
        IPAddress? ip = null,
        string? sender = "user@example.com",
        string? helo = "mail.example.org",
        string? record = null,
        SpfEvaluatorOptions? options = null)
        => new SpfEvaluator(dns, options).CheckHostAsync(Request(domain, ip, sender, helo, record), CancellationToken.None);
}
