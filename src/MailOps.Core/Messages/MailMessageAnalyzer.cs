using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using MailOps.Core.Dmarc;
using MailOps.Core.Dns;
using MailOps.Core.Spf;
using MimeKit;
using MimeKit.Cryptography;

namespace MailOps.Core.Messages;

/// <summary>
/// Judges one received message the way the receiving server did: verifies every DKIM signature
/// (RFC 6376, RFC 8463) with keys fetched through <see cref="IDnsResolver"/>, runs SPF
/// check_host() for the connecting IP (RFC 7208), applies DMARC with identifier alignment
/// (RFC 7489, RFC 9989), validates the ARC chain (RFC 8617), reads the Authentication-Results
/// already present (RFC 8601) and checks header sanity (RFC 5322 section 3.6, RFC 8058). It
/// never throws for DNS failures or bad signatures (they are results and findings), only
/// <see cref="FormatException"/> for input that is not a message at all.
/// </summary>
public sealed class MailMessageAnalyzer
{
    private readonly IDnsResolver resolver;
    private readonly PublicSuffixList publicSuffixList;

    /// <summary>Creates an analyzer that asks <paramref name="resolver"/> every DNS question.</summary>
    public MailMessageAnalyzer(IDnsResolver resolver, PublicSuffixList? publicSuffixList = null)
    {
        this.resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        this.publicSuffixList = publicSuffixList ?? PublicSuffixList.Default;
    }

    /// <summary>Analyzes the message file at <paramref name="path"/>.</summary>
    /// <exception cref="FormatException">The file is not an Internet message.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public async Task<MailMessageVerdict> AnalyzeFileAsync(string path, MailMessageCheckOptions? options, CancellationToken cancellationToken)
    {
        using (FileStream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true))
        {
            return await AnalyzeAsync(stream, path, options, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Analyzes the message in <paramref name="stream"/>; <paramref name="file"/> only labels the result.</summary>
    /// <exception cref="FormatException">The stream does not hold an Internet message.</exception>
    public async Task<MailMessageVerdict> AnalyzeAsync(Stream stream, string? file, MailMessageCheckOptions? options, CancellationToken cancellationToken)
    {
        if (stream is null)
        {
            throw new ArgumentNullException(nameof(stream));
        }

        options ??= new MailMessageCheckOptions();
        MimeMessage message = await LoadAsync(stream, cancellationToken).ConfigureAwait(false);
        var run = new Run(this, message, file, options, cancellationToken);
        return await run.ExecuteAsync().ConfigureAwait(false);
    }

    /// <summary>Parses the message; anything without a single well-formed header field is not a message.</summary>
    private static async Task<MimeMessage> LoadAsync(Stream stream, CancellationToken cancellationToken)
    {
        MimeMessage message;
        try
        {
            message = await MimeMessage.LoadAsync(stream, cancellationToken).ConfigureAwait(false);
        }
        catch (FormatException ex)
        {
            throw new FormatException("The file is not an Internet message (RFC 5322): " + ex.Message, ex);
        }

        // MimeKit is lenient: text without a header block still "parses". A message must have
        // at least one of the fields every delivered message carries.
        bool looksLikeMessage = message.Headers.Any(h =>
            h.Id == HeaderId.From || h.Id == HeaderId.Date || h.Id == HeaderId.Received || h.Id == HeaderId.MessageId
            || h.Id == HeaderId.Subject || h.Id == HeaderId.To || h.Id == HeaderId.DkimSignature || h.Id == HeaderId.ReturnPath);
        if (!looksLikeMessage)
        {
            throw new FormatException("The file is not an Internet message (RFC 5322): it has no From, Date, Received, Message-ID, Subject or To header field.");
        }

        return message;
    }

    /// <summary>The Organizational Domain of <paramref name="domain"/> for relaxed alignment:
    /// the From domain's (found by DMARC discovery) when the name is at or below it, else the
    /// Public Suffix List's registrable domain (RFC 7489 section 3.2).</summary>
    private string OrganizationalDomain(string domain, string? fromOrganizationalDomain)
    {
        if (fromOrganizationalDomain is not null
            && (domain == fromOrganizationalDomain || domain.EndsWith("." + fromOrganizationalDomain, StringComparison.Ordinal)))
        {
            return fromOrganizationalDomain;
        }

        return publicSuffixList.GetRegistrableDomain(domain) ?? domain;
    }

    /// <summary>RFC 7489 section 3.1: strict needs identical names, relaxed the same Organizational Domain.</summary>
    private bool IsAligned(string? identifier, string? fromDomain, string? fromOrganizationalDomain, DmarcAlignment mode)
    {
        if (string.IsNullOrEmpty(identifier) || string.IsNullOrEmpty(fromDomain))
        {
            return false;
        }

        if (identifier == fromDomain)
        {
            return true;
        }

        return mode == DmarcAlignment.Relaxed
            && OrganizationalDomain(identifier!, fromOrganizationalDomain) == OrganizationalDomain(fromDomain!, fromOrganizationalDomain);
    }

    /// <summary>One message's analysis.</summary>
    private sealed class Run
    {
        private readonly MailMessageAnalyzer owner;
        private readonly MimeMessage message;
        private readonly MailMessageCheckOptions options;
        private readonly CancellationToken cancellationToken;
        private readonly MailMessageVerdict verdict;
        private readonly List<string> trace = new List<string>();
        private readonly List<Finding> findings = new List<Finding>();
        private readonly DnsDkimPublicKeyLocator locator;

        public Run(MailMessageAnalyzer owner, MimeMessage message, string? file, MailMessageCheckOptions options, CancellationToken cancellationToken)
        {
            this.owner = owner;
            this.message = message;
            this.options = options;
            this.cancellationToken = cancellationToken;
            verdict = new MailMessageVerdict(file);
            locator = new DnsDkimPublicKeyLocator(owner.resolver);
        }

        public async Task<MailMessageVerdict> ExecuteAsync()
        {
            ReadIdentity();
            verdict.HeaderFindings = MessageHeaderInspector.Inspect(message.Headers);
            findings.AddRange(verdict.HeaderFindings);

            await VerifyDkimAsync().ConfigureAwait(false);
            await CheckSpfAsync().ConfigureAwait(false);
            await ApplyDmarcAsync().ConfigureAwait(false);
            await VerifyArcAsync().ConfigureAwait(false);
            verdict.AuthenticationResults = AuthenticationResultsReader.Read(message.Headers);
            CompareAuthenticationResults();

            verdict.Findings = findings.ToArray();
            verdict.Verdict = Judge();
            trace.Add($"verdict {verdict.Verdict.ToString().ToLowerInvariant()}");
            verdict.Trace = trace.ToArray();
            return verdict;
        }

        private void ReadIdentity()
        {
            verdict.MessageId = message.MessageId;
            verdict.Subject = message.Headers[HeaderId.Subject] is null ? null : message.Subject;
            verdict.Date = message.Headers[HeaderId.Date] is null ? null : message.Date;

            // RFC 7489 section 6.6.1: the From header (the first one when there are several,
            // which the header findings report) gives the domain DMARC protects.
            Header? fromHeader = message.Headers.FirstOrDefault(h => h.Id == HeaderId.From);
            if (fromHeader is null)
            {
                return;
            }

            MailboxAddress[] mailboxes = InternetAddressList.TryParse(fromHeader.Value, out InternetAddressList? list)
                ? list.Mailboxes.ToArray()
                : Array.Empty<MailboxAddress>();
            MailboxAddress? first = mailboxes.FirstOrDefault();
            verdict.From = first?.Address;
            string? domain = first?.Domain;
            if (domain is not null && DomainName.TryNormalize(domain, out string normalized, out _))
            {
                verdict.FromDomain = normalized;
            }

            if (mailboxes.Length != 1 || verdict.FromDomain is null)
            {
                string problem = mailboxes.Length > 1
                    ? $"holds {mailboxes.Length} mailboxes; DMARC receivers may reject such messages and a Sender header is required (RFC 5322 section 3.6.2)"
                    : "has no address with a valid domain, so DMARC cannot be applied";
                findings.Add(new Finding(FindingSeverity.Warning, MessageFindingCodes.MessageFromInvalid, $"The From header {problem}. Send one mailbox with a domain you control.", fromHeader.Value?.Trim()));
            }

            trace.Add($"from {verdict.From ?? "(none)"} domain {verdict.FromDomain ?? "(none)"}");
        }

        private async Task VerifyDkimAsync()
        {
            var checker = new DkimSignatureChecker(locator);
            DateTimeOffset now = options.Now ?? DateTimeOffset.UtcNow;
            var results = new List<DkimSignatureVerdict>();
            foreach (Header header in message.Headers.Where(h => h.Id == HeaderId.DkimSignature).ToArray())
            {
                DkimSignatureVerdict signature = await checker.VerifyAsync(message, header, now, cancellationToken).ConfigureAwait(false);
                trace.Add($"dkim d={signature.Domain} s={signature.Selector} a={signature.Algorithm}: {signature.Result.ToString().ToLowerInvariant()}" + (signature.Error is null ? string.Empty : $" ({signature.Error})"));
                results.Add(signature);
            }

            verdict.Dkim = results.ToArray();
            verdict.DkimResult = results.Count == 0
                ? DkimVerificationResult.None
                : results.Any(r => r.Result == DkimVerificationResult.Pass) ? DkimVerificationResult.Pass : results.Select(r => r.Result).Min();
            if (results.Count == 0)
            {
                findings.Add(new Finding(FindingSeverity.Warning, MessageFindingCodes.MessageNotSigned,
                    "The message has no DKIM-Signature; DMARC then rests on SPF alone, which forwarding breaks. Sign outgoing mail with a key of the From domain."));
            }
        }

        private async Task CheckSpfAsync()
        {
            Header? received = message.Headers.FirstOrDefault(h => h.Id == HeaderId.Received);
            IPAddress? address = options.IPAddress;
            string? helo = options.HeloName;
            if (received is not null && ReceivedHeader.TryParse(received.Value, out IPAddress? seen, out string? seenHelo))
            {
                trace.Add($"received from {seenHelo} [{seen}]");
                if (address is null)
                {
                    address = seen;
                    helo ??= seenHelo;
                }
            }

            // The Return-Path the final MTA wrote is the MAIL FROM (RFC 5321 section 4.4).
            string? returnPath = message.Headers[HeaderId.ReturnPath];
            string? mailFrom = null;
            if (returnPath is not null)
            {
                mailFrom = returnPath.Trim().Trim('<', '>').Trim();
            }

            verdict.IPAddress = address;
            verdict.HeloName = helo;
            verdict.MailFrom = mailFrom;
            if (address is null)
            {
                findings.Add(new Finding(FindingSeverity.Info, MessageFindingCodes.MessageNoConnectingIp,
                    "No connecting IP: give -IPAddress, or test the message as the receiver saved it (with its Received header). SPF was not checked."));
                trace.Add("spf not checked: no connecting IP");
                return;
            }

            var evaluator = new SpfEvaluator(owner.resolver);
            SpfCheckResult spf = await evaluator.CheckHostAsync(
                new SpfCheckRequest { IPAddress = address, Sender = string.IsNullOrEmpty(mailFrom) ? null : mailFrom, HeloName = helo },
                cancellationToken).ConfigureAwait(false);
            verdict.Spf = spf;
            trace.Add($"spf {spf.Domain} for {spf.IPAddress}: {spf.Result.ToString().ToLowerInvariant()}" + (spf.Mechanism is null ? string.Empty : $" ({spf.Mechanism})"));
            if (spf.Result != SpfResult.Pass)
            {
                // A Warning, not an Error: forwarded mail fails SPF and still passes DMARC by DKIM.
                findings.Add(new Finding(FindingSeverity.Warning, MessageFindingCodes.MessageSpfFailed,
                    $"SPF for {spf.Domain} is {spf.Result.ToString().ToLowerInvariant()} for {spf.IPAddress}" + (spf.Error is null ? string.Empty : $" ({spf.Error})") + ". Authorize the sending server in the domain's SPF record, or test with the IP the receiver saw.",
                    spf.Result.ToString()));
            }
        }

        private async Task ApplyDmarcAsync()
        {
            string? fromDomain = verdict.FromDomain;
            var dmarc = new DmarcVerdict(fromDomain);
            verdict.Dmarc = dmarc;
            string? fromOrg = null;
            DmarcPolicy? policy = null;
            if (fromDomain is not null)
            {
                var discovery = new DmarcPolicyDiscovery(owner.resolver, owner.publicSuffixList);
                policy = await discovery.DiscoverAsync(fromDomain, new DmarcDiscoveryOptions { CheckReportAuthorization = false }, cancellationToken).ConfigureAwait(false);
                fromOrg = policy.OrganizationalDomain;
                dmarc.OrganizationalDomain = fromOrg;
                dmarc.RecordDomain = policy.RecordDomain;
                dmarc.Record = policy.Record;
                dmarc.Policy = policy.EffectivePolicy;
                dmarc.DkimAlignment = policy.DkimAlignment ?? DmarcAlignment.Relaxed;
                dmarc.SpfAlignment = policy.SpfAlignment ?? DmarcAlignment.Relaxed;
                dmarc.Testing = policy.Testing;
            }

            // RFC 7489 section 3.1.1: an aligned DKIM identifier is the d= of a passing signature.
            foreach (DkimSignatureVerdict signature in verdict.Dkim)
            {
                signature.IsAligned = signature.Result == DkimVerificationResult.Pass
                    && owner.IsAligned(signature.Domain, fromDomain, fromOrg, dmarc.DkimAlignment);
            }

            // RFC 7489 section 3.1.2: the SPF-authenticated identifier is the MAIL FROM domain
            // (the HELO domain for the null sender, RFC 7208 section 2.4).
            SpfCheckResult? spf = verdict.Spf;
            verdict.SpfAligned = spf is not null && spf.Result == SpfResult.Pass
                && owner.IsAligned(spf.Domain.ToLowerInvariant(), fromDomain, fromOrg, dmarc.SpfAlignment);
            dmarc.DkimAligned = verdict.Dkim.Any(s => s.IsAligned);
            dmarc.SpfAligned = verdict.SpfAligned;

            if (verdict.DkimResult == DkimVerificationResult.Pass && !dmarc.DkimAligned && fromDomain is not null)
            {
                findings.Add(new Finding(FindingSeverity.Warning, MessageFindingCodes.MessageDkimNotAligned,
                    $"DKIM passes for {string.Join(", ", verdict.Dkim.Where(s => s.Result == DkimVerificationResult.Pass).Select(s => s.Domain).Distinct())}, but none aligns with the From domain {fromDomain}, so it does not count for DMARC. Sign with a key of {fromDomain}."));
            }

            foreach (DkimSignatureVerdict failed in verdict.Dkim.Where(s => s.Result != DkimVerificationResult.Pass))
            {
                findings.Add(new Finding(dmarc.DkimAligned ? FindingSeverity.Warning : FindingSeverity.Error, MessageFindingCodes.MessageDkimFailed,
                    $"The DKIM signature of {failed.Domain} (selector {failed.Selector}) is {failed.Result.ToString().ToLowerInvariant()}: {failed.Error}.",
                    $"d={failed.Domain}; s={failed.Selector}"));
            }

            if (spf is not null && spf.Result == SpfResult.Pass && !verdict.SpfAligned && fromDomain is not null)
            {
                findings.Add(new Finding(FindingSeverity.Info, MessageFindingCodes.MessageSpfNotAligned,
                    $"SPF passes for {spf.Domain}, which is not aligned with the From domain {fromDomain}, so SPF does not count for DMARC; DKIM must be aligned.",
                    spf.Domain));
            }

            if (fromDomain is null)
            {
                dmarc.Result = DmarcVerdictResult.None;
                dmarc.Error = "no From domain";
            }
            else if (policy!.Findings.Any(f => f.Code == DmarcFindingCodes.DmarcDnsError))
            {
                dmarc.Result = DmarcVerdictResult.TempError;
                dmarc.Error = policy.Findings.First(f => f.Code == DmarcFindingCodes.DmarcDnsError).Message;
            }
            else if (policy.Record is null)
            {
                dmarc.Result = DmarcVerdictResult.None;
                dmarc.Error = $"no DMARC record for {fromDomain}";
            }
            else if (policy.EffectivePolicy is null)
            {
                dmarc.Result = DmarcVerdictResult.PermError;
                dmarc.Error = "the DMARC record has no valid p=";
            }
            else
            {
                // RFC 7489 section 4.2: pass when either mechanism passes aligned.
                dmarc.Result = dmarc.DkimAligned || dmarc.SpfAligned ? DmarcVerdictResult.Pass : DmarcVerdictResult.Fail;
            }

            trace.Add($"dmarc {fromDomain}: {dmarc.Result.ToString().ToLowerInvariant()} (policy {(dmarc.Policy?.ToString().ToLowerInvariant() ?? "none")}, dkim aligned {dmarc.DkimAligned}, spf aligned {dmarc.SpfAligned})");
            if (dmarc.Result == DmarcVerdictResult.Fail)
            {
                findings.Add(new Finding(FindingSeverity.Error, MessageFindingCodes.MessageDmarcFailed,
                    $"DMARC fails for {fromDomain}: neither DKIM nor SPF passes aligned with it; receivers apply p={dmarc.Policy?.ToString().ToLowerInvariant()}. Sign with a key of {fromDomain} or send from a server its SPF authorizes with an aligned MAIL FROM.",
                    dmarc.Policy?.ToString()));
            }
            else if (dmarc.Result != DmarcVerdictResult.Pass && fromDomain is not null)
            {
                findings.Add(new Finding(FindingSeverity.Warning, MessageFindingCodes.MessageDmarcNoPolicy,
                    $"DMARC is {dmarc.Result.ToString().ToLowerInvariant()} for {fromDomain} ({dmarc.Error}); receivers fall back to their own heuristics. Publish a DMARC record (New-DmarcRecord).",
                    dmarc.Result.ToString()));
            }
        }

        private async Task VerifyArcAsync()
        {
            int sets = message.Headers.Count(h => h.Id == HeaderId.ArcSeal);
            if (sets == 0 && !message.Headers.Any(h => h.Id == HeaderId.ArcMessageSignature || h.Id == HeaderId.ArcAuthenticationResults))
            {
                return;
            }

            ArcVerdict arc;
            try
            {
                var verifier = new ArcVerifier(locator);
                ArcValidationResult result = await verifier.VerifyAsync(message, cancellationToken).ConfigureAwait(false);
                int length = result.Seals?.Length ?? sets;
                arc = result.Chain switch
                {
                    ArcSignatureValidationResult.Pass => new ArcVerdict(ArcVerdictResult.Pass, length, null),
                    ArcSignatureValidationResult.Fail => new ArcVerdict(ArcVerdictResult.Fail, length, result.ChainErrors.ToString()),
                    _ => new ArcVerdict(ArcVerdictResult.None, 0, null),
                };
            }
            catch (Exception ex) when (!(ex is OperationCanceledException))
            {
                arc = new ArcVerdict(ArcVerdictResult.Fail, sets, ex.Message);
            }

            cancellationToken.ThrowIfCancellationRequested();
            verdict.Arc = arc;
            trace.Add($"arc: {arc.Result.ToString().ToLowerInvariant()} ({arc.ChainLength} set(s))" + (arc.Error is null ? string.Empty : $" ({arc.Error})"));
            if (arc.Result == ArcVerdictResult.Fail)
            {
                findings.Add(new Finding(FindingSeverity.Warning, MessageFindingCodes.MessageArcFailed,
                    $"The ARC chain ({arc.ChainLength} set(s)) does not validate ({arc.Error}); receivers ignore the results the intermediaries recorded (RFC 8617 section 5.2).",
                    arc.Error));
            }
        }

        /// <summary>The top-most Authentication-Results per method is what the last receiver decided.</summary>
        private void CompareAuthenticationResults()
        {
            var ours = new Dictionary<string, string?>
            {
                ["spf"] = verdict.Spf?.Result.ToString().ToLowerInvariant(),
                ["dmarc"] = verdict.FromDomain is null ? null : verdict.Dmarc.Result.ToString().ToLowerInvariant(),
            };
            foreach (KeyValuePair<string, string?> pair in ours)
            {
                MessageAuthenticationResult? recorded = verdict.AuthenticationResults.FirstOrDefault(r => r.Method == pair.Key);
                if (recorded?.Result is null || pair.Value is null || recorded.Result == pair.Value)
                {
                    continue;
                }

                findings.Add(new Finding(FindingSeverity.Info, MessageFindingCodes.MessageAuthenticationResultsDiffer,
                    $"{recorded.AuthServId} recorded {pair.Key}={recorded.Result}, but the check now gives {pair.Key}={pair.Value} (DNS changed since, or the message was modified or forwarded after that check).",
                    $"{pair.Key}={recorded.Result}"));
            }
        }

        /// <summary>Pass when DMARC passes with no Error finding; Fail when DMARC fails under
        /// quarantine/reject, or when no DKIM signature passes and SPF fails; else Warning.</summary>
        private MailVerdict Judge()
        {
            DmarcVerdict dmarc = verdict.Dmarc;
            bool enforced = dmarc.Policy == DmarcPolicyKind.Quarantine || dmarc.Policy == DmarcPolicyKind.Reject;
            bool dkimFailed = verdict.DkimResult != DkimVerificationResult.Pass;
            bool spfFailed = verdict.Spf?.Result == SpfResult.Fail;
            if ((dmarc.Result == DmarcVerdictResult.Fail && enforced) || (dkimFailed && spfFailed))
            {
                return MailVerdict.Fail;
            }

            return dmarc.Result == DmarcVerdictResult.Pass && !findings.Any(f => f.Severity == FindingSeverity.Error)
                ? MailVerdict.Pass
                : MailVerdict.Warning;
        }
    }
}
