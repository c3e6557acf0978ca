using Xunit;
using MailOps.Core.Bounces;

namespace MailOps.Core.Tests.Bounces;

/// <summary>Every sample of tests/Conformance/bounces gives exactly the rows it holds.</summary>
public sealed class BounceSampleTests
{
    [Fact]
    public void Rfc3464_simple_report_gives_its_one_recipient_with_every_field()
    {
        MailBounce b = BounceSamples.Single("rfc3464-simple.eml");

        Assert.Equal("louisl@larry.slip.umd.example", b.Recipient);
        Assert.Equal("larry.slip.umd.example", b.Domain);
        Assert.Equal(BounceAction.Failed, b.Action);
        Assert.Equal("4.0.0", b.Status);
        Assert.Equal("smtp; 426 connection timed out", b.DiagnosticCode);
        Assert.Equal(BounceKind.SoftBounce, b.Kind);
        Assert.Equal("cs.utk.example", b.ReportingMta);
        Assert.Null(b.RemoteMta);
        Assert.Equal("louisl@larry.slip.umd.example", b.OriginalRecipient);
        Assert.Equal("<199407022110.RAA09384@cs.utk.example>", b.OriginalMessageId);
        Assert.Equal("Fwd: ups-mib list", b.Subject);
        Assert.Equal(new DateTimeOffset(1994, 7, 2, 17, 10, 28, TimeSpan.FromHours(-4)), b.ArrivalDate);
        Assert.Equal(new DateTimeOffset(1994, 7, 7, 17, 15, 49, TimeSpan.FromHours(-4)), b.LastAttemptDate);
        Assert.Equal(new DateTimeOffset(1994, 7, 7, 17, 16, 5, TimeSpan.FromHours(-4)), b.BounceDate);
        Assert.Equal(BounceFormat.Dsn, b.Format);
        Assert.Equal(1, b.MessageNumber);
        Assert.EndsWith("rfc3464-simple.eml", b.File);
    }

    [Fact]
    public void Report_with_a_failed_and_a_delayed_recipient_gives_two_rows_in_report_order()
    {
        BounceFileResult r = BounceSamples.Read("rfc3464-two-recipients.eml");

        Assert.Equal(2, r.Bounces.Length);
        MailBounce failed = r.Bounces[0];
        Assert.Equal("arathib@vnet.ibm.example", failed.Recipient);
        Assert.Equal(BounceAction.Failed, failed.Action);
        Assert.Equal("5.0.0", failed.Status);
        Assert.Equal("smtp; 550 'arathib@vnet.IBM.COM' is not a registered gateway user", failed.DiagnosticCode);
        Assert.Equal("vnet.ibm.example", failed.RemoteMta);
        Assert.Equal(BounceKind.Unknown, failed.Kind);
        MailBounce delayed = r.Bounces[1];
        Assert.Equal("hakeem@elm.example", delayed.Recipient);
        Assert.Equal(BounceAction.Delayed, delayed.Action);
        Assert.Equal("4.0.0", delayed.Status);
        Assert.Null(delayed.DiagnosticCode);
        Assert.Equal("elm.example", delayed.RemoteMta);
        Assert.Equal(BounceKind.SoftBounce, delayed.Kind);
        Assert.All(r.Bounces, b => Assert.Equal("<199407081321.JAA13163@cs.utk.example>", b.OriginalMessageId));
        Assert.All(r.Bounces, b => Assert.Equal("Meeting agenda", b.Subject));
    }

    [Fact]
    public void Postfix_report_gives_the_unfolded_diagnostic_and_the_original_from_rfc822_headers()
    {
        MailBounce b = BounceSamples.Single("postfix-user-unknown.eml");

        Assert.Equal("nobody@fabrikam.example", b.Recipient);
        Assert.Equal("Nobody@fabrikam.example", b.OriginalRecipient);
        Assert.Equal("5.1.1", b.Status);
        Assert.Equal("smtp; 550 5.1.1 <nobody@fabrikam.example>: Recipient address rejected: User unknown in virtual mailbox table", b.DiagnosticCode);
        Assert.Equal("mx1.fabrikam.example", b.RemoteMta);
        Assert.Equal("mail.contoso.example", b.ReportingMta);
        Assert.Equal(BounceKind.HardBounce, b.Kind);
        Assert.Equal("<news-2025-01.4711@contoso.example>", b.OriginalMessageId);
        Assert.Equal("Your January newsletter", b.Subject);
        Assert.Equal(BounceFormat.Dsn, b.Format);
    }

    [Fact]
    public void Exchange_report_is_read_from_its_delivery_status_part()
    {
        MailBounce b = BounceSamples.Single("exchange-ndr-report.eml");

        Assert.Equal("old.colleague@fabrikam.example", b.Recipient);
        Assert.Equal("5.1.10", b.Status);
        Assert.Equal("smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup", b.DiagnosticCode);
        Assert.Equal("AM0PR01MB1234.eurprd01.prod.outlook.example", b.ReportingMta);
        Assert.Equal(BounceKind.HardBounce, b.Kind);
        Assert.Equal("Quarterly figures", b.Subject);
        Assert.Equal("<AM0PR01MB5678.quarterly.2025@AM0PR01MB5678.eurprd01.prod.outlook.example>", b.OriginalMessageId);
        Assert.Equal(BounceFormat.Dsn, b.Format);
    }

    [Fact]
    public void Exchange_text_ndr_gives_each_recipient_with_its_administrator_diagnostic()
    {
        BounceFileResult r = BounceSamples.Read("exchange-ndr-text.eml");

        Assert.Equal(BounceFileProblem.None, r.Problem);
        Assert.Equal(2, r.Bounces.Length);
        MailBounce unknown = r.Bounces[0];
        Assert.Equal("mark.jones@fabrikam.example", unknown.Recipient);
        Assert.Equal("5.1.1", unknown.Status);
        Assert.Equal("smtp; 550 5.1.1 RESOLVER.ADR.RecipNotFound; not found", unknown.DiagnosticCode);
        Assert.Equal(BounceKind.HardBounce, unknown.Kind);
        MailBounce full = r.Bounces[1];
        Assert.Equal("anna.berg@northwind.example", full.Recipient);
        Assert.Equal("5.2.2", full.Status);
        Assert.Equal(BounceKind.MailboxFull, full.Kind);
        Assert.All(r.Bounces, b =>
        {
            Assert.Equal(BounceFormat.ExchangeNdr, b.Format);
            Assert.Equal(BounceAction.Failed, b.Action);
            Assert.Equal("EXCH01.contoso.example", b.ReportingMta);
            Assert.Equal("<kickoff.20250210@EXCH02.contoso.example>", b.OriginalMessageId);
            Assert.Equal("Project kickoff", b.Subject);
        });
    }

    [Fact]
    public void Gmail_address_not_found_gives_the_recipient_and_the_remote_response()
    {
        MailBounce b = BounceSamples.Single("gmail-address-not-found.eml");

        Assert.Equal("nobody@fabrikam.example", b.Recipient);
        Assert.Equal(BounceAction.Failed, b.Action);
        Assert.Equal("5.1.1", b.Status);
        Assert.Equal("smtp; 550 5.1.1 <nobody@fabrikam.example>: Recipient address rejected: User unknown in local recipient table", b.DiagnosticCode);
        Assert.Equal(BounceKind.HardBounce, b.Kind);
        Assert.Equal(BounceFormat.Gmail, b.Format);
        Assert.Equal("Your quote", b.Subject);
        Assert.Equal("<CAF1quote0001@mail.gmail.com>", b.OriginalMessageId);
    }

    [Fact]
    public void Qmail_failure_notice_gives_each_recipient_block()
    {
        BounceFileResult r = BounceSamples.Read("qmail-two-recipients.eml");

        Assert.Equal(2, r.Bounces.Length);
        MailBounce unknown = r.Bounces[0];
        Assert.Equal("nobody@fabrikam.example", unknown.Recipient);
        Assert.Equal("5.1.1", unknown.Status);
        Assert.Equal("smtp; 550 5.1.1 <nobody@fabrikam.example>: Recipient address rejected: User unknown", unknown.DiagnosticCode);
        Assert.Equal("192.0.2.25", unknown.RemoteMta);
        Assert.Equal(BounceKind.HardBounce, unknown.Kind);
        MailBounce noHost = r.Bounces[1];
        Assert.Equal("someone@nowhere.example", noHost.Recipient);
        Assert.Equal("5.1.2", noHost.Status);
        Assert.Equal("Sorry, I couldn't find any host named nowhere.example. (#5.1.2)", noHost.DiagnosticCode);
        Assert.Null(noHost.RemoteMta);
        Assert.Equal(BounceKind.DnsFailure, noHost.Kind);
        Assert.All(r.Bounces, b =>
        {
            Assert.Equal(BounceFormat.Qmail, b.Format);
            Assert.Equal("mail.contoso.example", b.ReportingMta);
            Assert.Equal("<winter-sale.0042@contoso.example>", b.OriginalMessageId);
            Assert.Equal("Winter sale", b.Subject);
        });
    }

    [Fact]
    public void Exim_failure_gives_the_reply_from_the_host_line_and_exims_own_reason()
    {
        BounceFileResult r = BounceSamples.Read("exim-permanent.eml");

        Assert.Equal(2, r.Bounces.Length);
        MailBounce unknown = r.Bounces[0];
        Assert.Equal("ghost@fabrikam.example", unknown.Recipient);
        Assert.Equal("mx1.fabrikam.example", unknown.RemoteMta);
        Assert.Equal("5.1.1", unknown.Status);
        Assert.Equal("smtp; 550 5.1.1 <ghost@fabrikam.example>: Recipient address rejected: User unknown in virtual alias table", unknown.DiagnosticCode);
        Assert.Equal(BounceKind.HardBounce, unknown.Kind);
        MailBounce unrouteable = r.Bounces[1];
        Assert.Equal("buyer@gone.example", unrouteable.Recipient);
        Assert.Null(unrouteable.Status);
        Assert.Equal("Unrouteable address", unrouteable.DiagnosticCode);
        Assert.Equal(BounceKind.DnsFailure, unrouteable.Kind);
        Assert.All(r.Bounces, b =>
        {
            Assert.Equal(BounceFormat.Exim, b.Format);
            Assert.Equal("<order-1001@contoso.example>", b.OriginalMessageId);
            Assert.Equal("Order 1001 confirmed", b.Subject);
        });
    }

    [Fact]
    public void Mailbox_full_report_is_MailboxFull()
    {
        MailBounce b = BounceSamples.Single("mailbox-full.eml");

        Assert.Equal("full.box@northwind.example", b.Recipient);
        Assert.Equal("5.2.2", b.Status);
        Assert.Equal("smtp; 552 5.2.2 <full.box@northwind.example>: Mailbox full, quota exceeded", b.DiagnosticCode);
        Assert.Equal(BounceKind.MailboxFull, b.Kind);
        Assert.Equal("Invoice 2025-0117", b.Subject);
    }

    [Fact]
    public void Spamhaus_listing_is_a_SpamBlock_not_a_hard_bounce()
    {
        MailBounce b = BounceSamples.Single("spam-block-spamhaus.eml");

        Assert.Equal("buyer@tailspin.example", b.Recipient);
        Assert.Equal("5.7.1", b.Status);
        Assert.Equal(BounceKind.SpamBlock, b.Kind);
        Assert.Equal("mx.tailspin.example", b.RemoteMta);
        Assert.Contains("zen.spamhaus.org", b.DiagnosticCode);
    }

    [Fact]
    public void Domain_without_mail_host_is_a_DnsFailure()
    {
        MailBounce b = BounceSamples.Single("dns-failure.eml");

        Assert.Equal("help@typo-domian.example", b.Recipient);
        Assert.Equal("typo-domian.example", b.Domain);
        Assert.Equal("5.4.4", b.Status);
        Assert.Equal("X-Postfix; Host or domain name not found. Name service error for name=typo-domian.example type=MX: Host not found", b.DiagnosticCode);
        Assert.Equal(BounceKind.DnsFailure, b.Kind);
    }

    [Fact]
    public void Mbox_gives_the_rows_of_its_three_bounces_and_skips_the_ordinary_message()
    {
        BounceFileResult r = BounceSamples.Read("bounces-mixed.mbox");

        Assert.Equal(BounceFileProblem.None, r.Problem);
        Assert.True(r.IsMbox);
        Assert.Equal(4, r.MessageCount);
        Assert.Equal(
            new[] { "nobody@fabrikam.example", "nobody@fabrikam.example", "someone@nowhere.example", "full.box@northwind.example" },
            r.Bounces.Select(b => b.Recipient));
        Assert.Equal(new[] { 1, 3, 3, 4 }, r.Bounces.Select(b => b.MessageNumber));
        Assert.Equal(
            new[] { BounceKind.HardBounce, BounceKind.HardBounce, BounceKind.DnsFailure, BounceKind.MailboxFull },
            r.Bounces.Select(b => b.Kind));
        Assert.Contains(r.Notes, n => n.Contains("message 2 (Lunch on Friday?) skipped"));
    }

    [Fact]
    public void Auto_reply_is_not_a_bounce()
    {
        BounceFileResult r = BounceSamples.Read("not-a-bounce-auto-reply.eml");

        Assert.Equal(BounceFileProblem.NotABounce, r.Problem);
        Assert.Empty(r.Bounces);
    }

    [Fact]
    public void Ordinary_message_is_not_a_bounce()
    {
        BounceFileResult r = BounceSamples.Read("not-a-bounce-normal.eml");

        Assert.Equal(BounceFileProblem.NotABounce, r.Problem);
        Assert.Empty(r.Bounces);
    }

    [Fact]
    public void Report_cut_off_before_its_recipients_is_an_invalid_file()
    {
        BounceFileResult r = BounceSamples.Read("truncated-report.eml");

        Assert.Equal(BounceFileProblem.InvalidMessageFile, r.Problem);
        Assert.Contains("truncated", r.ProblemMessage);
        Assert.Empty(r.Bounces);
    }

    [Fact]
    public void Binary_garbage_is_an_invalid_file()
    {
        BounceFileResult r = BounceSamples.Read("garbage.eml");

        Assert.Equal(BounceFileProblem.InvalidMessageFile, r.Problem);
        Assert.Empty(r.Bounces);
    }
}
