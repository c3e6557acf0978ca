using System.Collections.Generic;

namespace MailOps.Core.Dmarc;

/// <summary>The tags New-DmarcRecord is asked for; null means "leave the tag out" (its default applies).</summary>
public sealed class DmarcRecordRequest
{
    /// <summary>The domain the record is for (any form a user types), or null when unknown.</summary>
    public string? Domain { get; set; }

    /// <summary>p: required.</summary>
    public DmarcPolicyKind Policy { get; set; }

    /// <summary>sp, or null.</summary>
    public DmarcPolicyKind? SubdomainPolicy { get; set; }

    /// <summary>np, or null.</summary>
    public DmarcPolicyKind? NonexistentSubdomainPolicy { get; set; }

    /// <summary>rua entries: URIs, or bare addresses that become mailto: URIs.</summary>
    public IReadOnlyList<string> AggregateReportUri { get; set; } = System.Array.Empty<string>();

    /// <summary>ruf entries: URIs, or bare addresses that become mailto: URIs.</summary>
    public IReadOnlyList<string> FailureReportUri { get; set; } = System.Array.Empty<string>();

    /// <summary>adkim, or null.</summary>
    public DmarcAlignment? DkimAlignment { get; set; }

    /// <summary>aspf, or null.</summary>
    public DmarcAlignment? SpfAlignment { get; set; }

    /// <summary>fo ("0", "1", "d", "s", ':'-separated), or null.</summary>
    public string? FailureOptions { get; set; }

    /// <summary>pct 0-100, or null (RFC 7489 only).</summary>
    public int? Percentage { get; set; }
}
