using System.Collections.Generic;
using System.Net;

namespace MailOps.Core.MtaSts;

/// <summary>Why a policy fetch produced no HTTP response.</summary>
internal enum MtaStsFetchFailure
{
    /// <summary>An HTTP response arrived (whatever its status).</summary>
    None,

    /// <summary>The policy host has no address, or its lookup failed.</summary>
    Dns,

    /// <summary>No TCP connection could be made.</summary>
    Connect,

    /// <summary>The fetch took longer than the timeout.</summary>
    Timeout,

    /// <summary>The TLS handshake failed for a reason other than the certificate.</summary>
    Tls,

    /// <summary>The certificate does not validate for the policy host (RFC 8461 section 3.3).</summary>
    Certificate,

    /// <summary>The response broke HTTP/1.1 or was too large.</summary>
    Protocol,
}

/// <summary>The outcome of one policy fetch, with the steps taken for -Verbose.</summary>
internal sealed class MtaStsFetchResult
{
    public MtaStsFetchFailure Failure { get; set; }

    /// <summary>What went wrong, for the finding's message.</summary>
    public string? Error { get; set; }

    /// <summary>The address the response came from (or the last one tried).</summary>
    public IPAddress? Address { get; set; }

    public HttpResponse? Response { get; set; }

    /// <summary>Each step of the fetch, in order.</summary>
    public List<string> Trace { get; } = new List<string>();
}
