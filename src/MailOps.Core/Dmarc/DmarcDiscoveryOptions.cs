namespace MailOps.Core.Dmarc;

/// <summary>How <see cref="DmarcPolicyDiscovery"/> looks a policy up.</summary>
public sealed class DmarcDiscoveryOptions
{
    /// <summary>RFC 9989 tree walk (the default) or the RFC 7489 Public Suffix List method.</summary>
    public DmarcDiscoveryMethod Method { get; set; } = DmarcDiscoveryMethod.TreeWalk;

    /// <summary>The caller does not control the domain (for example the From addresses of
    /// customers a relay sends for): a quarantine or reject policy then raises
    /// <see cref="DmarcFindingCodes.DmarcRelayWillBeRejected"/>.</summary>
    public bool ThirdParty { get; set; }

    /// <summary>Query "&lt;domain&gt;._report._dmarc.&lt;destination&gt;" for every external
    /// report destination (RFC 7489 section 7.1). On by default.</summary>
    public bool CheckReportAuthorization { get; set; } = true;
}
