using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>Test-SpfRecord through real PowerShell and a real DNS server on loopback.</summary>
public sealed class TestSpfRecordTests : IClassFixture<SpfFixture>
{
    private readonly SpfFixture f;

    public TestSpfRecordTests(SpfFixture fixture) => f = fixture;

    private static Dictionary<string, object?> P(params (string Name, object? Value)[] values)
        => values.ToDictionary(v => v.Name, v => v.Value);

    [Fact]
    public void Ip_authorized_through_an_include_passes_and_names_the_include()
    {
        var r = f.Run("Test-SpfRecord", P(("Domain", "contoso.example"), ("IPAddress", "149.72.190.99"))).Single();

        Assert.Equal("Pass", r.Str("Result"));
        Assert.Equal("include:sendgrid.example", r.Str("Mechanism"));
        Assert.Equal("contoso.example", r.Str("Domain"));
        Assert.Equal(1, (int)r.Prop("DnsLookupCount")!);
    }

    [Fact]
    public void Ip_matching_only_all_gets_the_all_qualifier()
    {
        var r = f.Run("Test-SpfRecord", P(("Domain", "contoso.example"), ("IPAddress", "203.0.113.99"))).Single();

        Assert.Equal("SoftFail", r.Str("Result"));
        Assert.Equal("~all", r.Str("Mechanism"));
    }

    [Fact]
    public void Fail_carries_the_expanded_exp_explanation()
    {
        var r = f.Run("Test-SpfRecord", P(("Domain", "strict.example"), ("IPAddress", "203.0.113.9"))).Single();

        Assert.Equal("Fail", r.Str("Result"));
        Assert.Equal("203.0.113.9 may not send mail for strict.example", r.Str("Explanation"));
    }

    [Fact]
    public void Quiet_returns_true_for_pass()
    {
        var r = f.Run("Test-SpfRecord", P(("Domain", "contoso.example"), ("IP", "198.51.100.7"), ("Quiet", true))).Single();

        Assert.Equal(true, r.BaseObject);
    }

    [Fact]
    public void Quiet_returns_false_for_anything_but_pass()
    {
        var r = f.Run("Test-SpfRecord", P(("Domain", "strict.example"), ("IP", "198.51.100.7"), ("Quiet", true))).Single();

        Assert.Equal(false, r.BaseObject);
    }

    [Fact]
    public void Record_parameter_evaluates_unpublished_text_instead_of_dns()
    {
        var r = f.Run("Test-SpfRecord", P(("Domain", "contoso.example"), ("IPAddress", "203.0.113.7"), ("Record", "v=spf1 ip4:203.0.113.0/24 include:sendgrid.example -all"))).Single();

        Assert.Equal("Pass", r.Str("Result"));
        Assert.Equal("ip4:203.0.113.0/24", r.Str("Mechanism"));
    }

    [Fact]
    public void Record_parameter_still_resolves_includes_through_dns()
    {
        var r = f.Run("Test-SpfRecord", P(("Domain", "contoso.example"), ("IPAddress", "149.72.1.1"), ("Record", "v=spf1 include:sendgrid.example -all"))).Single();

        Assert.Equal("Pass", r.Str("Result"));
    }

    [Fact]
    public void Record_that_is_not_spf_is_an_InvalidSpfRecord_error()
    {
        var r = f.Run("Test-SpfRecord", P(("Domain", "contoso.example"), ("IPAddress", "203.0.113.7"), ("Record", "ip4:203.0.113.0/24 -all")));

        var error = Assert.Single(r.Errors);
        Assert.StartsWith("InvalidSpfRecord", error.FullyQualifiedErrorId);
        Assert.Equal("InvalidArgument", error.CategoryInfo.Category.ToString());
        Assert.Empty(r.Output);
    }

    [Fact]
    public void Domain_defaults_to_the_sender_domain()
    {
        var r = f.Run("Test-SpfRecord", P(("MailFrom", "invoices@contoso.example"), ("IPAddress", "149.72.3.4"), ("Helo", "mail.contoso.example"))).Single();

        Assert.Equal("contoso.example", r.Str("Domain"));
        Assert.Equal("Pass", r.Str("Result"));
        Assert.Equal("invoices@contoso.example", r.Str("Sender"));
    }

    [Fact]
    public void Null_sender_is_checked_against_the_helo_domain()
    {
        var r = f.Run("Test-SpfRecord", P(("Sender", ""), ("HeloName", "helo.example"), ("IPAddress", "203.0.113.5"))).Single();

        Assert.Equal("helo.example", r.Str("Domain"));
        Assert.Equal("Pass", r.Str("Result"));
    }

    [Fact]
    public void Without_domain_sender_or_helo_the_error_is_DomainNotSpecified()
    {
        var r = f.Run("Test-SpfRecord", P(("IPAddress", "203.0.113.5")));

        var error = Assert.Single(r.Errors);
        Assert.StartsWith("DomainNotSpecified", error.FullyQualifiedErrorId);
        Assert.Equal("InvalidArgument", error.CategoryInfo.Category.ToString());
    }

    [Fact]
    public void Two_published_records_are_a_permerror()
    {
        var r = f.Run("Test-SpfRecord", P(("Domain", "twice.example"), ("IPAddress", "192.0.2.10"))).Single();

        Assert.Equal("PermError", r.Str("Result"));
    }

    [Fact]
    public void Servfail_on_the_record_lookup_is_a_temperror()
    {
        var r = f.Run("Test-SpfRecord", P(("Domain", "servfail.example"), ("IPAddress", "192.0.2.10"))).Single();

        Assert.Equal("TempError", r.Str("Result"));
    }

    [Fact]
    public void Verbose_shows_each_dns_query_and_the_evaluation_steps()
    {
        var r = f.Run("Test-SpfRecord", P(("Domain", "contoso.example"), ("IPAddress", "149.72.190.99"), ("Verbose", true)));

        r.ThrowIfFailed();
        Assert.Contains(r.Verbose, v => v.StartsWith("DNS TXT contoso.example", StringComparison.Ordinal));
        Assert.Contains(r.Verbose, v => v.Contains("include:sendgrid.example") && v.StartsWith("SPF contoso.example 149.72.190.99", StringComparison.Ordinal));
        Assert.NotEmpty((string[])r.Output[0].Prop("Trace")!);
    }

    [Fact]
    public void Pipeline_rows_bind_by_property_name_and_come_out_in_input_order()
    {
        // slow.example answers 300 ms late, so with concurrency the later rows finish first.
        var r = f.Script("""
            @(
              [pscustomobject]@{ Domain = 'slow.example';    IPAddress = '192.0.2.1' }
              [pscustomobject]@{ Domain = 'contoso.example'; IPAddress = '149.72.190.99' }
              [pscustomobject]@{ Domain = 'strict.example';  IPAddress = '192.0.2.1' }
              [pscustomobject]@{ Domain = 'contoso.example'; IPAddress = '203.0.113.1' }
            ) | Test-SpfRecord -Server $dns -ThrottleLimit 4
            """);

        r.ThrowIfFailed();
        Assert.Equal(new[] { "slow.example", "contoso.example", "strict.example", "contoso.example" }, r.Output.Select(o => o.Str("Domain")));
        Assert.Equal(new[] { "Pass", "Pass", "Pass", "SoftFail" }, r.Output.Select(o => o.Str("Result")));
    }

    [Fact]
    public void A_bad_row_gets_an_error_and_the_other_rows_still_run()
    {
        var r = f.Script("""
            @(
              [pscustomobject]@{ Domain = 'contoso.example'; IPAddress = '149.72.190.99' }
              [pscustomobject]@{ Domain = 'not a domain!';   IPAddress = '149.72.190.99' }
              [pscustomobject]@{ Domain = 'contoso.example'; IPAddress = '999.1.1.1' }
              [pscustomobject]@{ Domain = 'strict.example';  IPAddress = '192.0.2.1' }
            ) | Test-SpfRecord -Server $dns
            """);

        Assert.Null(r.Terminating);
        Assert.Equal(new[] { "Pass", "Pass" }, r.Output.Select(o => o.Str("Result")));
        Assert.Equal(2, r.Errors.Count);
        var domainError = Assert.Single(r.Errors, e => e.FullyQualifiedErrorId.StartsWith("InvalidDomainName", StringComparison.Ordinal));
        Assert.Equal("not a domain!", domainError.TargetObject);
        Assert.Equal("InvalidArgument", domainError.CategoryInfo.Category.ToString());
    }

    [Fact]
    public void Get_SpfRecord_output_pipes_into_Test_SpfRecord()
    {
        var r = f.Script("Get-SpfRecord contoso.example -Server $dns | Test-SpfRecord -IPAddress 198.51.100.25 -Server $dns").Single();

        Assert.Equal("Pass", r.Str("Result"));
        Assert.Equal("contoso.example", r.Str("Domain"));
    }

    [Fact]
    public void Unparseable_server_is_an_InvalidDnsServer_error()
    {
        var r = f.Host.Invoke("Test-SpfRecord", P(("Domain", "contoso.example"), ("IPAddress", "192.0.2.1"), ("Server", new[] { "[::1" })));

        var error = Assert.Single(r.Errors);
        Assert.StartsWith("InvalidDnsServer", error.FullyQualifiedErrorId);
        Assert.Equal("[::1", error.TargetObject);
    }

    [Fact]
    public void IPv6_client_is_checked_against_ip6_mechanisms()
    {
        var r = f.Run("Test-SpfRecord", P(("Domain", "contoso.example"), ("IPAddress", "2001:db8::1"), ("Record", "v=spf1 ip6:2001:db8::/32 -all"))).Single();

        Assert.Equal("Pass", r.Str("Result"));
    }

    [Fact]
    public void Piped_SpfRecord_of_a_domain_with_two_records_is_a_permerror_as_receivers_see_it()
    {
        var r = f.Script("Get-SpfRecord twice.example -Server $dns | Test-SpfRecord -IPAddress 192.0.2.10 -Server $dns").Single();

        Assert.Equal("PermError", r.Str("Result"));
    }

    [Fact]
    public void Csv_row_with_a_Record_column_evaluates_that_record()
    {
        var r = f.Script("""
            [pscustomobject]@{ Domain = 'strict.example'; IPAddress = '203.0.113.50'; Record = 'v=spf1 ip4:203.0.113.0/24 -all' } | Test-SpfRecord -Server $dns
            """).Single();

        Assert.Equal("Pass", r.Str("Result"));
    }

    [Fact]
    public void Stopping_the_pipeline_like_ctrl_c_ends_a_check_waiting_on_dns()
    {
        using var dns = new MailOps.TestSupport.Dns.DnsTestServer(new MailOps.TestSupport.Dns.DnsZone().AddTxt("hang.example", "v=spf1 -all")).Start();
        dns.Fault = MailOps.TestSupport.Dns.DnsFault.Timeout;
        using var ps = f.Host.CreatePowerShell();
        ps.AddCommand("Test-SpfRecord").AddParameter("Domain", "hang.example").AddParameter("IPAddress", "192.0.2.1")
            .AddParameter("Server", new[] { dns.Endpoint }).AddParameter("TimeoutSec", 60);
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var pending = ps.BeginInvoke();

        // Wait (bounded) until the query is on the wire, so Stop hits a check in flight.
        SpinWait.SpinUntil(() => dns.QueryCount > 0, TimeSpan.FromSeconds(30));
        Assert.True(dns.QueryCount > 0, "the check never reached the DNS server");
        ps.Stop();

        Assert.Throws<System.Management.Automation.PipelineStoppedException>(() => ps.EndInvoke(pending));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), "Stop did not end the wait: " + stopwatch.Elapsed);
        Assert.Equal(System.Management.Automation.PSInvocationState.Stopped, ps.InvocationStateInfo.State);
    }
}
