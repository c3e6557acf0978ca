namespace MailOps.TestSupport.Dns;

/// <summary>
/// A failure the test server can inject, so every <c>DnsOutcome</c> of the resolver can be
/// produced on the real wire protocol instead of being faked behind an interface.
/// </summary>
public enum DnsFault
{
    /// <summary>Answer normally from the zone.</summary>
    None,

    /// <summary>Never answer: the query is dropped and the client's timeout decides.</summary>
    Timeout,

    /// <summary>Answer RCODE 2, SERVFAIL (RFC 1035 section 4.1.1).</summary>
    ServerFailure,

    /// <summary>Answer RCODE 5, REFUSED (RFC 1035 section 4.1.1).</summary>
    Refused,

    /// <summary>
    /// Over UDP answer with TC=1 and no records, so a correct client retries over TCP
    /// (RFC 7766 section 5); over TCP the full answer is served.
    /// </summary>
    Truncate,
}

/// <summary>The transport a query arrived on, so tests can prove a TCP fallback happened.</summary>
public enum DnsTransport
{
    /// <summary>UDP datagram.</summary>
    Udp,

    /// <summary>TCP stream (RFC 7766).</summary>
    Tcp,
}

/// <summary>One query as the test server saw it: what reached the wire, not what the client intended.</summary>
/// <param name="Name">The queried name, lower-cased, without the trailing dot.</param>
/// <param name="Type">The type mnemonic in upper case ("TXT", "AAAA", "CNAME"...).</param>
/// <param name="Transport">UDP or TCP.</param>
public sealed record DnsQueryLogEntry(string Name, string Type, DnsTransport Transport);
