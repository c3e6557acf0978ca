using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MailOps.Core.Dns;

namespace MailOps.Core.MtaSts;

/// <summary>
/// Discovers and checks a domain's MTA-STS policy the way a sending MTA does (RFC 8461): the
/// _mta-sts TXT record, the policy fetched over HTTPS from mta-sts.&lt;domain&gt;, and whether every
/// MX host of the domain is allowed by the policy. Every problem is a finding; it never throws
/// for DNS, network or TLS failures.
/// </summary>
public sealed class MtaStsPolicyAnalyzer
{
    private readonly IDnsResolver resolver;
    private readonly MtaStsFetchOptions options;

    /// <summary>Creates an analyzer that asks <paramref name="resolver"/> every DNS question,
    /// including the address of the policy host.</summary>
    public MtaStsPolicyAnalyzer(IDnsResolver resolver, MtaStsFetchOptions? options = null)
    {
        this.resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        this.options = options ?? new MtaStsFetchOptions();
    }

    /// <summary>Reads and checks the MTA-STS policy of <paramref name="domain"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="domain"/> is not a valid domain name.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<MtaStsPolicy> AnalyzeAsync(string domain, CancellationToken cancellationToken)
    {
        if (!DomainName.TryNormalize(domain, out string name, out string? error))
        {
            throw new ArgumentException(error, nameof(domain));
        }

        var findings = new List<Finding>();
        Task<DnsAnswer> mxTask = resolver.QueryAsync(name, DnsRecordType.MX, cancellationToken);
        DnsAnswer txt = await resolver.QueryAsync("_mta-sts." + name, DnsRecordType.TXT, cancellationToken).ConfigureAwait(false);
        if (txt.IsFailure)
        {
            findings.Add(new Finding(FindingSeverity.Error, MtaStsFindingCodes.MtaStsDnsError, $"The TXT lookup of _mta-sts.{name} failed ({txt.Outcome}: {txt.Error}); senders cannot discover the policy. Fix the domain's name servers."));
            return Empty(name, findings);
        }

        // RFC 8461 section 3.1: records that do not begin with "v=STSv1" are discarded.
        string[] records = txt.RecordsOf<DnsTxtRecord>().Select(r => r.Text).Where(MtaStsRecordParser.IsStsRecord).ToArray();
        if (records.Length == 0)
        {
            findings.Add(new Finding(FindingSeverity.Info, MtaStsFindingCodes.MtaStsNoRecord, $"{name} does not publish MTA-STS (no \"v=STSv1\" TXT record at _mta-sts.{name}), so senders may deliver without TLS or to a forged MX. Publish a policy at https://mta-sts.{name}/.well-known/mta-sts.txt and the record \"v=STSv1; id=<date>;\" (RFC 8461)."));
            return Empty(name, findings);
        }

        bool recordValid = true;
        if (records.Length > 1)
        {
            recordValid = false;
            findings.Add(new Finding(FindingSeverity.Error, MtaStsFindingCodes.MtaStsMultipleRecords, $"_mta-sts.{name} publishes {records.Length} \"v=STSv1\" records; senders then assume there is no policy (RFC 8461 section 3.1). Keep exactly one."));
        }

        string record = records[0];
        MtaStsRecordParser.Parse(record, out string? id, out List<string> recordErrors);
        foreach (string problem in recordErrors)
        {
            recordValid = false;
            findings.Add(new Finding(FindingSeverity.Error, MtaStsFindingCodes.MtaStsRecordSyntax, problem + " Senders ignore an invalid record (RFC 8461 section 3.1).", record));
        }

        // The policy is fetched even when the record is broken: it shows whether fixing the
        // record is all that is left to do.
        string host = "mta-sts." + name;
        string url = "https://" + host + MtaStsPolicyFetcher.PolicyPath;
        var fetcher = new MtaStsPolicyFetcher(resolver, options);
        MtaStsFetchResult fetch = await fetcher.FetchAsync(host, cancellationToken).ConfigureAwait(false);
        DnsAnswer mx = await mxTask.ConfigureAwait(false);

        bool policyValid = false;
        MtaStsMode? mode = null;
        long? maxAge = null;
        string[] patterns = Array.Empty<string>();
        string? text = null;
        int? status = fetch.Response?.StatusCode;
        if (fetch.Failure == MtaStsFetchFailure.Certificate)
        {
            findings.Add(new Finding(FindingSeverity.Error, MtaStsFindingCodes.MtaStsCertificateInvalid, fetch.Error!, host));
        }
        else if (fetch.Failure != MtaStsFetchFailure.None || fetch.Response is null)
        {
            findings.Add(new Finding(FindingSeverity.Error, MtaStsFindingCodes.MtaStsFetchFailed, $"{fetch.Error} Senders that cannot fetch the policy deliver as if there were none (RFC 8461 section 3.3).", url));
        }
        else
        {
            HttpResponse response = fetch.Response;
            if (response.StatusCode >= 300 && response.StatusCode < 400)
            {
                // RFC 8461 section 3.3: "HTTP 3xx redirects MUST NOT be followed".
                string location = response.Header("Location") ?? "(no Location)";
                findings.Add(new Finding(FindingSeverity.Error, MtaStsFindingCodes.MtaStsRedirect, $"{url} answers {response.StatusCode} redirecting to {location}; senders MUST NOT follow redirects (RFC 8461 section 3.3), so they see no policy. Serve the file itself at that URL.", location));
            }
            else if (response.StatusCode != 200)
            {
                findings.Add(new Finding(FindingSeverity.Error, MtaStsFindingCodes.MtaStsStatusNot200, $"{url} answers {response.StatusCode} {response.ReasonPhrase}; senders only accept 200 OK (RFC 8461 section 3.3). Publish the policy file at that path.", response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
            else
            {
                text = Encoding.UTF8.GetString(response.Body);
                bool typeOk = IsTextPlain(response.Header("Content-Type"));
                if (!typeOk)
                {
                    // RFC 8461 section 3.2: the policy's media type is "text/plain" (parameters allowed).
                    string type = response.Header("Content-Type") ?? "(none)";
                    findings.Add(new Finding(FindingSeverity.Error, MtaStsFindingCodes.MtaStsWrongContentType, $"The policy is served as '{type}'; senders require text/plain (RFC 8461 section 3.2). Configure the web server to send Content-Type: text/plain for {MtaStsPolicyFetcher.PolicyPath}.", type));
                }

                MtaStsPolicyDocument document = MtaStsPolicyDocument.Parse(text);
                mode = document.Mode;
                maxAge = document.MaxAge;
                patterns = document.MxPatterns.ToArray();
                foreach (string problem in document.Errors)
                {
                    findings.Add(new Finding(FindingSeverity.Error, MtaStsFindingCodes.MtaStsPolicySyntax, problem + " Senders reject an invalid policy (RFC 8461 section 3.2)."));
                }

                foreach (string problem in document.Warnings)
                {
                    findings.Add(new Finding(FindingSeverity.Warning, MtaStsFindingCodes.MtaStsPolicySyntax, problem + " Remove the duplicate."));
                }

                foreach (string problem in document.MaxAgeErrors)
                {
                    findings.Add(new Finding(FindingSeverity.Error, MtaStsFindingCodes.MtaStsBadMaxAge, problem + " Use a number of seconds up to 31557600; 604800 (one week) or more is usual.", maxAge?.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                }

                if (document.MaxAgeErrors.Count == 0 && maxAge < MtaStsPolicyDocument.MaxAgeShort)
                {
                    findings.Add(new Finding(FindingSeverity.Warning, MtaStsFindingCodes.MtaStsBadMaxAge, $"max_age is {maxAge} seconds: senders forget the policy after that and are unprotected until they fetch it again. RFC 8461 section 3.2 expects weeks; use 604800 or more once the policy is stable.", maxAge?.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                }

                if (mode == MtaStsMode.Testing)
                {
                    findings.Add(new Finding(FindingSeverity.Info, MtaStsFindingCodes.MtaStsModeTesting, "The policy is in testing mode: senders deliver even when TLS or the MX check fails, and only report it (TLS-RPT). Switch to enforce once the reports are clean."));
                }
                else if (mode == MtaStsMode.None)
                {
                    findings.Add(new Finding(FindingSeverity.Warning, MtaStsFindingCodes.MtaStsModeNone, "The policy is in mode none: senders apply no MTA-STS protection. That is how MTA-STS is withdrawn (RFC 8461 section 8.3); use testing or enforce to protect the domain."));
                }

                policyValid = typeOk && document.Errors.Count == 0 && document.MaxAgeErrors.Count == 0;
            }
        }

        MtaStsMxCoverage[] coverage = Coverage(name, mx, mode, patterns, findings);
        return new MtaStsPolicy(name, id, record, url, status, mode, maxAge, patterns, text, coverage, recordValid && policyValid, findings.ToArray(), fetch.Trace.ToArray());
    }

    private static MtaStsMxCoverage[] Coverage(string domain, DnsAnswer mx, MtaStsMode? mode, string[] patterns, List<Finding> findings)
    {
        if (mx.IsFailure)
        {
            findings.Add(new Finding(FindingSeverity.Warning, MtaStsFindingCodes.MtaStsDnsError, $"The MX lookup of {domain} failed ({mx.Outcome}), so the MX hosts could not be compared with the policy."));
            return Array.Empty<MtaStsMxCoverage>();
        }

        var coverage = new List<MtaStsMxCoverage>();
        foreach (DnsMxRecord record in mx.RecordsOf<DnsMxRecord>().OrderBy(r => r.Preference).ThenBy(r => r.Exchange, StringComparer.OrdinalIgnoreCase))
        {
            if (record.Exchange.Length == 0)
            {
                continue;
            }

            string exchange = record.Exchange.ToLowerInvariant();
            string? pattern = patterns.FirstOrDefault(p => MtaStsMxPattern.Matches(p, exchange));
            coverage.Add(new MtaStsMxCoverage(exchange, pattern is not null, pattern));
            if (pattern is null && (mode == MtaStsMode.Enforce || mode == MtaStsMode.Testing))
            {
                // RFC 8461 section 4.1: a sender delivers only to MX hosts that match a pattern.
                bool enforce = mode == MtaStsMode.Enforce;
                findings.Add(new Finding(
                    enforce ? FindingSeverity.Error : FindingSeverity.Warning,
                    MtaStsFindingCodes.MtaStsMxNotCovered,
                    enforce
                        ? $"The MX {exchange} matches no mx pattern of the policy; in enforce mode senders refuse to deliver to it (RFC 8461 section 4.1). Add \"mx: {exchange}\" to the policy and change the record's id."
                        : $"The MX {exchange} matches no mx pattern of the policy; in testing mode senders report it, and enforce mode would refuse it (RFC 8461 section 4.1). Add \"mx: {exchange}\" to the policy and change the record's id.",
                    exchange));
            }
        }

        return coverage.ToArray();
    }

    /// <summary>RFC 8461 section 3.2: media type text/plain; parameters (charset) may follow.</summary>
    internal static bool IsTextPlain(string? contentType)
    {
        if (contentType is null)
        {
            return false;
        }

        int semicolon = contentType.IndexOf(';');
        string type = (semicolon >= 0 ? contentType.Substring(0, semicolon) : contentType).Trim();
        return string.Equals(type, "text/plain", StringComparison.OrdinalIgnoreCase);
    }

    private static MtaStsPolicy Empty(string domain, List<Finding> findings)
        => new MtaStsPolicy(domain, null, null, null, null, null, null, Array.Empty<string>(), null, Array.Empty<MtaStsMxCoverage>(), false, findings.ToArray(), Array.Empty<string>());
}
