using System.Text;
using MailOps.Core.MtaSts;
using Xunit;

namespace MailOps.Core.Tests.MtaSts;

/// <summary>The minimal HTTP/1.1 response reader of the policy fetch, over in-memory streams.</summary>
public sealed class HttpResponseReaderTests
{
    private static HttpResponse Read(string raw, int max = 64 * 1024)
        => HttpResponseReader.ReadAsync(new MemoryStream(Encoding.ASCII.GetBytes(raw)), max, CancellationToken.None).GetAwaiter().GetResult();

    private static string Body(HttpResponse response) => Encoding.ASCII.GetString(response.Body);

    [Fact]
    public void Content_length_body_is_read_exactly()
    {
        HttpResponse r = Read("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello and more");

        Assert.Equal(200, r.StatusCode);
        Assert.Equal("OK", r.ReasonPhrase);
        Assert.Equal("text/plain", r.Header("content-type"));
        Assert.Equal("hello", Body(r));
    }

    [Fact]
    public void Chunked_body_with_extensions_and_trailers_is_decoded()
    {
        HttpResponse r = Read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;name=x\r\nhello\r\nB\r\n, policy!!!\r\n0\r\nX-Trailer: 1\r\n\r\n");

        Assert.Equal("hello, policy!!!", Body(r));
    }

    [Fact]
    public void Body_without_framing_runs_to_the_end_of_the_connection()
    {
        HttpResponse r = Read("HTTP/1.0 200 OK\nContent-Type: text/plain\n\nversion: STSv1\n");

        Assert.Equal("HTTP/1.0", r.Version);
        Assert.Equal("version: STSv1\n", Body(r));
    }

    [Fact]
    public void Interim_1xx_responses_are_skipped()
    {
        HttpResponse r = Read("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");

        Assert.Equal(200, r.StatusCode);
        Assert.Equal("ok", Body(r));
    }

    [Fact]
    public void A_redirect_keeps_its_location_and_its_body_is_not_read()
    {
        HttpResponse r = Read("HTTP/1.1 301 Moved Permanently\r\nLocation: https://www.contoso.example/\r\nContent-Length: 100\r\n\r\n");

        Assert.Equal(301, r.StatusCode);
        Assert.Equal("https://www.contoso.example/", r.Header("Location"));
        Assert.Empty(r.Body);
    }

    [Fact]
    public void Repeated_header_fields_are_joined()
    {
        HttpResponse r = Read("HTTP/1.1 200 OK\r\nX-A: 1\r\nX-A: 2\r\nContent-Length: 0\r\n\r\n");

        Assert.Equal("1, 2", r.Header("X-A"));
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n186A0\r\n")]
    public void A_body_over_the_limit_is_refused(string raw)
    {
        var e = Assert.Throws<HttpResponseFormatException>(() => Read(raw));
        Assert.Contains("65536", e.Message);
    }

    [Fact]
    public void An_unframed_body_over_the_limit_is_refused()
    {
        Assert.Throws<HttpResponseFormatException>(() => Read("HTTP/1.1 200 OK\r\n\r\n" + new string('x', 200), max: 100));
    }

    [Theory]
    [InlineData("")]
    [InlineData("SSH-2.0-OpenSSH_9.6\r\n")]
    [InlineData("HTTP/1.1 2000 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nbroken header\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Type: text/plain")]
    public void Broken_responses_are_protocol_errors(string raw)
    {
        Assert.Throws<HttpResponseFormatException>(() => Read(raw));
    }
}
