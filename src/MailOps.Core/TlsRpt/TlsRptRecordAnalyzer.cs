using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailOps.Core.Dns;

namespace MailOps.Core.TlsRpt;

/// <summary>
/// Reads and checks a domain's SMTP TLS Reporting record (RFC 8460 section 3):
/// <c>v=TLSRPTv1; rua=mailto:tls-reports@contoso.com,https://reports.contoso.com/tlsrpt</c>.
/// Never throws for DNS data or failures; those become findings.
/// </summary>
public sealed class TlsRptRecordAnalyzer
{
    /// <summary>RFC 8460 section 3: tlsrpt-version = %s"v=TLSRPTv1".</summary>
    internal const string Version = "v=TLSRPTv1";

    private readonly IDnsResolver resolver;

    /// <summary>Creates an analyzer that asks <paramref name="resolver"/>.</summary>
    public TlsRptRecordAnalyzer(IDnsResolver resolver)
    {
        this.resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
    }

    /// <summary>Reads and checks the TLS-RPT record of <paramref name="domain"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="domain"/> is not a valid domain name.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<TlsRptRecord> AnalyzeAsync(string domain, CancellationToken cancellationToken)
    {
        if (!DomainName.TryNormalize(domain, out string name, out string? error))
        {
            throw new ArgumentException(error, nameof(domain));
        }

        string owner = "_smtp._tls." + name;
        DnsAnswer answer = await resolver.QueryAsync(owner, DnsRecordType.TXT, cancellationToken).ConfigureAwait(false);
        if (answer.IsFailure)
        {
            return new TlsRptRecord(name, null, Array.Empty<string>(), false, new[] { new Finding(FindingSeverity.Error, TlsRptFindingCodes.TlsRptDnsError, $"The TXT lookup of {owner} failed ({answer.Outcome}: {answer.Error}); senders cannot find where to report. Fix the domain's name servers.") });
        }

        // RFC 8460 section 3: records that do not begin with "v=TLSRPTv1;" are discarded.
        string[] records = answer.RecordsOf<DnsTxtRecord>().Select(r => r.Text).Where(IsTlsRptRecord).ToArray();
        if (records.Length == 0)
        {
            return new TlsRptRecord(name, null, Array.Empty<string>(), false, new[] { new Finding(FindingSeverity.Info, TlsRptFindingCodes.TlsRptNoRecord, $"{name} publishes no TLS-RPT record at {owner}, so nobody hears when senders fail to deliver over TLS. Publish \"v=TLSRPTv1; rua=mailto:tls-reports@{name}\" (RFC 8460), especially with MTA-STS.") });
        }

        var findings = new List<Finding>();
        if (records.Length > 1)
        {
            findings.Add(new Finding(FindingSeverity.Error, TlsRptFindingCodes.TlsRptMultipleRecords, $"{owner} publishes {records.Length} \"v=TLSRPTv1\" records; senders then assume the domain does not use TLS-RPT (RFC 8460 section 3). Keep exactly one."));
        }

        string record = records[0];
        string[] uris = Parse(record, findings);
        bool valid = findings.All(f => f.Severity != FindingSeverity.Error);
        return new TlsRptRecord(name, record, uris, valid, findings.ToArray());
    }

    /// <summary>True when the text starts with "v=TLSRPTv1" as a whole field.</summary>
    internal static bool IsTlsRptRecord(string text)
        => text.StartsWith(Version, StringComparison.Ordinal)
            && (text.Length == Version.Length || text[Version.Length] == ';' || text[Version.Length] == ' ' || text[Version.Length] == '\t');

    /// <summary>Parses the fields; adds findings and returns the rua URIs (the valid ones).</summary>
    internal static string[] Parse(string record, List<Finding> findings)
    {
        // tlsrpt-record = tlsrpt-version 1*(field-delim tlsrpt-field) [field-delim]
        // field-delim = *WSP ";" *WSP
        string[] fields = record.Split(';');
        if (fields[0].Trim(' ', '\t') != Version)
        {
            findings.Add(new Finding(FindingSeverity.Error, TlsRptFindingCodes.TlsRptSyntax, $"The record must start with \"{Version};\" (RFC 8460 section 3).", fields[0]));
        }

        var uris = new List<string>();
        bool ruaSeen = false;
        for (int i = 1; i < fields.Length; i++)
        {
            string field = fields[i].Trim(' ', '\t');
            if (field.Length == 0)
            {
                if (i != fields.Length - 1)
                {
                    findings.Add(new Finding(FindingSeverity.Error, TlsRptFindingCodes.TlsRptSyntax, "The record has an empty field (two \";\" in a row); RFC 8460 section 3 does not allow it."));
                }

                continue;
            }

            int equals = field.IndexOf('=');
            if (equals <= 0)
            {
                findings.Add(new Finding(FindingSeverity.Error, TlsRptFindingCodes.TlsRptSyntax, $"'{field}' is not a name=value field (RFC 8460 section 3).", field));
                continue;
            }

            string key = field.Substring(0, equals);
            string value = field.Substring(equals + 1);
            if (key != "rua")
            {
                // tlsrpt-extension: unknown fields are ignored, but their name must be well formed.
                if (!IsExtensionName(key))
                {
                    findings.Add(new Finding(FindingSeverity.Error, TlsRptFindingCodes.TlsRptSyntax, $"'{key}' is not a valid field name (RFC 8460 section 3).", field));
                }

                continue;
            }

            if (ruaSeen)
            {
                findings.Add(new Finding(FindingSeverity.Error, TlsRptFindingCodes.TlsRptSyntax, "The record has more than one rua= field; list every destination in one, separated by commas.", field));
                continue;
            }

            ruaSeen = true;

            // tlsrpt-rua = %s"rua=" tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri)
            foreach (string part in value.Split(','))
            {
                string uri = part.Trim(' ', '\t');
                if (IsReportUri(uri, out string? problem))
                {
                    uris.Add(uri);
                }
                else
                {
                    findings.Add(new Finding(FindingSeverity.Error, TlsRptFindingCodes.TlsRptBadUri, problem!, uri));
                }
            }
        }

        if (!ruaSeen)
        {
            findings.Add(new Finding(FindingSeverity.Error, TlsRptFindingCodes.TlsRptNoRua, "The record has no rua= field, so senders have nowhere to send reports. Add rua=mailto:<address> (RFC 8460 section 3).", record));
        }

        return uris.ToArray();
    }

    /// <summary>RFC 8460 section 3: rua URIs are "mailto:" (an address; commas as %2C) or "https:".</summary>
    internal static bool IsReportUri(string uri, out string? problem)
    {
        problem = null;
        if (uri.Length == 0)
        {
            problem = "rua= has an empty destination; remove the extra comma.";
            return false;
        }

        if (uri.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            string address = uri.Substring(7);
            int query = address.IndexOf('?');
            if (query >= 0)
            {
                address = address.Substring(0, query);
            }

            int at = address.LastIndexOf('@');
            if (at <= 0 || at == address.Length - 1 || address.Any(c => c <= ' ' || c > '~'))
            {
                problem = $"'{uri}' is not a mailto: URI with an e-mail address; write it as mailto:tls-reports@example.com.";
                return false;
            }

            return true;
        }

        if (uri.StartsWith("https:", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(uri, UriKind.Absolute, out Uri? parsed) || parsed.Host.Length == 0)
            {
                problem = $"'{uri}' is not a valid https: URL.";
                return false;
            }

            return true;
        }

        problem = $"'{uri}' is not a mailto: or https: URI; RFC 8460 section 3 allows only those two (an http: URL is not secure).";
        return false;
    }

    private static bool IsExtensionName(string name)
    {
        // tlsrpt-ext-name = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")
        if (name.Length == 0 || name.Length > 32 || !char.IsLetterOrDigit(name[0]) || name[0] > '~')
        {
            return false;
        }

        return name.All(c => c <= '~' && (char.IsLetterOrDigit(c) || c == '_' || c == '-' || c == '.'));
    }
}
