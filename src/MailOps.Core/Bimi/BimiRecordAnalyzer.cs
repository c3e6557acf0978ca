using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailOps.Core.Dns;

namespace MailOps.Core.Bimi;

/// <summary>
/// Reads and checks a domain's BIMI assertion record (draft-brand-indicators-for-message-
/// identification): <c>v=BIMI1; l=https://.../logo.svg; a=https://.../vmc.pem</c>. It reads DNS
/// only: the logo and the certificate are not fetched, and the DMARC requirement is left to the
/// DMARC cmdlets. Never throws for DNS data or failures; those become findings.
/// </summary>
public sealed class BimiRecordAnalyzer
{
    /// <summary>The selector used when a message names none (BIMI draft, section 4.2).</summary>
    public const string DefaultSelector = "default";

    private const string Version = "v=BIMI1";

    private readonly IDnsResolver resolver;

    /// <summary>Creates an analyzer that asks <paramref name="resolver"/>.</summary>
    public BimiRecordAnalyzer(IDnsResolver resolver)
    {
        this.resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
    }

    /// <summary>
    /// True when <paramref name="selector"/> can be a BIMI selector: one or more dot-separated
    /// labels of letters, digits, hyphens and underscores (it is a DNS name prefix).
    /// </summary>
    public static bool IsValidSelector(string? selector)
    {
        if (string.IsNullOrEmpty(selector) || selector!.Length > 63 * 2)
        {
            return false;
        }

        foreach (string label in selector.Split('.'))
        {
            if (label.Length == 0 || label.Length > 63)
            {
                return false;
            }

            foreach (char c in label)
            {
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Reads and checks the BIMI record of <paramref name="domain"/> for <paramref name="selector"/>.</summary>
    /// <exception cref="ArgumentException">The domain or the selector is not valid.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<BimiRecord> AnalyzeAsync(string domain, string selector, CancellationToken cancellationToken)
    {
        if (!DomainName.TryNormalize(domain, out string name, out string? error))
        {
            throw new ArgumentException(error, nameof(domain));
        }

        if (!IsValidSelector(selector))
        {
            throw new ArgumentException($"'{selector}' is not a valid BIMI selector: use letters, digits, hyphens and underscores.", nameof(selector));
        }

        selector = selector.ToLowerInvariant();
        string owner = selector + "._bimi." + name;
        DnsAnswer answer = await resolver.QueryAsync(owner, DnsRecordType.TXT, cancellationToken).ConfigureAwait(false);
        if (answer.IsFailure)
        {
            return new BimiRecord(name, selector, null, null, null, false, new[] { new Finding(FindingSeverity.Error, BimiFindingCodes.BimiDnsError, $"The TXT lookup of {owner} failed ({answer.Outcome}: {answer.Error}); receivers show no logo. Fix the domain's name servers.") });
        }

        string[] records = answer.RecordsOf<DnsTxtRecord>().Select(r => r.Text).Where(IsBimiRecord).ToArray();
        if (records.Length == 0)
        {
            return new BimiRecord(name, selector, null, null, null, false, new[] { new Finding(FindingSeverity.Info, BimiFindingCodes.BimiNoRecord, $"{name} publishes no BIMI record at {owner}. To show a logo, publish \"v=BIMI1; l=https://<host>/logo.svg; a=https://<host>/vmc.pem\" and a DMARC policy of quarantine or reject.") });
        }

        var findings = new List<Finding>();
        if (records.Length > 1)
        {
            findings.Add(new Finding(FindingSeverity.Error, BimiFindingCodes.BimiMultipleRecords, $"{owner} publishes {records.Length} \"v=BIMI1\" records; receivers use none of them. Keep exactly one."));
        }

        string record = records[0];
        Dictionary<string, string> tags = ParseTags(record, findings);
        tags.TryGetValue("l", out string? logo);
        tags.TryGetValue("a", out string? authority);
        logo = string.IsNullOrEmpty(logo) ? null : logo;
        authority = string.IsNullOrEmpty(authority) ? null : authority;

        if (logo is null && authority is null)
        {
            if (tags.ContainsKey("l"))
            {
                findings.Add(new Finding(FindingSeverity.Info, BimiFindingCodes.BimiDeclined, $"{name} declines BIMI (empty l=): receivers show no logo for its mail. Publish a logo URL to take part."));
            }
            else
            {
                findings.Add(new Finding(FindingSeverity.Error, BimiFindingCodes.BimiSyntax, "The record has neither l= (logo) nor a= (evidence); add l=https://<host>/logo.svg, or an empty l= to decline BIMI.", record));
            }
        }
        else
        {
            if (logo is not null && !IsHttpsUrl(logo))
            {
                findings.Add(new Finding(FindingSeverity.Error, BimiFindingCodes.BimiLogoNotHttps, $"The logo location '{logo}' is not an https: URL; receivers only fetch logos over HTTPS. Serve the SVG Tiny PS logo from an https: URL.", logo));
            }

            if (authority is null)
            {
                findings.Add(new Finding(FindingSeverity.Info, BimiFindingCodes.BimiNoAuthority, "The record has no a= evidence document. Gmail and Apple Mail show a logo only with a Verified Mark Certificate (VMC) or Common Mark Certificate (CMC); add a=https://<host>/vmc.pem if you have one."));
            }
            else if (!IsHttpsUrl(authority))
            {
                findings.Add(new Finding(FindingSeverity.Error, BimiFindingCodes.BimiSyntax, $"The evidence location a='{authority}' is not an https: URL; receivers only fetch it over HTTPS.", authority));
            }
        }

        bool valid = findings.All(f => f.Severity != FindingSeverity.Error);
        return new BimiRecord(name, selector, record, logo, authority, valid, findings.ToArray());
    }

    private static bool IsBimiRecord(string text)
        => text.StartsWith(Version, StringComparison.OrdinalIgnoreCase)
            && (text.Length == Version.Length || text[Version.Length] == ';' || text[Version.Length] == ' ' || text[Version.Length] == '\t');

    /// <summary>tag=value pairs separated by ";" (the DKIM tag-list form), v=BIMI1 first.</summary>
    private static Dictionary<string, string> ParseTags(string record, List<Finding> findings)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        string[] fields = record.Split(';');
        for (int i = 0; i < fields.Length; i++)
        {
            string field = fields[i].Trim(' ', '\t');
            if (field.Length == 0)
            {
                if (i != fields.Length - 1)
                {
                    findings.Add(new Finding(FindingSeverity.Error, BimiFindingCodes.BimiSyntax, "The record has an empty field (two \";\" in a row).", record));
                }

                continue;
            }

            int equals = field.IndexOf('=');
            if (equals <= 0)
            {
                findings.Add(new Finding(FindingSeverity.Error, BimiFindingCodes.BimiSyntax, $"'{field}' is not a tag=value pair.", field));
                continue;
            }

            string tag = field.Substring(0, equals).Trim(' ', '\t').ToLowerInvariant();
            string value = field.Substring(equals + 1).Trim(' ', '\t');
            if (i == 0)
            {
                if (tag != "v" || value != "BIMI1")
                {
                    findings.Add(new Finding(FindingSeverity.Error, BimiFindingCodes.BimiSyntax, "The record must start with \"v=BIMI1\" (upper case).", field));
                }

                continue;
            }

            if (tags.ContainsKey(tag))
            {
                findings.Add(new Finding(FindingSeverity.Error, BimiFindingCodes.BimiSyntax, $"The tag {tag}= appears more than once.", field));
                continue;
            }

            // Unknown tags are ignored, as in every tag-list record.
            tags[tag] = value;
        }

        return tags;
    }

    private static bool IsHttpsUrl(string value)
        => Uri.TryCreate(value, UriKind.Absolute, out Uri? uri)
            && string.Equals(uri.Scheme, "https", StringComparison.OrdinalIgnoreCase)
            && uri.Host.Length > 0;
}
