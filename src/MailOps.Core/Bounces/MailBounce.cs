using System;

namespace MailOps.Core.Bounces;

/// <summary>
/// What Import-MailBounce returns: one row per recipient of a bounce message, flat enough for
/// Export-Csv. <see cref="Recipient"/> is what a suppression list stores, <see cref="Domain"/> is
/// what the domain cmdlets bind (Get-MxRecord), and <see cref="Kind"/> says whether the address
/// is dead or the failure is about something else.
/// </summary>
public sealed class MailBounce
{
    internal MailBounce()
    {
    }

    /// <summary>The address that bounced (the DSN's Final-Recipient, without its "rfc822;" type).</summary>
    public string Recipient { get; internal set; } = string.Empty;

    /// <summary>The recipient's domain, lower case; the name the domain cmdlets bind.</summary>
    public string Domain { get; internal set; } = string.Empty;

    /// <summary>What happened to the recipient (RFC 3464 section 2.3.3).</summary>
    public BounceAction Action { get; internal set; }

    /// <summary>The enhanced status code, e.g. "5.1.1" (RFC 3463); "5.0.0" or "4.0.0" when only a
    /// basic SMTP reply code was given; null when the bounce gives neither.</summary>
    public string? Status { get; internal set; }

    /// <summary>Why it bounced, classified from <see cref="Status"/> and <see cref="DiagnosticCode"/>.</summary>
    public BounceKind Kind { get; internal set; }

    /// <summary>The receiving server's reply, e.g. "smtp; 550 5.1.1 &lt;x@y&gt;: Recipient address
    /// rejected: User unknown" (RFC 3464 section 2.3.6), or the MTA's own explanation.</summary>
    public string? DiagnosticCode { get; internal set; }

    /// <summary>The server that refused the recipient (Remote-MTA, without its "dns;" type).</summary>
    public string? RemoteMta { get; internal set; }

    /// <summary>The server that wrote the bounce (Reporting-MTA, without its "dns;" type).</summary>
    public string? ReportingMta { get; internal set; }

    /// <summary>The recipient as the sender gave it, before any forwarding (Original-Recipient).</summary>
    public string? OriginalRecipient { get; internal set; }

    /// <summary>Message-ID of the message that bounced, when the bounce includes its headers.</summary>
    public string? OriginalMessageId { get; internal set; }

    /// <summary>Subject of the message that bounced, when the bounce includes its headers.</summary>
    public string? Subject { get; internal set; }

    /// <summary>When the original message arrived at the reporting MTA (Arrival-Date).</summary>
    public DateTimeOffset? ArrivalDate { get; internal set; }

    /// <summary>When delivery to this recipient was last tried (Last-Attempt-Date).</summary>
    public DateTimeOffset? LastAttemptDate { get; internal set; }

    /// <summary>The Date header of the bounce message itself.</summary>
    public DateTimeOffset? BounceDate { get; internal set; }

    /// <summary>Which form the bounce came in (DSN or a known text form).</summary>
    public BounceFormat Format { get; internal set; }

    /// <summary>The file the bounce was read from.</summary>
    public string File { get; internal set; } = string.Empty;

    /// <summary>The position of the bounce message in its file: 1 for a single message, the
    /// message's number for an mbox file.</summary>
    public int MessageNumber { get; internal set; }

    /// <inheritdoc />
    public override string ToString() => $"{Recipient} {Action} {Status} {Kind}";
}
