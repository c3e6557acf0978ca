using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace MailOps.Core.MtaSts;

/// <summary>An HTTP/1.1 response as the policy fetch needs it: status, headers, body.</summary>
internal sealed class HttpResponse
{
    public HttpResponse(string version, int statusCode, string reasonPhrase, Dictionary<string, string> headers, byte[] body)
    {
        Version = version;
        StatusCode = statusCode;
        ReasonPhrase = reasonPhrase;
        Headers = headers;
        Body = body;
    }

    /// <summary>"HTTP/1.1" or "HTTP/1.0".</summary>
    public string Version { get; }

    public int StatusCode { get; }

    public string ReasonPhrase { get; }

    /// <summary>Header fields by case-insensitive name; repeated fields joined with ", ".</summary>
    public Dictionary<string, string> Headers { get; }

    /// <summary>The decoded body (chunked transfer coding removed); empty for non-2xx responses.</summary>
    public byte[] Body { get; }

    public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;
}

/// <summary>The server broke HTTP/1.1 framing, or sent more than the limits allow.</summary>
internal sealed class HttpResponseFormatException : Exception
{
    public HttpResponseFormatException(string message)
        : base(message)
    {
    }
}

/// <summary>
/// Reads one HTTP/1.1 response (RFC 9112) from a stream: the status line, the header fields, and
/// for a 2xx status the body framed by Transfer-Encoding: chunked, Content-Length or the end of
/// the connection. Small on purpose: the policy fetch needs exactly this and no redirects,
/// caching or content codings (RFC 8461 section 3.3).
/// </summary>
internal sealed class HttpResponseReader
{
    private const int MaxLineBytes = 8 * 1024;
    private const int MaxHeaderFields = 100;

    private readonly Stream stream;
    private readonly byte[] buffer = new byte[4096];
    private int start;
    private int end;

    private HttpResponseReader(Stream stream) => this.stream = stream;

    /// <summary>Reads a response; 1xx interim responses are skipped. Throws
    /// <see cref="HttpResponseFormatException"/> for malformed or oversized responses.</summary>
    public static async Task<HttpResponse> ReadAsync(Stream stream, int maxBodyBytes, CancellationToken cancellationToken)
    {
        var reader = new HttpResponseReader(stream ?? throw new ArgumentNullException(nameof(stream)));
        while (true)
        {
            HttpResponse head = await reader.ReadHeadAsync(cancellationToken).ConfigureAwait(false);
            if (head.StatusCode >= 100 && head.StatusCode < 200)
            {
                continue;
            }

            if (head.StatusCode < 200 || head.StatusCode >= 300 || head.StatusCode == 204)
            {
                // Only a 200 carries a policy; other bodies are not read (a redirect's Location is a header).
                return head;
            }

            byte[] body = await reader.ReadBodyAsync(head, maxBodyBytes, cancellationToken).ConfigureAwait(false);
            return new HttpResponse(head.Version, head.StatusCode, head.ReasonPhrase, head.Headers, body);
        }
    }

    private async Task<HttpResponse> ReadHeadAsync(CancellationToken cancellationToken)
    {
        string? statusLine = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
        if (statusLine is null)
        {
            throw new HttpResponseFormatException("The server closed the connection without sending a response.");
        }

        // status-line = HTTP-version SP status-code SP [ reason-phrase ]
        string[] parts = statusLine.Split(new[] { ' ' }, 3);
        if (parts.Length < 2 || !parts[0].StartsWith("HTTP/1.", StringComparison.Ordinal)
            || parts[1].Length != 3 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int status))
        {
            throw new HttpResponseFormatException($"The server did not answer with an HTTP/1.x status line: '{Shorten(statusLine)}'.");
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (int count = 0; ; count++)
        {
            string? line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null)
            {
                throw new HttpResponseFormatException("The connection closed in the middle of the response headers.");
            }

            if (line.Length == 0)
            {
                break;
            }

            if (count >= MaxHeaderFields)
            {
                throw new HttpResponseFormatException($"The response has more than {MaxHeaderFields} header fields.");
            }

            int colon = line.IndexOf(':');
            if (colon <= 0 || line[0] == ' ' || line[0] == '\t')
            {
                throw new HttpResponseFormatException($"'{Shorten(line)}' is not a header field.");
            }

            string name = line.Substring(0, colon).Trim();
            string value = line.Substring(colon + 1).Trim();
            headers[name] = headers.TryGetValue(name, out string? earlier) ? earlier + ", " + value : value;
        }

        return new HttpResponse(parts[0], status, parts.Length > 2 ? parts[2] : string.Empty, headers, Array.Empty<byte>());
    }

    private async Task<byte[]> ReadBodyAsync(HttpResponse head, int maxBodyBytes, CancellationToken cancellationToken)
    {
        string? transferEncoding = head.Header("Transfer-Encoding");
        if (transferEncoding is not null)
        {
            // RFC 9112 section 6.3: chunked must be the final coding; it wins over Content-Length.
            string[] codings = transferEncoding.Split(',');
            if (!string.Equals(codings[codings.Length - 1].Trim(), "chunked", StringComparison.OrdinalIgnoreCase) || codings.Length > 1)
            {
                throw new HttpResponseFormatException($"The transfer coding '{transferEncoding}' is not supported (only chunked).");
            }

            return await ReadChunkedAsync(maxBodyBytes, cancellationToken).ConfigureAwait(false);
        }

        string? contentLength = head.Header("Content-Length");
        if (contentLength is not null)
        {
            if (!long.TryParse(contentLength, NumberStyles.None, CultureInfo.InvariantCulture, out long length))
            {
                throw new HttpResponseFormatException($"Content-Length '{contentLength}' is not a number.");
            }

            if (length > maxBodyBytes)
            {
                throw new HttpResponseFormatException($"The policy is {length} bytes; at most {maxBodyBytes} are read.");
            }

            var body = new byte[length];
            int read = await ReadBytesAsync(body, 0, body.Length, cancellationToken).ConfigureAwait(false);
            if (read < body.Length)
            {
                throw new HttpResponseFormatException($"The connection closed after {read} of {length} body bytes.");
            }

            return body;
        }

        // No framing: the body ends when the server closes the connection (RFC 9112 section 6.3).
        using var rest = new MemoryStream();
        var chunk = new byte[4096];
        int n;
        while ((n = await ReadBytesAsync(chunk, 0, chunk.Length, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (rest.Length + n > maxBodyBytes)
            {
                throw new HttpResponseFormatException($"The policy is larger than {maxBodyBytes} bytes.");
            }

            rest.Write(chunk, 0, n);
        }

        return rest.ToArray();
    }

    private async Task<byte[]> ReadChunkedAsync(int maxBodyBytes, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        while (true)
        {
            // chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF (RFC 9112 section 7.1)
            string? sizeLine = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (sizeLine is null)
            {
                throw new HttpResponseFormatException("The connection closed in the middle of a chunked body.");
            }

            int semicolon = sizeLine.IndexOf(';');
            string sizeText = (semicolon >= 0 ? sizeLine.Substring(0, semicolon) : sizeLine).Trim();
            if (sizeText.Length == 0 || sizeText.Length > 8
                || !int.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int size) || size < 0)
            {
                throw new HttpResponseFormatException($"'{Shorten(sizeLine)}' is not a chunk size.");
            }

            if (size == 0)
            {
                // Trailer fields, up to the empty line.
                string? trailer;
                while (!string.IsNullOrEmpty(trailer = await ReadLineAsync(cancellationToken).ConfigureAwait(false)))
                {
                }

                return body.ToArray();
            }

            if (body.Length + size > maxBodyBytes)
            {
                throw new HttpResponseFormatException($"The policy is larger than {maxBodyBytes} bytes.");
            }

            var data = new byte[size];
            if (await ReadBytesAsync(data, 0, size, cancellationToken).ConfigureAwait(false) < size)
            {
                throw new HttpResponseFormatException("The connection closed in the middle of a chunk.");
            }

            body.Write(data, 0, size);
            string? end = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (end is null || end.Length != 0)
            {
                throw new HttpResponseFormatException("A chunk is not followed by CRLF.");
            }
        }
    }

    /// <summary>One line without its CRLF (a bare LF is accepted, RFC 9112 section 2.2), or null at the end of the stream.</summary>
    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        using var line = new MemoryStream();
        while (true)
        {
            if (start == end && !await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                return line.Length == 0 ? null : throw new HttpResponseFormatException("The connection closed in the middle of a line.");
            }

            int newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
            int stop = newline >= 0 ? newline : end;
            line.Write(buffer, start, stop - start);
            start = newline >= 0 ? newline + 1 : end;
            if (line.Length > MaxLineBytes)
            {
                throw new HttpResponseFormatException($"A response line is longer than {MaxLineBytes} bytes.");
            }

            if (newline >= 0)
            {
                byte[] bytes = line.ToArray();
                int length = bytes.Length > 0 && bytes[bytes.Length - 1] == '\r' ? bytes.Length - 1 : bytes.Length;
                return Encoding.GetEncoding("ISO-8859-1").GetString(bytes, 0, length);
            }
        }
    }

    private async Task<int> ReadBytesAsync(byte[] target, int offset, int count, CancellationToken cancellationToken)
    {
        int total = 0;
        while (total < count)
        {
            if (start == end && !await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                break;
            }

            int n = Math.Min(count - total, end - start);
            Buffer.BlockCopy(buffer, start, target, offset + total, n);
            start += n;
            total += n;
        }

        return total;
    }

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        start = 0;
        end = await stream.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
        return end > 0;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text.Substring(0, 77) + "...";
}
