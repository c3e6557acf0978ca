using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Text;
using System.Threading;
using System.Xml;
using MailOps.Core.Dmarc;

namespace MailOps.Core.Reports;

/// <summary>
/// Reads DMARC aggregate reports (RFC 7489 appendix C; RFC 9990) and yields one
/// <see cref="DmarcReportRow"/> per &lt;record&gt; as it is read. The XML is streamed with an
/// XmlReader over the decompressed bytes, so a report of hundreds of megabytes is read in
/// constant memory; DTDs are refused (no XML external entities) and nesting is capped.
/// Namespaces are ignored (the RFC 7489 schema has none, RFC 9990 uses
/// urn:ietf:params:xml:ns:dmarc-2.0, reporters invent others) and tokens are lower-cased.
/// </summary>
public static class DmarcReportReader
{
    /// <summary>The deepest element nesting accepted; the schemas need 6.</summary>
    public const int MaxElementDepth = 32;

    /// <summary>
    /// The rows of every report in <paramref name="path"/> (.xml, .xml.gz, .zip, .eml).
    /// Throws <see cref="ReportFormatException"/> when the file is not a readable report; rows
    /// read before a defect (a truncated gzip) have been yielded by then.
    /// </summary>
    public static IEnumerable<DmarcReportRow> ReadFile(string path, IReportTrace? trace = null, PublicSuffixList? publicSuffixList = null, CancellationToken cancellationToken = default)
    {
        if (path is null)
        {
            throw new ArgumentNullException(nameof(path));
        }

        PublicSuffixList psl = publicSuffixList ?? PublicSuffixList.Default;
        foreach (ReportDocument document in ReportSource.Open(path, ReportPayload.Xml, trace, cancellationToken))
        {
            var parser = new Parser(document, psl);
            while (parser.TryReadRow(out DmarcReportRow? row))
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return row!;
            }

            trace?.Trace($"{path}: {parser.RecordCount} record{(parser.RecordCount == 1 ? string.Empty : "s")} from {(document.Location.Length == 0 ? "the report" : document.Location)} (report {parser.ReportId}, {parser.OrgName})");
        }
    }

    /// <summary>
    /// True when <paramref name="domain"/> is aligned with <paramref name="fromDomain"/>
    /// (RFC 7489 section 3.1): identical in strict mode; in relaxed mode, the same
    /// Organizational Domain (section 3.2: the registrable domain by the Public Suffix List).
    /// </summary>
    public static bool IsAligned(string? domain, string? fromDomain, DmarcAlignment mode, PublicSuffixList? publicSuffixList = null)
    {
        if (string.IsNullOrEmpty(domain) || string.IsNullOrEmpty(fromDomain))
        {
            return false;
        }

        if (string.Equals(domain, fromDomain, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (mode == DmarcAlignment.Strict)
        {
            return false;
        }

        PublicSuffixList psl = publicSuffixList ?? PublicSuffixList.Default;
        string? org = psl.GetRegistrableDomain(domain);
        return org is not null && string.Equals(org, psl.GetRegistrableDomain(fromDomain), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The streaming state machine over one report document.</summary>
    private sealed class Parser
    {
        private const int OrgCacheLimit = 4096;

        private readonly ReportDocument document;
        private readonly PublicSuffixList psl;
        private readonly XmlReader reader;
        private readonly List<string> path = new List<string>(8);
        private readonly StringBuilder text = new StringBuilder();
        private readonly Dictionary<string, string?> orgDomains = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        private bool sawRoot;
        private bool done;

        // Report-level values, read before the records (the schema's order).
        private string? email;
        private DateTimeOffset? begin;
        private DateTimeOffset? end;
        private string? policyDomain;
        private string? policy;
        private string? subdomainPolicy;
        private DmarcAlignment adkim;
        private DmarcAlignment aspf;

        // The record being read.
        private DmarcReportRow? row;
        private List<DmarcAuthResult> dkim = new List<DmarcAuthResult>();
        private List<DmarcAuthResult> spf = new List<DmarcAuthResult>();
        private string? authDomain;
        private string? authResult;
        private string? authSelector;
        private string? authScope;
        private string? authHuman;

        public Parser(ReportDocument document, PublicSuffixList psl)
        {
            this.document = document;
            this.psl = psl;
            var settings = new XmlReaderSettings
            {
                // No DTD, no resolver: a DOCTYPE is an error, so no external entity (XXE) and
                // no entity expansion bomb can be smuggled in.
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
                IgnoreComments = true,
                IgnoreProcessingInstructions = true,
                IgnoreWhitespace = true,
                CloseInput = false,
                MaxCharactersFromEntities = 1024,
            };
            reader = XmlReader.Create(document.Content, settings);
        }

        public int RecordCount { get; private set; }

        public string? ReportId { get; private set; }

        public string? OrgName { get; private set; }

        /// <summary>Reads up to the end of the next record. Every failure of the XML or the
        /// stream under it becomes a <see cref="ReportFormatException"/>.</summary>
        public bool TryReadRow(out DmarcReportRow? result)
        {
            result = null;
            if (done)
            {
                return false;
            }

            try
            {
                result = ReadUntilRecordEnd();
            }
            catch (XmlException ex)
            {
                done = true;
                throw Fail(DescribeXmlError(ex), ex);
            }
            catch (InvalidDataException ex)
            {
                done = true;
                throw Fail($"damaged or truncated compressed data after {RecordCount} record(s): {ex.Message}", ex);
            }
            catch (EndOfStreamException ex)
            {
                done = true;
                throw Fail($"truncated compressed data ({ex.Message})", ex);
            }

            if (result is null)
            {
                done = true;
                reader.Dispose();
                return false;
            }

            return true;
        }

        private DmarcReportRow? ReadUntilRecordEnd()
        {
            while (reader.Read())
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element:
                        if (reader.Depth >= MaxElementDepth)
                        {
                            throw Fail($"elements nested deeper than {MaxElementDepth} levels (line {LineNumber()}): not a DMARC report");
                        }

                        string name = reader.LocalName;
                        if (path.Count == 0)
                        {
                            // RFC 7489 appendix C: the root element is <feedback>.
                            if (!Is(name, "feedback"))
                            {
                                throw Fail($"not a DMARC aggregate report: the root element is <{reader.Name}>, expected <feedback>");
                            }

                            sawRoot = true;
                        }

                        text.Clear();
                        path.Add(name);
                        OnStart();
                        if (reader.IsEmptyElement)
                        {
                            DmarcReportRow? closed = OnEnd(string.Empty);
                            if (closed is not null)
                            {
                                return closed;
                            }
                        }

                        break;
                    case XmlNodeType.Text:
                    case XmlNodeType.CDATA:
                    case XmlNodeType.SignificantWhitespace:
                        text.Append(reader.Value);
                        break;
                    case XmlNodeType.EndElement:
                        DmarcReportRow? completed = OnEnd(text.ToString().Trim());
                        text.Clear();
                        if (completed is not null)
                        {
                            return completed;
                        }

                        break;
                }
            }

            if (!sawRoot)
            {
                throw Fail("not a DMARC aggregate report: the document has no root element");
            }

            return null;
        }

        private void OnStart()
        {
            int n = path.Count;
            if (n == 2 && Is(path[1], "record"))
            {
                row = new DmarcReportRow();
                dkim = new List<DmarcAuthResult>();
                spf = new List<DmarcAuthResult>();
            }
            else if (n == 4 && Is(path[1], "record") && Is(path[2], "auth_results"))
            {
                authDomain = authResult = authSelector = authScope = authHuman = null;
            }
        }

        /// <summary>Stores the value of the element that ends; returns the row when it is a record.</summary>
        private DmarcReportRow? OnEnd(string value)
        {
            int n = path.Count;
            string name = path[n - 1];
            DmarcReportRow? completed = null;
            try
            {
                if (n >= 2 && Is(path[1], "record"))
                {
                    completed = OnRecordValue(n, name, value);
                }
                else if (n == 3 && Is(path[1], "report_metadata"))
                {
                    if (Is(name, "org_name")) OrgName = Text(value);
                    else if (Is(name, "email")) email = Text(value);
                    else if (Is(name, "report_id")) ReportId = Text(value);
                }
                else if (n == 4 && Is(path[1], "report_metadata") && Is(path[2], "date_range"))
                {
                    if (Is(name, "begin")) begin = Epoch(value, "date_range/begin");
                    else if (Is(name, "end")) end = Epoch(value, "date_range/end");
                }
                else if (n == 3 && Is(path[1], "policy_published"))
                {
                    if (Is(name, "domain")) policyDomain = Domain(value);
                    else if (Is(name, "p")) policy = Token(value);
                    else if (Is(name, "sp")) subdomainPolicy = Token(value);
                    else if (Is(name, "adkim")) adkim = Alignment(value);
                    else if (Is(name, "aspf")) aspf = Alignment(value);
                }
            }
            finally
            {
                path.RemoveAt(n - 1);
            }

            return completed;
        }

        private DmarcReportRow? OnRecordValue(int n, string name, string value)
        {
            DmarcReportRow current = row ??= new DmarcReportRow();
            if (n == 2)
            {
                return Complete(current);
            }

            string section = path[2];
            if (Is(section, "row"))
            {
                if (n == 4 && Is(name, "source_ip")) current.SourceIP = Address(value);
                else if (n == 4 && Is(name, "count")) current.Count = Number(value, "row/count");
                else if (n == 5 && Is(path[3], "policy_evaluated"))
                {
                    if (Is(name, "disposition")) current.Disposition = Token(value);
                    else if (Is(name, "dkim")) current.EvaluatedDkim = Token(value);
                    else if (Is(name, "spf")) current.EvaluatedSpf = Token(value);
                }
                else if (n == 6 && Is(path[3], "policy_evaluated") && Is(path[4], "reason") && Is(name, "type"))
                {
                    current.OverrideReason ??= Token(value);
                }
            }
            else if (Is(section, "identifiers") && n == 4)
            {
                if (Is(name, "header_from")) current.HeaderFrom = Domain(value);
                else if (Is(name, "envelope_from")) current.EnvelopeFrom = Domain(value);
            }
            else if (Is(section, "auth_results"))
            {
                if (n == 4 && (Is(name, "dkim") || Is(name, "spf")))
                {
                    var result = new DmarcAuthResult(authDomain, authResult, authSelector, authScope, authHuman);
                    (Is(name, "dkim") ? dkim : spf).Add(result);
                }
                else if (n == 5)
                {
                    if (Is(name, "domain")) authDomain = Domain(value);
                    else if (Is(name, "result")) authResult = Token(value);
                    else if (Is(name, "selector")) authSelector = Text(value);
                    else if (Is(name, "scope")) authScope = Token(value);
                    else if (Is(name, "human_result")) authHuman = Text(value);
                }
            }

            return null;
        }

        private DmarcReportRow Complete(DmarcReportRow current)
        {
            RecordCount++;
            current.ReportId = ReportId;
            current.OrgName = OrgName;
            current.ReporterEmail = email;
            current.Begin = begin;
            current.End = end;
            current.PolicyDomain = policyDomain;
            current.Policy = policy;
            current.SubdomainPolicy = subdomainPolicy;
            current.DkimAlignment = adkim;
            current.SpfAlignment = aspf;
            current.File = document.File;

            foreach (DmarcAuthResult result in dkim)
            {
                result.Aligned = Aligned(result.Domain, current.HeaderFrom, adkim);
            }

            foreach (DmarcAuthResult result in spf)
            {
                result.Aligned = Aligned(result.Domain, current.HeaderFrom, aspf);
            }

            current.DkimResults = dkim.ToArray();
            current.SpfResults = spf.ToArray();

            // The result that decides: the first aligned pass, else the first reported.
            DmarcAuthResult? chosenDkim = dkim.Find(r => r.Passed && r.Aligned) ?? (dkim.Count > 0 ? dkim[0] : null);
            DmarcAuthResult? chosenSpf = spf.Find(r => r.Passed && r.Aligned) ?? (spf.Count > 0 ? spf[0] : null);
            current.DkimDomain = chosenDkim?.Domain;
            current.DkimSelector = chosenDkim?.Selector;
            current.DkimResult = chosenDkim?.Result;
            current.DkimAligned = chosenDkim?.Aligned ?? false;
            current.SpfDomain = chosenSpf?.Domain;
            current.SpfResult = chosenSpf?.Result;
            current.SpfAligned = chosenSpf?.Aligned ?? false;

            // RFC 7489 section 4.2: DMARC passes when either mechanism gives an aligned pass.
            bool dkimPass = chosenDkim is not null && chosenDkim.Passed && chosenDkim.Aligned;
            bool spfPass = chosenSpf is not null && chosenSpf.Passed && chosenSpf.Aligned;
            if (dkim.Count + spf.Count > 0)
            {
                current.DmarcPass = dkimPass || spfPass;
                current.EvaluationMismatch =
                    (current.EvaluatedDkim is not null && (current.EvaluatedDkim == "pass") != dkimPass) ||
                    (current.EvaluatedSpf is not null && (current.EvaluatedSpf == "pass") != spfPass);
            }
            else
            {
                // No auth_results (some reporters leave it empty): only the reporter's verdict.
                current.DmarcPass = current.EvaluatedDkim == "pass" || current.EvaluatedSpf == "pass";
            }

            row = null;
            return current;
        }

        private bool Aligned(string? domain, string? fromDomain, DmarcAlignment mode)
        {
            if (string.IsNullOrEmpty(domain) || string.IsNullOrEmpty(fromDomain))
            {
                return false;
            }

            if (string.Equals(domain, fromDomain, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (mode == DmarcAlignment.Strict)
            {
                return false;
            }

            string? org = Organizational(domain!);
            return org is not null && string.Equals(org, Organizational(fromDomain!), StringComparison.OrdinalIgnoreCase);
        }

        private string? Organizational(string domain)
        {
            if (!orgDomains.TryGetValue(domain, out string? org))
            {
                if (orgDomains.Count >= OrgCacheLimit)
                {
                    orgDomains.Clear();
                }

                org = psl.GetRegistrableDomain(domain);
                orgDomains[domain] = org;
            }

            return org;
        }

        private static bool Is(string name, string expected) => string.Equals(name, expected, StringComparison.OrdinalIgnoreCase);

        private static string? Text(string value) => value.Length == 0 ? null : value;

        /// <summary>A keyword, lower case ("PASS" and "Reject" are seen in the wild).</summary>
        private static string? Token(string value) => value.Length == 0 ? null : value.ToLowerInvariant();

        /// <summary>A domain, lower case, without a trailing dot.</summary>
        private static string? Domain(string value)
        {
            string domain = value.TrimEnd('.').ToLowerInvariant();
            return domain.Length == 0 ? null : domain;
        }

        private static DmarcAlignment Alignment(string value)
            => value.Length > 0 && (value[0] == 's' || value[0] == 'S') ? DmarcAlignment.Strict : DmarcAlignment.Relaxed;

        private DateTimeOffset? Epoch(string value, string element)
        {
            if (value.Length == 0)
            {
                return null;
            }

            // RFC 7489 appendix C: date_range holds seconds since the epoch (UTC).
            if (!long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long seconds) || seconds < -62135596800 || seconds > 253402300799)
            {
                throw Fail($"{element} '{Clip(value)}' is not a number of seconds since 1970 (line {LineNumber()})");
            }

            return DateTimeOffset.FromUnixTimeSeconds(seconds);
        }

        private long Number(string value, string element)
        {
            if (!long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long number) || number < 0)
            {
                throw Fail($"{element} '{Clip(value)}' is not a message count (line {LineNumber()})");
            }

            return number;
        }

        private IPAddress? Address(string value)
        {
            if (value.Length == 0)
            {
                return null;
            }

            if (!IPAddress.TryParse(value, out IPAddress? address) || (value.IndexOf(':') < 0 && value.Split('.').Length != 4))
            {
                throw Fail($"row/source_ip '{Clip(value)}' is not an IP address (line {LineNumber()})");
            }

            return address;
        }

        private int LineNumber() => reader is IXmlLineInfo info ? info.LineNumber : 0;

        private string DescribeXmlError(XmlException ex)
        {
            if (ex.Message.IndexOf("DTD", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return "a DOCTYPE (DTD) is not allowed in a DMARC report; it was refused to prevent XML external entity (XXE) attacks";
            }

            if (document.Compressed && ex.Message.IndexOf("end of file", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return $"truncated: the compressed data ends in the middle of the report after {RecordCount} record(s) ({ex.Message})";
            }

            return $"not well-formed XML ({ex.Message})";
        }

        private static string Clip(string value) => value.Length <= 40 ? value : value.Substring(0, 40) + "...";

        private ReportFormatException Fail(string reason, Exception? inner = null)
            => new ReportFormatException(document.File, document.Describe(reason), inner);
    }
}
