using System.IO.Compression;
using System.Text;
using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>
/// A PowerShell host with MailOps imported and a temporary folder of report files: the
/// conformance samples (tests/Conformance/reports) plus reports built here (a truncated gzip,
/// an e-mail with a zipped report, a gzipped TLS report). Import-DmarcReport and
/// Import-TlsRptReport read files, not DNS, so no DNS server is needed.
/// </summary>
public sealed class ReportFixture : IDisposable
{
    public ReportFixture()
    {
        Folder = Path.Combine(Path.GetTempPath(), "mailops-report-fixture-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        Samples = Path.Combine(AppContext.BaseDirectory, "Conformance", "reports");

        string[] records = Enumerable.Range(0, 3000)
            .Select(i => Record($"10.1.{i / 250}.{i % 250}", "example.com", "<spf><domain>example.com</domain><result>pass</result></spf>"))
            .ToArray();
        byte[] big = Gzip(Aggregate("big-1", records));
        Truncated = Write("truncated.xml.gz", big.Take(big.Length / 2).ToArray());

        string mailed = Aggregate("mail-1", Record("198.51.100.7", "example.com", "<dkim><domain>mail.example.com</domain><selector>s1</selector><result>PASS</result></dkim>", 9));
        Eml = Write("report.eml", Encoding.ASCII.GetBytes(Message(Zip("reporter.example!example.com!1700000000!1700086399.xml", Encoding.UTF8.GetBytes(mailed)))));
        Good = Write("good.xml", Encoding.UTF8.GetBytes(Aggregate("good-1", Record("192.0.2.10", "example.com", string.Empty, 4))));
        TlsGz = Write("tls.json.gz", Gzip(File.ReadAllText(Path.Combine(Samples, "smtp_tls", "rfc8460.json"))));
        Host = new PowerShellHost();
    }

    public PowerShellHost Host { get; }

    /// <summary>tests/Conformance/reports as copied to the test output.</summary>
    public string Samples { get; }

    /// <summary>The temporary folder of built reports.</summary>
    public string Folder { get; }

    /// <summary>A 3,000-record report gzipped and cut in the middle.</summary>
    public string Truncated { get; }

    /// <summary>An .eml with a zipped one-record report attached (base64).</summary>
    public string Eml { get; }

    /// <summary>A one-record report from 192.0.2.10, Count 4.</summary>
    public string Good { get; }

    /// <summary>The RFC 8460 sample, gzipped.</summary>
    public string TlsGz { get; }

    public string Sample(string relative) => Path.Combine(Samples, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>Runs a command with named parameters and optional pipeline input.</summary>
    public PowerShellResult Run(string command, Dictionary<string, object?> parameters, IEnumerable<object?>? input = null)
        => Host.Invoke(command, parameters, input);

    /// <summary>Runs a script with $samples and $folder set.</summary>
    public PowerShellResult Script(string script)
        => Host.InvokeScript(script, new Dictionary<string, object?> { ["samples"] = Samples, ["folder"] = Folder });

    public void Dispose()
    {
        Host.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(Folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static string Aggregate(string id, params string[] records)
        => "<?xml version=\"1.0\"?>\n<feedback><report_metadata><org_name>reporter.example</org_name><email>d@reporter.example</email>" +
           $"<report_id>{id}</report_id><date_range><begin>1700000000</begin><end>1700086399</end></date_range></report_metadata>" +
           "<policy_published><domain>example.com</domain><p>reject</p></policy_published>" + string.Concat(records) + "</feedback>\n";

    private static string Record(string ip, string from, string auth, int count = 1)
        => $"<record><row><source_ip>{ip}</source_ip><count>{count}</count><policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>fail</spf></policy_evaluated></row>" +
           $"<identifiers><header_from>{from}</header_from></identifiers><auth_results>{auth}</auth_results></record>";

    private static byte[] Gzip(string text)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return memory.ToArray();
    }

    private static byte[] Zip(string name, byte[] content)
    {
        using var memory = new MemoryStream();
        using (var archive = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            using Stream stream = archive.CreateEntry(name).Open();
            stream.Write(content);
        }

        return memory.ToArray();
    }

    /// <summary>An RFC 7489 section 7.2.1.1 report message: text part plus the zip, base64.</summary>
    private static string Message(byte[] zip)
    {
        string base64 = Convert.ToBase64String(zip, Base64FormattingOptions.InsertLineBreaks);
        return "From: noreply-dmarc@reporter.example\r\n" +
               "To: dmarc@example.com\r\n" +
               "Subject: Report domain: example.com Submitter: reporter.example Report-ID: mail-1\r\n" +
               "Date: Wed, 15 Nov 2023 00:00:00 +0000\r\n" +
               "MIME-Version: 1.0\r\n" +
               "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n" +
               "--b1\r\nContent-Type: text/plain\r\n\r\nThis is an aggregate report.\r\n" +
               "--b1\r\nContent-Type: application/zip; name=\"report.zip\"\r\n" +
               "Content-Disposition: attachment; filename=\"report.zip\"\r\n" +
               "Content-Transfer-Encoding: base64\r\n\r\n" + base64 + "\r\n--b1--\r\n";
    }
}
