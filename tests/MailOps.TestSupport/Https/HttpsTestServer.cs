using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace MailOps.TestSupport.Https;

/// <summary>
/// A tiny HTTPS server on a loopback address for the MTA-STS tests: TcpListener plus SslStream,
/// one request per connection, scripted responses per host name. The certificate is chosen by the
/// SNI name the client sends, so one server plays many policy hosts (mta-sts.a.example,
/// mta-sts.b.example, ...), each with a good or a deliberately broken certificate.
/// </summary>
public sealed class HttpsTestServer : IDisposable
{
    private readonly TcpListener listener;
    private readonly X509Certificate2 defaultCertificate;
    private readonly ConcurrentDictionary<string, X509Certificate2> certificates = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, HttpsTestResponse> responses = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<HttpsTestRequest> requests = new();
    private readonly CancellationTokenSource stop = new();
    private Task? acceptLoop;

    /// <summary>Creates a server on <paramref name="address"/>:<paramref name="port"/> (0 picks a free port);
    /// call <see cref="Start"/>. Hosts without a certificate of their own get <paramref name="defaultCertificate"/>.</summary>
    public HttpsTestServer(IPAddress address, int port, X509Certificate2 defaultCertificate)
    {
        listener = new TcpListener(address, port);
        this.defaultCertificate = defaultCertificate;
    }

    /// <summary>The address the server listens on.</summary>
    public IPAddress Address => ((IPEndPoint)listener.LocalEndpoint).Address;

    /// <summary>The port the server listens on (known after <see cref="Start"/>).</summary>
    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>Every request received so far, in arrival order.</summary>
    public IReadOnlyList<HttpsTestRequest> Requests => requests.ToArray();

    /// <summary>
    /// Starts a server on port <paramref name="port"/> of a random 127.18.x.y loopback address, so
    /// concurrent test runs (and other fixtures) do not collide. Port 443 needs root or
    /// CAP_NET_BIND_SERVICE; the exception says so when binding fails.
    /// </summary>
    public static HttpsTestServer StartOnLoopback(X509Certificate2 defaultCertificate, int port = 443)
    {
        Exception? last = null;
        for (int attempt = 0; attempt < 20; attempt++)
        {
            var address = new IPAddress(new byte[] { 127, 18, (byte)Random.Shared.Next(0, 256), (byte)Random.Shared.Next(1, 255) });
            var server = new HttpsTestServer(address, port, defaultCertificate);
            try
            {
                return server.Start();
            }
            catch (SocketException e)
            {
                server.Dispose();
                last = e;
            }
        }

        throw new InvalidOperationException(
            $"The HTTPS test server could not listen on port {port} of any 127.18.x.y loopback address ({last?.Message}). "
            + "The MTA-STS tests need port 443 on loopback: run them as root or grant the dotnet host CAP_NET_BIND_SERVICE.",
            last);
    }

    /// <summary>Serves <paramref name="certificate"/> to clients that send <paramref name="host"/> as SNI.</summary>
    public HttpsTestServer SetCertificate(string host, X509Certificate2 certificate)
    {
        certificates[host] = certificate;
        return this;
    }

    /// <summary>Answers requests for <paramref name="host"/> (by Host header) with <paramref name="response"/>;
    /// hosts without a response get 404.</summary>
    public HttpsTestServer SetResponse(string host, HttpsTestResponse response)
    {
        responses[host] = response;
        return this;
    }

    /// <summary>Binds and starts accepting connections.</summary>
    public HttpsTestServer Start()
    {
        listener.Start();
        acceptLoop = Task.Run(AcceptLoopAsync);
        return this;
    }

    /// <summary>The requests received for <paramref name="host"/>.</summary>
    public int CountRequests(string host) => requests.Count(r => string.Equals(r.Host, host, StringComparison.OrdinalIgnoreCase));

    private async Task AcceptLoopAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token).ConfigureAwait(false);
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                using var tls = new SslStream(client.GetStream(), false);
                string? serverName = null;
                var options = new SslServerAuthenticationOptions
                {
                    ServerCertificateSelectionCallback = (_, name) =>
                    {
                        serverName = name;
                        return name is not null && certificates.TryGetValue(name, out X509Certificate2? c) ? c : defaultCertificate;
                    },
                };
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(30));
                await tls.AuthenticateAsServerAsync(options, timeout.Token).ConfigureAwait(false);

                string head = await ReadHeadAsync(tls, timeout.Token).ConfigureAwait(false);
                string[] lines = head.Split("\r\n");
                string[] requestLine = lines[0].Split(' ');
                string? host = lines.Skip(1).Where(l => l.StartsWith("Host:", StringComparison.OrdinalIgnoreCase)).Select(l => l.Substring(5).Trim()).FirstOrDefault();
                requests.Enqueue(new HttpsTestRequest(serverName, host, requestLine[0], requestLine.Length > 1 ? requestLine[1] : string.Empty));

                HttpsTestResponse response = host is not null && responses.TryGetValue(host, out HttpsTestResponse? scripted) ? scripted : HttpsTestResponse.Status(404);
                byte[] bytes = Render(response);
                await tls.WriteAsync(bytes, timeout.Token).ConfigureAwait(false);
                await tls.FlushAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // A client that rejects the certificate or hangs up is part of what is being tested.
            }
        }
    }

    private static async Task<string> ReadHeadAsync(Stream stream, CancellationToken token)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 16 * 1024)
        {
            if (await stream.ReadAsync(one, token).ConfigureAwait(false) == 0)
            {
                break;
            }

            head.Add(one[0]);
            int n = head.Count;
            if (n >= 4 && head[n - 4] == '\r' && head[n - 3] == '\n' && head[n - 2] == '\r' && head[n - 1] == '\n')
            {
                break;
            }
        }

        return Encoding.ASCII.GetString(head.ToArray()).TrimEnd('\r', '\n');
    }

    private static byte[] Render(HttpsTestResponse response)
    {
        byte[] body = Encoding.UTF8.GetBytes(response.Body);
        var head = new StringBuilder();
        head.Append("HTTP/1.1 ").Append(response.StatusCode).Append(' ').Append(response.Reason).Append("\r\n");
        if (response.ContentType is not null)
        {
            head.Append("Content-Type: ").Append(response.ContentType).Append("\r\n");
        }

        if (response.Location is not null)
        {
            head.Append("Location: ").Append(response.Location).Append("\r\n");
        }

        if (response.Chunked)
        {
            head.Append("Transfer-Encoding: chunked\r\n");
        }
        else if (!response.CloseDelimited)
        {
            head.Append("Content-Length: ").Append(body.Length).Append("\r\n");
        }

        head.Append("Connection: close\r\n\r\n");
        var output = new List<byte>(Encoding.ASCII.GetBytes(head.ToString()));
        if (!response.Chunked)
        {
            output.AddRange(body);
            return output.ToArray();
        }

        for (int offset = 0; offset < body.Length; offset += response.ChunkSize)
        {
            int size = Math.Min(response.ChunkSize, body.Length - offset);
            output.AddRange(Encoding.ASCII.GetBytes(size.ToString("x") + ";ext=1\r\n"));
            output.AddRange(body.Skip(offset).Take(size));
            output.AddRange("\r\n"u8.ToArray());
        }

        output.AddRange("0\r\n\r\n"u8.ToArray());
        return output.ToArray();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        stop.Cancel();
        try
        {
            listener.Stop();
        }
        catch (SocketException)
        {
        }

        try
        {
            acceptLoop?.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        stop.Dispose();
    }
}
