using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using MailOps.Core.Dns;
using MailOps.Core.Suppression;

namespace MailOps.Core.Addresses;

/// <summary>
/// Checks addresses before mail is sent to them: syntax (RFC 5321 section 4.1.2, RFC 6531),
/// whether the domain accepts mail (MX, null MX of RFC 7505, the implicit MX of RFC 5321
/// section 5.1), disposable providers, likely typos and the suppression list. It never throws
/// for bad input or DNS failures; those become the verdict and its reasons. Thread-safe: one
/// checker serves a whole pipeline concurrently, and the resolver's cache asks each domain once.
/// </summary>
public sealed class EmailAddressChecker
{
    private readonly IDnsResolver? resolver;
    private readonly EmailAddressCheckOptions options;
    private readonly DisposableDomains disposable;
    private readonly DomainTypoSuggester suggester;

    // One gate per list, whatever checker uses it: a list is one store connection, whose reads
    // must not overlap, and a cmdlet may build several checkers (one per -Server) over it.
    private static readonly ConditionalWeakTable<SuppressionList, SemaphoreSlim> SuppressionGates = new ConditionalWeakTable<SuppressionList, SemaphoreSlim>();

    /// <summary>Creates a checker. <paramref name="resolver"/> may be null only with
    /// <see cref="EmailAddressCheckOptions.SkipDns"/>.</summary>
    public EmailAddressChecker(IDnsResolver? resolver, EmailAddressCheckOptions? options = null)
    {
        this.options = options ?? new EmailAddressCheckOptions();
        if (resolver is null && !this.options.SkipDns)
        {
            throw new ArgumentNullException(nameof(resolver), "A resolver is needed unless SkipDns is set.");
        }

        this.resolver = resolver;
        disposable = this.options.Disposable ?? DisposableDomains.Default;
        suggester = this.options.Suggester ?? DomainTypoSuggester.Default;
    }

    /// <summary>Checks one address. <paramref name="trace"/> receives a line per step (for -Verbose).</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="Store.MailOpsStoreException">The suppression list could not be read.</exception>
    public async Task<EmailAddressCheck> CheckAsync(string? address, CancellationToken cancellationToken, Action<string>? trace = null)
    {
        string input = address ?? string.Empty;
        var check = new EmailAddressCheck(input);
        var reasons = new List<string>();
        ParsedEmailAddress parsed = EmailAddressSyntax.Parse(input);
        check.LocalPart = parsed.LocalPart;
        check.IsInternational = parsed.IsInternational;
        check.RequiresSmtpUtf8 = parsed.RequiresSmtpUtf8;
        if (!parsed.IsValid)
        {
            reasons.Add(Reason(EmailAddressReasonCodes.SyntaxInvalid, parsed.Error!));
            trace?.Invoke($"{input}: syntax invalid: {parsed.Error}");
            if (parsed.IsLocalPartValid && parsed.DomainText is not null)
            {
                string? repaired = suggester.SuggestForMalformed(parsed.DomainText);
                if (repaired is not null)
                {
                    check.Suggestion = parsed.NormalizedLocalPart + "@" + repaired;
                    reasons.Add(Reason(EmailAddressReasonCodes.LikelyTypo, $"did you mean {check.Suggestion}?"));
                }
            }

            return Finish(check, reasons, EmailAddressVerdict.Invalid);
        }

        string domain = parsed.Domain!;
        check.IsSyntaxValid = true;
        check.Normalized = parsed.Normalized;
        check.Domain = domain;
        check.IsAddressLiteral = parsed.IsAddressLiteral;
        if (parsed.RequiresSmtpUtf8)
        {
            trace?.Invoke($"{input}: the local part is non-ASCII; only SMTPUTF8 servers (RFC 6531) accept it.");
        }

        bool invalid = false;
        bool risky = false;
        bool unknown = false;
        DomainMailEvidence evidence = DomainMailEvidence.Unknown;
        if (parsed.IsAddressLiteral)
        {
            // RFC 5321 section 4.1.3: delivery goes to that address directly; no DNS to ask.
            reasons.Add(Reason(EmailAddressReasonCodes.AddressLiteral, $"the domain is the address literal {domain}; most receivers refuse mail addressed to an IP address."));
            risky = true;
        }
        else
        {
            check.IsDisposable = disposable.IsDisposable(domain);
            if (options.SkipDns)
            {
                reasons.Add(Reason(EmailAddressReasonCodes.DnsSkipped, $"DNS was not asked (-SkipDns), so whether {domain} accepts mail is not known."));
                unknown = true;
            }
            else
            {
                DomainMail mail = await LookupAsync(domain, cancellationToken).ConfigureAwait(false);
                check.HasMx = mail.HasMx;
                check.IsNullMx = mail.IsNullMx;
                check.AcceptsMail = mail.AcceptsMail;
                check.MailExchangers = mail.Exchangers;
                evidence = mail.Evidence;
                trace?.Invoke($"{input}: {mail.Summary}");
                if (mail.Reason is not null)
                {
                    reasons.Add(mail.Reason);
                }

                invalid = mail.AcceptsMail == false;
                unknown = mail.AcceptsMail is null;
            }

            string? meant = suggester.Suggest(domain, evidence);
            if (meant is not null)
            {
                check.Suggestion = parsed.NormalizedLocalPart + "@" + meant;
                reasons.Add(Reason(EmailAddressReasonCodes.LikelyTypo, $"did you mean {check.Suggestion}?"));
                trace?.Invoke($"{input}: {domain} looks like a typing mistake of {meant} (DNS evidence: {evidence}).");
                risky = true;
            }

            if (check.IsDisposable)
            {
                reasons.Add(Reason(EmailAddressReasonCodes.Disposable, $"{domain} is a disposable (throw-away) mailbox provider."));
                risky = true;
            }
        }

        if (options.Suppression is not null)
        {
            check.IsSuppressed = await IsSuppressedAsync(options.Suppression, parsed.Normalized!, cancellationToken).ConfigureAwait(false);
            if (check.IsSuppressed == true)
            {
                reasons.Add(Reason(EmailAddressReasonCodes.Suppressed, $"{parsed.Normalized} is on the suppression list; do not send to it."));
                risky = true;
            }
        }

        // Invalid (mail cannot arrive) outranks Risky (known doubts), which outranks Unknown
        // (nothing known against it, but delivery not confirmed).
        EmailAddressVerdict verdict = invalid ? EmailAddressVerdict.Invalid
            : risky ? EmailAddressVerdict.Risky
            : unknown ? EmailAddressVerdict.Unknown
            : EmailAddressVerdict.Valid;
        return Finish(check, reasons, verdict);
    }

    private async Task<bool> IsSuppressedAsync(SuppressionList list, string address, CancellationToken cancellationToken)
    {
        SemaphoreSlim gate = SuppressionGates.GetValue(list, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await list.IsSuppressedAsync(address, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private static EmailAddressCheck Finish(EmailAddressCheck check, List<string> reasons, EmailAddressVerdict verdict)
    {
        check.Verdict = verdict;
        check.Reasons = reasons.ToArray();
        return check;
    }

    private static string Reason(string code, string text) => code + ": " + text;

    /// <summary>Where mail for <paramref name="domain"/> goes, as RFC 5321 section 5.1 and
    /// RFC 7505 say a sender decides it.</summary>
    private async Task<DomainMail> LookupAsync(string domain, CancellationToken cancellationToken)
    {
        DnsAnswer mx = await resolver!.QueryAsync(domain, DnsRecordType.MX, cancellationToken).ConfigureAwait(false);
        if (mx.Outcome == DnsOutcome.NxDomain)
        {
            return new DomainMail(false, false, false, Array.Empty<string>(), DomainMailEvidence.NoMail,
                $"{domain} does not exist (NXDOMAIN)",
                Reason(EmailAddressReasonCodes.DomainNotFound, $"the domain {domain} does not exist (NXDOMAIN); mail to it bounces."));
        }

        if (mx.IsFailure)
        {
            return DnsFailure(domain, mx);
        }

        DnsMxRecord[] records = mx.RecordsOf<DnsMxRecord>().OrderBy(r => r.Preference).ThenBy(r => r.Exchange, StringComparer.OrdinalIgnoreCase).ToArray();
        string[] exchangers = records.Where(r => r.Exchange.Length > 0).Select(r => r.Exchange.ToLowerInvariant()).ToArray();
        if (records.Length > 0 && exchangers.Length == 0)
        {
            // RFC 7505 section 3: a null MX ("0 .") says the domain accepts no mail at all.
            return new DomainMail(true, true, false, Array.Empty<string>(), DomainMailEvidence.NoMail,
                $"{domain} publishes a null MX (RFC 7505)",
                Reason(EmailAddressReasonCodes.NullMx, $"{domain} publishes a null MX (RFC 7505): it accepts no mail."));
        }

        if (exchangers.Length > 0)
        {
            return new DomainMail(true, false, true, exchangers, DomainMailEvidence.HasMail, $"{domain} has MX {string.Join(", ", exchangers)}", null);
        }

        // RFC 5321 section 5.1: no MX at all, so the domain's own address is the implicit MX.
        Task<DnsAnswer> v4 = resolver.QueryAsync(domain, DnsRecordType.A, cancellationToken);
        Task<DnsAnswer> v6 = resolver.QueryAsync(domain, DnsRecordType.AAAA, cancellationToken);
        DnsAnswer a = await v4.ConfigureAwait(false);
        DnsAnswer aaaa = await v6.ConfigureAwait(false);
        if (a.Outcome == DnsOutcome.Success || aaaa.Outcome == DnsOutcome.Success)
        {
            return new DomainMail(false, false, true, Array.Empty<string>(), DomainMailEvidence.NoMail, $"{domain} has no MX; its A/AAAA address is the implicit MX (RFC 5321 section 5.1)", null);
        }

        if (a.IsFailure || aaaa.IsFailure)
        {
            return DnsFailure(domain, a.IsFailure ? a : aaaa);
        }

        return new DomainMail(false, false, false, Array.Empty<string>(), DomainMailEvidence.NoMail,
            $"{domain} has no MX and no A/AAAA record",
            Reason(EmailAddressReasonCodes.NoMailServer, $"{domain} has no MX and no A/AAAA record, so no host accepts its mail (RFC 5321 section 5.1)."));
    }

    private static DomainMail DnsFailure(string domain, DnsAnswer answer)
        => new DomainMail(null, null, null, Array.Empty<string>(), DomainMailEvidence.Unknown,
            $"the {answer.Type} lookup of {domain} failed ({answer.Outcome})",
            Reason(EmailAddressReasonCodes.DnsError, $"the {answer.Type} lookup of {domain} failed ({answer.Outcome}{(answer.Error is null ? string.Empty : ": " + answer.Error)}); try again later."));

    private sealed class DomainMail
    {
        public DomainMail(bool? hasMx, bool? isNullMx, bool? acceptsMail, string[] exchangers, DomainMailEvidence evidence, string summary, string? reason)
        {
            HasMx = hasMx;
            IsNullMx = isNullMx;
            AcceptsMail = acceptsMail;
            Exchangers = exchangers;
            Evidence = evidence;
            Summary = summary;
            Reason = reason;
        }

        public bool? HasMx { get; }

        public bool? IsNullMx { get; }

        public bool? AcceptsMail { get; }

        public string[] Exchangers { get; }

        public DomainMailEvidence Evidence { get; }

        public string Summary { get; }

        public string? Reason { get; }
    }
}
