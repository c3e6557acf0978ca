using MailOps.Core.Dns;
using MailOps.Core.Spf;
using Xunit;

namespace MailOps.Core.Tests.SpfAnalysis;

/// <summary>What <see cref="SpfIncludeMerger"/> (New-SpfInclude) produces: one record, includes where they take effect.</summary>
public sealed class SpfIncludeMergerTests
{
    private const string Domain = "example.com";
    private const string Provider = "_spf.provider.example";

    /// <summary>A resolver where the provider and a few more include targets exist.</summary>
    private static FakeDnsResolver Dns() => new FakeDnsResolver()
        .Txt(Provider, "v=spf1 ip4:203.0.113.0/24 -all")
        .Txt("_spf.other.example", "v=spf1 ip4:198.51.100.0/24 -all")
        .Txt("_spf.third.example", "v=spf1 ip4:192.0.2.0/24 -all");

    private static Task<SpfRecordChange> MergeRecordAsync(string record, params string[] includes)
        => new SpfIncludeMerger(Dns()).MergeAsync(null, record, includes, CancellationToken.None);

    private static Task<SpfRecordChange> MergeDomainAsync(FakeDnsResolver dns, params string[] includes)
        => new SpfIncludeMerger(dns).MergeAsync(Domain, null, includes, CancellationToken.None);

    [Fact]
    public async Task Include_goes_immediately_before_all()
    {
        SpfRecordChange change = await MergeRecordAsync("v=spf1 ip4:192.0.2.1 ~all", Provider);

        Assert.Equal("v=spf1 ip4:192.0.2.1 include:_spf.provider.example ~all", change.Record);
        Assert.Equal(new[] { Provider }, change.Added);
        Assert.Empty(change.AlreadyPresent);
        Assert.True(change.IsChanged);
    }

    [Fact]
    public async Task Include_goes_before_the_first_all_even_when_mechanisms_follow_it()
    {
        SpfRecordChange change = await MergeRecordAsync("v=spf1 -all a", Provider);

        Assert.Equal("v=spf1 include:_spf.provider.example -all a", change.Record);
    }

    [Fact]
    public async Task Include_goes_after_the_last_mechanism_and_before_redirect_when_there_is_no_all()
    {
        SpfRecordChange change = await MergeRecordAsync("v=spf1 ip4:192.0.2.1 redirect=_spf.other.example", Provider);

        Assert.Equal("v=spf1 ip4:192.0.2.1 include:_spf.provider.example redirect=_spf.other.example", change.Record);
    }

    [Fact]
    public async Task Include_goes_right_after_the_version_when_the_record_is_only_a_redirect()
    {
        SpfRecordChange change = await MergeRecordAsync("v=spf1 redirect=_spf.other.example", Provider);

        Assert.Equal("v=spf1 include:_spf.provider.example redirect=_spf.other.example", change.Record);
    }

    [Fact]
    public async Task Existing_terms_keep_their_spelling_qualifiers_order_and_spacing()
    {
        SpfRecordChange change = await MergeRecordAsync("V=SPF1 +MX  ip4:192.0.2.1 ?Include:_spf.other.example  -ALL", Provider);

        Assert.Equal("V=SPF1 +MX  ip4:192.0.2.1 ?Include:_spf.other.example  include:_spf.provider.example -ALL", change.Record);
    }

    [Fact]
    public async Task Several_includes_are_added_in_the_given_order()
    {
        SpfRecordChange change = await MergeRecordAsync("v=spf1 mx ~all", Provider, "_spf.other.example");

        Assert.Equal("v=spf1 mx include:_spf.provider.example include:_spf.other.example ~all", change.Record);
    }

    [Theory]
    [InlineData("include:_SPF.Provider.example")]
    [InlineData("+include:_spf.provider.example")]
    [InlineData("include:_spf.provider.example.")]
    public async Task Include_already_present_is_not_added_again(string existing)
    {
        string record = $"v=spf1 {existing} ~all";

        SpfRecordChange change = await MergeRecordAsync(record, Provider);

        Assert.Equal(record, change.Record);
        Assert.Equal(new[] { Provider }, change.AlreadyPresent);
        Assert.Empty(change.Added);
        Assert.False(change.IsChanged);
        Assert.DoesNotContain(change.Findings, f => f.Code == SpfFindingCodes.SpfIncludeQualifierDiffers);
    }

    [Fact]
    public async Task Include_present_with_another_qualifier_is_kept_and_warned_about()
    {
        string record = "v=spf1 ~include:_spf.provider.example -all";

        SpfRecordChange change = await MergeRecordAsync(record, Provider);

        Assert.Equal(record, change.Record);
        Assert.Equal(new[] { Provider }, change.AlreadyPresent);
        Finding finding = Assert.Single(change.Findings, f => f.Code == SpfFindingCodes.SpfIncludeQualifierDiffers);
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.Equal("~include:_spf.provider.example", finding.Term);
    }

    [Fact]
    public async Task Include_that_stands_after_all_is_added_before_all_because_it_is_never_evaluated()
    {
        SpfRecordChange change = await MergeRecordAsync("v=spf1 -all include:_spf.provider.example", Provider);

        Assert.Equal("v=spf1 include:_spf.provider.example -all include:_spf.provider.example", change.Record);
        Assert.Equal(new[] { Provider }, change.Added);
    }

    [Fact]
    public async Task Duplicates_in_the_include_list_are_added_once()
    {
        SpfRecordChange change = await MergeRecordAsync("v=spf1 -all", Provider, "include:" + Provider.ToUpperInvariant());

        Assert.Equal("v=spf1 include:_spf.provider.example -all", change.Record);
    }

    [Theory]
    [InlineData("include:_spf.provider.example")]
    [InlineData("+include:_spf.provider.example")]
    [InlineData("  _spf.provider.example  ")]
    public async Task Include_may_be_given_bare_or_as_a_term(string include)
    {
        SpfRecordChange change = await MergeRecordAsync("v=spf1 -all", include);

        Assert.Equal("v=spf1 include:_spf.provider.example -all", change.Record);
    }

    [Fact]
    public async Task Unicode_include_is_added_as_its_a_label()
    {
        SpfRecordChange change = await MergeRecordAsync("v=spf1 -all", "_spf.bücher.example");

        Assert.Equal("v=spf1 include:_spf.xn--bcher-kva.example -all", change.Record);
    }

    [Theory]
    [InlineData("not a domain")]
    [InlineData("include:")]
    [InlineData("localhost")]
    [InlineData("1.2.3.4")]
    [InlineData("~include:_spf.provider.example")]
    [InlineData("")]
    public async Task Invalid_include_throws_ArgumentException_naming_it(string include)
    {
        ArgumentException ex = await Assert.ThrowsAsync<ArgumentException>(() => MergeRecordAsync("v=spf1 -all", include));

        Assert.Contains($"'{include}", ex.Message);
    }

    [Fact]
    public async Task Empty_include_list_throws_ArgumentException()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => MergeRecordAsync("v=spf1 -all"));
    }

    [Fact]
    public async Task Neither_domain_nor_record_throws_ArgumentException()
    {
        var merger = new SpfIncludeMerger(Dns());

        await Assert.ThrowsAsync<ArgumentException>(() => merger.MergeAsync(null, null, new[] { Provider }, CancellationToken.None));
    }

    [Fact]
    public async Task Record_that_is_not_spf_throws_ArgumentException()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => MergeRecordAsync("google-site-verification=x", Provider));
    }

    [Fact]
    public async Task Domain_record_is_read_from_dns_and_only_read()
    {
        FakeDnsResolver dns = Dns().Txt(Domain, "v=spf1 ip4:192.0.2.1 -all").Txt(Domain, "other=thing");

        SpfRecordChange change = await MergeDomainAsync(dns, Provider);

        Assert.Equal("v=spf1 ip4:192.0.2.1 include:_spf.provider.example -all", change.Record);
        Assert.Equal("v=spf1 ip4:192.0.2.1 -all", change.OriginalRecord);
        Assert.Equal(Domain, change.Domain);
    }

    [Fact]
    public async Task No_record_creates_one_ending_in_softfail_with_SpfRecordCreated_info()
    {
        SpfRecordChange change = await MergeDomainAsync(Dns(), Provider);

        Assert.Equal("v=spf1 include:_spf.provider.example ~all", change.Record);
        Assert.Null(change.OriginalRecord);
        Finding finding = Assert.Single(change.Findings);
        Assert.Equal(SpfFindingCodes.SpfRecordCreated, finding.Code);
        Assert.Equal(FindingSeverity.Info, finding.Severity);
    }

    [Fact]
    public async Task Empty_record_argument_means_there_is_no_record_yet()
    {
        SpfRecordChange change = await MergeRecordAsync("  ", Provider);

        Assert.Equal("v=spf1 include:_spf.provider.example ~all", change.Record);
    }

    [Fact]
    public async Task Two_records_are_merged_into_one_keeping_the_most_restrictive_all()
    {
        FakeDnsResolver dns = Dns()
            .Txt(Domain, "v=spf1 ip4:192.0.2.1 include:_spf.other.example ~all")
            .Txt(Domain, "v=spf1 +include:_SPF.other.example include:_spf.third.example -all");

        SpfRecordChange change = await MergeDomainAsync(dns, Provider);

        Assert.Equal("v=spf1 ip4:192.0.2.1 include:_spf.other.example include:_spf.third.example include:_spf.provider.example -all", change.Record);
        Assert.Equal(2, change.OriginalRecords.Length);
        Assert.Equal(string.Join(" | ", change.OriginalRecords), change.OriginalRecord);
        Finding finding = Assert.Single(change.Findings, f => f.Code == SpfFindingCodes.SpfRecordsMerged);
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.Contains("'-all'", finding.Message);
    }

    [Fact]
    public async Task Merged_records_keep_one_redirect_and_every_other_term()
    {
        FakeDnsResolver dns = Dns()
            .Txt(Domain, "v=spf1 mx redirect=_spf.other.example")
            .Txt(Domain, "v=spf1 a redirect=_spf.third.example bogus:term");

        SpfRecordChange change = await MergeDomainAsync(dns, Provider);

        Assert.Equal("v=spf1 mx a bogus:term include:_spf.provider.example redirect=_spf.other.example", change.Record);
    }

    [Fact]
    public async Task More_than_ten_lookups_is_still_returned_with_SpfTooManyLookups_error()
    {
        FakeDnsResolver dns = Dns();
        string record = "v=spf1 " + string.Join(" ", Enumerable.Range(1, 10).Select(i => $"include:s{i}.example.net")) + " -all";
        for (int i = 1; i <= 10; i++)
        {
            dns.Txt($"s{i}.example.net", "v=spf1 -all");
        }

        SpfRecordChange change = await new SpfIncludeMerger(dns).MergeAsync(null, record, new[] { Provider }, CancellationToken.None);

        Assert.Equal(11, change.DnsLookupCount);
        Assert.Contains(Provider, change.Record);
        Finding finding = Assert.Single(change.Findings, f => f.Code == SpfFindingCodes.SpfTooManyLookups);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
    }

    [Fact]
    public async Task Lookup_count_covers_the_new_records_whole_tree()
    {
        FakeDnsResolver dns = Dns().Txt("nested.example", "v=spf1 include:_spf.other.example include:_spf.third.example -all");

        SpfRecordChange change = await new SpfIncludeMerger(dns).MergeAsync(null, "v=spf1 include:" + Provider + " -all", new[] { "nested.example" }, CancellationToken.None);

        Assert.Equal(4, change.DnsLookupCount);
        Assert.Equal(change.DnsLookupCount, change.Analysis.DnsLookupCount);
    }

    [Fact]
    public async Task Include_of_a_domain_without_spf_is_added_but_reported()
    {
        SpfRecordChange change = await MergeRecordAsync("v=spf1 -all", "_spf.typo.example");

        Assert.Equal(new[] { "_spf.typo.example" }, change.Added);
        Assert.Contains(change.Findings, f => f.Code == SpfFindingCodes.SpfIncludeTargetNoRecord);
    }

    [Fact]
    public async Task Long_record_is_split_into_strings_of_at_most_255_that_concatenate_back_exactly()
    {
        string record = "v=spf1 " + string.Join(" ", Enumerable.Range(0, 300).Select(i => $"ip4:10.{i / 250}.{i % 250}.0/24")) + " -all";
        Assert.True(record.Length > 5000);

        SpfRecordChange change = await MergeRecordAsync(record, Provider);

        Assert.True(change.TxtStrings.Length > 20);
        Assert.All(change.TxtStrings, s => Assert.InRange(s.Length, 1, 255));
        Assert.Equal(change.Record, string.Concat(change.TxtStrings));
    }

    [Fact]
    public async Task Strings_are_cut_after_a_space_so_each_ends_with_whole_terms()
    {
        string record = "v=spf1 " + string.Join(" ", Enumerable.Range(0, 60).Select(i => $"ip4:192.0.2.{i}")) + " -all";

        SpfRecordChange change = await MergeRecordAsync(record, Provider);

        Assert.All(change.TxtStrings.Take(change.TxtStrings.Length - 1), s => Assert.EndsWith(" ", s));
        Assert.All(change.TxtStrings.Skip(1), s => Assert.NotEqual(' ', s[0]));
    }

    [Fact]
    public void Term_longer_than_255_is_cut_hard_and_still_concatenates_back()
    {
        string text = "v=spf1 exists:" + new string('a', 600) + ".example.com -all";

        string[] strings = SpfTxtStrings.Split(text);

        Assert.All(strings, s => Assert.True(s.Length <= 255));
        Assert.Equal(text, string.Concat(strings));
    }

    [Fact]
    public void Split_counts_octets_so_non_ascii_strings_stay_within_255_octets()
    {
        string text = new string('é', 300);

        string[] strings = SpfTxtStrings.Split(text);

        Assert.All(strings, s => Assert.True(System.Text.Encoding.UTF8.GetByteCount(s) <= 255));
        Assert.Equal(text, string.Concat(strings));
    }

    [Fact]
    public async Task Zone_file_text_quotes_each_string()
    {
        SpfRecordChange change = await MergeRecordAsync("v=spf1 -all", Provider);

        Assert.Equal("\"v=spf1 include:_spf.provider.example -all\"", change.ZoneFileText);
        Assert.Equal(new[] { change.Record }, change.TxtStrings);
    }

    [Fact]
    public async Task Record_given_in_zone_file_form_is_joined_before_merging()
    {
        SpfRecordChange change = await MergeRecordAsync("\"v=spf1 ip4:192.0.2.1 \" \"-all\"", Provider);

        Assert.Equal("v=spf1 ip4:192.0.2.1 include:_spf.provider.example -all", change.Record);
    }

    [Fact]
    public async Task Servfail_reading_the_domain_throws_InvalidOperationException()
    {
        FakeDnsResolver dns = Dns().Fail(Domain, DnsRecordType.TXT, DnsOutcome.ServerFailure);

        await Assert.ThrowsAsync<InvalidOperationException>(() => MergeDomainAsync(dns, Provider));
    }

    [Fact]
    public async Task Timeout_reading_the_domain_throws_TimeoutException()
    {
        FakeDnsResolver dns = Dns().Fail(Domain, DnsRecordType.TXT, DnsOutcome.Timeout);

        await Assert.ThrowsAsync<TimeoutException>(() => MergeDomainAsync(dns, Provider));
    }

    [Fact]
    public async Task Record_argument_wins_over_reading_the_domain()
    {
        FakeDnsResolver dns = Dns().Txt(Domain, "v=spf1 +all");

        SpfRecordChange change = await new SpfIncludeMerger(dns).MergeAsync(Domain, "v=spf1 -all", new[] { Provider }, CancellationToken.None);

        Assert.Equal("v=spf1 include:_spf.provider.example -all", change.Record);
        Assert.Equal(0, dns.CountOf(Domain, DnsRecordType.TXT));
    }
}
