using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailOps.Core.Bimi;
using MailOps.Core.Dkim;
using MailOps.Core.Dmarc;
using MailOps.Core.Dns;
using MailOps.Core.MtaSts;
using MailOps.Core.Mx;
using MailOps.Core.Providers;
using MailOps.Core.Spf;
using MailOps.Core.TlsRpt;

namespace MailOps.Core.Audit;

/// <summary>What to audit beyond the defaults.</summary>
public sealed class MailDomainAuditOptions
{
    /// <summary>DKIM selectors to look up; null probes the built-in catalogue plus the provider's.</summary>
    public IReadOnlyList<string>? Selectors { get; set; }

    /// <summary>The BIMI selector ("default" unless the domain uses another).</summary>
    public string BimiSelector { get; set; } = "default";

    /// <summary>How the DMARC record is discovered.</summary>
    public DmarcDiscoveryMethod DiscoveryMethod { get; set; } = DmarcDiscoveryMethod.TreeWalk;

    /// <summary>Options of the MTA-STS policy fetch (extra trusted roots).</summary>
    public MtaStsFetchOptions? MtaSts { get; set; }

    /// <summary>The provider catalogue; null uses the built-in one.</summary>
    public MailProviderCatalog? Providers { get; set; }
}

/// <summary>
/// Reads everything a receiver reads about a domain, all areas at once over one resolver (and so
/// one cache), then adds the checks that need two areas together: the provider's SPF include and
/// DKIM selectors, BIMI's need for DMARC enforcement.
/// </summary>
public sealed class MailDomainAuditor
{
    private readonly IDnsResolver resolver;
    private readonly MailDomainAuditOptions options;
    private readonly MailProviderCatalog providers;

    /// <summary>Creates an auditor over <paramref name="resolver"/>.</summary>
    public MailDomainAuditor(IDnsResolver resolver, MailDomainAuditOptions? options = null)
    {
        this.resolver = resolver;
        this.options = options ?? new MailDomainAuditOptions();
        providers = this.options.Providers ?? MailProviderCatalog.Default;
    }

    /// <summary>Audits one domain (already normalised by <see cref="DomainName.TryNormalize"/>).</summary>
    public async Task<MailDomainReport> AuditAsync(string domain, CancellationToken cancellationToken)
    {
        Task<MxRecord[]> mxTask = new MxRecordAnalyzer(resolver, providers).AnalyzeAsync(domain, cancellationToken);
        Task<SpfRecord> spfTask = new SpfRecordAnalyzer(resolver).AnalyzeAsync(domain, cancellationToken);
        Task<DmarcPolicy> dmarcTask = new DmarcPolicyDiscovery(resolver).DiscoverAsync(domain, new DmarcDiscoveryOptions { Method = options.DiscoveryMethod }, cancellationToken);
        Task<MtaStsPolicy> mtaStsTask = new MtaStsPolicyAnalyzer(resolver, options.MtaSts).AnalyzeAsync(domain, cancellationToken);
        Task<TlsRptRecord> tlsRptTask = new TlsRptRecordAnalyzer(resolver).AnalyzeAsync(domain, cancellationToken);
        Task<BimiRecord> bimiTask = new BimiRecordAnalyzer(resolver).AnalyzeAsync(domain, options.BimiSelector, cancellationToken);

        // Without -Selector the catalogue is probed, plus the provider's own selectors, so the
        // provider check below never reports a key as missing that is there. With -Selector,
        // each given selector is expected to have a key.
        MxRecord[] mx = await mxTask.ConfigureAwait(false);
        MailProvider? provider = ProviderOf(mx);
        var dkimReader = new DkimRecordReader(resolver);
        Task<DkimRecord[]> dkimTask = options.Selectors is { Count: > 0 }
            ? dkimReader.ReadAsync(domain, options.Selectors, cancellationToken)
            : dkimReader.ProbeAsync(domain, provider?.DkimSelectors ?? Array.Empty<string>(), cancellationToken);

        DkimRecord[] dkim = await dkimTask.ConfigureAwait(false);
        SpfRecord spf = await spfTask.ConfigureAwait(false);
        DmarcPolicy dmarc = await dmarcTask.ConfigureAwait(false);
        MtaStsPolicy mtaSts = await mtaStsTask.ConfigureAwait(false);
        TlsRptRecord tlsRpt = await tlsRptTask.ConfigureAwait(false);
        BimiRecord bimi = await bimiTask.ConfigureAwait(false);

        var findings = new List<MailDomainFinding>();
        findings.AddRange(mx.SelectMany(m => m.Findings).Select(f => new MailDomainFinding(MailDomainArea.Mx, f)));
        findings.AddRange(spf.AllFindings.Select(f => new MailDomainFinding(MailDomainArea.Spf, f)));
        findings.AddRange(dmarc.Findings.Select(f => new MailDomainFinding(MailDomainArea.Dmarc, f)));
        findings.AddRange(dkim.SelectMany(d => d.Findings).Select(f => new MailDomainFinding(MailDomainArea.Dkim, f)));
        findings.AddRange(mtaSts.Findings.Select(f => new MailDomainFinding(MailDomainArea.MtaSts, f)));
        findings.AddRange(tlsRpt.Findings.Select(f => new MailDomainFinding(MailDomainArea.TlsRpt, f)));
        findings.AddRange(bimi.Findings.Select(f => new MailDomainFinding(MailDomainArea.Bimi, f)));
        findings.AddRange(ProviderFindings(provider, spf, dkim).Select(f => new MailDomainFinding(MailDomainArea.Provider, f)));
        findings.AddRange(BimiFindings(bimi, dmarc).Select(f => new MailDomainFinding(MailDomainArea.Bimi, f)));

        return new MailDomainReport(domain, mx, spf, dmarc, dkim, mtaSts, tlsRpt, bimi, provider?.Name, findings.ToArray());
    }

    /// <summary>The provider of the most preferred MX that the catalogue knows.</summary>
    private MailProvider? ProviderOf(MxRecord[] mx)
        => mx.Where(m => m.Exchange is not null && !m.IsNullMx)
            .OrderBy(m => m.Preference ?? int.MaxValue)
            .Select(m => providers.MatchMx(m.Exchange))
            .FirstOrDefault(p => p is not null);

    private static IEnumerable<Finding> ProviderFindings(MailProvider? provider, SpfRecord spf, DkimRecord[] dkim)
    {
        if (provider is null)
        {
            yield break;
        }

        // Mail the provider sends (forwards, auto-replies, the users' own mail) comes from its
        // servers: the domain's SPF must include the provider's record (RFC 7208 section 5.2).
        if (provider.SpfIncludes.Length > 0 && spf.Record is not null)
        {
            var inTree = new HashSet<string>(spf.Descendants().Skip(1).Select(r => r.Domain), StringComparer.OrdinalIgnoreCase);
            if (!provider.SpfIncludes.Any(inTree.Contains))
            {
                yield return new Finding(
                    FindingSeverity.Error,
                    MailDomainFindingCodes.ProviderSpfIncludeMissing,
                    $"The MX points at {provider.Name}, but the SPF record does not include {string.Join(" or ", provider.SpfIncludes)}: mail {provider.Name} sends for this domain fails SPF. Add it with New-SpfInclude -Include {provider.SpfIncludes[0]}.",
                    provider.SpfIncludes[0]);
            }
        }

        if (provider.DkimSelectors.Length > 0)
        {
            bool hasKey = dkim.Any(d => d.Selector is not null && d.KeyType is not null && !d.IsRevoked
                && provider.DkimSelectors.Contains(d.Selector, StringComparer.OrdinalIgnoreCase));
            if (!hasKey)
            {
                yield return new Finding(
                    FindingSeverity.Warning,
                    MailDomainFindingCodes.ProviderDkimKeyMissing,
                    $"The MX points at {provider.Name}, but no DKIM key exists at its selector(s) {string.Join(", ", provider.DkimSelectors)}: its mail is unsigned or not aligned with this domain. Turn on DKIM signing in {provider.Name} and publish the key (or CNAME) it gives.",
                    string.Join(",", provider.DkimSelectors));
            }
        }
    }

    private static IEnumerable<Finding> BimiFindings(BimiRecord bimi, DmarcPolicy dmarc)
    {
        // BIMI is only honoured for domains at DMARC enforcement (quarantine or reject).
        bool published = bimi.Record is not null && !string.IsNullOrEmpty(bimi.LogoUrl);
        bool enforcing = dmarc.EffectivePolicy == DmarcPolicyKind.Quarantine || dmarc.EffectivePolicy == DmarcPolicyKind.Reject;
        if (published && !enforcing)
        {
            yield return new Finding(
                FindingSeverity.Warning,
                MailDomainFindingCodes.BimiRequiresDmarcEnforcement,
                "A BIMI record is published, but DMARC is not at enforcement (p=quarantine or p=reject); mailbox providers will not show the logo. Move DMARC to quarantine or reject first.",
                bimi.Record);
        }
    }
}
