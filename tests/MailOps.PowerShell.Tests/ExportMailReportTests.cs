using System.Diagnostics;
using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>Export-MailReport: the HTML page from Test-MailDomain results and DMARC rows,
/// rendered by a real browser (Debian's headless Chromium, which .ci/run installs).</summary>
public sealed class ExportMailReportTests : IClassFixture<MailDomainFixture>, IDisposable
{
    private static readonly string DmarcSample = Path.Combine(AppContext.BaseDirectory, "Conformance", "reports", "aggregate", "example.net_example.com_1529366400_1529452799.xml");
    private readonly MailDomainFixture f;
    private readonly string folder = Directory.CreateTempSubdirectory("mailops-report-").FullName;

    public ExportMailReportTests(MailDomainFixture fixture) => f = fixture;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private PowerShellResult Export(string file, string extra = "")
        => f.Host.InvokeScript(
            "$items = @(Test-MailDomain good.example, noinclude.example -Server $dns) + @(Import-DmarcReport -Path $sample)\n" +
            "$items | Export-MailReport -Path $out -Title 'Contoso mail' " + extra,
            new Dictionary<string, object?> { ["dns"] = f.Dns.Endpoint, ["sample"] = DmarcSample, ["out"] = file });

    [Fact]
    public void Report_is_one_self_contained_file_with_domains_tree_and_chart()
    {
        string file = Path.Combine(folder, "report.html");
        var r = Export(file, "-PassThru");

        r.ThrowIfFailed();
        Assert.Equal(file, r.Single().Str("FullName"));
        string html = File.ReadAllText(file);
        Assert.Contains("good.example", html);
        Assert.Contains("noinclude.example", html);
        Assert.Contains("ProviderSpfIncludeMissing", html);
        Assert.Contains("_spf.google.com", html);               // the include tree
        Assert.Contains("<svg", html);                          // the pass/fail chart
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=\"http", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(http", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Headless_chromium_renders_the_page_with_every_section()
    {
        string file = Path.Combine(folder, "report.html");
        Export(file).ThrowIfFailed();
        string profile = Path.Combine(folder, "chromium-profile");
        string png = Path.Combine(folder, "report.png");

        string dom = RunChromium(profile, "--dump-dom", new Uri(file).AbsoluteUri);
        RunChromium(profile, "--screenshot=" + png, "--window-size=1280,2400", new Uri(file).AbsoluteUri);

        Assert.Contains("<title>Contoso mail</title>", dom);
        Assert.Contains("id=\"summary\"", dom);
        Assert.Contains("id=\"d-good-example\"", dom);
        Assert.Contains("id=\"dmarc\"", dom);
        Assert.Contains("class=\"pass\"", dom);
        Assert.True(new FileInfo(png).Length > 10_000, "the screenshot is (nearly) empty");
    }

    [Fact]
    public void WhatIf_writes_nothing()
    {
        string file = Path.Combine(folder, "whatif.html");

        Export(file, "-WhatIf").ThrowIfFailed();

        Assert.False(File.Exists(file));
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public void NoClobber_refuses_an_existing_file_and_leaves_it_as_it_was()
    {
        string file = Path.Combine(folder, "exists.html");
        File.WriteAllText(file, "keep me");

        var r = Export(file, "-NoClobber");

        var error = Assert.Single(r.Errors);
        Assert.StartsWith("ReportFileExists", error.FullyQualifiedErrorId);
        Assert.Equal("keep me", File.ReadAllText(file));
    }

    [Fact]
    public void Other_objects_get_an_error_each_and_the_report_is_still_written()
    {
        string file = Path.Combine(folder, "mixed.html");
        var r = f.Host.InvokeScript(
            "@('just a string', (Test-MailDomain good.example -Server $dns)) | Export-MailReport -Path $out",
            new Dictionary<string, object?> { ["dns"] = f.Dns.Endpoint, ["out"] = file });

        var error = Assert.Single(r.Errors);
        Assert.StartsWith("UnsupportedReportInput", error.FullyQualifiedErrorId);
        Assert.Contains("good.example", File.ReadAllText(file));
    }

    private static string RunChromium(string profile, params string[] args)
    {
        const string chromium = "/usr/bin/chromium";
        Assert.True(File.Exists(chromium), "Debian's chromium is not installed (.ci/run installs it: apt-get install chromium)");
        var psi = new ProcessStartInfo(chromium) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile })
        {
            psi.ArgumentList.Add(a);
        }

        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(120_000), "chromium did not finish in 120 s");
        Assert.True(process.ExitCode == 0, "chromium failed: " + stderr.Result);
        return stdout;
    }
}
