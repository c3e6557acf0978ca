using MailOps.Core.Dns;
using MailOps.Core.Spf;
using Xunit;

namespace MailOps.Core.Tests.SpfAnalysis;

/// <summary>Each finding code of <see cref="SpfRecordAnalyzer"/>: when it is raised, and that a clean record raises none.</summary>
public sealed class SpfAnalyzerFindingTests
{
    private const string Domain = "example.com";

    private static Task<SpfRecord> AnalyzeAsync(FakeDnsResolver dns, string domain = Domain)
        => new SpfRecordAnalyzer(dns).AnalyzeAsync(domain, CancellationToken.None);

    private static FakeDnsResolver WithRecord(string record) => new FakeDnsResolver().Txt(Domain, record);

    private static string[] Codes(IEnumerable<Finding> findings) => findings.Select(f => f.Code).ToArray();

    [Fact]
    public async Task Clean_record_has_no_findings()
    {
        var dns = WithRecord("v=spf1 ip4:192.0.2.0/24 include:_spf.example.net mx -all")
            .Txt("_spf.example.net", "v=spf1 ip6:2001:db8::/32 -all")
            .Mx(Domain, "mail.example.com");

        SpfRecord record = await AnalyzeAsync(dns);

        Assert.Empty(record.AllFindings);
        Assert.True(record.IsValid);
        Assert.Equal(0, record.ErrorCount);
        Assert.Equal(0, record.WarningCount);
    }

    [Fact]
    public async Task Clean_record_reports_its_text_all_and_strings()
    {
        SpfRecord record = await AnalyzeAsync(WithRecord("v=spf1 ip4:192.0.2.1 -all"));

        Assert.Equal(Domain, record.Domain);
        Assert.Equal("v=spf1 ip4:192.0.2.1 -all", record.Record);
        Assert.Equal("-all", record.All);
        Assert.Null(record.Redirect);
        Assert.Equal(1, record.RecordCount);
        Assert.Equal(new[] { "v=spf1 ip4:192.0.2.1 -all" }, record.TxtStrings);
        Assert.Equal(SpfRecordSource.Root, record.Source);
    }

    [Fact]
    public async Task Domain_without_spf_record_is_SpfNoRecord_warning()
    {
        var dns = new FakeDnsResolver().Txt(Domain, "google-site-verification=abc");

        SpfRecord record = await AnalyzeAsync(dns);

        Finding finding = Assert.Single(record.Findings);
        Assert.Equal(SpfFindingCodes.SpfNoRecord, finding.Code);
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.Null(record.Record);
        Assert.Equal(0, record.RecordCount);
        Assert.False(record.IsValid);
    }

    [Fact]
    public async Task Nonexistent_domain_is_SpfNoRecord_and_not_a_void_lookup()
    {
        SpfRecord record = await AnalyzeAsync(new FakeDnsResolver());

        Assert.Equal(new[] { SpfFindingCodes.SpfNoRecord }, Codes(record.Findings));
        Assert.Equal(0, record.VoidLookupCount);
    }

    [Fact]
    public async Task Two_spf_records_are_SpfMultipleRecords_error()
    {
        var dns = WithRecord("v=spf1 ip4:192.0.2.1 -all").Txt(Domain, "v=spf1 include:_spf.example.net ~all")
            .Txt("_spf.example.net", "v=spf1 -all");

        SpfRecord record = await AnalyzeAsync(dns);

        Finding finding = Assert.Single(record.Findings, f => f.Code == SpfFindingCodes.SpfMultipleRecords);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Equal(2, record.RecordCount);
        Assert.False(record.IsValid);
        Assert.Equal("v=spf1 ip4:192.0.2.1 -all", record.Record);
    }

    [Fact]
    public async Task Txt_records_that_are_not_spf_are_not_counted_as_records()
    {
        var dns = WithRecord("v=spf1 -all").Txt(Domain, "v=spf10 whatever").Txt(Domain, "MS=ms12345");

        SpfRecord record = await AnalyzeAsync(dns);

        Assert.Equal(1, record.RecordCount);
        Assert.Empty(record.Findings);
    }

    [Fact]
    public async Task Each_syntax_error_is_SpfSyntaxError_with_the_offending_term()
    {
        SpfRecord record = await AnalyzeAsync(WithRecord("v=spf1 ip4:300.1.1.1 foo:bar -all"));

        Finding[] errors = record.Findings.Where(f => f.Code == SpfFindingCodes.SpfSyntaxError).ToArray();
        Assert.Equal(new[] { "ip4:300.1.1.1", "foo:bar" }, errors.Select(f => f.Term));
        Assert.All(errors, f => Assert.Equal(FindingSeverity.Error, f.Severity));
        Assert.False(record.IsValid);
    }

    [Fact]
    public async Task More_than_ten_lookups_is_SpfTooManyLookups_error_naming_the_count()
    {
        var dns = WithRecord("v=spf1 " + string.Join(" ", Enumerable.Range(1, 11).Select(i => $"include:s{i}.example.net")) + " -all");
        for (int i = 1; i <= 11; i++)
        {
            dns.Txt($"s{i}.example.net", "v=spf1 ip4:192.0.2.1 -all");
        }

        SpfRecord record = await AnalyzeAsync(dns);

        Finding finding = Assert.Single(record.Findings, f => f.Code == SpfFindingCodes.SpfTooManyLookups);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Contains("11", finding.Message);
        Assert.Contains("flatten", finding.Message);
        Assert.DoesNotContain(record.Findings, f => f.Code == SpfFindingCodes.SpfLookupBudgetHigh);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(10)]
    public async Task Eight_to_ten_lookups_is_SpfLookupBudgetHigh_warning(int lookups)
    {
        SpfRecord record = await AnalyzeAsync(WithTopLevelIncludes(lookups));

        Finding finding = Assert.Single(record.Findings);
        Assert.Equal(SpfFindingCodes.SpfLookupBudgetHigh, finding.Code);
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
    }

    [Fact]
    public async Task Seven_lookups_has_no_budget_finding()
    {
        SpfRecord record = await AnalyzeAsync(WithTopLevelIncludes(7));

        Assert.Empty(record.AllFindings);
        Assert.Equal(7, record.DnsLookupCount);
    }

    [Fact]
    public async Task A_target_without_addresses_is_SpfVoidLookup_warning()
    {
        var dns = WithRecord("v=spf1 a:gone.example.com -all");

        SpfRecord record = await AnalyzeAsync(dns);

        Finding finding = Assert.Single(record.Findings);
        Assert.Equal(SpfFindingCodes.SpfVoidLookup, finding.Code);
        Assert.Equal("a:gone.example.com", finding.Term);
        Assert.Equal(1, record.VoidLookupCount);
    }

    [Fact]
    public async Task A_target_with_only_ipv6_addresses_is_not_void()
    {
        var dns = WithRecord("v=spf1 a:v6.example.com -all").Address("v6.example.com", "2001:db8::1");

        SpfRecord record = await AnalyzeAsync(dns);

        Assert.Empty(record.Findings);
        Assert.Equal(0, record.VoidLookupCount);
    }

    [Fact]
    public async Task Three_void_lookups_is_SpfTooManyVoidLookups_error()
    {
        var dns = WithRecord("v=spf1 a:x1.example.com mx:x2.example.com exists:x3.example.com -all");

        SpfRecord record = await AnalyzeAsync(dns);

        Assert.Equal(3, record.VoidLookupCount);
        Finding finding = Assert.Single(record.Findings, f => f.Code == SpfFindingCodes.SpfTooManyVoidLookups);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
    }

    [Fact]
    public async Task Two_void_lookups_is_not_SpfTooManyVoidLookups()
    {
        var dns = WithRecord("v=spf1 a:x1.example.com mx:x2.example.com -all");

        SpfRecord record = await AnalyzeAsync(dns);

        Assert.DoesNotContain(record.Findings, f => f.Code == SpfFindingCodes.SpfTooManyVoidLookups);
    }

    [Fact]
    public async Task Include_of_domain_without_record_is_SpfIncludeTargetNoRecord_error_on_the_child()
    {
        var dns = WithRecord("v=spf1 include:nospf.example.net -all").Txt("nospf.example.net", "some verification");

        SpfRecord record = await AnalyzeAsync(dns);

        Assert.Empty(record.Findings);
        SpfRecord child = Assert.Single(record.Includes);
        Finding finding = Assert.Single(child.Findings);
        Assert.Equal(SpfFindingCodes.SpfIncludeTargetNoRecord, finding.Code);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Equal("include:nospf.example.net", finding.Term);
        Assert.Contains(finding, record.AllFindings);
        Assert.Null(child.Record);
    }

    [Fact]
    public async Task Include_of_nonexistent_domain_is_a_void_lookup()
    {
        SpfRecord record = await AnalyzeAsync(WithRecord("v=spf1 include:nx.example.net -all"));

        Assert.Equal(1, record.VoidLookupCount);
        Assert.Equal(SpfFindingCodes.SpfIncludeTargetNoRecord, Assert.Single(record.AllFindings).Code);
    }

    [Fact]
    public async Task Redirect_to_domain_without_record_is_SpfRedirectTargetNoRecord_error()
    {
        SpfRecord record = await AnalyzeAsync(WithRecord("v=spf1 redirect=_spf.nowhere.example"));

        SpfRecord child = Assert.Single(record.Includes);
        Assert.Equal(SpfRecordSource.Redirect, child.Source);
        Finding finding = Assert.Single(child.Findings);
        Assert.Equal(SpfFindingCodes.SpfRedirectTargetNoRecord, finding.Code);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
    }

    [Fact]
    public async Task Include_cycle_is_SpfIncludeLoop_and_the_walk_terminates()
    {
        var dns = WithRecord("v=spf1 include:a.example.net -all")
            .Txt("a.example.net", "v=spf1 include:b.example.net -all")
            .Txt("b.example.net", "v=spf1 include:a.example.net -all");

        SpfRecord record = await AnalyzeAsync(dns);

        Finding finding = Assert.Single(record.AllFindings);
        Assert.Equal(SpfFindingCodes.SpfIncludeLoop, finding.Code);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Equal("include:a.example.net", finding.Term);
        Assert.Equal(3, record.DnsLookupCount);
        Assert.Equal(1, dns.CountOf("a.example.net", DnsRecordType.TXT));
    }

    [Fact]
    public async Task Redirect_to_itself_is_SpfIncludeLoop()
    {
        SpfRecord record = await AnalyzeAsync(WithRecord("v=spf1 redirect=EXAMPLE.com."));

        Assert.Contains(record.AllFindings, f => f.Code == SpfFindingCodes.SpfIncludeLoop);
    }

    [Fact]
    public async Task Including_the_same_domain_in_two_branches_is_not_a_loop()
    {
        var dns = WithRecord("v=spf1 include:a.example.net include:b.example.net -all")
            .Txt("a.example.net", "v=spf1 include:shared.example.net -all")
            .Txt("b.example.net", "v=spf1 include:shared.example.net -all")
            .Txt("shared.example.net", "v=spf1 ip4:192.0.2.1 -all");

        SpfRecord record = await AnalyzeAsync(dns);

        Assert.Empty(record.AllFindings);
    }

    [Theory]
    [InlineData("+all")]
    [InlineData("all")]
    public async Task Pass_all_is_SpfPassAll_error(string all)
    {
        SpfRecord record = await AnalyzeAsync(WithRecord("v=spf1 ip4:192.0.2.1 " + all));

        Finding finding = Assert.Single(record.Findings);
        Assert.Equal(SpfFindingCodes.SpfPassAll, finding.Code);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Equal(all, finding.Term);
        Assert.Equal(all, record.All);
    }

    [Fact]
    public async Task Pass_all_inside_an_include_is_SpfPassAll_too()
    {
        var dns = WithRecord("v=spf1 include:open.example.net -all").Txt("open.example.net", "v=spf1 +all");

        SpfRecord record = await AnalyzeAsync(dns);

        Assert.Equal(SpfFindingCodes.SpfPassAll, Assert.Single(record.Includes[0].Findings).Code);
    }

    [Fact]
    public async Task Neutral_all_is_SpfNeutralAll_warning()
    {
        SpfRecord record = await AnalyzeAsync(WithRecord("v=spf1 ip4:192.0.2.1 ?all"));

        Finding finding = Assert.Single(record.Findings);
        Assert.Equal(SpfFindingCodes.SpfNeutralAll, finding.Code);
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
    }

    [Fact]
    public async Task Neutral_all_inside_an_include_is_not_reported()
    {
        var dns = WithRecord("v=spf1 include:p.example.net -all").Txt("p.example.net", "v=spf1 ip4:192.0.2.1 ?all");

        SpfRecord record = await AnalyzeAsync(dns);

        Assert.Empty(record.AllFindings);
    }

    [Fact]
    public async Task Neutral_all_in_a_redirect_target_is_reported_because_it_is_the_result()
    {
        var dns = WithRecord("v=spf1 redirect=p.example.net").Txt("p.example.net", "v=spf1 ip4:192.0.2.1 ?all");

        SpfRecord record = await AnalyzeAsync(dns);

        Assert.Equal(SpfFindingCodes.SpfNeutralAll, Assert.Single(record.AllFindings).Code);
    }

    [Fact]
    public async Task Record_without_all_or_redirect_is_SpfNoAllOrRedirect_warning()
    {
        SpfRecord record = await AnalyzeAsync(WithRecord("v=spf1 ip4:192.0.2.1"));

        Finding finding = Assert.Single(record.Findings);
        Assert.Equal(SpfFindingCodes.SpfNoAllOrRedirect, finding.Code);
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.Null(record.All);
    }

    [Fact]
    public async Task Include_target_without_all_is_not_SpfNoAllOrRedirect()
    {
        var dns = WithRecord("v=spf1 include:p.example.net -all").Txt("p.example.net", "v=spf1 ip4:192.0.2.1");

        SpfRecord record = await AnalyzeAsync(dns);

        Assert.Empty(record.AllFindings);
    }

    [Fact]
    public async Task Ptr_is_SpfPtrMechanism_warning_and_counts_a_lookup()
    {
        SpfRecord record = await AnalyzeAsync(WithRecord("v=spf1 ptr:example.com -all"));

        Finding finding = Assert.Single(record.Findings);
        Assert.Equal(SpfFindingCodes.SpfPtrMechanism, finding.Code);
        Assert.Equal("ptr:example.com", finding.Term);
        Assert.Equal(1, record.DnsLookupCount);
    }

    [Fact]
    public async Task Mechanism_after_all_is_SpfTermsAfterAll_and_not_counted_or_followed()
    {
        var dns = WithRecord("v=spf1 ip4:192.0.2.1 ~all include:late.example.net");

        SpfRecord record = await AnalyzeAsync(dns);

        Finding finding = Assert.Single(record.Findings);
        Assert.Equal(SpfFindingCodes.SpfTermsAfterAll, finding.Code);
        Assert.Equal("include:late.example.net", finding.Term);
        Assert.Equal(0, record.DnsLookupCount);
        Assert.Empty(record.Includes);
        Assert.Equal(0, dns.CountOf("late.example.net", DnsRecordType.TXT));
    }

    [Fact]
    public async Task Modifier_after_all_is_not_SpfTermsAfterAll()
    {
        SpfRecord record = await AnalyzeAsync(WithRecord("v=spf1 -all exp=explain.example.com"));

        Assert.Empty(record.Findings);
    }

    [Fact]
    public async Task Redirect_with_all_is_SpfRedirectIgnored_and_not_followed()
    {
        var dns = WithRecord("v=spf1 -all redirect=other.example.net");

        SpfRecord record = await AnalyzeAsync(dns);

        Finding finding = Assert.Single(record.Findings);
        Assert.Equal(SpfFindingCodes.SpfRedirectIgnored, finding.Code);
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.Equal("other.example.net", record.Redirect);
        Assert.Empty(record.Includes);
        Assert.Equal(0, record.DnsLookupCount);
    }

    [Fact]
    public async Task Txt_string_over_255_octets_is_SpfTxtStringTooLong_error()
    {
        string record = "v=spf1 " + string.Join(" ", Enumerable.Range(1, 20).Select(i => $"ip4:192.0.2.{i}")) + " -all";
        Assert.True(record.Length > 255);

        SpfRecord result = await AnalyzeAsync(new FakeDnsResolver().Txt(Domain, record));

        Finding finding = Assert.Single(result.Findings, f => f.Code == SpfFindingCodes.SpfTxtStringTooLong);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Contains(record.Length.ToString(), finding.Message);
    }

    [Fact]
    public async Task Record_published_as_several_strings_of_255_is_not_SpfTxtStringTooLong()
    {
        string record = "v=spf1 " + string.Join(" ", Enumerable.Range(1, 20).Select(i => $"ip4:192.0.2.{i}")) + " -all";
        string[] strings = { record.Substring(0, 200), record.Substring(200) };

        SpfRecord result = await AnalyzeAsync(new FakeDnsResolver().TxtStrings(Domain, strings));

        Assert.Empty(result.Findings);
        Assert.Equal(record, result.Record);
        Assert.Equal(strings, result.TxtStrings);
    }

    [Fact]
    public async Task Answer_over_512_bytes_is_SpfRecordTooLongForUdp_warning()
    {
        // 40 ip4 terms of 17-18 characters: about 720 bytes of record.
        string record = "v=spf1 " + string.Join(" ", Enumerable.Range(100, 40).Select(i => $"ip4:198.51.100.{i}")) + " -all";

        SpfRecord result = await AnalyzeAsync(new FakeDnsResolver().TxtStrings(Domain, SplitEvery(record, 250)));

        Finding finding = Assert.Single(result.Findings);
        Assert.Equal(SpfFindingCodes.SpfRecordTooLongForUdp, finding.Code);
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.Contains("TCP", finding.Message);
    }

    [Fact]
    public async Task Other_txt_records_at_the_name_count_toward_the_udp_size()
    {
        var dns = WithRecord("v=spf1 ip4:192.0.2.1 -all")
            .Txt(Domain, "google-site-verification=" + new string('g', 200))
            .Txt(Domain, "MS=" + new string('m', 200));

        SpfRecord record = await AnalyzeAsync(dns);

        Assert.Equal(SpfFindingCodes.SpfRecordTooLongForUdp, Assert.Single(record.Findings).Code);
    }

    [Fact]
    public void Udp_estimate_counts_header_question_answer_overhead_and_length_octets()
    {
        // 12 header + (1+7 "example" +1+3 "com" +1 root) + 4 type/class = 29; answer 2+10 + (1+5) + (1+3) = 22.
        int size = SpfTxtStrings.EstimateTxtResponseSize("example.com", new[] { new[] { "v=spf", "1 a" } });

        Assert.Equal(29 + 22, size);
    }

    [Theory]
    [InlineData(469, false)]
    [InlineData(470, true)]
    public async Task Udp_warning_starts_above_512_bytes(int recordLength, bool reported)
    {
        // Two strings for example.com: 12 header + 17 question + 12 RR overhead + 2 length octets = 43 bytes besides the text.
        string record = "v=spf1 -all x=" + new string('a', recordLength - 14);
        string[] strings = { record.Substring(0, 255), record.Substring(255) };
        Assert.Equal(43 + recordLength, SpfTxtStrings.EstimateTxtResponseSize(Domain, new[] { strings }));

        SpfRecord result = await AnalyzeAsync(new FakeDnsResolver().TxtStrings(Domain, strings));

        Assert.Equal(reported, result.Findings.Any(f => f.Code == SpfFindingCodes.SpfRecordTooLongForUdp));
    }

    [Fact]
    public async Task Servfail_on_an_include_is_SpfDnsError_error()
    {
        var dns = WithRecord("v=spf1 include:broken.example.net -all").Fail("broken.example.net", DnsRecordType.TXT, DnsOutcome.ServerFailure);

        SpfRecord record = await AnalyzeAsync(dns);

        Finding finding = Assert.Single(record.AllFindings);
        Assert.Equal(SpfFindingCodes.SpfDnsError, finding.Code);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Contains("temperror", finding.Message);
        Assert.Equal(0, record.VoidLookupCount);
    }

    [Fact]
    public async Task Timeout_on_the_domain_itself_is_SpfDnsError_without_a_record()
    {
        var dns = new FakeDnsResolver().Fail(Domain, DnsRecordType.TXT, DnsOutcome.Timeout);

        SpfRecord record = await AnalyzeAsync(dns);

        Assert.Equal(SpfFindingCodes.SpfDnsError, Assert.Single(record.Findings).Code);
        Assert.Null(record.Record);
    }

    [Fact]
    public async Task Failed_address_lookup_of_a_mechanism_is_SpfDnsError()
    {
        var dns = WithRecord("v=spf1 a:flaky.example.net -all").Fail("flaky.example.net", DnsRecordType.AAAA, DnsOutcome.Refused)
            .Address("flaky.example.net", "192.0.2.1");

        SpfRecord record = await AnalyzeAsync(dns);

        Finding finding = Assert.Single(record.Findings);
        Assert.Equal(SpfFindingCodes.SpfDnsError, finding.Code);
        Assert.Equal("a:flaky.example.net", finding.Term);
    }

    [Fact]
    public async Task Resolver_that_throws_gives_SpfDnsError_instead_of_an_exception()
    {
        var dns = WithRecord("v=spf1 include:boom.example.net -all").Throw("boom.example.net");

        SpfRecord record = await AnalyzeAsync(dns);

        Assert.Equal(SpfFindingCodes.SpfDnsError, Assert.Single(record.AllFindings).Code);
    }

    [Fact]
    public async Task Mx_target_with_eleven_names_is_SpfMxTooManyNames_error()
    {
        var dns = WithRecord("v=spf1 mx -all").Mx(Domain, Enumerable.Range(1, 11).Select(i => $"mx{i}.example.com").ToArray());

        SpfRecord record = await AnalyzeAsync(dns);

        Finding finding = Assert.Single(record.Findings);
        Assert.Equal(SpfFindingCodes.SpfMxTooManyNames, finding.Code);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Equal("mx", finding.Term);
    }

    [Fact]
    public async Task Mx_target_with_ten_names_is_fine()
    {
        var dns = WithRecord("v=spf1 mx -all").Mx(Domain, Enumerable.Range(1, 10).Select(i => $"mx{i}.example.com").ToArray());

        SpfRecord record = await AnalyzeAsync(dns);

        Assert.Empty(record.Findings);
    }

    [Fact]
    public async Task Include_with_macros_is_SpfMacroNotEvaluated_info_counted_but_not_followed()
    {
        var dns = WithRecord("v=spf1 include:%{ir}.%{v}._spf.example.net exists:%{i}.ex.example.net -all");

        SpfRecord record = await AnalyzeAsync(dns);

        Assert.Equal(new[] { SpfFindingCodes.SpfMacroNotEvaluated, SpfFindingCodes.SpfMacroNotEvaluated }, Codes(record.Findings));
        Assert.All(record.Findings, f => Assert.Equal(FindingSeverity.Info, f.Severity));
        Assert.Equal(2, record.DnsLookupCount);
        Assert.Empty(record.Includes);
        Assert.Single(dns.Queries);
    }

    [Fact]
    public async Task Chain_deeper_than_ten_includes_is_cut_with_SpfTreeTruncated()
    {
        var dns = WithRecord("v=spf1 include:l1.example.net -all");
        for (int i = 1; i <= 30; i++)
        {
            dns.Txt($"l{i}.example.net", $"v=spf1 include:l{i + 1}.example.net -all");
        }

        SpfRecord record = await AnalyzeAsync(dns);

        Assert.Contains(record.Findings, f => f.Code == SpfFindingCodes.SpfTreeTruncated);
        Assert.Contains(record.Findings, f => f.Code == SpfFindingCodes.SpfTooManyLookups);
        Assert.Equal(11, record.DnsLookupCount);
        Assert.Equal(10, record.Descendants().Max(r => r.Depth));
    }

    [Fact]
    public async Task Invalid_domain_throws_ArgumentException()
    {
        var analyzer = new SpfRecordAnalyzer(new FakeDnsResolver());

        await Assert.ThrowsAsync<ArgumentException>(() => analyzer.AnalyzeAsync("not a domain", CancellationToken.None));
    }

    [Fact]
    public async Task Cancellation_surfaces_as_OperationCanceledException()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var analyzer = new SpfRecordAnalyzer(WithRecord("v=spf1 -all"));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => analyzer.AnalyzeAsync(Domain, cts.Token));
    }

    [Fact]
    public async Task Unicode_domain_is_queried_as_its_a_label()
    {
        var dns = new FakeDnsResolver().Txt("xn--bcher-kva.example", "v=spf1 -all");

        SpfRecord record = await new SpfRecordAnalyzer(dns).AnalyzeAsync("Bücher.example", CancellationToken.None);

        Assert.Equal("xn--bcher-kva.example", record.Domain);
        Assert.Equal("v=spf1 -all", record.Record);
    }

    [Fact]
    public async Task Unicode_in_a_record_is_a_syntax_error_not_a_crash()
    {
        SpfRecord record = await AnalyzeAsync(WithRecord("v=spf1 include:bücher.example a:例え.jp 🙂 -all"));

        Assert.Equal(3, record.Findings.Count(f => f.Code == SpfFindingCodes.SpfSyntaxError));
        Assert.False(record.IsValid);
    }

    [Fact]
    public async Task Non_ascii_string_length_is_measured_in_octets()
    {
        // 130 two-octet characters: 130 characters, 260 octets.
        string record = "v=spf1 -all x=" + new string('é', 130);

        SpfRecord result = await AnalyzeAsync(new FakeDnsResolver().TxtStrings(Domain, record));

        Assert.Contains(result.Findings, f => f.Code == SpfFindingCodes.SpfTxtStringTooLong);
    }

    [Fact]
    public async Task Five_thousand_character_record_is_analyzed_without_error()
    {
        string record = "v=spf1";
        int n = 0;
        while (record.Length < 5000)
        {
            record += $" ip4:10.{n / 250}.{n % 250}.0/24";
            n++;
        }

        record += " -all";
        SpfRecord result = await AnalyzeAsync(new FakeDnsResolver().TxtStrings(Domain, SplitEvery(record, 255)));

        Assert.True(result.IsValid);
        Assert.Equal(record, result.Record);
        Assert.Equal(new[] { SpfFindingCodes.SpfRecordTooLongForUdp }, Codes(result.Findings));
    }

    [Fact]
    public async Task Garbage_five_thousand_character_record_gives_findings_not_exceptions()
    {
        string record = "v=spf1 " + new string('%', 2500) + " " + string.Concat(Enumerable.Repeat("include:", 300));

        SpfRecord result = await AnalyzeAsync(new FakeDnsResolver().TxtStrings(Domain, SplitEvery(record, 255)));

        Assert.False(result.IsValid);
        Assert.Contains(result.Findings, f => f.Code == SpfFindingCodes.SpfSyntaxError);
    }

    [Fact]
    public async Task AnalyzeRecordAsync_rejects_text_that_is_not_spf()
    {
        var analyzer = new SpfRecordAnalyzer(new FakeDnsResolver());

        await Assert.ThrowsAsync<ArgumentException>(() => analyzer.AnalyzeRecordAsync(Domain, "spf1 -all", CancellationToken.None));
    }

    [Fact]
    public async Task AnalyzeRecordAsync_analyzes_the_given_text_without_reading_the_domains_txt()
    {
        var dns = new FakeDnsResolver().Txt(Domain, "v=spf1 +all");

        SpfRecord record = await new SpfRecordAnalyzer(dns).AnalyzeRecordAsync(Domain, "v=spf1 ip4:192.0.2.1 -all", CancellationToken.None);

        Assert.Empty(record.Findings);
        Assert.Equal(0, dns.CountOf(Domain, DnsRecordType.TXT));
    }

    [Fact]
    public async Task AnalyzeRecordAsync_accepts_zone_file_strings_and_checks_them_as_given()
    {
        string text = "\"v=spf1 ip4:192.0.2.1 \" \"-all\"";

        SpfRecord record = await new SpfRecordAnalyzer(new FakeDnsResolver()).AnalyzeRecordAsync(Domain, text, CancellationToken.None);

        Assert.Equal("v=spf1 ip4:192.0.2.1 -all", record.Record);
        Assert.Equal(new[] { "v=spf1 ip4:192.0.2.1 ", "-all" }, record.TxtStrings);
        Assert.Empty(record.Findings);
    }

    [Fact]
    public async Task AnalyzeRecordAsync_takes_plain_long_text_as_split_into_255_octet_strings()
    {
        string text = "v=spf1 " + string.Join(" ", Enumerable.Range(1, 30).Select(i => $"ip4:192.0.2.{i}")) + " -all";

        SpfRecord record = await new SpfRecordAnalyzer(new FakeDnsResolver()).AnalyzeRecordAsync(Domain, text, CancellationToken.None);

        Assert.DoesNotContain(record.Findings, f => f.Code == SpfFindingCodes.SpfTxtStringTooLong);
        Assert.All(record.TxtStrings, s => Assert.True(s.Length <= 255));
    }

    private static FakeDnsResolver WithTopLevelIncludes(int count)
    {
        var dns = WithRecord("v=spf1 " + string.Join(" ", Enumerable.Range(1, count).Select(i => $"include:s{i}.example.net")) + " -all");
        for (int i = 1; i <= count; i++)
        {
            dns.Txt($"s{i}.example.net", "v=spf1 ip4:192.0.2.1 -all");
        }

        return dns;
    }

    private static string[] SplitEvery(string text, int size)
        => Enumerable.Range(0, (text.Length + size - 1) / size).Select(i => text.Substring(i * size, Math.Min(size, text.Length - (i * size)))).ToArray();
}
