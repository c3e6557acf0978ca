using System.Management.Automation;
using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>Test-EmailAddress through real PowerShell and a real DNS server on loopback.</summary>
public sealed class EmailAddressTests : IClassFixture<EmailAddressFixture>
{
    private readonly EmailAddressFixture f;

    public EmailAddressTests(EmailAddressFixture fixture) => f = fixture;

    private PowerShellResult Test(params string[] addresses)
        => f.Run(new Dictionary<string, object?> { ["Address"] = addresses });

    private static string[] Codes(PSObject row)
        => ((string[])row.Prop("Reasons")!).Select(r => r.Split(':')[0]).ToArray();

    [Fact]
    public void An_address_at_a_domain_with_mx_is_Valid()
    {
        var row = Test("Anna@Contoso.example").Single();

        Assert.Equal("Valid", row.Str("Verdict"));
        Assert.Equal(("Anna@Contoso.example", "Anna@contoso.example", "contoso.example"), (row.Str("Address"), row.Str("Normalized"), row.Str("Domain")));
        Assert.Equal((true, true, true), (row.Prop("IsSyntaxValid"), row.Prop("HasMx"), row.Prop("AcceptsMail")));
        Assert.Null(row.Prop("Suggestion"));
        Assert.Null(row.Prop("IsSuppressed"));
        Assert.Empty((string[])row.Prop("Reasons")!);
    }

    [Theory]
    [InlineData("anna@implicit.example", "Valid", "")]
    [InlineData("anna@nullmx.example", "Invalid", "NullMx")]
    [InlineData("anna@missing.example", "Invalid", "DomainNotFound")]
    [InlineData("anna@nomail.example", "Invalid", "NoMailServer")]
    [InlineData("anna@servfail.example", "Unknown", "DnsError")]
    [InlineData("anna@mailinator.com", "Risky", "Disposable")]
    [InlineData("postmaster@[192.0.2.1]", "Risky", "AddressLiteral")]
    [InlineData("anna(x)@contoso.example", "Invalid", "SyntaxInvalid")]
    public void The_verdict_follows_what_dns_and_the_syntax_say(string address, string verdict, string codes)
    {
        var row = Test(address).Single();

        Assert.Equal(verdict, row.Str("Verdict"));
        Assert.Equal(codes, string.Join(",", Codes(row)));
    }

    [Fact]
    public void A_null_mx_domain_accepts_no_mail()
    {
        var row = Test("anna@nullmx.example").Single();

        Assert.Equal((true, true, false), (row.Prop("HasMx"), row.Prop("IsNullMx"), row.Prop("AcceptsMail")));
    }

    [Fact]
    public void A_servfail_is_not_an_error_but_an_Unknown_row()
    {
        var r = Test("anna@servfail.example");

        Assert.Empty(r.Errors);
        Assert.Null(r.Single().Prop("AcceptsMail"));
    }

    [Theory]
    [InlineData("anna@hotmial.com", "anna@hotmail.com")]
    [InlineData("anna@gmail.con", "anna@gmail.com")]
    [InlineData("anna@gamil.com", "anna@gmail.com")]
    [InlineData("anna@yaho.com", "anna@yahoo.com")]
    [InlineData("anna@outlok.com", "anna@outlook.com")]
    [InlineData("anna@gmail.co", "anna@gmail.com")]
    [InlineData("anna@iclod.com", "anna@icloud.com")]
    [InlineData("anna@hotmail.comm", "anna@hotmail.com")]
    [InlineData("anna@gmail,com", "anna@gmail.com")]
    public void A_typo_domain_that_does_not_exist_gets_the_intended_address(string typed, string intended)
    {
        var row = Test(typed).Single();

        Assert.Equal(intended, row.Str("Suggestion"));
        Assert.Equal("Invalid", row.Str("Verdict"));
        Assert.Contains("LikelyTypo: did you mean " + intended + "?", (string[])row.Prop("Reasons")!);
    }

    [Theory]
    [InlineData("anna@gmx.com")]
    [InlineData("anna@mail.com")]
    [InlineData("anna@me.com")]
    [InlineData("anna@yahoo.de")]
    [InlineData("anna@hotmail.de")]
    [InlineData("anna@gmail.de")]
    [InlineData("anna@web.de")]
    [InlineData("anna@wp.pl")]
    [InlineData("anna@live.com")]
    [InlineData("anna@contoso.com")]
    public void A_real_domain_is_never_corrected(string address)
    {
        // Not in the test zone, so DNS says NXDOMAIN: the domain list alone must protect them.
        var row = Test(address).Single();

        Assert.Null(row.Prop("Suggestion"));
    }

    [Fact]
    public void A_typo_like_domain_with_mx_records_is_a_real_domain_and_is_not_corrected()
    {
        var row = Test("anna@gmial.com").Single();

        Assert.Null(row.Prop("Suggestion"));
        Assert.Equal("Valid", row.Str("Verdict"));
    }

    [Fact]
    public void SkipDns_asks_nothing_and_gives_Unknown_with_null_dns_properties()
    {
        f.Dns.ClearLog();
        var r = f.Host.Invoke("Test-EmailAddress", new Dictionary<string, object?> { ["Address"] = new[] { "anna@fabrikam.example" }, ["SkipDns"] = true });

        r.ThrowIfFailed();
        var row = r.Single();
        Assert.Equal("Unknown", row.Str("Verdict"));
        Assert.Equal(new[] { "DnsSkipped" }, Codes(row));
        Assert.Null(row.Prop("HasMx"));
        Assert.Equal(0, f.Dns.QueryCount);
    }

    [Fact]
    public void SkipDns_still_suggests_a_one_edit_typo_of_a_popular_domain()
    {
        var r = f.Host.Invoke("Test-EmailAddress", new Dictionary<string, object?> { ["Address"] = new[] { "anna@hotmial.com" }, ["SkipDns"] = true });

        var row = r.Single();
        Assert.Equal("anna@hotmail.com", row.Str("Suggestion"));
        Assert.Equal("Risky", row.Str("Verdict"));
    }

    [Fact]
    public void Quiet_returns_true_only_for_Valid()
    {
        var r = f.Run(new Dictionary<string, object?>
        {
            ["Address"] = new[] { "anna@contoso.example", "anna@nullmx.example", "anna@mailinator.com", "anna@servfail.example", "garbage" },
            ["Quiet"] = true,
        });

        Assert.Equal(new object[] { true, false, false, false, false }, r.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void Many_addresses_come_back_in_input_order_and_each_domain_is_asked_once()
    {
        f.Dns.ClearLog();
        string[] input = Enumerable.Range(0, 30)
            .Select(i => (i % 3) switch { 0 => $"u{i}@slow.example", 1 => $"u{i}@contoso.example", _ => $"u{i}@hotmial.com" })
            .ToArray();

        var r = f.Run(new Dictionary<string, object?> { ["Address"] = input, ["ThrottleLimit"] = 8 });

        r.ThrowIfFailed();
        Assert.Equal(input, r.Output.Select(o => o.Str("Address")));
        Assert.Equal(1, f.Dns.CountQueries("slow.example", "MX"));
        Assert.Equal(1, f.Dns.CountQueries("contoso.example", "MX"));
        Assert.Equal(1, f.Dns.CountQueries("hotmial.com", "MX"));
    }

    [Fact]
    public void Csv_like_rows_bind_Email_Address_or_Recipient_by_property_name()
    {
        var r = f.Script("""
            @([pscustomobject]@{ Email = 'anna@contoso.example'; Name = 'Anna' },
              [pscustomobject]@{ Address = 'bob@hotmial.com'; Name = 'Bob' },
              [pscustomobject]@{ Recipient = 'carol@nullmx.example'; Name = 'Carol' },
              [pscustomobject]@{ EmailAddress = 'dave@fabrikam.example'; Name = 'Dave' }) |
                Test-EmailAddress -Server $dns
            """);

        r.ThrowIfFailed();
        Assert.Equal(new[] { "anna@contoso.example", "bob@hotmial.com", "carol@nullmx.example", "dave@fabrikam.example" }, r.Output.Select(o => o.Str("Address")));
        Assert.Equal(new[] { "Valid", "Invalid", "Invalid", "Valid" }, r.Output.Select(o => o.Str("Verdict")));
    }

    [Fact]
    public void Garbage_inputs_each_give_an_Invalid_row_and_the_others_still_run()
    {
        var r = f.Script("""
            @('anna@contoso.example', '', '@', 'no-at-sign', 'a@b@c', "tab`t@contoso.example", 'x@[999.1.1.1]', 'bob@fabrikam.example') |
                Test-EmailAddress -Server $dns
            """);

        Assert.Empty(r.Errors);
        Assert.Equal(8, r.Output.Count);
        Assert.Equal(new[] { "Valid", "Invalid", "Invalid", "Invalid", "Invalid", "Invalid", "Invalid", "Valid" }, r.Output.Select(o => o.Str("Verdict")));
        Assert.All(r.Output.Skip(1).Take(6), o => Assert.StartsWith("SyntaxInvalid: ", ((string[])o.Prop("Reasons")!)[0]));
    }

    [Fact]
    public void Results_pipe_into_Where_Object_on_Verdict()
    {
        var r = f.Script("'anna@contoso.example', 'anna@hotmial.com', 'bob@fabrikam.example' | Test-EmailAddress -Server $dns | Where-Object Verdict -ne 'Valid'");

        r.ThrowIfFailed();
        Assert.Equal("anna@hotmail.com", r.Single().Str("Suggestion"));
    }

    [Fact]
    public void An_international_address_is_flagged()
    {
        var row = Test("jörg@contoso.example").Single();

        Assert.Equal((true, true, "Valid"), (row.Prop("IsInternational"), row.Prop("RequiresSmtpUtf8"), row.Str("Verdict")));
    }

    [Fact]
    public void Verbose_shows_the_dns_questions_and_each_address_outcome()
    {
        var r = f.Script("Test-EmailAddress anna@fabrikam.example -Server $dns -Verbose");

        r.ThrowIfFailed();
        Assert.Contains(r.Verbose, v => v.StartsWith("DNS MX fabrikam.example", StringComparison.Ordinal));
        Assert.Contains(r.Verbose, v => v.StartsWith("anna@fabrikam.example: fabrikam.example has MX mail.fabrikam.example", StringComparison.Ordinal));
    }

    [Fact]
    public void A_bad_server_is_an_InvalidDnsServer_error()
    {
        var r = f.Host.Invoke("Test-EmailAddress", new Dictionary<string, object?> { ["Address"] = new[] { "anna@contoso.example" }, ["Server"] = new[] { "not a server:x" } });

        var error = Assert.Single(r.Errors);
        Assert.StartsWith("InvalidDnsServer", error.FullyQualifiedErrorId);
        Assert.Empty(r.Output);
    }

    [Fact]
    public void A_suppressed_address_is_Risky_and_the_others_are_not_suppressed()
    {
        string store = Path.Combine(Path.GetTempPath(), "mailops-address-" + Guid.NewGuid().ToString("N") + ".db");
        try
        {
            var r = f.Script("""
                Add-MailSuppression -Path $store -Address 'anna@contoso.example' -Reason 'hard bounce'
                'anna@contoso.example', 'bob@contoso.example' | Test-EmailAddress -Server $dns -StorePath $store
                """, new Dictionary<string, object?> { ["store"] = store });

            r.ThrowIfFailed();
            Assert.Equal(new object?[] { true, false }, r.Output.Select(o => o.Prop("IsSuppressed")));
            Assert.Equal(new[] { "Risky", "Valid" }, r.Output.Select(o => o.Str("Verdict")));
            Assert.Equal(new[] { "Suppressed" }, Codes(r.Output[0]));
        }
        finally
        {
            foreach (string file in new[] { store, store + "-wal", store + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    [Fact]
    public void A_store_that_does_not_exist_is_one_error_and_IsSuppressed_stays_null()
    {
        string store = Path.Combine(Path.GetTempPath(), "mailops-missing-" + Guid.NewGuid().ToString("N") + ".db");
        var r = f.Run(new Dictionary<string, object?> { ["Address"] = new[] { "anna@contoso.example" }, ["StorePath"] = store });

        var error = Assert.Single(r.Errors);
        Assert.StartsWith("SuppressionListNotFound", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Null(Assert.Single(r.Output).Prop("IsSuppressed"));
        Assert.False(File.Exists(store));
    }
}
