using System.Net;
using MailOps.Core.Dns;
using MailOps.TestSupport.Dns;
using Xunit;

namespace MailOps.Core.Tests.Dns;

/// <summary>The wire-protocol resolver against a real DNS server on loopback.</summary>
public sealed class DnsClientResolverTests
{
    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task Existing_records_of_the_asked_type_are_Success()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddA("example.com", "192.0.2.1").AddA("example.com", "192.0.2.2"));

        var answer = await TestResolvers.For(server).QueryAsync("example.com", DnsRecordType.A, None);

        Assert.Equal(DnsOutcome.Success, answer.Outcome);
        Assert.Equal(new[] { "192.0.2.1", "192.0.2.2" }, answer.RecordsOf<DnsAddressRecord>().Select(r => r.Address.ToString()).OrderBy(a => a));
        Assert.Equal(server.Endpoint, answer.Server);
    }

    [Fact]
    public async Task Aaaa_records_carry_the_IPv6_address()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddAaaa("example.com", "2001:db8::1"));

        var answer = await TestResolvers.For(server).QueryAsync("example.com", DnsRecordType.AAAA, None);

        Assert.Equal(IPAddress.Parse("2001:db8::1"), Assert.Single(answer.RecordsOf<DnsAddressRecord>()).Address);
    }

    [Fact]
    public async Task Existing_name_without_the_type_is_NoData()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddA("example.com", "192.0.2.1"));

        var answer = await TestResolvers.For(server).QueryAsync("example.com", DnsRecordType.TXT, None);

        Assert.Equal(DnsOutcome.NoData, answer.Outcome);
        Assert.True(answer.IsVoid);
        Assert.Empty(answer.Records);
    }

    [Fact]
    public async Task Absent_name_is_NxDomain()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddA("example.com", "192.0.2.1"));

        var answer = await TestResolvers.For(server).QueryAsync("missing.example.com", DnsRecordType.A, None);

        Assert.Equal(DnsOutcome.NxDomain, answer.Outcome);
        Assert.True(answer.IsVoid);
    }

    [Fact]
    public async Task Servfail_is_ServerFailure()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddA("example.com", "192.0.2.1"));
        server.Fault = DnsFault.ServerFailure;

        var answer = await TestResolvers.For(server).QueryAsync("example.com", DnsRecordType.A, None);

        Assert.Equal(DnsOutcome.ServerFailure, answer.Outcome);
        Assert.True(answer.IsFailure);
        Assert.NotNull(answer.Error);
    }

    [Fact]
    public async Task Refused_is_Refused()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddA("example.com", "192.0.2.1"));
        server.Fault = DnsFault.Refused;

        var answer = await TestResolvers.For(server).QueryAsync("example.com", DnsRecordType.A, None);

        Assert.Equal(DnsOutcome.Refused, answer.Outcome);
    }

    [Fact]
    public async Task Unanswered_query_is_Timeout()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddA("example.com", "192.0.2.1"));
        server.SetFault("example.com", "A", DnsFault.Timeout);

        var answer = await TestResolvers.For(server, TestResolvers.ShortTimeout).QueryAsync("example.com", DnsRecordType.A, None);

        Assert.Equal(DnsOutcome.Timeout, answer.Outcome);
        Assert.Contains(server.Endpoint, answer.Error);
    }

    [Fact]
    public async Task Timed_out_query_is_retried_as_configured()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddA("example.com", "192.0.2.1"));
        server.Fault = DnsFault.Timeout;

        await TestResolvers.For(server, TestResolvers.ShortTimeout, retries: 1).QueryAsync("example.com", DnsRecordType.A, None);

        Assert.Equal(2, server.CountQueries("example.com", "A"));
    }

    [Fact]
    public async Task Truncated_udp_answer_is_retried_over_tcp()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddTxt("example.com", "v=spf1 -all"));
        server.SetFault("example.com", "TXT", DnsFault.Truncate);

        var answer = await TestResolvers.For(server).QueryAsync("example.com", DnsRecordType.TXT, None);

        Assert.Equal(DnsOutcome.Success, answer.Outcome);
        Assert.Equal("v=spf1 -all", Assert.Single(answer.RecordsOf<DnsTxtRecord>()).Text);
        Assert.Equal(1, server.CountQueries("example.com", "TXT", DnsTransport.Udp));
        Assert.Equal(1, server.CountQueries("example.com", "TXT", DnsTransport.Tcp));
    }

    [Fact]
    public async Task Truncated_answer_without_tcp_fallback_is_an_Error_not_an_empty_success()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddTxt("example.com", "v=spf1 -all"));
        server.Fault = DnsFault.Truncate;

        var answer = await TestResolvers.For(server, tcpFallback: false).QueryAsync("example.com", DnsRecordType.TXT, None);

        Assert.NotEqual(DnsOutcome.Success, answer.Outcome);
        Assert.NotEqual(DnsOutcome.NoData, answer.Outcome);
        Assert.Equal(0, server.TcpQueryCount);
    }

    [Fact]
    public async Task Txt_character_strings_are_kept_apart()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddTxt("example.com", "v=spf1 ip4:", "192.0.2.5 -all"));

        var answer = await TestResolvers.For(server).QueryAsync("example.com", DnsRecordType.TXT, None);

        var txt = Assert.Single(answer.RecordsOf<DnsTxtRecord>());
        Assert.Equal(new[] { "v=spf1 ip4:", "192.0.2.5 -all" }, txt.Strings);
        Assert.Equal("v=spf1 ip4:192.0.2.5 -all", txt.Text);
    }

    [Fact]
    public async Task Several_txt_records_stay_several_records()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddTxt("example.com", "one").AddTxt("example.com", "two"));

        var answer = await TestResolvers.For(server).QueryAsync("example.com", DnsRecordType.TXT, None);

        Assert.Equal(new[] { "one", "two" }, answer.RecordsOf<DnsTxtRecord>().Select(r => r.Text).OrderBy(t => t));
    }

    [Fact]
    public async Task Invalid_utf8_octets_in_txt_arrive_as_the_same_non_ascii_code_points()
    {
        var raw = new byte[] { (byte)'v', (byte)'=', (byte)'s', (byte)'p', (byte)'f', (byte)'1', (byte)' ', 0x80, (byte)'a', 0x96 };
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddTxt("example.com", raw));

        var answer = await TestResolvers.For(server).QueryAsync("example.com", DnsRecordType.TXT, None);

        Assert.Equal("v=spf1 \u0080a\u0096", Assert.Single(answer.RecordsOf<DnsTxtRecord>()).Text);
    }

    [Fact]
    public async Task Utf8_byte_order_mark_in_txt_arrives_as_a_non_ascii_character()
    {
        var raw = new byte[] { 0xEF, 0xBB, 0xBF, (byte)'E', (byte)'x', (byte)'p' };
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddTxt("example.com", raw));

        var answer = await TestResolvers.For(server).QueryAsync("example.com", DnsRecordType.TXT, None);

        var text = Assert.Single(answer.RecordsOf<DnsTxtRecord>()).Text;
        Assert.EndsWith("Exp", text);
        Assert.Contains(text, c => c > '\u007F');
    }

    [Fact]
    public async Task Control_characters_in_txt_arrive_unescaped()
    {
        var raw = "v=spf1 a:ctrl.example.com\rptr -all"u8.ToArray();
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddTxt("example.com", raw));

        var answer = await TestResolvers.For(server).QueryAsync("example.com", DnsRecordType.TXT, None);

        Assert.Equal("v=spf1 a:ctrl.example.com\rptr -all", Assert.Single(answer.RecordsOf<DnsTxtRecord>()).Text);
    }

    [Fact]
    public async Task Null_mx_has_an_empty_exchange()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddMx("example.com", 0, "."));

        var answer = await TestResolvers.For(server).QueryAsync("example.com", DnsRecordType.MX, None);

        var mx = Assert.Single(answer.RecordsOf<DnsMxRecord>());
        Assert.Equal(0, mx.Preference);
        Assert.Equal(string.Empty, mx.Exchange);
    }

    [Fact]
    public async Task Mx_exchange_has_no_trailing_dot()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddMx("example.com", 10, "mail.example.com"));

        var answer = await TestResolvers.For(server).QueryAsync("example.com.", DnsRecordType.MX, None);

        var mx = Assert.Single(answer.RecordsOf<DnsMxRecord>());
        Assert.Equal(10, mx.Preference);
        Assert.Equal("mail.example.com", mx.Exchange);
        Assert.Equal("example.com", answer.Name);
        Assert.Equal("example.com", mx.Name);
    }

    [Fact]
    public async Task Cname_is_followed_to_the_records_of_the_asked_type()
    {
        var zone = new DnsZone().AddCname("www.example.com", "host.example.com").AddA("host.example.com", "192.0.2.7");
        await using var server = await DnsTestServer.StartAsync(zone);

        var answer = await TestResolvers.For(server).QueryAsync("www.example.com", DnsRecordType.A, None);

        var a = Assert.Single(answer.RecordsOf<DnsAddressRecord>());
        Assert.Equal("192.0.2.7", a.Address.ToString());
        Assert.Equal("host.example.com", a.Name);
    }

    [Fact]
    public async Task Cname_to_a_target_without_the_type_is_NoData()
    {
        var zone = new DnsZone().AddCname("www.example.com", "host.example.com").AddA("host.example.com", "192.0.2.7");
        await using var server = await DnsTestServer.StartAsync(zone);

        var answer = await TestResolvers.For(server).QueryAsync("www.example.com", DnsRecordType.TXT, None);

        Assert.Equal(DnsOutcome.NoData, answer.Outcome);
    }

    [Fact]
    public async Task Ptr_target_has_no_trailing_dot()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddPtr("1.2.0.192.in-addr.arpa", "mail.example.com."));

        var answer = await TestResolvers.For(server).QueryAsync("1.2.0.192.in-addr.arpa", DnsRecordType.PTR, None);

        Assert.Equal("mail.example.com", Assert.Single(answer.RecordsOf<DnsNameRecord>()).Target);
    }

    [Fact]
    public async Task Names_are_matched_case_insensitively()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddA("Example.COM", "192.0.2.1"));

        var answer = await TestResolvers.For(server).QueryAsync("EXAMPLE.com", DnsRecordType.A, None);

        Assert.Equal(DnsOutcome.Success, answer.Outcome);
    }

    [Fact]
    public async Task Names_with_characters_outside_host_name_rules_are_still_asked()
    {
        // SPF macro expansion produces such names (OpenSPF "macro%percent  space..." and "foo:bar/baz").
        var zone = new DnsZone().AddA("macro%percent  space%20url-space.example.com", "1.2.3.4").AddA("foo:bar/baz.example.com", "1.2.3.5");
        await using var server = await DnsTestServer.StartAsync(zone);
        var resolver = TestResolvers.For(server);

        var spaced = await resolver.QueryAsync("macro%percent  space%20url-space.example.com", DnsRecordType.A, None);
        var slashed = await resolver.QueryAsync("foo:bar/baz.example.com", DnsRecordType.A, None);

        Assert.Equal(DnsOutcome.Success, spaced.Outcome);
        Assert.Equal(DnsOutcome.Success, slashed.Outcome);
    }

    [Fact]
    public async Task A_label_names_go_on_the_wire_as_A_labels()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddA("xn--bcher-kva.example", "192.0.2.9"));

        var answer = await TestResolvers.For(server).QueryAsync("xn--bcher-kva.example", DnsRecordType.A, None);

        Assert.Equal(DnsOutcome.Success, answer.Outcome);
        Assert.Equal("xn--bcher-kva.example", Assert.Single(server.Queries).Name);
    }

    [Fact]
    public async Task Unicode_names_are_asked_as_their_A_labels()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddA("xn--bcher-kva.example", "192.0.2.9"));

        var answer = await TestResolvers.For(server).QueryAsync("b\u00fccher.example", DnsRecordType.A, None);

        Assert.Equal(DnsOutcome.Success, answer.Outcome);
        Assert.Equal("xn--bcher-kva.example", Assert.Single(server.Queries).Name);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("a..example.com")]
    [InlineData(".example.com")]
    [InlineData("a1234567890123456789012345678901234567890123456789012345678901234.example.com")]
    public async Task Invalid_names_return_Error_without_a_query(string name)
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone());

        var answer = await TestResolvers.For(server).QueryAsync(name, DnsRecordType.TXT, None);

        Assert.Equal(DnsOutcome.Error, answer.Outcome);
        Assert.False(string.IsNullOrEmpty(answer.Error));
        Assert.Equal(0, server.QueryCount);
    }

    [Fact]
    public async Task Name_longer_than_253_octets_returns_Error()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone());
        var name = string.Join(".", Enumerable.Repeat(new string('a', 63), 4)) + ".com";

        var answer = await TestResolvers.For(server).QueryAsync(name, DnsRecordType.A, None);

        Assert.Equal(DnsOutcome.Error, answer.Outcome);
        Assert.Contains("253", answer.Error);
    }

    [Fact]
    public async Task Label_of_63_octets_is_asked()
    {
        var name = "a12345678901234567890123456789012345678901234567890123456789012.example.com";
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddTxt(name, "v=spf1 -all"));

        var answer = await TestResolvers.For(server).QueryAsync(name, DnsRecordType.TXT, None);

        Assert.Equal(DnsOutcome.Success, answer.Outcome);
    }

    [Fact]
    public async Task Cancellation_throws_OperationCanceledException()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddA("example.com", "192.0.2.1"));
        server.Fault = DnsFault.Timeout;
        using var cts = new CancellationTokenSource();
        var resolver = TestResolvers.For(server, TimeSpan.FromSeconds(30));

        var query = resolver.QueryAsync("example.com", DnsRecordType.A, cts.Token);
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => query);
    }

    [Fact]
    public async Task Already_cancelled_token_sends_nothing()
    {
        await using var server = await DnsTestServer.StartAsync(new DnsZone().AddA("example.com", "192.0.2.1"));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => TestResolvers.For(server).QueryAsync("example.com", DnsRecordType.A, new CancellationToken(true)));
        Assert.Equal(0, server.QueryCount);
    }

    [Fact]
    public async Task Servfail_from_the_first_server_fails_over_to_the_next()
    {
        await using var broken = await DnsTestServer.StartAsync(new DnsZone().AddA("example.com", "192.0.2.1"));
        await using var working = await DnsTestServer.StartAsync(new DnsZone().AddA("example.com", "192.0.2.2"));
        broken.Fault = DnsFault.ServerFailure;

        var answer = await TestResolvers.For(new[] { broken.IPEndPoint, working.IPEndPoint }).QueryAsync("example.com", DnsRecordType.A, None);

        Assert.Equal("192.0.2.2", Assert.Single(answer.RecordsOf<DnsAddressRecord>()).Address.ToString());
        Assert.Equal(working.Endpoint, answer.Server);
    }

    [Fact]
    public async Task NxDomain_from_the_first_server_is_final()
    {
        await using var first = await DnsTestServer.StartAsync(new DnsZone());
        await using var second = await DnsTestServer.StartAsync(new DnsZone().AddA("example.com", "192.0.2.2"));

        var answer = await TestResolvers.For(new[] { first.IPEndPoint, second.IPEndPoint }).QueryAsync("example.com", DnsRecordType.A, None);

        Assert.Equal(DnsOutcome.NxDomain, answer.Outcome);
        Assert.Equal(0, second.QueryCount);
    }

    [Fact]
    public async Task NoData_from_the_first_server_is_final()
    {
        await using var first = await DnsTestServer.StartAsync(new DnsZone().AddName("example.com"));
        await using var second = await DnsTestServer.StartAsync(new DnsZone().AddA("example.com", "192.0.2.2"));

        var answer = await TestResolvers.For(new[] { first.IPEndPoint, second.IPEndPoint }).QueryAsync("example.com", DnsRecordType.A, None);

        Assert.Equal(DnsOutcome.NoData, answer.Outcome);
        Assert.Equal(0, second.QueryCount);
    }
}
