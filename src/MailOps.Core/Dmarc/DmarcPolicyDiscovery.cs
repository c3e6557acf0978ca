using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailOps.Core.Dns;

namespace MailOps.Core.Dmarc;

/// <summary>
/// Finds the DMARC policy receivers apply to mail from a domain, the way they find it: the
/// RFC 9989 DNS Tree Walk (default) or the RFC 7489 Public Suffix List method. It then decides
/// which of p, sp and np applies, checks external report destinations, and reports findings.
/// It never throws for DNS failures or bad records; they become findings.
/// </summary>
public sealed class DmarcPolicyDiscovery
{
    private readonly IDnsResolver resolver;
    private readonly PublicSuffixList publicSuffixList;

    /// <summary>Creates a discovery that asks <paramref name="resolver"/> every question and uses
    /// <paramref name="publicSuffixList"/> (default: the list shipped in MailOps).</summary>
    public DmarcPolicyDiscovery(IDnsResolver resolver, PublicSuffixList? publicSuffixList = null)
    {
        this.resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        this.publicSuffixList = publicSuffixList ?? PublicSuffixList.Default;
    }

    /// <summary>
    /// Discovers the policy for <paramref name="domain"/> (any form a user types: Unicode names
    /// become A-labels, RFC 9989 section 5.5.1).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="domain"/> is not a valid domain name.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<DmarcPolicy> DiscoverAsync(string domain, DmarcDiscoveryOptions? options, CancellationToken cancellationToken)
    {
        if (!DomainName.TryNormalize(domain, out string name, out string? error))
        {
            throw new ArgumentException(error, nameof(domain));
        }

        options ??= new DmarcDiscoveryOptions();
        var run = new Run(this, name, options, cancellationToken);
        return await run.ExecuteAsync().ConfigureAwait(false);
    }

    /// <summary>What one _dmarc name answered.</summary>
    private sealed class Level
    {
        public Level(string domain) => Domain = domain;

        public string Domain { get; }

        public List<string> DmarcTexts { get; } = new List<string>();

        public List<string> LookAlikes { get; } = new List<string>();

        public DmarcParsedRecord? Record { get; set; }
    }

    /// <summary>The state of one discovery.</summary>
    private sealed class Run
    {
        private readonly DmarcPolicyDiscovery owner;
        private readonly string domain;
        private readonly DmarcDiscoveryOptions options;
        private readonly CancellationToken cancellationToken;
        private readonly DmarcPolicy result;
        private readonly List<Finding> findings = new List<Finding>();
        private readonly List<string> trace = new List<string>();
        private readonly List<string> queried = new List<string>();
        private readonly Dictionary<string, Level> levels = new Dictionary<string, Level>(StringComparer.Ordinal);

        public Run(DmarcPolicyDiscovery owner, string domain, DmarcDiscoveryOptions options, CancellationToken cancellationToken)
        {
            this.owner = owner;
            this.domain = domain;
            this.options = options;
            this.cancellationToken = cancellationToken;
            result = new DmarcPolicy(domain, options.Method);
        }

        public async Task<DmarcPolicy> ExecuteAsync()
        {
            Level? policyLevel;
            string? publicSuffixDomain = null;
            bool dnsFailed;
            if (options.Method == DmarcDiscoveryMethod.TreeWalk)
            {
                (policyLevel, publicSuffixDomain, dnsFailed) = await TreeWalkAsync().ConfigureAwait(false);
            }
            else
            {
                (policyLevel, dnsFailed) = await PublicSuffixListAsync().ConfigureAwait(false);
            }

            if (policyLevel?.Record is not null)
            {
                await ApplyRecordAsync(policyLevel, publicSuffixDomain).ConfigureAwait(false);
            }
            else if (!dnsFailed && !findings.Any(f => f.Code == DmarcFindingCodes.DmarcMultipleRecords))
            {
                AddNoRecordFinding();
            }

            result.QueriedNames = queried.ToArray();
            result.Findings = findings.ToArray();
            result.Trace = trace.ToArray();
            result.IsValid = policyLevel?.Record is DmarcParsedRecord parsed
                && parsed.HasValidPolicy
                && !parsed.HasGrammarErrors
                && !findings.Any(f => f.Code == DmarcFindingCodes.DmarcMultipleRecords);
            return result;
        }

        /// <summary>RFC 9989 section 4.10: walk up from the domain, then pick the Organizational
        /// Domain (4.10.2) and the policy record (4.10.1: the domain's own, else the
        /// Organizational Domain's, else the Public Suffix Domain's).</summary>
        private async Task<(Level? Policy, string? PublicSuffixDomain, bool DnsFailed)> TreeWalkAsync()
        {
            var found = new List<KeyValuePair<string, DmarcPublicSuffixFlag>>();
            bool dnsFailed = false;
            foreach (string target in DmarcTreeWalk.GetTargets(domain))
            {
                Level? level = await ReadLevelAsync(target).ConfigureAwait(false);
                if (level is null)
                {
                    dnsFailed = true;
                    break;
                }

                if (level.DmarcTexts.Count > 1)
                {
                    // RFC 9989 section 4.10 step 2: several DMARC records at one name are all
                    // discarded, and the walk goes on.
                    AddMultipleRecordsFinding(level, "receivers discard them all and keep walking up the tree");
                }

                if (level.Record is null)
                {
                    continue;
                }

                found.Add(new KeyValuePair<string, DmarcPublicSuffixFlag>(target, level.Record.PublicSuffixFlag));

                // Steps 2 and 7: a record with psd=n (anywhere) or psd=y (above the start)
                // settles the Organizational Domain, so the walk stops.
                if (level.Record.PublicSuffixFlag == DmarcPublicSuffixFlag.No
                    || (level.Record.PublicSuffixFlag == DmarcPublicSuffixFlag.Yes && target != domain))
                {
                    break;
                }
            }

            string org = DmarcTreeWalk.SelectOrganizationalDomain(domain, found, out string? psd, out string reason);
            if (dnsFailed && found.Count == 0)
            {
                org = domain;
                reason = "a DNS failure stopped the walk, so it is unknown; the domain itself is assumed";
            }

            result.OrganizationalDomain = org;
            trace.Add($"Organizational Domain: {org} ({reason}).");

            if (levels.TryGetValue(domain, out Level? own) && own.Record is not null)
            {
                return (own, null, dnsFailed);
            }

            if (levels.TryGetValue(org, out Level? orgLevel) && orgLevel.Record is not null)
            {
                return (orgLevel, null, dnsFailed);
            }

            if (psd is not null && levels.TryGetValue(psd, out Level? psdLevel) && psdLevel.Record is not null)
            {
                return (psdLevel, psd, dnsFailed);
            }

            return (null, null, dnsFailed);
        }

        /// <summary>RFC 7489 section 6.6.3: _dmarc.&lt;domain&gt;, then, when that holds no DMARC
        /// record, _dmarc.&lt;Organizational Domain&gt; from the Public Suffix List.</summary>
        private async Task<(Level? Policy, bool DnsFailed)> PublicSuffixListAsync()
        {
            string org = owner.publicSuffixList.GetRegistrableDomain(domain) ?? domain;
            result.OrganizationalDomain = org;
            trace.Add(org == domain
                ? $"Organizational Domain: {org} (the Public Suffix List says it is registrable itself or a public suffix)."
                : $"Organizational Domain: {org} (public suffix {owner.publicSuffixList.GetPublicSuffix(domain)} plus one label, Public Suffix List).");

            Level? own = await ReadLevelAsync(domain).ConfigureAwait(false);
            if (own is null)
            {
                return (null, true);
            }

            if (own.DmarcTexts.Count > 1)
            {
                // RFC 7489 section 6.6.3 step 4: several records end discovery; no DMARC applies.
                AddMultipleRecordsFinding(own, "RFC 7489 receivers stop there and apply no DMARC policy");
                return (null, false);
            }

            if (own.Record is not null || org == domain)
            {
                return (own.Record is null ? null : own, false);
            }

            Level? orgLevel = await ReadLevelAsync(org).ConfigureAwait(false);
            if (orgLevel is null)
            {
                return (null, true);
            }

            if (orgLevel.DmarcTexts.Count > 1)
            {
                AddMultipleRecordsFinding(orgLevel, "RFC 7489 receivers stop there and apply no DMARC policy");
                return (null, false);
            }

            return (orgLevel.Record is null ? null : orgLevel, false);
        }

        /// <summary>Queries _dmarc.&lt;target&gt;; null when the query failed (the failure is a finding).</summary>
        private async Task<Level?> ReadLevelAsync(string target)
        {
            string name = DmarcTreeWalk.RecordName(target);
            queried.Add(name);
            DnsAnswer answer = await owner.resolver.QueryAsync(name, DnsRecordType.TXT, cancellationToken).ConfigureAwait(false);
            if (answer.IsFailure)
            {
                trace.Add($"TXT {name}: {answer.Outcome}; the walk stops.");
                findings.Add(new Finding(
                    FindingSeverity.Error,
                    DmarcFindingCodes.DmarcDnsError,
                    $"The DMARC lookup of {name} failed ({answer.Outcome}{(answer.Error is null ? string.Empty : ": " + answer.Error)}). Receivers then defer or accept mail unchecked (RFC 9989 section 4.10.1), and this result is incomplete. Check the domain's name servers.",
                    name));
                return null;
            }

            var level = new Level(target);
            foreach (DnsTxtRecord txt in answer.RecordsOf<DnsTxtRecord>())
            {
                // RFC 7489 section 6.6.3 step 2: records that do not start with v=DMARC1 are discarded.
                if (DmarcRecordParser.IsDmarcRecord(txt.Text))
                {
                    level.DmarcTexts.Add(txt.Text);
                }
                else if (DmarcRecordParser.LooksLikeDmarc(txt.Text))
                {
                    level.LookAlikes.Add(txt.Text);
                }
            }

            if (level.DmarcTexts.Count == 1)
            {
                level.Record = DmarcRecordParser.Parse(level.DmarcTexts[0], options.Method);
            }

            levels[target] = level;
            trace.Add(level.DmarcTexts.Count switch
            {
                0 => $"TXT {name}: no DMARC record ({answer.Outcome}).",
                1 => $"TXT {name}: {level.DmarcTexts[0]}",
                _ => $"TXT {name}: {level.DmarcTexts.Count} DMARC records (discarded).",
            });
            return level;
        }

        /// <summary>Fills the result from the policy record and decides p, sp or np.</summary>
        private async Task ApplyRecordAsync(Level level, string? publicSuffixDomain)
        {
            DmarcParsedRecord record = level.Record!;
            result.RecordDomain = level.Domain;
            result.Record = record.Text;
            result.Records = level.DmarcTexts.ToArray();
            result.Policy = record.Policy;
            result.SubdomainPolicy = record.SubdomainPolicy;
            result.NonexistentSubdomainPolicy = record.NonexistentSubdomainPolicy;
            result.Percentage = record.Percentage;
            result.DkimAlignment = record.DkimAlignment;
            result.SpfAlignment = record.SpfAlignment;
            result.FailureOptions = record.FailureOptions;
            result.Rua = record.Rua;
            result.Ruf = record.Ruf;
            result.AggregateReportUri = record.AggregateReportUri;
            result.FailureReportUri = record.FailureReportUri;
            result.Testing = record.Testing;
            result.IsInherited = level.Domain != domain;
            result.IsPublicSuffixPolicy = publicSuffixDomain is not null;
            findings.AddRange(record.Findings);

            bool ownRecord = !result.IsInherited;
            bool exists = true;
            if (result.IsInherited)
            {
                exists = await DomainExistsAsync().ConfigureAwait(false);
                result.DomainExists = exists;
            }

            // RFC 9989 section 4.10.1: the record's own domain gets p; another domain gets sp when
            // it exists and np when it does not. A Public Suffix Domain's p speaks for the
            // Organizational Domains right below it (RFC 9091 section 3), so an existing
            // Organizational Domain under a psd=y record gets p, its subdomains sp.
            bool applyP = ownRecord || (publicSuffixDomain is not null && exists && domain == result.OrganizationalDomain);
            result.EffectivePolicy = record.PolicyFor(applyP, exists);
            string tag = !record.AppliesPolicy ? "none (no usable policy)"
                : !record.HasValidPolicy ? "p=none (fallback)"
                : applyP ? "p"
                : !exists && record.NonexistentSubdomainPolicy is not null ? "np"
                : record.SubdomainPolicy is not null ? "sp"
                : "p";
            trace.Add($"Policy record: _dmarc.{level.Domain}; {(ownRecord ? "the domain's own record" : exists ? "inherited, the domain exists" : "inherited, the domain does not exist")}; {tag} applies: {(result.EffectivePolicy is null ? "no policy" : DmarcRecordParser.Lower(result.EffectivePolicy.Value))}.");

            if (publicSuffixDomain is not null)
            {
                findings.Add(new Finding(
                    FindingSeverity.Info,
                    DmarcFindingCodes.DmarcPublicSuffixPolicy,
                    $"The policy comes from the Public Suffix Domain {publicSuffixDomain} (psd=y), because {result.OrganizationalDomain} publishes no DMARC record. Publish your own record at _dmarc.{result.OrganizationalDomain}.",
                    publicSuffixDomain));
            }

            if (!exists)
            {
                findings.Add(new Finding(
                    FindingSeverity.Info,
                    DmarcFindingCodes.DmarcNonexistentDomain,
                    $"{domain} does not exist (NXDOMAIN), so the policy for non-existent subdomains applies (np, else sp, else p).",
                    domain));
            }

            if (result.EffectivePolicy == DmarcPolicyKind.None)
            {
                findings.Add(new Finding(
                    FindingSeverity.Warning,
                    DmarcFindingCodes.DmarcPolicyNone,
                    "The policy that applies is none (monitoring only): receivers deliver mail that fails DMARC as usual, spoofed mail included. Move to quarantine, then reject, once the aggregate reports show that all legitimate mail passes.",
                    result.IsInherited && record.SubdomainPolicy is not null ? "sp=none" : "p=none"));
            }

            if (result.EffectivePolicy is DmarcPolicyKind.Quarantine or DmarcPolicyKind.Reject
                && (options.ThirdParty || DmarcMailboxProviders.Contains(domain)))
            {
                findings.Add(new Finding(
                    FindingSeverity.Error,
                    DmarcFindingCodes.DmarcRelayWillBeRejected,
                    $"{domain} has a {DmarcRecordParser.Lower(result.EffectivePolicy.Value)} policy and is not your domain: receivers {(result.EffectivePolicy == DmarcPolicyKind.Reject ? "reject" : "quarantine")} mail with this From address sent through your relay, because it passes neither SPF nor DKIM alignment for {domain}. Do not send as this From through your relay: send from an address of your own domain and put this address in Reply-To.",
                    domain));
            }

            if (options.CheckReportAuthorization)
            {
                await CheckReportDestinationsAsync(level.Domain, record).ConfigureAwait(false);
            }
        }

        /// <summary>RFC 9989: a domain does not exist when a query for it answers NXDOMAIN
        /// (RFC 8020); an A query asks.</summary>
        private async Task<bool> DomainExistsAsync()
        {
            DnsAnswer answer = await owner.resolver.QueryAsync(domain, DnsRecordType.A, cancellationToken).ConfigureAwait(false);
            if (answer.IsFailure)
            {
                findings.Add(new Finding(
                    FindingSeverity.Warning,
                    DmarcFindingCodes.DmarcDnsError,
                    $"Whether {domain} exists could not be checked (A query: {answer.Outcome}); it is assumed to exist, so sp rather than np is shown.",
                    domain));
                return true;
            }

            trace.Add($"A {domain}: {answer.Outcome}; the domain {(answer.Outcome == DnsOutcome.NxDomain ? "does not exist" : "exists")}.");
            return answer.Outcome != DnsOutcome.NxDomain;
        }

        /// <summary>RFC 7489 section 7.1 / RFC 9990 section 3: a report destination of another
        /// organization must publish &lt;record domain&gt;._report._dmarc.&lt;destination&gt;
        /// TXT "v=DMARC1", or receivers do not send it reports.</summary>
        private async Task CheckReportDestinationsAsync(string recordDomain, DmarcParsedRecord record)
        {
            var answers = new Dictionary<string, bool?>(StringComparer.Ordinal);
            foreach (var (tag, uris) in new[] { ("rua", record.AggregateReportUri), ("ruf", record.FailureReportUri) })
            {
                foreach (DmarcReportUri uri in uris)
                {
                    if (uri.AddressDomain is null)
                    {
                        continue;
                    }

                    if (!IsExternal(recordDomain, uri.AddressDomain, record.PublicSuffixFlag))
                    {
                        uri.IsExternal = false;
                        uri.IsAuthorized = true;
                        continue;
                    }

                    uri.IsExternal = true;
                    string name = recordDomain + "._report._dmarc." + uri.AddressDomain;
                    uri.AuthorizationName = name;
                    if (!answers.TryGetValue(name, out bool? authorized))
                    {
                        authorized = await IsAuthorizedAsync(name).ConfigureAwait(false);
                        answers[name] = authorized;
                    }

                    uri.IsAuthorized = authorized == true;
                    if (authorized == false)
                    {
                        findings.Add(new Finding(
                            FindingSeverity.Warning,
                            DmarcFindingCodes.DmarcExternalReportUnauthorized,
                            $"{tag}: {uri.AddressDomain} is outside {recordDomain} and publishes no authorization, so receivers do not send it reports (RFC 7489 section 7.1). Ask the owner of {uri.AddressDomain} to publish TXT \"v=DMARC1\" at {name}.",
                            uri.Uri));
                    }
                    else if (authorized is null)
                    {
                        findings.Add(new Finding(
                            FindingSeverity.Warning,
                            DmarcFindingCodes.DmarcDnsError,
                            $"{tag}: the authorization record {name} could not be read, so whether receivers send reports to {uri.AddressDomain} is unknown.",
                            name));
                    }
                }
            }
        }

        /// <summary>True when the record at <paramref name="name"/> starts with v=DMARC1, false when
        /// there is none, null when the query failed.</summary>
        private async Task<bool?> IsAuthorizedAsync(string name)
        {
            DnsAnswer answer = await owner.resolver.QueryAsync(name, DnsRecordType.TXT, cancellationToken).ConfigureAwait(false);
            if (answer.IsFailure)
            {
                trace.Add($"TXT {name}: {answer.Outcome}.");
                return null;
            }

            bool authorized = answer.RecordsOf<DnsTxtRecord>().Any(t => DmarcRecordParser.IsDmarcRecord(t.Text));
            trace.Add($"TXT {name}: {(authorized ? "authorizes the reports" : "no authorization")}.");
            return authorized;
        }

        /// <summary>Whether reports to <paramref name="destination"/> leave the organization of
        /// <paramref name="recordDomain"/>: names at or under the record's domain are inside
        /// (unless it is a Public Suffix Domain); otherwise the Organizational Domains of both
        /// are compared, taken from the Public Suffix List so that no more DNS walks are needed.</summary>
        private bool IsExternal(string recordDomain, string destination, DmarcPublicSuffixFlag flag)
        {
            if (flag != DmarcPublicSuffixFlag.Yes
                && (destination == recordDomain || destination.EndsWith("." + recordDomain, StringComparison.Ordinal)))
            {
                return false;
            }

            string recordOrg = owner.publicSuffixList.GetRegistrableDomain(recordDomain) ?? recordDomain;
            string destinationOrg = owner.publicSuffixList.GetRegistrableDomain(destination) ?? destination;
            return recordOrg != destinationOrg;
        }

        private void AddMultipleRecordsFinding(Level level, string consequence)
        {
            findings.Add(new Finding(
                FindingSeverity.Error,
                DmarcFindingCodes.DmarcMultipleRecords,
                $"_dmarc.{level.Domain} publishes {level.DmarcTexts.Count} DMARC records; {consequence}. Keep exactly one.",
                "_dmarc." + level.Domain));
            if (level.Domain == domain)
            {
                result.Records = level.DmarcTexts.ToArray();
            }
        }

        private void AddNoRecordFinding()
        {
            Level? own = levels.TryGetValue(domain, out Level? l) ? l : null;
            if (own is not null && own.LookAlikes.Count > 0)
            {
                findings.Add(new Finding(
                    FindingSeverity.Error,
                    DmarcFindingCodes.DmarcVersionInvalid,
                    $"_dmarc.{domain} has a TXT record that looks like DMARC but does not start with \"v=DMARC1\" exactly, so receivers ignore it. Put v=DMARC1 first, in upper case.",
                    own.LookAlikes[0]));
            }

            trace.Add("No DMARC record applies.");
            findings.Add(new Finding(
                FindingSeverity.Warning,
                DmarcFindingCodes.DmarcNoRecord,
                $"No DMARC record applies to {domain}: receivers apply no DMARC policy, so anyone can send mail that shows it in From. Publish TXT \"v=DMARC1; p=none; rua=mailto:<mailbox>\" at _dmarc.{result.OrganizationalDomain}, then tighten the policy.",
                DmarcTreeWalk.RecordName(domain)));
        }
    }
}
