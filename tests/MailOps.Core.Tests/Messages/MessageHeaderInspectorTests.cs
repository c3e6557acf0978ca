using MailOps.Core.Messages;
using MimeKit;
using Xunit;

namespace MailOps.Core.Tests.Messages;

/// <summary>Header sanity: RFC 5322 section 3.6 counts and bulk-mail unsubscribe headers.</summary>
public sealed class MessageHeaderInspectorTests
{
    private const string Good = "From: a@contoso.example\r\nTo: b@example.net\r\nSubject: Hi\r\nDate: Sun, 1 Jun 2025 10:00:00 +0000\r\nMessage-ID: <1@contoso.example>\r\n";

    private static Finding[] Inspect(string headers)
    {
        MimeMessage message = MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(headers + "\r\nbody\r\n")));
        return MessageHeaderInspector.Inspect(message.Headers);
    }

    private static string[] Codes(string headers) => Inspect(headers).Select(x => x.Code).ToArray();

    [Fact]
    public void Well_formed_personal_message_has_no_findings()
    {
        Assert.Empty(Inspect(Good));
    }

    [Fact]
    public void Two_from_headers_are_an_error()
    {
        var finding = Assert.Single(Inspect(Good + "From: evil@attacker.example\r\n"));

        Assert.Equal(MessageFindingCodes.MessageMultipleFrom, finding.Code);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
    }

    [Fact]
    public void Missing_date_is_an_error()
    {
        var finding = Assert.Single(Inspect(Good.Replace("Date: Sun, 1 Jun 2025 10:00:00 +0000\r\n", string.Empty)));

        Assert.Equal(MessageFindingCodes.MessageDateMissing, finding.Code);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
    }

    [Fact]
    public void Missing_from_message_id_and_subject_are_reported_each()
    {
        Assert.Equal(
            new[] { MessageFindingCodes.MessageFromMissing, MessageFindingCodes.MessageIdMissing, MessageFindingCodes.MessageSubjectMissing },
            Codes("To: b@example.net\r\nDate: Sun, 1 Jun 2025 10:00:00 +0000\r\n"));
    }

    [Fact]
    public void Two_sender_headers_and_two_subjects_are_errors()
    {
        var codes = Codes(Good + "Sender: x@contoso.example\r\nSender: y@contoso.example\r\nSubject: again\r\n");

        Assert.Contains(MessageFindingCodes.MessageMultipleSender, codes);
        Assert.Contains(MessageFindingCodes.MessageDuplicateHeader, codes);
    }

    [Theory]
    [InlineData("Precedence: bulk\r\n")]
    [InlineData("List-Id: <news.contoso.example>\r\n")]
    public void Bulk_mail_without_list_unsubscribe_is_a_warning(string bulk)
    {
        var finding = Assert.Single(Inspect(Good + bulk));

        Assert.Equal(MessageFindingCodes.MessageBulkWithoutListUnsubscribe, finding.Code);
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
    }

    [Fact]
    public void List_unsubscribe_without_one_click_post_is_a_warning()
    {
        var finding = Assert.Single(Inspect(Good + "Precedence: bulk\r\nList-Unsubscribe: <https://contoso.example/u/1>, <mailto:u@contoso.example>\r\n"));

        Assert.Equal(MessageFindingCodes.MessageListUnsubscribeNoOneClick, finding.Code);
        Assert.Equal("List-Unsubscribe-Post", finding.Term);
    }

    [Fact]
    public void One_click_unsubscribe_with_https_uri_and_post_header_is_clean()
    {
        Assert.Empty(Inspect(Good + "Precedence: bulk\r\nList-Unsubscribe: <https://contoso.example/u/1>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"));
    }

    [Fact]
    public void One_click_post_header_with_only_a_mailto_uri_is_a_warning()
    {
        var finding = Assert.Single(Inspect(Good + "List-Unsubscribe: <mailto:u@contoso.example>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"));

        Assert.Equal(MessageFindingCodes.MessageListUnsubscribeNoOneClick, finding.Code);
        Assert.Equal("List-Unsubscribe", finding.Term);
    }
}
