using Xunit;
using System.Text;
using MailOps.Core.Relay;

namespace MailOps.Core.Tests.Sending;

/// <summary>Composing the message Send-RelayMail queues: header injection refused, Bcc kept out
/// of the headers, the From rewrite carried into Reply-To.</summary>
public sealed class RelayMailComposerTests
{
    private static RelayMailRequest Request() => new()
    {
        From = "Billing <billing@contoso.example>",
        To = new[] { "carol@fabrikam.example" },
        Cc = new[] { "dave@fabrikam.example" },
        Bcc = new[] { "audit@contoso.example" },
        Subject = "Invoice 42",
        Body = "Hello",
    };

    private static string Text(RelayComposedMessage m) => Encoding.UTF8.GetString(m.Mime);

    [Theory]
    [InlineData("Subject", "Hi\r\nBcc: x@evil.example")]
    [InlineData("Subject", "Hi\nX: 1")]
    [InlineData("From", "a@contoso.example\rX: 1")]
    [InlineData("To", "b@fabrikam.example\r\nX: 1")]
    [InlineData("Cc", "b@fabrikam.example\u0000")]
    [InlineData("Bcc", "b@fabrikam.example\n")]
    [InlineData("ReplyTo", "b@fabrikam.example\r\n")]
    public void Control_characters_in_any_header_value_are_refused_as_header_injection(string header, string value)
    {
        RelayMailRequest request = Request();
        switch (header)
        {
            case "Subject": request.Subject = value; break;
            case "From": request.From = value; break;
            case "To": request.To = new[] { value }; break;
            case "Cc": request.Cc = new[] { value }; break;
            case "Bcc": request.Bcc = new[] { value }; break;
            default: request.ReplyTo = new[] { value }; break;
        }

        var ex = Assert.Throws<RelayMailException>(() => RelayMailComposer.CheckHeaders(request));
        Assert.Equal(RelayMailErrorKind.HeaderInjection, ex.Kind);
        Assert.Equal(value, ex.Target);
    }

    [Fact]
    public void Tab_in_a_subject_is_allowed()
    {
        RelayMailRequest request = Request();
        request.Subject = "Invoice\t42";

        RelayMailComposer.CheckHeaders(request);
    }

    [Fact]
    public void Envelope_has_To_Cc_and_Bcc_once_each_but_Bcc_never_appears_in_a_header()
    {
        RelayMailRequest request = Request();
        request.Cc = new[] { "dave@fabrikam.example", "CAROL@fabrikam.example" };

        IReadOnlyList<string> recipients = RelayMailComposer.Recipients(request);
        RelayComposedMessage message = RelayMailComposer.Compose(request, RelayMailComposer.FormatMailbox(request.From), request.From, false, recipients);

        Assert.Equal(new[] { "carol@fabrikam.example", "dave@fabrikam.example", "audit@contoso.example" }, recipients);
        Assert.DoesNotContain("audit@contoso.example", Text(message));
        Assert.Equal("billing@contoso.example", message.EnvelopeFrom);
        Assert.Contains("Message-Id: <" + message.MessageId + ">", Text(message), StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("@contoso.example", message.MessageId);
    }

    [Fact]
    public void Rewritten_From_puts_the_original_sender_first_in_Reply_To_and_uses_the_default_sender_in_the_envelope()
    {
        RelayMailRequest request = Request();
        request.ReplyTo = new[] { "help@partner.example" };

        RelayComposedMessage message = RelayMailComposer.Compose(request, "\"Billing\" <noreply@contoso.example>", "\"Billing\" <bob@partner.example>", true, new[] { "carol@fabrikam.example" });

        string text = Text(message);
        Assert.Contains("From: Billing <noreply@contoso.example>", text);
        Assert.Contains("Reply-To: Billing <bob@partner.example>, help@partner.example", text);
        Assert.Equal("noreply@contoso.example", message.EnvelopeFrom);
        Assert.True(message.FromRewritten);
    }

    [Fact]
    public void Missing_attachment_is_refused_before_anything_is_composed()
    {
        RelayMailRequest request = Request();
        request.Attachments = new[] { Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".pdf") };

        var ex = Assert.Throws<RelayMailException>(() => RelayMailComposer.Compose(request, request.From, request.From, false, new[] { "carol@fabrikam.example" }));

        Assert.Equal(RelayMailErrorKind.AttachmentNotFound, ex.Kind);
    }

    [Fact]
    public void High_priority_sets_the_priority_headers()
    {
        RelayMailRequest request = Request();
        request.Priority = "High";

        string text = Text(RelayMailComposer.Compose(request, request.From, request.From, false, new[] { "carol@fabrikam.example" }));

        Assert.Contains("Priority: urgent", text);
        Assert.Contains("X-Priority: 2 (High)", text);
    }

    [Theory]
    [InlineData("not an address")]
    [InlineData("a b@contoso.example")]
    [InlineData("")]
    public void Address_that_is_not_a_mailbox_is_refused(string address)
    {
        RelayMailRequest request = Request();
        request.To = new[] { address };

        var ex = Assert.Throws<RelayMailException>(() => RelayMailComposer.Recipients(request));

        Assert.Equal(RelayMailErrorKind.InvalidAddress, ex.Kind);
    }
}
