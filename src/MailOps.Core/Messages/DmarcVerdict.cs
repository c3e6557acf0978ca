using MailOps.Core.Dmarc;

namespace MailOps.Core.Messages;

/// <summary>
/// DMARC applied to one message (RFC 7489 section 6.6, RFC 9989): the policy found for the From
/// domain, whether DKIM or SPF authenticated an aligned identifier, and the result.
/// </summary>
public sealed class DmarcVerdict
{
    internal DmarcVerdict(string? domain)
    {
        Domain = domain;
    }

    /// <summary>The From domain (RFC5322.From) whose policy applies.</summary>
    public string? Domain { get; }

    /// <summary>The DMARC result.</summary>
    public DmarcVerdictResult Result { get; internal set; }

    /// <summary>The policy receivers apply to this message when it fails (p, sp or np as
    /// DmarcPolicyDiscovery decided); null when no policy applies.</summary>
    public DmarcPolicyKind? Policy { get; internal set; }

    /// <summary>The domain whose _dmarc record applies, or null.</summary>
    public string? RecordDomain { get; internal set; }

    /// <summary>The record text that applies, or null.</summary>
    public string? Record { get; internal set; }

    /// <summary>The Organizational Domain of the From domain, used for relaxed alignment.</summary>
    public string? OrganizationalDomain { get; internal set; }

    /// <summary>adkim: relaxed (default) or strict.</summary>
    public DmarcAlignment DkimAlignment { get; internal set; }

    /// <summary>aspf: relaxed (default) or strict.</summary>
    public DmarcAlignment SpfAlignment { get; internal set; }

    /// <summary>True when a DKIM signature passed with d= aligned to the From domain.</summary>
    public bool DkimAligned { get; internal set; }

    /// <summary>True when SPF passed for a MAIL FROM (or HELO) domain aligned to the From domain.</summary>
    public bool SpfAligned { get; internal set; }

    /// <summary>t=y: the domain owner asks receivers not to apply the policy yet (RFC 9989).</summary>
    public bool Testing { get; internal set; }

    /// <summary>Why the result is None, TempError or PermError, when there is a reason to give.</summary>
    public string? Error { get; internal set; }

    /// <inheritdoc />
    public override string ToString() => $"{Result} ({Domain}, policy {(Policy?.ToString() ?? "none")})";
}
