using MailOps.Core.Dkim;
using Xunit;
using MailOps.Core.Dns;
using MailOps.Core.Tests.Dns;
using MailOps.TestSupport.Dns;

namespace MailOps.Core.Tests.Dkim;

/// <summary>Reading keys from a real DNS server on loopback: explicit selectors, probing, CNAME
/// delegation and failures.</summary>
public sealed class DkimRecordReaderTests : IDisposable
{
    private static readonly string Key2048 = DkimTestKeys.Spki(2048);
    private static readonly string Key1024 = DkimTestKeys.Spki(1024);

    private readonly DnsTestServer dns;
    private readonly DkimRecordReader reader;
    private readonly List<string> trace = new();

    public DkimRecordReaderTests()
    {
        var zone = new DnsZone()
            .AddTxt("selector1._domainkey.contoso.example", Split("v=DKIM1; k=rsa; p=" + Key2048))
            .AddTxt("google._domainkey.contoso.example", Split("v=DKIM1; k=rsa; p=" + Key1024))
            .AddCname("s1._domainkey.contoso.example", "s1.domainkey.u123.wl.sendgrid.example")
            .AddTxt("s1.domainkey.u123.wl.sendgrid.example", Split("k=rsa; t=s; p=" + Key2048))
            .AddCname("s2._domainkey.contoso.example", "s2.gone.sendgrid.example")
            .AddCname("hop1._domainkey.chain.example", "hop2.chain.example")
            .AddCname("hop2.chain.example", "key.provider.example")
            .AddTxt("key.provider.example", Split("v=DKIM1; p=" + Key2048))
            .AddTxt("twice._domainkey.contoso.example", Split("v=DKIM1; p=" + Key2048))
            .AddTxt("twice._domainkey.contoso.example", Split("v=DKIM1; p=" + Key1024))
            .AddTxt("broken._domainkey.contoso.example", Split("v=DKIM1; p="))
            .AddTxt("selector2._domainkey.partial.example", Split("v=DKIM1; p=" + Key2048))
            .AddTxt("unrelated.example", "v=spf1 -all");
        dns = new DnsTestServer(zone).Start();
        dns.SetFault("failing._domainkey.contoso.example", "TXT", DnsFault.ServerFailure);
        dns.SetFault("google._domainkey.partial.example", "TXT", DnsFault.ServerFailure);
        foreach (DkimSelector selector in DkimSelectorCatalog.All)
        {
            dns.SetFault(selector.Name + "._domainkey.down.example", "TXT", DnsFault.Refused);
        }

        reader = new DkimRecordReader(TestResolvers.For(dns), new Progress(trace));
    }

    public void Dispose() => dns.Dispose();

    private Task<DkimRecord[]> Read(string domain, params string[] selectors)
        => reader.ReadAsync(domain, selectors.Length == 0 ? null : selectors, CancellationToken.None);

    private static string[] Codes(DkimRecord r) => r.Findings.Select(f => f.Code).ToArray();

    [Fact]
    public async Task Explicit_selector_returns_the_key_with_its_name_and_size()
    {
        DkimRecord r = Assert.Single(await Read("Contoso.Example.", "selector1"));

        Assert.Equal("contoso.example", r.Domain);
        Assert.Equal("selector1", r.Selector);
        Assert.Equal("Microsoft 365", r.Provider);
        Assert.Equal("selector1._domainkey.contoso.example", r.Name);
        Assert.Equal(DkimKeyType.Rsa, r.KeyType);
        Assert.Equal(2048, r.KeySize);
        Assert.Null(r.CnameTarget);
        Assert.Empty(r.CnameChain);
        Assert.Empty(r.Findings);
        Assert.True(r.IsValid);
    }

    [Fact]
    public async Task Key_published_directly_costs_no_cname_question()
    {
        await Read("contoso.example", "selector1");

        Assert.Equal(0, dns.CountQueries("selector1._domainkey.contoso.example", "CNAME"));
    }

    [Fact]
    public async Task Explicit_selectors_come_back_in_the_order_given_without_duplicates()
    {
        DkimRecord[] r = await Read("contoso.example", "google", "selector1", "GOOGLE");

        Assert.Equal(new[] { "google", "selector1" }, r.Select(x => x.Selector));
        Assert.Equal(new int?[] { 1024, 2048 }, r.Select(x => x.KeySize));
    }

    [Fact]
    public async Task Cname_delegated_key_is_read_at_the_target_and_the_target_is_reported()
    {
        DkimRecord r = Assert.Single(await Read("contoso.example", "s1"));

        Assert.Equal("s1._domainkey.contoso.example", r.Name);
        Assert.Equal("s1.domainkey.u123.wl.sendgrid.example", r.CnameTarget);
        Assert.Equal(new[] { "s1.domainkey.u123.wl.sendgrid.example" }, r.CnameChain);
        Assert.Equal(2048, r.KeySize);
        Assert.Equal(new[] { "s" }, r.Flags);
    }

    [Fact]
    public async Task Cname_chain_of_two_hops_is_reported_in_order()
    {
        DkimRecord r = Assert.Single(await Read("chain.example", "hop1"));

        Assert.Equal(new[] { "hop2.chain.example", "key.provider.example" }, r.CnameChain);
        Assert.Equal("key.provider.example", r.CnameTarget);
        Assert.Equal(2048, r.KeySize);
    }

    [Fact]
    public async Task Explicit_selector_without_a_record_is_a_DkimKeyNotFound_error_finding()
    {
        DkimRecord r = Assert.Single(await Read("contoso.example", "nosuch"));

        Assert.Equal("nosuch", r.Selector);
        Assert.Null(r.Record);
        Assert.Null(r.KeyType);
        Assert.Null(r.KeySize);
        Finding finding = Assert.Single(r.Findings);
        Assert.Equal(DkimFindingCodes.DkimKeyNotFound, finding.Code);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
    }

    [Fact]
    public async Task Dangling_cname_is_reported_with_its_target_as_DkimKeyNotFound()
    {
        DkimRecord r = Assert.Single(await Read("contoso.example", "s2"));

        Assert.Equal("s2.gone.sendgrid.example", r.CnameTarget);
        Finding finding = Assert.Single(r.Findings);
        Assert.Equal(DkimFindingCodes.DkimKeyNotFound, finding.Code);
        Assert.Contains("s2.gone.sendgrid.example", finding.Message);
    }

    [Fact]
    public async Task Servfail_for_an_explicit_selector_is_a_DkimDnsError_finding()
    {
        DkimRecord r = Assert.Single(await Read("contoso.example", "failing"));

        Assert.Null(r.Record);
        Finding finding = Assert.Single(r.Findings);
        Assert.Equal(DkimFindingCodes.DkimDnsError, finding.Code);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
    }

    [Fact]
    public async Task Two_txt_records_at_the_name_are_a_DkimMultipleRecords_error_and_the_first_is_shown()
    {
        DkimRecord r = Assert.Single(await Read("contoso.example", "twice"));

        Assert.Contains(DkimFindingCodes.DkimMultipleRecords, Codes(r));
        Assert.Equal("v=DKIM1; p=" + Key2048, r.Record);
        Assert.False(r.IsValid);
    }

    [Fact]
    public async Task Revoked_key_is_reported_with_IsRevoked_and_an_info_finding()
    {
        DkimRecord r = Assert.Single(await Read("contoso.example", "broken"));

        Assert.True(r.IsRevoked);
        Assert.Equal(new[] { DkimFindingCodes.DkimKeyRevoked }, Codes(r));
    }

    [Fact]
    public async Task Probing_reports_every_hit_in_catalogue_order()
    {
        DkimRecord[] r = await Read("contoso.example");

        // google, selector1 and s1 are in the catalogue in that order; the others are not.
        Assert.Equal(new[] { "google", "selector1", "s1" }, r.Select(x => x.Selector));
        Assert.Equal("s1.domainkey.u123.wl.sendgrid.example", r[2].CnameTarget);
        Assert.Equal(DkimSelectorCatalog.All.Count, dns.Queries.Count(q => q.Type == "TXT" && q.Name.EndsWith("._domainkey.contoso.example", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Probing_with_no_key_found_returns_one_row_with_DkimNoSelectorFound()
    {
        DkimRecord r = Assert.Single(await Read("unrelated.example"));

        Assert.Equal("unrelated.example", r.Domain);
        Assert.Null(r.Selector);
        Assert.Null(r.Name);
        Assert.Null(r.KeyType);
        Finding finding = Assert.Single(r.Findings);
        Assert.Equal(DkimFindingCodes.DkimNoSelectorFound, finding.Code);
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.Contains($"{DkimSelectorCatalog.All.Count} common selectors", finding.Message);
        Assert.Contains("-Selector", finding.Message);
    }

    [Fact]
    public async Task Probing_reports_a_failed_selector_beside_the_keys_found()
    {
        DkimRecord[] r = await Read("partial.example");

        Assert.Equal(new[] { "google", "selector2" }, r.Select(x => x.Selector));
        Assert.Equal(new[] { DkimFindingCodes.DkimDnsError }, Codes(r[0]));
        Assert.Equal(2048, r[1].KeySize);
    }

    [Fact]
    public async Task Probing_where_every_lookup_fails_returns_one_row_with_DkimDnsError()
    {
        DkimRecord r = Assert.Single(await Read("down.example"));

        Assert.Null(r.Selector);
        Assert.Equal(new[] { DkimFindingCodes.DkimDnsError }, Codes(r));
    }

    [Fact]
    public async Task Probing_with_extra_selectors_reports_hits_after_the_catalogue_and_skips_misses()
    {
        DkimRecord[] r = await reader.ProbeAsync("contoso.example", new[] { "twice", "nosuch", "google" }, CancellationToken.None);

        Assert.Equal(new[] { "google", "selector1", "s1", "twice" }, r.Select(x => x.Selector));
    }

    [Fact]
    public async Task Probing_with_extra_selectors_and_no_hit_still_returns_one_DkimNoSelectorFound_row()
    {
        DkimRecord[] r = await reader.ProbeAsync("unrelated.example", new[] { "nosuch" }, CancellationToken.None);

        DkimRecord row = Assert.Single(r);
        Assert.Equal(new[] { DkimFindingCodes.DkimNoSelectorFound }, Codes(row));
        Assert.Contains($"{DkimSelectorCatalog.All.Count + 1} common selectors", row.Findings[0].Message);
    }

    [Fact]
    public async Task Trace_tells_which_keys_were_found()
    {
        await Read("contoso.example", "s1");

        Assert.Contains(trace, line => line.Contains("s1._domainkey.contoso.example: key found (rsa, 2048 bits) via CNAME s1.domainkey.u123.wl.sendgrid.example", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invalid_selector_is_an_argument_exception()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Read("contoso.example", "bad selector"));
    }

    [Fact]
    public async Task Invalid_domain_is_an_argument_exception()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Read("bad..example", "s1"));
    }

    /// <summary>Collects trace lines synchronously (Progress&lt;T&gt; would post them later).</summary>
    private sealed class Progress : IProgress<string>
    {
        private readonly List<string> lines;

        public Progress(List<string> lines) => this.lines = lines;

        public void Report(string value)
        {
            lock (lines)
            {
                lines.Add(value);
            }
        }
    }

    /// <summary>A key record as DNS publishers store it: character-strings of at most 255
    /// octets (RFC 1035 section 3.3.14), which readers join with nothing between them.</summary>
    private static string[] Split(string record)
        => Enumerable.Range(0, (record.Length + 254) / 255).Select(i => record.Substring(i * 255, Math.Min(255, record.Length - i * 255))).DefaultIfEmpty(string.Empty).ToArray();
}
