using MailOps.Core.Addresses;
using Xunit;

namespace MailOps.Core.Tests.Addresses;

/// <summary>The shipped address data: disposable providers and known mail domains.</summary>
public sealed class AddressDataTests
{
    [Theory]
    [InlineData("mailinator.com")]
    [InlineData("guerrillamail.com")]
    [InlineData("yopmail.com")]
    [InlineData("10minutemail.com")]
    [InlineData("anna.mailinator.com")]
    [InlineData("MAILINATOR.COM")]
    public void A_disposable_provider_or_its_subdomain_is_disposable(string domain)
        => Assert.True(DisposableDomains.Default.IsDisposable(domain));

    [Theory]
    [InlineData("gmail.com")]
    [InlineData("contoso.com")]
    [InlineData("notmailinator.com")]
    [InlineData("com")]
    [InlineData("")]
    [InlineData(null)]
    public void Other_domains_are_not_disposable(string? domain)
        => Assert.False(DisposableDomains.Default.IsDisposable(domain));

    [Fact]
    public void The_known_list_has_the_popular_domains_first_and_marks_them()
    {
        KnownMailDomains list = KnownMailDomains.Default;

        Assert.True(list.Entries.Count >= 100);
        Assert.Equal("gmail.com", list.Entries[0].Domain);
        Assert.All(new[] { "gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "icloud.com" }, d => Assert.True(list.Entries.Single(e => e.Domain == d).IsPopular));
        Assert.False(list.Entries.Single(e => e.Domain == "mail.com").IsPopular);
        Assert.True(list.Contains("GMX.COM"));
    }

    [Fact]
    public void No_known_mail_domain_is_listed_as_disposable()
        => Assert.DoesNotContain(KnownMailDomains.Default.Entries, e => DisposableDomains.Default.IsDisposable(e.Domain));

    [Fact]
    public void A_list_line_that_is_not_a_domain_is_a_format_error()
        => Assert.Throws<FormatException>(() => DisposableDomains.Parse(new StringReader("ok.example\nnot a domain\n")));
}
