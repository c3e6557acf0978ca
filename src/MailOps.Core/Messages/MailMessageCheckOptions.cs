using System;
using System.Net;

namespace MailOps.Core.Messages;

/// <summary>
/// What Test-MailMessage knows beyond the message itself: the SMTP client that delivered it
/// (when the Received header is missing or not to be trusted) and the clock for x= expiry.
/// Settable properties so that callers fill it with an object initializer.
/// </summary>
public sealed class MailMessageCheckOptions
{
    /// <summary>The connecting client's address; when null it is read from the top-most Received header.</summary>
    public IPAddress? IPAddress { get; set; }

    /// <summary>The HELO/EHLO name; when null it is read from the top-most Received header.</summary>
    public string? HeloName { get; set; }

    /// <summary>The time DKIM expiry (x=) is judged at; the current time when null (tests fix it).</summary>
    public DateTimeOffset? Now { get; set; }
}
