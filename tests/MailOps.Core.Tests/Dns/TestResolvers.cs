using System.Net;
using MailOps.Core.Dns;
using MailOps.TestSupport.Dns;

namespace MailOps.Core.Tests.Dns;

/// <summary>Resolvers pointed at a <see cref="DnsTestServer"/>, with timeouts short enough for tests.</summary>
internal static class TestResolvers
{
    /// <summary>Long enough for a loaded CI machine, short enough that a Timeout test stays quick.</summary>
    public static readonly TimeSpan ShortTimeout = TimeSpan.FromMilliseconds(300);

    public static DnsClientResolver For(DnsTestServer server, TimeSpan? timeout = null, int retries = 0, bool tcpFallback = true)
        => For(new[] { server.IPEndPoint }, timeout, retries, tcpFallback);

    public static DnsClientResolver For(IEnumerable<IPEndPoint> servers, TimeSpan? timeout = null, int retries = 0, bool tcpFallback = true)
        => new(servers, new DnsResolverOptions
        {
            Timeout = timeout ?? TimeSpan.FromSeconds(5),
            Retries = retries,
            UseTcpFallback = tcpFallback,
        });
}
