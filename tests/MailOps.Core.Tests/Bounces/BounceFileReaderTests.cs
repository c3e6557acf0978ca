using Xunit;
using MailOps.Core.Bounces;

namespace MailOps.Core.Tests.Bounces;

/// <summary>How the reader tells messages, mboxes and broken files apart.</summary>
public sealed class BounceFileReaderTests
{
    [Fact]
    public void Empty_file_is_an_invalid_file()
    {
        BounceFileResult r = BounceSamples.ReadText(string.Empty);

        Assert.Equal(BounceFileProblem.InvalidMessageFile, r.Problem);
        Assert.Equal("The file is empty.", r.ProblemMessage);
    }

    [Fact]
    public void Text_that_is_not_a_header_block_is_an_invalid_file()
    {
        BounceFileResult r = BounceSamples.ReadText("this is just some text\nand more of it\n");

        Assert.Equal(BounceFileProblem.InvalidMessageFile, r.Problem);
    }

    [Fact]
    public void File_starting_with_a_From_line_is_read_as_an_mbox()
    {
        string mbox = "From MAILER-DAEMON Mon Feb  3 07:45:30 2025\n"
            + File.ReadAllText(BounceSamples.PathOf("qmail-two-recipients.eml")) + "\n";

        BounceFileResult r = BounceSamples.ReadText(mbox, "one.mbox");

        Assert.True(r.IsMbox);
        Assert.Equal(1, r.MessageCount);
        Assert.Equal(2, r.Bounces.Length);
        Assert.All(r.Bounces, b => Assert.Equal("one.mbox", b.File));
    }

    [Fact]
    public void Mbox_of_ordinary_mail_only_is_no_error_and_no_rows()
    {
        string mbox = "From a@contoso.example Thu Jan 23 09:12:00 2025\n"
            + File.ReadAllText(BounceSamples.PathOf("not-a-bounce-normal.eml")) + "\n";

        BounceFileResult r = BounceSamples.ReadText(mbox, "plain.mbox");

        Assert.Equal(BounceFileProblem.None, r.Problem);
        Assert.Empty(r.Bounces);
        Assert.Single(r.Notes);
    }

    [Fact]
    public void Report_recipient_without_Final_Recipient_is_ignored()
    {
        string text = "From: MAILER-DAEMON@mx.example\nSubject: x\nMIME-Version: 1.0\n"
            + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n"
            + "--b\nContent-Type: text/plain\n\nfailed\n"
            + "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example\n\n"
            + "Action: failed\nStatus: 5.1.1\n\n"
            + "Final-Recipient: rfc822; <kept@example.org>\nAction: FAILED\nStatus: 5.1.1\n"
            + "--b--\n";

        BounceFileResult r = BounceSamples.ReadText(text);

        MailBounce b = Assert.Single(r.Bounces);
        Assert.Equal("kept@example.org", b.Recipient);
        Assert.Equal(BounceAction.Failed, b.Action);
        Assert.Null(b.OriginalMessageId);
        Assert.Null(b.Subject);
    }

    [Fact]
    public void Success_notification_rows_carry_their_action_and_kind_Unknown()
    {
        string text = "From: MAILER-DAEMON@mx.example\nSubject: Delivered\nMIME-Version: 1.0\n"
            + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n"
            + "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example\n\n"
            + "Final-Recipient: rfc822; ok@example.org\nAction: delivered\nStatus: 2.0.0\n"
            + "--b--\n";

        MailBounce b = Assert.Single(BounceSamples.ReadText(text).Bounces);

        Assert.Equal(BounceAction.Delivered, b.Action);
        Assert.Equal("2.0.0", b.Status);
        Assert.Equal(BounceKind.Unknown, b.Kind);
    }

    [Fact]
    public void Gmail_temporary_problem_is_a_delayed_SoftBounce()
    {
        string text = "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n"
            + "Subject: Delivery Status Notification (Delay)\nContent-Type: text/plain\n\n"
            + "** Message not delivered yet **\n\n"
            + "There was a temporary problem delivering your message to slow@fabrikam.example. Gmail will retry for 46 more hours.\n\n"
            + "The response from the remote server was:\n"
            + "451 4.3.0 Temporary lookup failure\n";

        MailBounce b = Assert.Single(BounceSamples.ReadText(text).Bounces);

        Assert.Equal("slow@fabrikam.example", b.Recipient);
        Assert.Equal(BounceAction.Delayed, b.Action);
        Assert.Equal("4.3.0", b.Status);
        Assert.Equal(BounceKind.SoftBounce, b.Kind);
    }

    [Fact]
    public void Exim_reply_on_its_own_line_after_the_host_line_is_the_diagnostic()
    {
        string text = "From: Mail Delivery System <Mailer-Daemon@mx.example>\nSubject: Mail delivery failed\n"
            + "Content-Type: text/plain\n\n"
            + "This message was created automatically by mail delivery software.\n\n"
            + "A message that you sent could not be delivered to one or more of its\n"
            + "recipients. This is a permanent error. The following address(es) failed:\n\n"
            + "  someone@fabrikam.example\n"
            + "    host mx.fabrikam.example [192.0.2.25]\n"
            + "    SMTP error from remote mail server after RCPT TO:<someone@fabrikam.example>:\n"
            + "    552 5.2.2 Mailbox quota exceeded\n";

        MailBounce b = Assert.Single(BounceSamples.ReadText(text).Bounces);

        Assert.Equal("mx.fabrikam.example", b.RemoteMta);
        Assert.Equal("smtp; 552 5.2.2 Mailbox quota exceeded", b.DiagnosticCode);
        Assert.Equal(BounceKind.MailboxFull, b.Kind);
    }
}
