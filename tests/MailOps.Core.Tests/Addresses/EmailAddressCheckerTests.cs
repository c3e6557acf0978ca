using MailOps.Core.Addresses;
using MailOps.Core.Dns;
using MailOps.Core.Tests.Dns;
using MailOps.TestSupport.Dns;
using Xunit;

namespace MailOps.Core.Tests.Addresses;

/// <summary>Whole-address checks over the wire-protocol DNS test server.</summary>
public sealed class EmailAddressCheckerTests : IDisposable
{
    private readonly DnsTestServer server;
    private readonly CachingDnsResolver resolver;
    private readonly EmailAddressChecker checker;

    public EmailAddressCheckerTests()
    {
        var zone = new DnsZone()
            .AddMx("contoso.example", 10, "mail.contoso.example")
            .AddA("mail.contoso.example", "192.0.2.25")
            .AddA("implicit.example", "192.0.2.26")
            .AddAaaa("implicit6.example", "2001:db8::26")
            .AddMx("nullmx.example", 0, ".")
            .AddTxt("nomail.example", "v=spf1 -all")
            .AddMx("servfail.example", 10, "mail.servfail.example")
            .AddMx("gmial.com", 10, "mx.gmial.com")
            .AddA("yaho.com", "192.0.2.30")
            .AddMx("mailinator.com", 10, "mail.mailinator.com")
            .AddMx("xn--bcher-kva.example", 10, "mx.xn--bcher-kva.example")
            .AddMx("gmail.com", 5, "gmail-smtp-in.l.google.com");
        server = new DnsTestServer(zone).Start();
        server.SetFault("servfail.example", "MX", DnsFault.ServerFailure);
        resolver = new CachingDnsResolver(TestResolvers.For(server));
        checker = new EmailAddressChecker(resolver);
    }

    public void Dispose() => server.Dispose();

    private Task<EmailAddressCheck> CheckAsync(string address) => checker.CheckAsync(address, CancellationToken.None);

    private static string[] Codes(EmailAddressCheck check) => check.Reasons.Select(r => r.Split(':')[0]).ToArray();

    [Fact]
    public async Task An_address_at_a_domain_with_mx_is_valid_with_no_reasons()
    {
        EmailAddressCheck check = await CheckAsync("Anna@Contoso.example");

        Assert.Equal(EmailAddressVerdict.Valid, check.Verdict);
        Assert.Equal(("Anna@contoso.example", "contoso.example"), (check.Normalized, check.Domain));
        Assert.Equal((true, false, true), (check.HasMx, check.IsNullMx, check.AcceptsMail));
        Assert.Equal(new[] { "mail.contoso.example" }, check.MailExchangers);
        Assert.Empty(check.Reasons);
        Assert.Null(check.Suggestion);
        Assert.Null(check.IsSuppressed);
    }

    [Theory]
    [InlineData("anna@implicit.example")]
    [InlineData("anna@implicit6.example")]
    public async Task A_domain_without_mx_but_with_an_address_accepts_mail_through_the_implicit_mx(string address)
    {
        EmailAddressCheck check = await CheckAsync(address);

        Assert.Equal(EmailAddressVerdict.Valid, check.Verdict);
        Assert.Equal((false, false, true), (check.HasMx, check.IsNullMx, check.AcceptsMail));
    }

    [Fact]
    public async Task A_null_mx_domain_is_invalid()
    {
        EmailAddressCheck check = await CheckAsync("anna@nullmx.example");

        Assert.Equal(EmailAddressVerdict.Invalid, check.Verdict);
        Assert.Equal((true, true, false), (check.HasMx, check.IsNullMx, check.AcceptsMail));
        Assert.Equal(new[] { "NullMx" }, Codes(check));
    }

    [Fact]
    public async Task A_domain_that_does_not_exist_is_invalid()
    {
        EmailAddressCheck check = await CheckAsync("anna@missing.example");

        Assert.Equal(EmailAddressVerdict.Invalid, check.Verdict);
        Assert.Equal((false, false), (check.HasMx, check.AcceptsMail));
        Assert.Equal(new[] { "DomainNotFound" }, Codes(check));
    }

    [Fact]
    public async Task A_domain_with_neither_mx_nor_address_is_invalid()
    {
        EmailAddressCheck check = await CheckAsync("anna@nomail.example");

        Assert.Equal(EmailAddressVerdict.Invalid, check.Verdict);
        Assert.Equal(new[] { "NoMailServer" }, Codes(check));
        Assert.False(check.AcceptsMail);
    }

    [Fact]
    public async Task A_servfail_is_unknown_with_dns_properties_left_null()
    {
        EmailAddressCheck check = await CheckAsync("anna@servfail.example");

        Assert.Equal(EmailAddressVerdict.Unknown, check.Verdict);
        Assert.Equal(new[] { "DnsError" }, Codes(check));
        Assert.Contains("ServerFailure", check.Reasons[0]);
        Assert.Null(check.HasMx);
        Assert.Null(check.AcceptsMail);
    }

    [Fact]
    public async Task A_typo_of_a_domain_that_does_not_exist_is_invalid_with_the_intended_address()
    {
        EmailAddressCheck check = await CheckAsync("anna@hotmial.com");

        Assert.Equal(EmailAddressVerdict.Invalid, check.Verdict);
        Assert.Equal("anna@hotmail.com", check.Suggestion);
        Assert.Equal(new[] { "DomainNotFound", "LikelyTypo" }, Codes(check));
        Assert.Contains("did you mean anna@hotmail.com?", check.Reasons[1]);
    }

    [Fact]
    public async Task A_typo_like_domain_with_mx_records_is_a_real_domain_and_gets_no_suggestion()
    {
        EmailAddressCheck check = await CheckAsync("anna@gmial.com");

        Assert.Equal(EmailAddressVerdict.Valid, check.Verdict);
        Assert.Null(check.Suggestion);
    }

    [Fact]
    public async Task A_typo_domain_with_only_an_address_record_accepts_mail_but_is_risky()
    {
        EmailAddressCheck check = await CheckAsync("anna@yaho.com");

        Assert.Equal(EmailAddressVerdict.Risky, check.Verdict);
        Assert.Equal("anna@yahoo.com", check.Suggestion);
        Assert.Equal(new[] { "LikelyTypo" }, Codes(check));
        Assert.True(check.AcceptsMail);
    }

    [Fact]
    public async Task A_disposable_provider_is_risky()
    {
        EmailAddressCheck check = await CheckAsync("x@mailinator.com");

        Assert.Equal(EmailAddressVerdict.Risky, check.Verdict);
        Assert.True(check.IsDisposable);
        Assert.Equal(new[] { "Disposable" }, Codes(check));
    }

    [Fact]
    public async Task Bad_syntax_is_invalid_without_any_dns_question()
    {
        server.ClearLog();
        EmailAddressCheck check = await CheckAsync("anna(at)contoso.example");

        Assert.Equal(EmailAddressVerdict.Invalid, check.Verdict);
        Assert.False(check.IsSyntaxValid);
        Assert.Null(check.Normalized);
        Assert.StartsWith("SyntaxInvalid: ", check.Reasons[0]);
        Assert.Equal(0, server.QueryCount);
    }

    [Fact]
    public async Task A_malformed_popular_domain_is_invalid_with_the_repaired_address()
    {
        EmailAddressCheck check = await CheckAsync("anna@gmail,com");

        Assert.Equal(EmailAddressVerdict.Invalid, check.Verdict);
        Assert.Equal("anna@gmail.com", check.Suggestion);
        Assert.Equal(new[] { "SyntaxInvalid", "LikelyTypo" }, Codes(check));
    }

    [Fact]
    public async Task An_address_literal_is_risky_and_asks_no_dns()
    {
        server.ClearLog();
        EmailAddressCheck check = await CheckAsync("postmaster@[192.0.2.1]");

        Assert.Equal(EmailAddressVerdict.Risky, check.Verdict);
        Assert.True(check.IsAddressLiteral);
        Assert.Equal(new[] { "AddressLiteral" }, Codes(check));
        Assert.Equal(0, server.QueryCount);
    }

    [Fact]
    public async Task An_idn_domain_is_looked_up_by_its_a_label()
    {
        EmailAddressCheck check = await CheckAsync("anna@bücher.example");

        Assert.Equal(EmailAddressVerdict.Valid, check.Verdict);
        Assert.Equal("xn--bcher-kva.example", check.Domain);
        Assert.True(check.IsInternational);
        Assert.False(check.RequiresSmtpUtf8);
    }

    [Fact]
    public async Task A_utf8_local_part_is_valid_and_flagged_as_requiring_smtputf8()
    {
        EmailAddressCheck check = await CheckAsync("jörg@contoso.example");

        Assert.Equal(EmailAddressVerdict.Valid, check.Verdict);
        Assert.True(check.RequiresSmtpUtf8);
    }

    [Fact]
    public async Task Skipping_dns_gives_unknown_for_a_good_address_and_asks_nothing()
    {
        server.ClearLog();
        var offline = new EmailAddressChecker(null, new EmailAddressCheckOptions { SkipDns = true });

        EmailAddressCheck check = await offline.CheckAsync("anna@contoso.example", CancellationToken.None);

        Assert.Equal(EmailAddressVerdict.Unknown, check.Verdict);
        Assert.Equal(new[] { "DnsSkipped" }, Codes(check));
        Assert.Null(check.HasMx);
        Assert.Equal(0, server.QueryCount);
    }

    [Fact]
    public async Task Skipping_dns_still_suggests_a_one_edit_typo_of_a_popular_domain_as_risky()
    {
        var offline = new EmailAddressChecker(null, new EmailAddressCheckOptions { SkipDns = true });

        EmailAddressCheck check = await offline.CheckAsync("anna@gmial.com", CancellationToken.None);

        Assert.Equal(EmailAddressVerdict.Risky, check.Verdict);
        Assert.Equal("anna@gmail.com", check.Suggestion);
    }

    [Fact]
    public async Task Many_addresses_at_one_domain_ask_its_mx_once()
    {
        server.ClearLog();
        EmailAddressCheck[] checks = await Task.WhenAll(Enumerable.Range(0, 20)
            .Select(i => checker.CheckAsync($"user{i}@contoso.example", CancellationToken.None)));

        Assert.All(checks, c => Assert.Equal(EmailAddressVerdict.Valid, c.Verdict));
        Assert.Equal(1, server.CountQueries("contoso.example", "MX"));
    }

    [Fact]
    public void A_checker_without_a_resolver_needs_SkipDns()
        => Assert.Throws<ArgumentNullException>(() => new EmailAddressChecker(null));
}
