using System.Diagnostics;
using System.Text;
using MailOps.TestSupport.PowerShell;

/// <summary>
/// Import-DmarcReport over large synthetic aggregate reports (default 100 MB and 200 MB of XML,
/// written to a temp folder), counted in a script block so no row is kept. Reports rows per
/// second and memory: the highest managed heap sampled during the run and the process's peak
/// working set, to show that memory stays flat as the file doubles.
/// </summary>
internal static class ReportBench
{
    public static int Run(string[] args)
    {
        int[] sizesMb = args.Length > 0 ? args[0].Split(',').Select(int.Parse).ToArray() : new[] { 100, 200 };
        string folder = Path.Combine(Path.GetTempPath(), "mailops-report-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            using var host = new PowerShellHost();

            // Warm-up (JIT, module load) on a 1 MB report, not measured.
            string warm = Path.Combine(folder, "warm-up.xml");
            Generate(warm, 1024 * 1024);
            host.InvokeScript("$n = 0; Import-DmarcReport -LiteralPath $p | ForEach-Object { $n++ }; $n", new Dictionary<string, object?> { ["p"] = warm }).ThrowIfFailed();
            Console.WriteLine($"Import-DmarcReport bench: synthetic aggregate reports, {Environment.ProcessorCount} cores, hosted PowerShell, rows counted in ForEach-Object");
            Console.WriteLine("| file | records | seconds | rows/s | max managed heap | peak working set |");
            Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
            foreach (int size in sizesMb)
            {
                string path = Path.Combine(folder, $"report-{size}mb.xml");
                long records = Generate(path, size * 1024L * 1024L);
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();

                long maxHeap = 0;
                using var stop = new CancellationTokenSource();
                var sampler = Task.Run(async () =>
                {
                    while (!stop.IsCancellationRequested)
                    {
                        maxHeap = Math.Max(maxHeap, GC.GetTotalMemory(false));
                        try
                        {
                            await Task.Delay(20, stop.Token);
                        }
                        catch (OperationCanceledException)
                        {
                        }
                    }
                });

                var sw = Stopwatch.StartNew();
                var result = host.InvokeScript("$n = 0; Import-DmarcReport -LiteralPath $p | ForEach-Object { $n++ }; $n", new Dictionary<string, object?> { ["p"] = path });
                sw.Stop();
                stop.Cancel();
                sampler.Wait();
                result.ThrowIfFailed();
                long rows = Convert.ToInt64(result.Single().BaseObject);
                if (rows != records)
                {
                    throw new InvalidOperationException($"expected {records} rows, got {rows}");
                }

                Process.GetCurrentProcess().Refresh();
                long peak = Process.GetCurrentProcess().PeakWorkingSet64;
                Console.WriteLine($"| {new FileInfo(path).Length / (1024.0 * 1024):N0} MB | {records:N0} | {sw.Elapsed.TotalSeconds:0.0} | {rows / sw.Elapsed.TotalSeconds:N0} | {maxHeap / (1024.0 * 1024):N0} MB | {peak / (1024.0 * 1024):N0} MB |");
                File.Delete(path);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        return 0;
    }

    /// <summary>Writes a report of about <paramref name="bytes"/> bytes; returns the record count.</summary>
    private static long Generate(string path, long bytes)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        writer.Write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feedback>\n  <version>1.0</version>\n  <report_metadata>\n    <org_name>bench.example</org_name>\n    <email>dmarc@bench.example</email>\n    <report_id>bench-1</report_id>\n    <date_range><begin>1700000000</begin><end>1700086399</end></date_range>\n  </report_metadata>\n  <policy_published>\n    <domain>example.com</domain>\n    <adkim>r</adkim>\n    <aspf>r</aspf>\n    <p>reject</p>\n    <sp>reject</sp>\n    <pct>100</pct>\n  </policy_published>\n");
        long records = 0;
        var rng = new Random(7489);
        while (writer.BaseStream.Position < bytes)
        {
            int i = (int)(records % 60000);
            string ip = $"10.{i / 62500 % 256}.{i / 250 % 250}.{i % 250 + 1}";
            bool pass = rng.Next(4) != 0;
            string dkimDomain = pass ? "mail.example.com" : "esp.example";
            writer.Write($"  <record>\n    <row>\n      <source_ip>{ip}</source_ip>\n      <count>{rng.Next(1, 500)}</count>\n      <policy_evaluated>\n        <disposition>{(pass ? "none" : "reject")}</disposition>\n        <dkim>{(pass ? "pass" : "fail")}</dkim>\n        <spf>fail</spf>\n      </policy_evaluated>\n    </row>\n    <identifiers>\n      <envelope_from>bounce.esp.example</envelope_from>\n      <header_from>example.com</header_from>\n    </identifiers>\n    <auth_results>\n      <dkim>\n        <domain>{dkimDomain}</domain>\n        <selector>s{i % 7}</selector>\n        <result>pass</result>\n      </dkim>\n      <spf>\n        <domain>bounce.esp.example</domain>\n        <scope>mfrom</scope>\n        <result>pass</result>\n      </spf>\n    </auth_results>\n  </record>\n");
            records++;
        }

        writer.Write("</feedback>\n");
        return records;
    }
}
