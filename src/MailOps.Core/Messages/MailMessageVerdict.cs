using System;
using System.Linq;
using System.Net;
using MailOps.Core.Spf;

namespace MailOps.Core.Messages;

/// <summary>
/// What Test-MailMessage returns for one message file: who it claims to be from, every DKIM
/// signature verified against DNS, SPF for the connecting IP, DMARC with alignment, the ARC
/// chain, the Authentication-Results a receiver already recorded, header sanity and one overall
/// <see cref="Verdict"/>. Flat scalars (DkimResult, SpfResult, DmarcResult) export to CSV; the
/// nested objects carry the detail.
/// </summary>
public sealed class MailMessageVerdict
{
    internal MailMessageVerdict(string? file)
    {
        File = file;
    }

    /// <summary>The message file, as a full path (null when the message came from a stream).</summary>
    public string? File { get; }

    /// <summary>The Message-ID without angle brackets, or null.</summary>
    public string? MessageId { get; internal set; }

    /// <summary>The From address (RFC5322.From), or null when there is none.</summary>
    public string? From { get; internal set; }

    /// <summary>The domain of the From address: the identity DMARC protects.</summary>
    public string? FromDomain { get; internal set; }

    /// <summary>The Subject, or null.</summary>
    public string? Subject { get; internal set; }

    /// <summary>The Date header, or null when absent or unparseable.</summary>
    public DateTimeOffset? Date { get; internal set; }

    /// <summary>The connecting client's address SPF was checked for (from -IPAddress or the
    /// top-most Received header); binds to -IPAddress of Test-DnsBlocklist and Test-SpfRecord.</summary>
    public IPAddress? IPAddress { get; internal set; }

    /// <summary>The HELO name used for SPF (from -HeloName or the Received header), or null.</summary>
    public string? HeloName { get; internal set; }

    /// <summary>The MAIL FROM (Return-Path) address; "" for the null sender, null when unknown.</summary>
    public string? MailFrom { get; internal set; }

    /// <summary>Every DKIM-Signature header, in message order, with its verification result.</summary>
    public DkimSignatureVerdict[] Dkim { get; internal set; } = Array.Empty<DkimSignatureVerdict>();

    /// <summary>The best DKIM result (Pass if any signature passes), flat for CSV; None when unsigned.</summary>
    public DkimVerificationResult DkimResult { get; internal set; }

    /// <summary>check_host() for the connecting IP and MAIL FROM; null when no IP is known.</summary>
    public SpfCheckResult? Spf { get; internal set; }

    /// <summary>The SPF result, flat for CSV; null when SPF was not checked.</summary>
    public SpfResult? SpfResult => Spf?.Result;

    /// <summary>True when SPF passed for a domain aligned with the From domain (aspf).</summary>
    public bool SpfAligned { get; internal set; }

    /// <summary>DMARC applied to this message.</summary>
    public DmarcVerdict Dmarc { get; internal set; } = new DmarcVerdict(null);

    /// <summary>The DMARC result, flat for CSV.</summary>
    public DmarcVerdictResult DmarcResult => Dmarc.Result;

    /// <summary>The ARC chain (RFC 8617).</summary>
    public ArcVerdict Arc { get; internal set; } = new ArcVerdict(ArcVerdictResult.None, 0, null);

    /// <summary>The Authentication-Results headers in the message (RFC 8601), one item per method result, top-most first.</summary>
    public MessageAuthenticationResult[] AuthenticationResults { get; internal set; } = Array.Empty<MessageAuthenticationResult>();

    /// <summary>Findings about the header fields alone (RFC 5322 section 3.6 counts, RFC 8058 one-click unsubscribe).</summary>
    public Finding[] HeaderFindings { get; internal set; } = Array.Empty<Finding>();

    /// <summary>Every finding: header findings and authentication findings, with codes from <see cref="MessageFindingCodes"/>.</summary>
    public Finding[] Findings { get; internal set; } = Array.Empty<Finding>();

    /// <summary>The overall judgement.</summary>
    public MailVerdict Verdict { get; internal set; }

    /// <summary>Number of Error findings.</summary>
    public int ErrorCount => Findings.Count(f => f.Severity == FindingSeverity.Error);

    /// <summary>The steps of the analysis, as -Verbose shows them.</summary>
    public string[] Trace { get; internal set; } = Array.Empty<string>();

    /// <inheritdoc />
    public override string ToString() => $"{Verdict} {File ?? MessageId}";
}
