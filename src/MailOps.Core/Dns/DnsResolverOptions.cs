using System;
using System.Collections.Generic;

namespace MailOps.Core.Dns;

/// <summary>
/// How to reach DNS: which servers, how long to wait. Plain strings and numbers, so a cmdlet can
/// fill it straight from its -Server and -Timeout parameters without knowing the DNS library.
/// </summary>
public sealed class DnsResolverOptions
{
    /// <summary>The default time to wait for one answer; RFC 1536 section 1 warns against retrying faster.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Servers as "host", "ip", "ip:port", "[ipv6]:port" or a bare IPv6 address (see
    /// <see cref="DnsServerEndpoint"/>), asked in order. Empty means the resolvers of the
    /// operating system's configuration.
    /// </summary>
    public IList<string> Servers { get; set; } = new List<string>();

    /// <summary>How long to wait for one answer before retrying or giving up.</summary>
    public TimeSpan Timeout { get; set; } = DefaultTimeout;

    /// <summary>
    /// How many times to re-send a question that timed out, per server. One retry rides out a
    /// lost UDP datagram without doubling the wait for a server that is really down.
    /// </summary>
    public int Retries { get; set; } = 1;

    /// <summary>
    /// Retry over TCP when a UDP answer is truncated (TC=1). Large SPF and DKIM TXT answers
    /// need it; RFC 7766 section 5 makes TCP support mandatory for this reason.
    /// </summary>
    public bool UseTcpFallback { get; set; } = true;
}
