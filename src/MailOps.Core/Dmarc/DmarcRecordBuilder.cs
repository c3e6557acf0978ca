using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MailOps.Core.Spf;

namespace MailOps.Core.Dmarc;

/// <summary>
/// Builds the DMARC record to publish from the tags asked for, with every value validated, the
/// tags in one canonical order, bare addresses turned into mailto: URIs, and findings for what
/// an admin must still do (external report authorization, monitoring-only policy). It reads
/// the built text back with <see cref="DmarcRecordParser"/>, so it can only produce records
/// the parser accepts.
/// </summary>
public static class DmarcRecordBuilder
{
    /// <summary>
    /// Builds the record. Throws <see cref="ArgumentException"/> (ParamName says which input) for
    /// an invalid domain, report URI, fo value or pct outside 0-100.
    /// </summary>
    public static DmarcRecordProposal Build(DmarcRecordRequest request, PublicSuffixList? publicSuffixList = null)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        PublicSuffixList psl = publicSuffixList ?? PublicSuffixList.Default;
        string? domain = null;
        if (request.Domain is not null)
        {
            if (!DomainName.TryNormalize(request.Domain, out string normalized, out string? error))
            {
                throw new ArgumentException(error, nameof(request.Domain));
            }

            domain = normalized;
        }

        string[] rua = NormalizeAll(request.AggregateReportUri, nameof(request.AggregateReportUri));
        string[] ruf = NormalizeAll(request.FailureReportUri, nameof(request.FailureReportUri));

        string? fo = null;
        if (request.FailureOptions is not null)
        {
            if (!DmarcRecordParser.TryNormalizeFailureOptions(request.FailureOptions, out string normalized))
            {
                throw new ArgumentException($"'{request.FailureOptions}' is not a valid fo value: use 0, 1, d or s, several separated by ':' (RFC 7489 section 6.3).", nameof(request.FailureOptions));
            }

            fo = normalized;
        }

        if (request.Percentage is int pct && (pct < 0 || pct > 100))
        {
            throw new ArgumentException($"pct must be from 0 to 100; got {pct}.", nameof(request.Percentage));
        }

        // Canonical order: version first (required), the policies, alignment, the RFC 7489
        // sampling, then reporting.
        var tags = new List<string> { "v=" + DmarcRecordParser.Version, "p=" + DmarcRecordParser.Lower(request.Policy) };
        if (request.SubdomainPolicy is DmarcPolicyKind sp)
        {
            tags.Add("sp=" + DmarcRecordParser.Lower(sp));
        }

        if (request.NonexistentSubdomainPolicy is DmarcPolicyKind np)
        {
            tags.Add("np=" + DmarcRecordParser.Lower(np));
        }

        if (request.DkimAlignment is DmarcAlignment adkim)
        {
            tags.Add("adkim=" + (adkim == DmarcAlignment.Strict ? "s" : "r"));
        }

        if (request.SpfAlignment is DmarcAlignment aspf)
        {
            tags.Add("aspf=" + (aspf == DmarcAlignment.Strict ? "s" : "r"));
        }

        if (request.Percentage is int percentage && percentage != 100)
        {
            tags.Add("pct=" + percentage.ToString(CultureInfo.InvariantCulture));
        }

        if (fo is not null)
        {
            tags.Add("fo=" + fo);
        }

        if (rua.Length > 0)
        {
            tags.Add("rua=" + string.Join(",", rua));
        }

        if (ruf.Length > 0)
        {
            tags.Add("ruf=" + string.Join(",", ruf));
        }

        string text = string.Join("; ", tags);
        DmarcParsedRecord parsed = DmarcRecordParser.Parse(text, DmarcDiscoveryMethod.TreeWalk);
        if (parsed.HasErrors || !parsed.HasValidPolicy)
        {
            // Every input was validated above; a parser error here is a bug, not bad input.
            throw new InvalidOperationException($"The built record '{text}' does not parse cleanly: {parsed.Findings.First(f => f.Severity == FindingSeverity.Error).Message}");
        }

        var findings = new List<Finding>();
        if (request.Policy == DmarcPolicyKind.None)
        {
            findings.Add(new Finding(
                FindingSeverity.Warning,
                DmarcFindingCodes.DmarcPolicyNone,
                "p=none is monitoring only: receivers deliver failing mail as usual. Start here with rua set, read the reports, then move to quarantine and reject.",
                "p=none"));
        }

        findings.AddRange(parsed.Findings);

        var authorizations = new List<DmarcAuthorizationRecord>();
        if (domain is not null)
        {
            string org = psl.GetRegistrableDomain(domain) ?? domain;
            foreach (DmarcReportUri uri in parsed.AggregateReportUri.Concat(parsed.FailureReportUri))
            {
                if (uri.AddressDomain is null)
                {
                    continue;
                }

                string destinationOrg = psl.GetRegistrableDomain(uri.AddressDomain) ?? uri.AddressDomain;
                if (destinationOrg == org || authorizations.Any(a => a.Destination == uri.AddressDomain))
                {
                    continue;
                }

                // RFC 7489 section 7.1: the destination authorizes the reports of this domain.
                var authorization = new DmarcAuthorizationRecord(domain + "._report._dmarc." + uri.AddressDomain, uri.AddressDomain);
                authorizations.Add(authorization);
                findings.Add(new Finding(
                    FindingSeverity.Info,
                    DmarcFindingCodes.DmarcExternalReportAuthorizationRequired,
                    $"Reports go to {uri.AddressDomain}, outside {domain}: receivers only send them once {uri.AddressDomain} publishes TXT \"v=DMARC1\" at {authorization.Name} (report services usually do this for their customers; check with Get-DmarcPolicy after publishing).",
                    authorization.Name));
            }
        }

        return new DmarcRecordProposal(domain, text, SpfTxtStrings.Split(text), request.Policy, rua, ruf, authorizations.ToArray(), findings.ToArray());
    }

    /// <summary>
    /// Turns one -AggregateReportUri/-FailureReportUri value into the URI to publish: a bare
    /// address ("dmarc@contoso.com", optionally with "!10m") becomes "mailto:dmarc@contoso.com";
    /// a URI is kept, with its scheme lower-cased and the address domain in A-label form.
    /// Returns false with a reason for anything that is neither.
    /// </summary>
    public static bool TryNormalizeReportUri(string? entry, out string uri, out string reason)
    {
        uri = string.Empty;
        string text = (entry ?? string.Empty).Trim();
        if (text.Length == 0)
        {
            reason = "The report address is empty.";
            return false;
        }

        if (text.IndexOf(',') >= 0)
        {
            reason = $"'{text}' holds a comma; give each address as its own value.";
            return false;
        }

        string candidate = ToAsciiAddressDomain(HasScheme(text) ? text : "mailto:" + text);
        if (!DmarcReportUri.TryParse(candidate, out DmarcReportUri? parsed, out string parseReason))
        {
            reason = $"'{text}' is not an e-mail address or URI: {parseReason}";
            return false;
        }

        if (parsed!.Scheme == "mailto")
        {
            if (parsed.Address is null)
            {
                reason = $"'{text}' holds no valid e-mail address (expected name@domain, e.g. dmarc@contoso.com).";
                return false;
            }

            string size = parsed.Uri.LastIndexOf('!') is int bang && bang >= 0 ? parsed.Uri.Substring(bang) : string.Empty;
            uri = DmarcReportUri.ToMailto(parsed.Address) + size.ToLowerInvariant();
        }
        else
        {
            uri = parsed.Scheme + parsed.Uri.Substring(parsed.Scheme.Length);
        }

        reason = string.Empty;
        return true;
    }

    /// <summary>Turns the domain of a mailto address into its A-label form (RFC 5891), since a
    /// URI in a DNS record holds ASCII only ("dmarc@bücher.example" is published as
    /// "mailto:dmarc@xn--bcher-kva.example").</summary>
    private static string ToAsciiAddressDomain(string uri)
    {
        if (!uri.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            return uri;
        }

        int end = uri.IndexOfAny(new[] { '!', '?' });
        string address = end < 0 ? uri.Substring(7) : uri.Substring(7, end - 7);
        int at = address.LastIndexOf('@');
        if (at < 0 || address.Substring(at + 1).All(c => c <= '\u007F'))
        {
            return uri;
        }

        if (!DomainName.TryNormalize(address.Substring(at + 1), out string domain, out _))
        {
            return uri;
        }

        return "mailto:" + address.Substring(0, at + 1) + domain + (end < 0 ? string.Empty : uri.Substring(end));
    }

    private static string[] NormalizeAll(IReadOnlyList<string>? entries, string parameterName)
    {
        var uris = new List<string>();
        foreach (string entry in entries ?? Array.Empty<string>())
        {
            if (!TryNormalizeReportUri(entry, out string uri, out string reason))
            {
                throw new ArgumentException(reason, parameterName);
            }

            if (!uris.Contains(uri, StringComparer.OrdinalIgnoreCase))
            {
                uris.Add(uri);
            }
        }

        return uris.ToArray();
    }

    /// <summary>True when the text starts with "scheme:" ("mailto:", "https:"); an "@" before the
    /// first colon means it is an address, since a scheme never holds one.</summary>
    private static bool HasScheme(string text)
    {
        int colon = text.IndexOf(':');
        int at = text.IndexOf('@');
        if (colon <= 0 || (at >= 0 && at < colon))
        {
            return false;
        }

        for (int i = 0; i < colon; i++)
        {
            char c = text[i];
            bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'));
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
