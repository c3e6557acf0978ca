namespace MailOps.Core.Audit;

/// <summary>Codes of the findings Test-MailDomain adds on top of the per-record ones: checks that
/// need two records at once (the provider's needs, BIMI's dependence on DMARC).</summary>
public static class MailDomainFindingCodes
{
    /// <summary>Error: the MX points at a known provider whose SPF include is not in the domain's
    /// SPF tree, so mail the provider sends for the domain fails SPF.</summary>
    public const string ProviderSpfIncludeMissing = "ProviderSpfIncludeMissing";

    /// <summary>Warning: none of the DKIM selectors the MX provider signs with has a key, so its
    /// mail is unsigned or signed with the provider's own domain (no DKIM alignment).</summary>
    public const string ProviderDkimKeyMissing = "ProviderDkimKeyMissing";

    /// <summary>Warning: a BIMI record is published but DMARC is not at enforcement
    /// (quarantine or reject), which BIMI requires; logos will not show.</summary>
    public const string BimiRequiresDmarcEnforcement = "BimiRequiresDmarcEnforcement";
}
