using Xunit;
using MailOps.Core.Smtp;

namespace MailOps.Core.Tests.Smtp;

/// <summary>Parsing of SMTP replies (RFC 5321 section 4.2, enhanced codes RFC 3463).</summary>
public sealed class SmtpReplyTests
{
    [Fact]
    public void Enhanced_status_code_is_split_from_the_text()
    {
        SmtpReply reply = SmtpReply.Parse(new[] { "535 5.7.8 Username and Password not accepted" })!;

        Assert.Equal(535, reply.Code);
        Assert.Equal("5.7.8", reply.EnhancedCode);
        Assert.Equal("Username and Password not accepted", reply.Text);
    }

    [Fact]
    public void Reply_without_enhanced_code_keeps_its_whole_text()
    {
        SmtpReply reply = SmtpReply.Parse(new[] { "530 Must issue a STARTTLS command first" })!;

        Assert.Equal(530, reply.Code);
        Assert.Null(reply.EnhancedCode);
        Assert.Equal("Must issue a STARTTLS command first", reply.Text);
    }

    [Fact]
    public void Enhanced_code_of_another_class_than_the_reply_is_not_taken_as_one()
    {
        SmtpReply reply = SmtpReply.Parse(new[] { "250 4.1.1 odd" })!;

        Assert.Null(reply.EnhancedCode);
    }

    [Fact]
    public void Multiline_ehlo_reply_keeps_one_entry_per_keyword()
    {
        SmtpReply reply = SmtpReply.Parse(new[] { "250-mail.test", "250-SIZE 1000", "250 AUTH PLAIN LOGIN" })!;

        Assert.Equal(new[] { "mail.test", "SIZE 1000", "AUTH PLAIN LOGIN" }, reply.Lines);
    }

    [Fact]
    public void Line_without_a_code_is_no_reply()
    {
        Assert.Null(SmtpReply.Parse(new[] { "hello" }));
    }
}
