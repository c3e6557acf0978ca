using System.Diagnostics;
using MailOps.TestSupport.Dns;
using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>
/// The #1 complaint about peer modules: another module already loaded a different DnsClient and
/// the import fails. A fresh host process loads DnsClient 1.6.1 first, then imports MailOps.
/// </summary>
public sealed class LoadIsolationTests
{
    [Fact]
    public async Task MailOps_runs_in_a_session_that_already_loaded_DnsClient_1_6_1()
    {
        var zone = new DnsZone().AddTxt("contoso.example", "v=spf1 ip4:192.0.2.0/24 -all");
        await using var dns = await DnsTestServer.StartAsync(zone);
        string probe = Path.Combine(RepositoryPaths.Root, "tests", "MailOps.LoadProbe", "bin", "Release", "net10.0", "MailOps.LoadProbe.dll");
        Assert.True(File.Exists(probe), "build the solution in Release first: " + probe);

        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { probe, RepositoryPaths.ModuleManifest, dns.Endpoint, "contoso.example", "192.0.2.10" })
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.Contains('='))
            .ToLookup(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..]);

        Assert.True(process.ExitCode == 0, output + await stderr);
        Assert.Equal("1.6.1.0", lines["session-dnsclient"].Single());
        Assert.Equal("Pass", lines["result"].SingleOrDefault());
        Assert.Empty(lines["error"]);
        Assert.Empty(lines["terminating"]);
        Assert.NotEqual("System.Runtime.Loader.DefaultAssemblyLoadContext", lines["mailops-core-context"].Single());
        Assert.Equal("1.8.0.0", lines["mailops-dnsclient"].Single());
        Assert.Equal("1.6.1.0", lines["default-dnsclient"].Single());
    }
}
