using System.Net;
using MailOps.Core.Reports;
using MimeKit;
using Xunit;

namespace MailOps.Core.Tests.Reports;

/// <summary>TlsRptReportReader over the RFC 8460 sample and built reports.</summary>
public sealed class TlsRptReportReaderTests : IDisposable
{
    private const string NoFailures = """
        {"organization-name":"Sender Inc","date-range":{"start-datetime":"2024-05-01T00:00:00Z","end-datetime":"2024-05-01T23:59:59Z"},
         "contact-info":"tls@sender.example","report-id":"r-42",
         "policies":[{"policy":{"policy-type":"STS","policy-string":["version: STSv1","mode: enforce"],"policy-domain":"Example.COM","mx-host":["mx1.example.com","mx2.example.com"]},
                      "summary":{"total-successful-session-count":1200,"total-failure-session-count":0}}]}
        """;

    private readonly ReportFiles files = new ReportFiles();

    public void Dispose() => files.Dispose();

    private static List<TlsRptReportRow> Read(string path) => TlsRptReportReader.ReadFile(path).ToList();

    private static ReportFormatException Broken(string path)
        => Assert.Throws<ReportFormatException>(() => TlsRptReportReader.ReadFile(path).ToList());

    [Fact]
    public void Rfc8460_sample_gives_one_row_per_failure_detail()
    {
        string path = ReportFiles.Conformance("smtp_tls/rfc8460.json");

        var rows = Read(path);

        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Equal("5065427c-23d3-47ca-b6e0-946ea0e8c4be", r.ReportId));
        Assert.All(rows, r => Assert.Equal("Company-X", r.OrganizationName));
        Assert.All(rows, r => Assert.Equal(new DateTimeOffset(2016, 4, 1, 0, 0, 0, TimeSpan.Zero), r.Begin));
        Assert.All(rows, r => Assert.Equal(new DateTimeOffset(2016, 4, 1, 23, 59, 59, TimeSpan.Zero), r.End));
        Assert.All(rows, r => Assert.Equal("sts", r.PolicyType));
        Assert.All(rows, r => Assert.Equal("company-y.example", r.PolicyDomain));
        Assert.All(rows, r => Assert.Equal("*.mail.company-y.example", r.MxHost));
        Assert.All(rows, r => Assert.Equal(5326, r.SuccessfulSessions));
        Assert.All(rows, r => Assert.Equal(303, r.FailedSessions));
        Assert.All(rows, r => Assert.Equal(path, r.File));
        Assert.Equal(4, rows[0].PolicyString.Length);
        Assert.Equal(new[] { "certificate-expired", "starttls-not-supported", "validation-failure" }, rows.Select(r => r.ResultType));
        Assert.Equal(new long?[] { 100, 200, 3 }, rows.Select(r => r.FailedSessionCount));
        Assert.Equal(IPAddress.Parse("2001:db8:abcd:12::1"), rows[0].SendingMtaIp);
        Assert.Null(rows[0].ReceivingIp);
        Assert.Equal("mx2.mail.company-y.example", rows[1].ReceivingMxHostname);
        Assert.Equal(IPAddress.Parse("203.0.113.56"), rows[1].ReceivingIp);
        Assert.StartsWith("https://reports.company-x.example/", rows[1].AdditionalInformation);
        Assert.Equal("X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED", rows[2].FailureReasonCode);
    }

    [Fact]
    public void Policy_without_failures_gives_one_row_with_its_totals()
    {
        var row = Assert.Single(Read(files.Write("ok.json", NoFailures)));

        Assert.Equal("sts", row.PolicyType);
        Assert.Equal("example.com", row.PolicyDomain);
        Assert.Equal("mx1.example.com, mx2.example.com", row.MxHost);
        Assert.Equal(1200, row.SuccessfulSessions);
        Assert.Equal(0, row.FailedSessions);
        Assert.Null(row.ResultType);
        Assert.Null(row.FailedSessionCount);
    }

    [Fact]
    public void Gzip_report_is_decompressed()
    {
        string path = files.Write("report.json.gz", ReportFiles.Gzip(File.ReadAllText(ReportFiles.Conformance("smtp_tls/rfc8460.json"))));

        Assert.Equal(3, Read(path).Count);
    }

    [Fact]
    public void Eml_with_a_tlsrpt_gzip_attachment_is_read()
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("TLS", "tlsrpt@sender.example"));
        message.To.Add(new MailboxAddress("Ops", "tls@example.com"));
        message.Subject = "Report Domain: example.com Submitter: sender.example Report-ID: <r-42>";
        var attachment = new MimePart("application", "tlsrpt+gzip")
        {
            Content = new MimeContent(new MemoryStream(ReportFiles.Gzip(NoFailures))),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = "sender.example!example.com!1714521600!1714607999!r-42.json.gz",
        };
        message.Body = new Multipart("report") { new TextPart("plain") { Text = "TLS report." }, attachment };
        using var memory = new MemoryStream();
        message.WriteTo(memory);

        var row = Assert.Single(Read(files.Write("tls.eml", memory.ToArray())));

        Assert.Equal("r-42", row.ReportId);
        Assert.Equal(1200, row.SuccessfulSessions);
    }

    [Fact]
    public void Xml_file_is_pointed_to_Import_DmarcReport()
    {
        Assert.Contains("Import-DmarcReport", Broken(ReportFiles.Conformance("aggregate/rfc9990-sample.xml")).Message);
    }

    [Fact]
    public void Invalid_json_fails_with_the_position()
    {
        var ex = Broken(files.Write("bad.json", "{\"report-id\": \"x\", \"policies\": [ }"));

        Assert.Contains("not valid JSON", ex.Message);
        Assert.Contains("character", ex.Message);
    }

    [Fact]
    public void Json_without_report_id_or_policies_is_not_a_tls_report()
    {
        Assert.Contains("not an SMTP TLS report", Broken(files.Write("other.json", "{\"name\": \"package\"}")).Message);
    }

    [Fact]
    public void Truncated_gzip_fails()
    {
        byte[] gzip = ReportFiles.Gzip(File.ReadAllText(ReportFiles.Conformance("smtp_tls/rfc8460.json")));

        var ex = Broken(files.Write("cut.json.gz", gzip.Take(gzip.Length / 2).ToArray()));

        Assert.Contains("truncated", ex.Message);
    }

    [Fact]
    public void Bad_sending_ip_is_reported()
    {
        string json = NoFailures.Replace("\"summary\"", "\"failure-details\":[{\"result-type\":\"dnssec-invalid\",\"sending-mta-ip\":\"nowhere\",\"failed-session-count\":1}],\"summary\"");

        Assert.Contains("\"sending-mta-ip\" 'nowhere' is not an IP address", Broken(files.Write("ip.json", json)).Message);
    }
}
