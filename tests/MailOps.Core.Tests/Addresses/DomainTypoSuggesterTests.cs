using MailOps.Core.Addresses;
using Xunit;

namespace MailOps.Core.Tests.Addresses;

/// <summary>
/// Typo suggestions: the typing mistakes people make in the popular mail domains are corrected,
/// and real, different domains are never "corrected" into them.
/// </summary>
public sealed class DomainTypoSuggesterTests
{
    private static readonly DomainTypoSuggester Suggester = DomainTypoSuggester.Default;

    /// <summary>Typed domain, intended domain. With DNS saying the typed domain receives no mail,
    /// every one of them is corrected.</summary>
    public static TheoryData<string, string> Typos => new()
    {
        { "hotmial.com", "hotmail.com" },
        { "hotmail.con", "hotmail.com" },
        { "gmial.com", "gmail.com" },
        { "yaho.com", "yahoo.com" },
        { "outlok.com", "outlook.com" },
        { "gmail.co", "gmail.com" },
        { "gamil.com", "gmail.com" },
        { "gmai.com", "gmail.com" },
        { "gmail.cm", "gmail.com" },
        { "yahooo.com", "yahoo.com" },
        { "hotmil.com", "hotmail.com" },
        { "iclod.com", "icloud.com" },
        { "gmail.cmo", "gmail.com" },
        { "yahoo.cmo", "yahoo.com" },
        { "gmail.comm", "gmail.com" },
        { "hotmail.comm", "hotmail.com" },
        { "gmaill.com", "gmail.com" },
        { "gnail.com", "gmail.com" },
        { "gmal.com", "gmail.com" },
        { "hotmai.com", "hotmail.com" },
        { "hotamil.com", "hotmail.com" },
        { "hotmail.co", "hotmail.com" },
        { "outlook.con", "outlook.com" },
        { "outllok.com", "outlook.com" },
        { "outlool.com", "outlook.com" },
        { "yahho.com", "yahoo.com" },
        { "yhaoo.com", "yahoo.com" },
        { "yahoo.om", "yahoo.com" },
        { "icloud.con", "icloud.com" },
        { "icoud.com", "icloud.com" },
        { "icluod.com", "icloud.com" },
        { "aol.con", "aol.com" },
        { "aol.cm", "aol.com" },
        { "live.con", "live.com" },
        { "msn.con", "msn.com" },
        { "protonmial.com", "protonmail.com" },
        { "protonmail.cmo", "protonmail.com" },
        { "googlemial.com", "googlemail.com" },
        { "gogglemail.com", "googlemail.com" },
        { "comcats.net", "comcast.net" },
        { "comcast.nte", "comcast.net" },
        { "verizon.ent", "verizon.net" },
        { "sbcglobal.nt", "sbcglobal.net" },
        { "sbcgloabl.net", "sbcglobal.net" },
        { "btinternet.con", "btinternet.com" },
        { "btinterent.com", "btinternet.com" },
        { "hotmial.co.uk", "hotmail.co.uk" },
        { "yaho.co.uk", "yahoo.co.uk" },
        { "hotmial.fr", "hotmail.fr" },
        { "gmx.nte", "gmx.net" },
        { "t-onlien.de", "t-online.de" },
        { "laposte.nte", "laposte.net" },
        { "libero.iy", "libero.it" },
        { "yandx.ru", "yandex.ru" },
        { "ymail.con", "ymail.com" },
        { "me.con", "me.com" },
        { "icloud.co", "icloud.com" },
        { "outlook.cm", "outlook.com" },
        { "hotmali.com", "hotmail.com" },
        { "hotmaill.com", "hotmail.com" },
        { "gmail.xom", "gmail.com" },
        { "gmail.cpm", "gmail.com" },
        { "gmail.ocm", "gmail.com" },
        { "gmial.con", "gmail.com" },
        { "gmail.cam", "gmail.com" },
        { "HOTMIAL.COM", "hotmail.com" },
    };

    /// <summary>One-edit typos of the very popular domains and slips of the TLD: corrected even
    /// without DNS evidence (-SkipDns, or a failed lookup).</summary>
    public static TheoryData<string, string> SafeTypos => new()
    {
        { "hotmial.com", "hotmail.com" },
        { "hotmail.con", "hotmail.com" },
        { "gmial.com", "gmail.com" },
        { "yaho.com", "yahoo.com" },
        { "outlok.com", "outlook.com" },
        { "gmail.co", "gmail.com" },
        { "gamil.com", "gmail.com" },
        { "gmai.com", "gmail.com" },
        { "gmail.cm", "gmail.com" },
        { "yahooo.com", "yahoo.com" },
        { "hotmil.com", "hotmail.com" },
        { "iclod.com", "icloud.com" },
        { "gmail.cmo", "gmail.com" },
        { "gmail.comm", "gmail.com" },
        { "yhaoo.com", "yahoo.com" },
        { "aol.con", "aol.com" },
        { "live.con", "live.com" },
        { "protonmial.com", "protonmail.com" },
        { "googlemial.com", "googlemail.com" },
        { "comcast.nte", "comcast.net" },
        { "gmx.nte", "gmx.net" },
        { "btinternet.con", "btinternet.com" },
        { "me.con", "me.com" },
        { "hotmial.co.uk", "hotmail.co.uk" },
    };

    /// <summary>Real domains, many one or two edits from a popular one, that must never be
    /// corrected: they are someone's real mail domain.</summary>
    public static TheoryData<string> RealDomains => new()
    {
        "gmx.com", "gmx.net", "gmx.de", "gmx.at", "mail.com", "email.com", "me.com", "mac.com",
        "live.com", "aol.de", "yahoo.de", "hotmail.de", "web.de", "wp.pl", "o2.pl", "inbox.com",
        "gmail.de", "t-online.de", "contoso.com", "example.com", "tutanota.com", "hey.com",
        "zoho.com", "fastmail.com", "fastmail.fm", "yahoo.fr", "yahoo.es", "hotmail.it",
        "hotmail.es", "outlook.de", "outlook.fr", "live.fr", "live.co.uk", "aol.co.uk",
        "mail.ru", "yandex.com", "qq.com", "163.com", "126.com", "naver.com", "daum.net",
        "seznam.cz", "posteo.de", "mailbox.org", "pm.me", "proton.me", "aim.com", "att.net",
        "cox.net", "sky.com", "wahoo.com", "gmail.net", "yahoo.net", "hotmail.net", "gmail.org",
        "outlook.org", "icloud.de", "fabrikam.com", "mymail.com", "smail.com", "ail.com",
        "yahoo.ca", "hotmail.ca", "shaw.ca", "orange.com", "free.com",
    };

    [Theory]
    [MemberData(nameof(Typos))]
    public void A_typo_of_a_known_domain_without_mail_is_corrected(string typed, string intended)
        => Assert.Equal(intended, Suggester.Suggest(typed.ToLowerInvariant(), DomainMailEvidence.NoMail));

    [Theory]
    [MemberData(nameof(SafeTypos))]
    public void A_one_edit_typo_of_a_popular_domain_is_corrected_without_dns(string typed, string intended)
        => Assert.Equal(intended, Suggester.Suggest(typed, DomainMailEvidence.Unknown));

    [Theory]
    [MemberData(nameof(RealDomains))]
    public void A_real_domain_is_not_corrected_without_dns(string domain)
        => Assert.Null(Suggester.Suggest(domain, DomainMailEvidence.Unknown));

    [Theory]
    [MemberData(nameof(Typos))]
    public void A_typo_domain_that_receives_mail_is_a_real_domain_and_is_not_corrected(string typed, string intended)
    {
        Assert.NotEqual(typed, intended);
        Assert.Null(Suggester.Suggest(typed.ToLowerInvariant(), DomainMailEvidence.HasMail));
    }

    [Theory]
    [InlineData("gmail.com")]
    [InlineData("hotmail.co.uk")]
    [InlineData("gmx.com")]
    [InlineData("mail.com")]
    [InlineData("me.com")]
    [InlineData("yahoo.de")]
    [InlineData("email.com")]
    public void A_known_domain_is_never_corrected_even_when_dns_says_it_has_no_mail(string domain)
        => Assert.Null(Suggester.Suggest(domain, DomainMailEvidence.NoMail));

    [Theory]
    [InlineData("gmial.co")]       // two edits: only with DNS evidence
    [InlineData("hotmal.con")]
    [InlineData("sbcgloabl.net")]  // not a very popular domain
    [InlineData("verizom.net")]
    [InlineData("virgilo.it")]
    [InlineData("wanado.fr")]
    public void Without_dns_only_single_edits_of_popular_domains_are_corrected(string typed)
        => Assert.Null(Suggester.Suggest(typed, DomainMailEvidence.Unknown));

    [Theory]
    [InlineData("gmx.co")]      // .co is real and gmx is not among the very popular names
    [InlineData("hotmail.cn")]  // a real TLD that is no known slip of .com
    [InlineData("gmail.ne")]
    [InlineData("gmial.cm")]    // a real TLD and a changed name: two doubts, no correction
    public void A_real_tld_is_replaced_only_for_an_exact_very_popular_name(string typed)
        => Assert.Null(Suggester.Suggest(typed, DomainMailEvidence.NoMail));

    [Theory]
    [InlineData("aol.co")]      // short names take no name edits, but the .co slip still applies
    public void A_short_popular_name_with_a_tld_slip_is_corrected(string typed)
        => Assert.Equal("aol.com", Suggester.Suggest(typed, DomainMailEvidence.NoMail));

    [Theory]
    [InlineData("ao.com")]
    [InlineData("msm.com")]
    [InlineData("gmz.net")]
    public void Names_of_three_letters_or_fewer_are_not_edited(string typed)
        => Assert.Null(Suggester.Suggest(typed, DomainMailEvidence.NoMail));

    [Theory]
    [InlineData("gmailcom", "gmail.com")]
    [InlineData("gmail,com", "gmail.com")]
    [InlineData("hotmail..com", "hotmail.com")]
    [InlineData("hotmial,com", "hotmail.com")]
    [InlineData("contoso,com", "contoso.com")]
    [InlineData("yahoo.com.", "yahoo.com")]
    public void A_malformed_domain_gets_its_repaired_form(string typed, string intended)
        => Assert.Equal(intended, Suggester.SuggestForMalformed(typed));

    [Theory]
    [InlineData("localhost")]
    [InlineData("")]
    [InlineData("exa mple")]
    [InlineData("[192.0.2.1")]
    public void A_malformed_domain_with_no_plausible_repair_gets_none(string typed)
        => Assert.Null(Suggester.SuggestForMalformed(typed));

    [Fact]
    public void The_typo_table_has_at_least_fifty_pairs_and_the_real_domain_table_fifty_domains()
    {
        Assert.True(Typos.Count >= 50);
        Assert.True(RealDomains.Count >= 50);
    }

    [Fact]
    public void A_custom_list_replaces_the_shipped_one()
    {
        KnownMailDomains list = KnownMailDomains.Parse(new StringReader("# test\ncontoso.com *\nfabrikam.co.uk\n"));
        var suggester = new DomainTypoSuggester(list);

        Assert.Equal("contoso.com", suggester.Suggest("contsoo.com", DomainMailEvidence.Unknown));
        Assert.Equal("fabrikam.co.uk", suggester.Suggest("fabrikma.co.uk", DomainMailEvidence.NoMail));
        Assert.Null(suggester.Suggest("fabrikma.co.uk", DomainMailEvidence.Unknown));
        Assert.Null(suggester.Suggest("hotmial.com", DomainMailEvidence.NoMail));
    }

    [Fact]
    public void The_shipped_list_splits_names_at_the_public_suffix()
    {
        KnownMailDomain entry = KnownMailDomains.Default.Entries.Single(e => e.Domain == "hotmail.co.uk");

        Assert.Equal(("hotmail", "co.uk", true), (entry.Name, entry.Suffix, entry.IsPopular));
        Assert.Equal(0, KnownMailDomains.Default.Entries.Single(e => e.Domain == "gmail.com").Rank);
    }
}
