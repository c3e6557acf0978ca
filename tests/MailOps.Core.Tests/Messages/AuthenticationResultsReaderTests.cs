using MailOps.Core.Messages;
using MimeKit;
using Xunit;

namespace MailOps.Core.Tests.Messages;

/// <summary>Authentication-Results headers (RFC 8601) read into flat method results.</summary>
public sealed class AuthenticationResultsReaderTests
{
    private static MessageAuthenticationResult[] Read(params string[] headers)
    {
        string text = string.Concat(headers.Select(h => "Authentication-Results: " + h + "\r\n")) + "From: a@contoso.example\r\n\r\nbody\r\n";
        MimeMessage message = MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)));
        return AuthenticationResultsReader.Read(message.Headers);
    }

    [Theory]
    [InlineData("mx.google.com; dkim=pass header.i=@contoso.example header.s=s1 header.b=abc", "mx.google.com", "dkim", "pass", "header.i=@contoso.example header.s=s1 header.b=abc")]
    [InlineData("mx.example.net; spf=softfail (sender IP is 192.0.2.1) smtp.mailfrom=bounce@contoso.example", "mx.example.net", "spf", "softfail", "smtp.mailfrom=bounce@contoso.example")]
    [InlineData("mx.example.net; dmarc=fail (p=REJECT sp=REJECT dis=REJECT) header.from=contoso.example", "mx.example.net", "dmarc", "fail", "header.from=contoso.example")]
    public void One_method_result_is_read_with_authserv_id_result_and_properties(string header, string authServId, string method, string result, string properties)
    {
        var r = Assert.Single(Read(header));

        Assert.Equal(authServId, r.AuthServId);
        Assert.Equal(method, r.Method);
        Assert.Equal(result, r.Result ?? string.Empty);
        Assert.Equal(properties, r.PropertyText);
    }

    [Fact]
    public void Header_saying_none_gives_no_method_results()
    {
        // RFC 8601 section 2.2: "none" means no authentication was performed.
        Assert.Empty(Read("example.org 1; none"));
    }

    [Fact]
    public void Several_methods_of_one_header_become_items_in_order()
    {
        var r = Read("mx.microsoft.com 1; spf=pass smtp.mailfrom=contoso.example; dkim=pass header.d=contoso.example; dmarc=pass action=none header.from=contoso.example; arc=none");

        Assert.Equal(new[] { "spf", "dkim", "dmarc", "arc" }, r.Select(x => x.Method));
        Assert.Equal(new[] { "pass", "pass", "pass", "none" }, r.Select(x => x.Result));
        Assert.All(r, x => Assert.Equal("mx.microsoft.com", x.AuthServId));
        Assert.Equal("header", r[1].Properties.Single().Type);
        Assert.Equal("d", r[1].Properties.Single().Name);
        Assert.Equal("contoso.example", r[1].Properties.Single().Value);
    }

    [Fact]
    public void Headers_are_read_top_most_first_and_unparseable_ones_are_skipped()
    {
        var r = Read("mx.second.example; spf=fail smtp.mailfrom=x@y.example", "%%% not a header %%%", "mx.first.example; spf=pass smtp.mailfrom=x@y.example");

        Assert.Equal(new[] { "mx.second.example", "mx.first.example" }, r.Select(x => x.AuthServId));
    }
}
