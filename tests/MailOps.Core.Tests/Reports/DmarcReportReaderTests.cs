using System.Net;
using System.Text;
using MailOps.Core.Dmarc;
using MailOps.Core.Reports;
using MimeKit;
using Xunit;

namespace MailOps.Core.Tests.Reports;

/// <summary>DmarcReportReader over the conformance samples and built reports: rows, values,
/// normalisation, alignment, containers and broken files.</summary>
public sealed class DmarcReportReaderTests : IDisposable
{
    private readonly ReportFiles files = new ReportFiles();

    public void Dispose() => files.Dispose();

    private static List<DmarcReportRow> Read(string path) => DmarcReportReader.ReadFile(path).ToList();

    private static ReportFormatException Broken(string path)
        => Assert.Throws<ReportFormatException>(() => DmarcReportReader.ReadFile(path).ToList());

    [Fact]
    public void Rfc7489_report_gives_one_row_with_metadata_policy_and_identifiers()
    {
        string path = ReportFiles.Conformance("aggregate/example.net_example.com_1529366400_1529452799.xml");

        var row = Assert.Single(Read(path));

        Assert.Equal("b043f0e264cf4ea995e93765242f6dfb", row.ReportId);
        Assert.Equal("example.net", row.OrgName);
        Assert.Equal("postmaster@example.net", row.ReporterEmail);
        Assert.Equal(new DateTimeOffset(2018, 6, 19, 0, 0, 0, TimeSpan.Zero), row.Begin);
        Assert.Equal(new DateTimeOffset(2018, 6, 19, 23, 59, 59, TimeSpan.Zero), row.End);
        Assert.Equal("example.com", row.PolicyDomain);
        Assert.Equal("none", row.Policy);
        Assert.Equal("none", row.SubdomainPolicy);
        Assert.Equal(IPAddress.Parse("199.230.200.36"), row.SourceIP);
        Assert.Equal(1, row.Count);
        Assert.Equal("none", row.Disposition);
        Assert.Equal("example.com", row.HeaderFrom);
        Assert.Equal("example.com", row.EnvelopeFrom);
        Assert.Equal(path, row.File);
    }

    [Fact]
    public void Empty_auth_results_fall_back_to_the_reporters_verdict()
    {
        var row = Assert.Single(Read(ReportFiles.Conformance("aggregate/example.net_example.com_1529366400_1529452799.xml")));

        Assert.Empty(row.DkimResults);
        Assert.Empty(row.SpfResults);
        Assert.Null(row.DkimResult);
        Assert.Null(row.SpfResult);
        Assert.Equal("fail", row.EvaluatedDkim);
        Assert.Equal("fail", row.EvaluatedSpf);
        Assert.False(row.DmarcPass);
        Assert.False(row.EvaluationMismatch);
    }

    [Fact]
    public void Gzip_report_is_decompressed_and_keeps_spf_scope()
    {
        var row = Assert.Single(Read(ReportFiles.Conformance("aggregate/fastmail.com_example.com_1516060800_1516147199_102675056.xml.gz")));

        Assert.Equal("102675056", row.ReportId);
        Assert.Equal("FastMail Pty Ltd", row.OrgName);
        Assert.Equal("indemed.com", row.PolicyDomain);
        Assert.Equal(new DateTimeOffset(2018, 1, 16, 0, 0, 0, TimeSpan.Zero), row.Begin);
        Assert.Equal("example.com", row.SpfDomain);
        Assert.Equal("softfail", row.SpfResult);
        Assert.True(row.SpfAligned);
        Assert.False(row.DmarcPass);
        Assert.Equal("mfrom", Assert.Single(row.SpfResults).Scope);
    }

    [Fact]
    public void Zip_report_gives_every_record_in_order_with_totals()
    {
        var rows = Read(ReportFiles.Conformance("aggregate/extract_report-nice-input.xml.zip"));

        Assert.Equal(20, rows.Count);
        Assert.All(rows, r => Assert.Equal("11038226378739404135", r.ReportId));
        Assert.All(rows, r => Assert.Equal("google.com", r.OrgName));
        Assert.Equal(IPAddress.Parse("209.85.220.69"), rows[0].SourceIP);
        Assert.Equal(IPAddress.Parse("2607:f8b0:4864:20::132"), rows[8].SourceIP);
        Assert.Equal(3047, rows.Sum(r => r.Count));
        Assert.All(rows, r => Assert.True(r.DmarcPass));
        Assert.DoesNotContain(rows, r => r.EvaluationMismatch);
    }

    [Fact]
    public void First_aligned_dkim_pass_is_chosen_over_an_earlier_unaligned_one_and_all_results_are_kept()
    {
        var row = Read(ReportFiles.Conformance("aggregate/extract_report-nice-input.xml.zip"))[1];

        Assert.Equal("example.com", row.DkimDomain);
        Assert.Equal("awbr2rp4egb35wbg4umq4e5dcoe5kc4n", row.DkimSelector);
        Assert.Equal("pass", row.DkimResult);
        Assert.True(row.DkimAligned);
        Assert.Equal(new[] { "example.com", "amazonses.com" }, row.DkimResults.Select(r => r.Domain));
        Assert.Equal(new[] { true, false }, row.DkimResults.Select(r => r.Aligned));
        Assert.Equal("gmail.com", row.SpfDomain);
        Assert.Equal("pass", row.SpfResult);
        Assert.False(row.SpfAligned);
        Assert.True(row.DmarcPass);
    }

    [Fact]
    public void Old_draft_schema_without_version_is_read()
    {
        var row = Assert.Single(Read(ReportFiles.Conformance("aggregate/old_draft_from_wiki.xml")));

        Assert.Equal("acme.com", row.OrgName);
        Assert.Equal(IPAddress.Parse("72.150.241.94"), row.SourceIP);
        Assert.Equal(2, row.Count);
        Assert.Equal("fail", row.DkimResult);
        Assert.Equal("pass", row.SpfResult);
        Assert.True(row.DmarcPass);
        Assert.Null(row.EnvelopeFrom);
    }

    [Fact]
    public void Rfc9990_report_with_its_namespace_is_read()
    {
        var row = Assert.Single(Read(ReportFiles.Conformance("aggregate/rfc9990-sample.xml")));

        Assert.Equal("3v98abbp8ya9n3va8yr8oa3ya", row.ReportId);
        Assert.Equal("Sample Reporter", row.OrgName);
        Assert.Equal(new DateTimeOffset(1979, 8, 7, 0, 0, 0, TimeSpan.Zero), row.Begin);
        Assert.Equal("quarantine", row.Policy);
        Assert.Equal(DmarcAlignment.Relaxed, row.DkimAlignment);
        Assert.Equal(123, row.Count);
        Assert.Equal("pass", row.Disposition);
        Assert.Equal("abc123", row.DkimSelector);
        Assert.True(row.DkimAligned);
        Assert.Equal("fail", row.SpfResult);
        Assert.True(row.DmarcPass);
        Assert.False(row.EvaluationMismatch);
    }

    [Fact]
    public void Malformed_xml_sample_fails_with_a_well_formedness_message()
    {
        string path = ReportFiles.Conformance("aggregate/invalid_xml.xml");

        var ex = Broken(path);

        Assert.Equal(path, ex.File);
        Assert.Contains("not well-formed XML", ex.Message);
    }

    [Fact]
    public void Failure_report_message_is_not_an_aggregate_report()
    {
        var ex = Broken(ReportFiles.Conformance("failure/dmarc_ruf_report_linkedin.eml"));

        Assert.Contains("without a DMARC aggregate report", ex.Message);
        Assert.Contains("failure report", ex.Message);
    }

    [Fact]
    public void Upper_case_tokens_and_domains_are_lower_cased()
    {
        string xml = ReportFiles.Aggregate(
            "<domain>Example.COM</domain><adkim>S</adkim><aspf>R</aspf><p>Reject</p>",
            ReportFiles.Record("192.0.2.1", "EXAMPLE.com", ReportFiles.Dkim("Example.Com", "PASS") + ReportFiles.Spf("example.com", "SoftFail"), "<disposition>Reject</disposition><dkim>PASS</dkim><spf>FAIL</spf>"));

        var row = Assert.Single(Read(files.Write("upper.xml", xml)));

        Assert.Equal("reject", row.Policy);
        Assert.Equal("example.com", row.PolicyDomain);
        Assert.Equal("reject", row.Disposition);
        Assert.Equal("pass", row.DkimResult);
        Assert.Equal("softfail", row.SpfResult);
        Assert.Equal("pass", row.EvaluatedDkim);
        Assert.Equal("fail", row.EvaluatedSpf);
        Assert.Equal("example.com", row.HeaderFrom);
        Assert.Equal(DmarcAlignment.Strict, row.DkimAlignment);
        Assert.True(row.DkimAligned);
        Assert.True(row.DmarcPass);
    }

    [Fact]
    public void Relaxed_alignment_accepts_a_subdomain_and_strict_does_not()
    {
        string auth = ReportFiles.Dkim("mail.example.com", "pass") + ReportFiles.Spf("bounce.example.com", "pass");
        string relaxed = files.Write("relaxed.xml", ReportFiles.Aggregate("<domain>example.com</domain><p>reject</p>", ReportFiles.Record("192.0.2.1", "example.com", auth)));
        string strict = files.Write("strict.xml", ReportFiles.Aggregate("<domain>example.com</domain><adkim>s</adkim><aspf>s</aspf><p>reject</p>", ReportFiles.Record("192.0.2.1", "example.com", auth)));

        var r = Assert.Single(Read(relaxed));
        var s = Assert.Single(Read(strict));

        Assert.True(r.DkimAligned);
        Assert.True(r.SpfAligned);
        Assert.True(r.DmarcPass);
        Assert.False(s.DkimAligned);
        Assert.False(s.SpfAligned);
        Assert.False(s.DmarcPass);
    }

    [Fact]
    public void Relaxed_alignment_uses_the_public_suffix_list_not_the_last_two_labels()
    {
        Assert.True(DmarcReportReader.IsAligned("mail.example.co.uk", "news.example.co.uk", DmarcAlignment.Relaxed));
        Assert.False(DmarcReportReader.IsAligned("other.co.uk", "example.co.uk", DmarcAlignment.Relaxed));
        Assert.False(DmarcReportReader.IsAligned("example.com", "example.net", DmarcAlignment.Relaxed));
        Assert.True(DmarcReportReader.IsAligned("EXAMPLE.com", "example.COM", DmarcAlignment.Strict));
        Assert.False(DmarcReportReader.IsAligned(null, "example.com", DmarcAlignment.Relaxed));
    }

    [Fact]
    public void Unaligned_pass_does_not_make_dmarc_pass()
    {
        string xml = ReportFiles.Aggregate("<domain>example.com</domain><p>reject</p>",
            ReportFiles.Record("192.0.2.1", "example.com", ReportFiles.Dkim("esp.example", "pass") + ReportFiles.Spf("esp.example", "pass")));

        var row = Assert.Single(Read(files.Write("unaligned.xml", xml)));

        Assert.Equal("esp.example", row.DkimDomain);
        Assert.False(row.DkimAligned);
        Assert.False(row.SpfAligned);
        Assert.False(row.DmarcPass);
    }

    [Fact]
    public void Reporter_verdict_that_contradicts_auth_results_is_flagged()
    {
        string xml = ReportFiles.Aggregate("<domain>example.com</domain><p>reject</p>",
            ReportFiles.Record("192.0.2.1", "example.com", ReportFiles.Dkim("example.com", "fail"), "<disposition>none</disposition><dkim>pass</dkim><spf>fail</spf>"));

        var row = Assert.Single(Read(files.Write("mismatch.xml", xml)));

        Assert.False(row.DmarcPass);
        Assert.True(row.EvaluationMismatch);
    }

    [Fact]
    public void Override_reason_is_read_from_policy_evaluated()
    {
        string xml = ReportFiles.Aggregate("<domain>example.com</domain><p>reject</p>",
            ReportFiles.Record("192.0.2.1", "example.com", ReportFiles.Spf("example.com", "fail"), "<disposition>none</disposition><dkim>fail</dkim><spf>fail</spf><reason><type>Forwarded</type><comment>list</comment></reason>"));

        Assert.Equal("forwarded", Assert.Single(Read(files.Write("reason.xml", xml))).OverrideReason);
    }

    [Fact]
    public void Doctype_with_an_external_entity_is_refused()
    {
        string secret = files.Write("secret.txt", "top-secret");
        string xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE feedback [<!ENTITY xxe SYSTEM \"file://" + secret + "\">]>\n" +
            ReportFiles.Aggregate("<domain>example.com</domain><p>none</p>", ReportFiles.Record("192.0.2.1", "&xxe;", string.Empty)).Substring("<?xml version=\"1.0\"?>\n".Length);

        var ex = Broken(files.Write("xxe.xml", xml));

        Assert.Contains("DTD", ex.Message);
        Assert.DoesNotContain("top-secret", ex.Message);
    }

    [Fact]
    public void Document_nested_deeper_than_the_limit_is_refused()
    {
        string deep = string.Concat(Enumerable.Repeat("<x>", 40)) + string.Concat(Enumerable.Repeat("</x>", 40));
        string xml = "<feedback>" + deep + "</feedback>";

        var ex = Broken(files.Write("deep.xml", xml));

        Assert.Contains("nested deeper than", ex.Message);
    }

    [Fact]
    public void Xml_that_is_not_a_feedback_document_is_not_a_dmarc_report()
    {
        var ex = Broken(files.Write("page.xml", "<html><body>hello</body></html>"));

        Assert.Contains("not a DMARC aggregate report", ex.Message);
        Assert.Contains("<html>", ex.Message);
    }

    [Fact]
    public void Json_file_is_pointed_to_Import_TlsRptReport()
    {
        var ex = Broken(ReportFiles.Conformance("smtp_tls/rfc8460.json"));

        Assert.Contains("Import-TlsRptReport", ex.Message);
    }

    [Fact]
    public void Text_file_is_neither_xml_nor_a_container()
    {
        var ex = Broken(files.Write("notes.txt", "just some notes\nand more"));

        Assert.Contains("not XML, gzip, zip or an e-mail message", ex.Message);
    }

    [Fact]
    public void Empty_file_says_so()
    {
        Assert.Contains("empty", Broken(files.Write("empty.xml", string.Empty)).Message);
    }

    [Fact]
    public void Truncated_gzip_fails_after_the_records_before_the_cut()
    {
        string[] records = Enumerable.Range(0, 2000).Select(i => ReportFiles.Record($"10.0.{i / 250}.{i % 250}", "example.com", ReportFiles.Spf("example.com", "pass"))).ToArray();
        byte[] gzip = ReportFiles.Gzip(ReportFiles.Aggregate("<domain>example.com</domain><p>none</p>", records));
        string path = files.Write("cut.xml.gz", gzip.Take(gzip.Length / 2).ToArray());

        var rows = new List<DmarcReportRow>();
        var ex = Assert.Throws<ReportFormatException>(() =>
        {
            foreach (DmarcReportRow row in DmarcReportReader.ReadFile(path))
            {
                rows.Add(row);
            }
        });

        Assert.Contains("truncated", ex.Message);
        Assert.InRange(rows.Count, 1, 1999);
    }

    [Fact]
    public void Zip_without_an_xml_entry_names_what_it_holds()
    {
        string path = files.Write("other.zip", ReportFiles.Zip(("readme.txt", Encoding.UTF8.GetBytes("hi"))));

        var ex = Broken(path);

        Assert.Contains("zip archive without a report", ex.Message);
        Assert.Contains("readme.txt", ex.Message);
    }

    [Fact]
    public void Zip_with_several_xml_and_xml_gz_entries_reads_them_all()
    {
        string one = ReportFiles.Aggregate("<domain>a.example</domain><p>none</p>", ReportFiles.Record("192.0.2.1", "a.example", string.Empty));
        string two = ReportFiles.Aggregate("<domain>b.example</domain><p>none</p>", ReportFiles.Record("192.0.2.2", "b.example", string.Empty), ReportFiles.Record("192.0.2.3", "b.example", string.Empty));
        string path = files.Write("two.zip", ReportFiles.Zip(("a.xml", Encoding.UTF8.GetBytes(one)), ("notes.txt", new byte[] { 1 }), ("b.xml.gz", ReportFiles.Gzip(two))));

        var rows = Read(path);

        Assert.Equal(new[] { "a.example", "b.example", "b.example" }, rows.Select(r => r.PolicyDomain));
    }

    [Fact]
    public void Eml_with_a_zipped_report_attached_is_read()
    {
        string xml = ReportFiles.Aggregate("<domain>example.com</domain><p>quarantine</p>", ReportFiles.Record("198.51.100.7", "example.com", ReportFiles.Dkim("example.com", "pass"), count: 9));
        var message = ReportMessage(ReportFiles.Zip(("reporter.example!example.com!1700000000!1700086399.xml", Encoding.UTF8.GetBytes(xml))), "application", "zip", "report.zip");

        var row = Assert.Single(Read(WriteMessage("report.eml", message)));

        Assert.Equal(IPAddress.Parse("198.51.100.7"), row.SourceIP);
        Assert.Equal(9, row.Count);
        Assert.Equal("quarantine", row.Policy);
        Assert.True(row.DmarcPass);
    }

    [Fact]
    public void Eml_forwarding_a_report_message_as_rfc822_is_read()
    {
        string xml = ReportFiles.Aggregate("<domain>example.com</domain><p>none</p>", ReportFiles.Record("198.51.100.8", "example.com", string.Empty));
        var inner = ReportMessage(ReportFiles.Gzip(xml), "application", "gzip", "report.xml.gz");
        var outer = new MimeMessage();
        outer.From.Add(new MailboxAddress("Admin", "admin@example.com"));
        outer.To.Add(new MailboxAddress("Ops", "ops@example.com"));
        outer.Subject = "Fwd: Report domain: example.com";
        var body = new Multipart("mixed") { new TextPart("plain") { Text = "See attached." }, new MessagePart { Message = inner } };
        outer.Body = body;

        var row = Assert.Single(Read(WriteMessage("forwarded.eml", outer)));

        Assert.Equal(IPAddress.Parse("198.51.100.8"), row.SourceIP);
    }

    [Fact]
    public void Eml_without_an_attachment_says_what_is_missing()
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("R", "r@reporter.example"));
        message.Subject = "hello";
        message.Body = new TextPart("plain") { Text = "no report here" };

        var ex = Broken(WriteMessage("plain.eml", message));

        Assert.Contains("without a DMARC aggregate report", ex.Message);
    }

    [Fact]
    public void Rows_are_yielded_before_the_rest_of_the_document_is_read()
    {
        string good = ReportFiles.Aggregate("<domain>example.com</domain><p>none</p>", ReportFiles.Record("192.0.2.1", "example.com", string.Empty), ReportFiles.Record("192.0.2.2", "example.com", string.Empty));
        string path = files.Write("tail.xml", good.Replace("</feedback>", "<record><row><source_ip>broken</row></record></feedback>"));

        using IEnumerator<DmarcReportRow> rows = DmarcReportReader.ReadFile(path).GetEnumerator();

        Assert.True(rows.MoveNext());
        Assert.Equal(IPAddress.Parse("192.0.2.1"), rows.Current.SourceIP);
        Assert.True(rows.MoveNext());
        Assert.Throws<ReportFormatException>(() => rows.MoveNext());
    }

    [Fact]
    public void Bad_source_ip_is_reported_with_its_line()
    {
        string xml = ReportFiles.Aggregate("<domain>example.com</domain><p>none</p>", ReportFiles.Record("999.1.1", "example.com", string.Empty));

        var ex = Broken(files.Write("ip.xml", xml));

        Assert.Contains("source_ip '999.1.1' is not an IP address", ex.Message);
    }

    private static MimeMessage ReportMessage(byte[] content, string mediaType, string subtype, string fileName)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("DMARC", "noreply-dmarc@reporter.example"));
        message.To.Add(new MailboxAddress("Reports", "dmarc@example.com"));
        message.Subject = "Report domain: example.com Submitter: reporter.example Report-ID: r-1";
        var attachment = new MimePart(mediaType, subtype)
        {
            Content = new MimeContent(new MemoryStream(content)),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = fileName,
        };
        message.Body = new Multipart("mixed") { new TextPart("plain") { Text = "This is an aggregate report." }, attachment };
        return message;
    }

    private string WriteMessage(string name, MimeMessage message)
    {
        using var memory = new MemoryStream();
        message.WriteTo(memory);
        return files.Write(name, memory.ToArray());
    }
}
