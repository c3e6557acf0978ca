using System.IO.Compression;
using System.Text;

namespace MailOps.Core.Tests.Reports;

/// <summary>A temporary folder for one test's report files, with builders for the containers
/// reports travel in (gzip, zip). Deleted on dispose.</summary>
internal sealed class ReportFiles : IDisposable
{
    public ReportFiles()
    {
        Folder = Path.Combine(Path.GetTempPath(), "mailops-reports-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }

    /// <summary>A file of tests/Conformance/reports copied to the test output.</summary>
    public static string Conformance(string relative) => Path.Combine(AppContext.BaseDirectory, "Conformance", "reports", relative);

    public string Write(string name, string text) => Write(name, Encoding.UTF8.GetBytes(text));

    public string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(Folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public static byte[] Gzip(string text)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Optimal, leaveOpen: true))
        {
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            gzip.Write(bytes, 0, bytes.Length);
        }

        return memory.ToArray();
    }

    public static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var memory = new MemoryStream();
        using (var archive = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using Stream stream = archive.CreateEntry(name).Open();
                stream.Write(content, 0, content.Length);
            }
        }

        return memory.ToArray();
    }

    /// <summary>An aggregate report with the given policy and records (each an XML fragment).</summary>
    public static string Aggregate(string policy, params string[] records)
        => "<?xml version=\"1.0\"?>\n<feedback><report_metadata><org_name>reporter.example</org_name>" +
           "<email>dmarc@reporter.example</email><report_id>r-1</report_id>" +
           "<date_range><begin>1700000000</begin><end>1700086399</end></date_range></report_metadata>" +
           "<policy_published>" + policy + "</policy_published>" + string.Concat(records) + "</feedback>";

    /// <summary>A record from <paramref name="ip"/> for From <paramref name="from"/> with the
    /// given auth_results fragment.</summary>
    public static string Record(string ip, string from, string auth, string evaluated = "<disposition>none</disposition><dkim>fail</dkim><spf>fail</spf>", int count = 1)
        => $"<record><row><source_ip>{ip}</source_ip><count>{count}</count><policy_evaluated>{evaluated}</policy_evaluated></row>" +
           $"<identifiers><header_from>{from}</header_from></identifiers><auth_results>{auth}</auth_results></record>";

    public static string Dkim(string domain, string result, string selector = "s1")
        => $"<dkim><domain>{domain}</domain><selector>{selector}</selector><result>{result}</result></dkim>";

    public static string Spf(string domain, string result)
        => $"<spf><domain>{domain}</domain><scope>mfrom</scope><result>{result}</result></spf>";

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
