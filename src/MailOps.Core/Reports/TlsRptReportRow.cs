using System;
using System.Net;

namespace MailOps.Core.Reports;

/// <summary>
/// One row of an SMTP TLS report (RFC 8460 section 4): one failure-details entry of one policy,
/// or, for a policy without failures, one row for the policy with its session totals and empty
/// failure columns. The report metadata and the policy are repeated on each row, so a folder
/// of reports exports to one CSV. To count failed sessions, sum FailedSessionCount;
/// SuccessfulSessions and FailedSessions are the policy's totals, repeated on each of its rows.
/// </summary>
public sealed class TlsRptReportRow
{
    internal TlsRptReportRow()
    {
    }

    /// <summary>The report-id.</summary>
    public string? ReportId { get; internal set; }

    /// <summary>The reporter (organization-name).</summary>
    public string? OrganizationName { get; internal set; }

    /// <summary>The reporter's contact-info.</summary>
    public string? ContactInfo { get; internal set; }

    /// <summary>Start of the period (date-range/start-datetime).</summary>
    public DateTimeOffset? Begin { get; internal set; }

    /// <summary>End of the period (date-range/end-datetime).</summary>
    public DateTimeOffset? End { get; internal set; }

    /// <summary>sts (MTA-STS), tlsa (DANE) or no-policy-found (lower case).</summary>
    public string? PolicyType { get; internal set; }

    /// <summary>The domain the policy belongs to (policy-domain).</summary>
    public string? PolicyDomain { get; internal set; }

    /// <summary>The policy as the sender saw it (policy-string: the MTA-STS lines or TLSA records).</summary>
    public string[] PolicyString { get; internal set; } = Array.Empty<string>();

    /// <summary>The MX host pattern(s) of the policy (mx-host), several joined with ", ".</summary>
    public string? MxHost { get; internal set; }

    /// <summary>The policy's total-successful-session-count.</summary>
    public long SuccessfulSessions { get; internal set; }

    /// <summary>The policy's total-failure-session-count.</summary>
    public long FailedSessions { get; internal set; }

    /// <summary>Why sessions failed (result-type, RFC 8460 section 4.3: certificate-expired,
    /// starttls-not-supported, validation-failure, sts-policy-fetch-error, ...), or null on a
    /// policy row without failures.</summary>
    public string? ResultType { get; internal set; }

    /// <summary>The sending MTA's address (sending-mta-ip).</summary>
    public IPAddress? SendingMtaIp { get; internal set; }

    /// <summary>The MX host the sender tried (receiving-mx-hostname).</summary>
    public string? ReceivingMxHostname { get; internal set; }

    /// <summary>The receiving MX's HELO/EHLO name (receiving-mx-helo).</summary>
    public string? ReceivingMxHelo { get; internal set; }

    /// <summary>The receiving MX's address (receiving-ip).</summary>
    public IPAddress? ReceivingIp { get; internal set; }

    /// <summary>Sessions that failed this way (failed-session-count), or null on a policy row.</summary>
    public long? FailedSessionCount { get; internal set; }

    /// <summary>The sender's own failure code (failure-reason-code), e.g. an OpenSSL error name.</summary>
    public string? FailureReasonCode { get; internal set; }

    /// <summary>A URI with more detail (additional-information).</summary>
    public string? AdditionalInformation { get; internal set; }

    /// <summary>The file the row was read from.</summary>
    public string File { get; internal set; } = string.Empty;

    /// <inheritdoc />
    public override string ToString() => ResultType is null
        ? $"{PolicyDomain} {PolicyType}: {SuccessfulSessions} ok, {FailedSessions} failed"
        : $"{PolicyDomain} {PolicyType}: {ResultType} x{FailedSessionCount} {ReceivingMxHostname}";
}
