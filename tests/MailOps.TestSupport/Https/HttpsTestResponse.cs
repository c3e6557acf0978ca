namespace MailOps.TestSupport.Https;

/// <summary>
/// What the <see cref="HttpsTestServer"/> answers for one host: a status, a content type, a body,
/// optionally a Location (redirects) and the body framing (Content-Length, chunked, or until close).
/// </summary>
public sealed class HttpsTestResponse
{
    /// <summary>The status code, 200 unless set.</summary>
    public int StatusCode { get; init; } = 200;

    /// <summary>The reason phrase; derived from the code when null.</summary>
    public string? ReasonPhrase { get; init; }

    /// <summary>The Content-Type header, or null to send none.</summary>
    public string? ContentType { get; init; } = "text/plain";

    /// <summary>The body, sent as UTF-8.</summary>
    public string Body { get; init; } = string.Empty;

    /// <summary>The Location header, for redirects.</summary>
    public string? Location { get; init; }

    /// <summary>Send the body with Transfer-Encoding: chunked, in chunks of <see cref="ChunkSize"/> bytes.</summary>
    public bool Chunked { get; init; }

    /// <summary>The chunk size when <see cref="Chunked"/> is set.</summary>
    public int ChunkSize { get; init; } = 16;

    /// <summary>Send neither Content-Length nor chunked: the body ends when the connection closes.</summary>
    public bool CloseDelimited { get; init; }

    /// <summary>A 200 response with the given body and content type.</summary>
    public static HttpsTestResponse Ok(string body, string? contentType = "text/plain") => new() { Body = body, ContentType = contentType };

    /// <summary>A redirect to <paramref name="location"/>.</summary>
    public static HttpsTestResponse Redirect(string location, int statusCode = 301) => new() { StatusCode = statusCode, Location = location, ContentType = "text/html", Body = "<a href=\"" + location + "\">moved</a>" };

    /// <summary>A response with only a status (and a short text body).</summary>
    public static HttpsTestResponse Status(int statusCode) => new() { StatusCode = statusCode, ContentType = "text/html", Body = "<h1>" + statusCode + "</h1>" };

    internal string Reason => ReasonPhrase ?? StatusCode switch
    {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        403 => "Forbidden",
        404 => "Not Found",
        500 => "Internal Server Error",
        _ => "Status",
    };
}

/// <summary>One request as the test server saw it.</summary>
/// <param name="ServerName">The TLS SNI host name the client sent (null if none).</param>
/// <param name="Host">The Host header.</param>
/// <param name="Method">The request method.</param>
/// <param name="Path">The request target.</param>
public sealed record HttpsTestRequest(string? ServerName, string? Host, string Method, string Path);
