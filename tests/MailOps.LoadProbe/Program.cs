// A PowerShell host process in which another module already loaded DnsClient 1.6.1, then
// MailOps is imported and used. Prints key=value lines that MailOps.PowerShell.Tests asserts.
// Usage: MailOps.LoadProbe <MailOps.psd1> <dns server ip:port> <domain> <ip>
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.Loader;

if (args.Length != 4)
{
    Console.Error.WriteLine("usage: MailOps.LoadProbe <manifest> <dns-endpoint> <domain> <ip>");
    return 2;
}

// What "another module" does: use DnsClient 1.6.1, which lands in the default load context.
var sessionClient = new DnsClient.LookupClient(System.Net.IPAddress.Loopback);
Console.WriteLine($"session-dnsclient={sessionClient.GetType().Assembly.GetName().Version}");

using Runspace runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
runspace.Open();
using var ps = PowerShell.Create();
ps.Runspace = runspace;
ps.AddCommand("Import-Module").AddParameter("Name", args[0]).AddParameter("ErrorAction", "Stop");
ps.AddStatement().AddCommand("Test-SpfRecord")
    .AddParameter("Domain", args[2])
    .AddParameter("IPAddress", args[3])
    .AddParameter("Server", new[] { args[1] });
try
{
    foreach (PSObject result in ps.Invoke())
    {
        Console.WriteLine($"result={result.Properties["Result"]?.Value}");
        var engine = result.BaseObject.GetType().Assembly;
        Console.WriteLine($"mailops-core-context={AssemblyLoadContext.GetLoadContext(engine)?.GetType().FullName}");
        var dnsClient = AssemblyLoadContext.GetLoadContext(engine)?.Assemblies.FirstOrDefault(a => a.GetName().Name == "DnsClient");
        Console.WriteLine($"mailops-dnsclient={dnsClient?.GetName().Version}");
    }
}
catch (RuntimeException ex)
{
    Console.WriteLine($"terminating={ex.Message}");
}

foreach (ErrorRecord error in ps.Streams.Error)
{
    Console.WriteLine($"error={error.FullyQualifiedErrorId}: {error}");
}

Console.WriteLine($"default-dnsclient={string.Join(",", AssemblyLoadContext.Default.Assemblies.Where(a => a.GetName().Name == "DnsClient").Select(a => a.GetName().Version))}");
return 0;
