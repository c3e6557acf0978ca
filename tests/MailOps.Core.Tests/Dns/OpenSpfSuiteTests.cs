using MailOps.Core.Dns;
using MailOps.TestSupport.Dns;
using Xunit;

namespace MailOps.Core.Tests.Dns;

/// <summary>The OpenSPF suite loader: counts, the README's zonedata rules, and serving over the wire.</summary>
public sealed class OpenSpfSuiteTests
{
    private static readonly string SuitePath = Path.Combine(AppContext.BaseDirectory, "Conformance", "spf", "rfc7208-tests.yml");

    private static readonly Lazy<OpenSpfSuite> Suite = new(() => OpenSpfSuite.Load(SuitePath));

    private static OpenSpfScenario Scenario(string description)
        => Suite.Value.Scenarios.Single(s => s.Description == description);

    private static OpenSpfTest Test(string name)
        => Suite.Value.Tests.Single(t => t.Name == name);

    [Fact]
    public void Suite_has_16_scenarios()
    {
        Assert.Equal(16, Suite.Value.Scenarios.Count);
    }

    [Fact]
    public void Suite_has_203_tests()
    {
        Assert.Equal(203, Suite.Value.TestCount);
    }

    [Fact]
    public void Test_names_are_unique()
    {
        var names = Suite.Value.Tests.Select(t => t.Name).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Test_fields_are_read()
    {
        var test = Test("nolocalpart");

        Assert.Equal("Initial processing", test.Scenario);
        Assert.Equal("4.3/2", test.Spec);
        Assert.Equal("mail.example.net", test.Helo);
        Assert.Equal("1.2.3.4", test.Host);
        Assert.Equal("@example.net", test.MailFrom);
        Assert.Equal(new[] { "fail" }, test.Results);
        Assert.Equal("postmaster", test.Explanation);
    }

    [Fact]
    public void Empty_mailfrom_is_an_empty_string()
    {
        Assert.Equal(string.Empty, Test("helo-not-fqdn").MailFrom);
    }

    [Fact]
    public void Missing_explanation_is_null()
    {
        Assert.Null(Test("helo-not-fqdn").Explanation);
    }

    [Fact]
    public void List_result_keeps_every_acceptable_result_in_order()
    {
        Assert.Equal(new[] { "permerror", "fail" }, Test("multispf1").Results);
    }

    [Fact]
    public void Txt_none_leaves_the_name_without_txt()
    {
        var zone = Scenario("Record lookup").Zone;

        Assert.True(zone.Contains("spfonly.example.net"));
        Assert.Empty(zone.GetRecords("spfonly.example.net", "TXT"));
    }

    [Fact]
    public void Spf_entries_without_txt_are_served_as_txt()
    {
        var zone = Scenario("Initial processing").Zone;

        var txt = Assert.Single(zone.GetRecords("fine.example.com", "TXT"));
        Assert.Equal(new[] { "v=spf1 a  -all" }, txt.Latin1Strings);
    }

    [Fact]
    public void Spf_entries_are_not_duplicated_when_txt_is_present()
    {
        var zone = Scenario("Record lookup").Zone;

        Assert.Single(zone.GetRecords("both.example.net", "TXT"));
    }

    [Fact]
    public void List_value_is_one_record_of_several_strings()
    {
        var zone = Scenario("Initial processing").Zone;

        var records = zone.GetRecords("null.example.com", "TXT");
        Assert.Equal(2, records.Count);
        Assert.Equal(new[] { "v=spf1 ip4:", "192.0.2.5 -all" }, records[0].Latin1Strings);
        Assert.Empty(records[1].Strings);
    }

    [Fact]
    public void Yaml_hex_escapes_become_raw_octets()
    {
        var zone = Scenario("Initial processing").Zone;

        var hosed = Assert.Single(zone.GetRecords("hosed.example.com", "TXT"));
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, hosed.Strings[0].Skip(9).Take(3));
        var hosed2 = Assert.Single(zone.GetRecords("hosed2.example.com", "TXT"));
        Assert.Equal(0x80, hosed2.Strings[0][7]);
    }

    [Fact]
    public void Bare_timeout_marks_unlisted_types_to_time_out()
    {
        var zone = Scenario("Record lookup").Zone;

        Assert.Equal(DnsFault.Timeout, zone.GetUnlistedTypesFault("alltimeout.example.net"));
        Assert.Equal(DnsFault.Timeout, zone.GetUnlistedTypesFault("spftimeout.example.net"));
        Assert.Single(zone.GetRecords("spftimeout.example.net", "TXT"));
        Assert.Equal(DnsFault.None, zone.GetUnlistedTypesFault("both.example.net"));
    }

    [Fact]
    public void Timeout_can_be_served_as_servfail_instead()
    {
        var suite = OpenSpfSuite.Load(SuitePath, DnsFault.ServerFailure);

        var zone = suite.Scenarios.Single(s => s.Description == "Record lookup").Zone;
        Assert.Equal(DnsFault.ServerFailure, zone.GetUnlistedTypesFault("alltimeout.example.net"));
    }

    [Fact]
    public void Null_mx_is_loaded_with_the_root_as_exchange()
    {
        var zone = Scenario("MX mechanism syntax").Zone;

        Assert.Contains(zone.Names.SelectMany(n => zone.GetRecords(n, "MX")), r => r.Target == string.Empty);
    }

    [Fact]
    public async Task Timeout_name_answers_its_listed_type_and_times_out_the_others()
    {
        await using var server = await DnsTestServer.StartAsync(Scenario("Record lookup").Zone);

        // The answered query gets the normal timeout: a busy test host must not turn it into a timeout.
        var txt = await TestResolvers.For(server).QueryAsync("spftimeout.example.net", DnsRecordType.TXT, CancellationToken.None);
        var a = await TestResolvers.For(server, TestResolvers.ShortTimeout).QueryAsync("spftimeout.example.net", DnsRecordType.A, CancellationToken.None);

        Assert.Equal(DnsOutcome.Success, txt.Outcome);
        Assert.Equal(DnsOutcome.Timeout, a.Outcome);
    }

    [Fact]
    public async Task Txt_none_with_timeout_times_out_the_txt_query()
    {
        await using var server = await DnsTestServer.StartAsync(Scenario("Record lookup").Zone);

        var answer = await TestResolvers.For(server, TestResolvers.ShortTimeout).QueryAsync("txttimeout.example.net", DnsRecordType.TXT, CancellationToken.None);

        Assert.Equal(DnsOutcome.Timeout, answer.Outcome);
    }

    [Fact]
    public async Task Txt_none_without_timeout_answers_NoData()
    {
        await using var server = await DnsTestServer.StartAsync(Scenario("Record lookup").Zone);

        var answer = await TestResolvers.For(server).QueryAsync("spfonly.example.net", DnsRecordType.TXT, CancellationToken.None);

        Assert.Equal(DnsOutcome.NoData, answer.Outcome);
    }

    [Fact]
    public async Task Raw_octets_of_the_suite_reach_the_resolver_as_non_ascii_characters()
    {
        await using var server = await DnsTestServer.StartAsync(Scenario("Initial processing").Zone);

        var answer = await TestResolvers.For(server).QueryAsync("hosed3.example.com", DnsRecordType.TXT, CancellationToken.None);

        Assert.Equal("v=spf1 a:example.net \u0096all", Assert.Single(answer.RecordsOf<DnsTxtRecord>()).Text);
    }

    [Fact]
    public async Task Txt_record_without_strings_is_served_as_such()
    {
        await using var server = await DnsTestServer.StartAsync(Scenario("Initial processing").Zone);

        var answer = await TestResolvers.For(server).QueryAsync("null.example.com", DnsRecordType.TXT, CancellationToken.None);

        var records = answer.RecordsOf<DnsTxtRecord>().ToList();
        Assert.Equal(2, records.Count);
        Assert.Contains(records, r => r.Strings.Count == 0);
        Assert.Contains(records, r => r.Text == "v=spf1 ip4:192.0.2.5 -all");
    }
}
