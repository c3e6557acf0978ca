// MailOps benches, through the real path (hosted PowerShell, staged module, DnsClient, the
// wire-protocol DNS test server with added latency).
//   spf   [checks] [latency-ms] [throttles]   10,000 Test-SpfRecord checks (default 10000 5 1,16,64)
//   audit [domains] [latency-ms] [throttles]  Test-MailDomain over synthetic domains (default 1000 20 1,16)
//   send  [messages] [swaks-messages]          Send-RelayMail vs a MailKit loop vs swaks (default 1000 200)
using System.Diagnostics;
using System.Management.Automation;
using MailOps.TestSupport.Dns;
using MailOps.TestSupport.PowerShell;

string mode = args.Length > 0 ? args[0] : "spf";
string[] rest = args.Skip(1).ToArray();
if (mode == "audit")
{
    return AuditBench.Run(rest);
}

if (mode == "send")
{
    return SendBench.Run(rest);
}
if (mode == "report") return ReportBench.Run(rest);

int checks = rest.Length > 0 ? int.Parse(rest[0]) : 10_000;
int latencyMs = rest.Length > 1 ? int.Parse(rest[1]) : 5;
int[] throttles = rest.Length > 2 ? rest[2].Split(',').Select(int.Parse).ToArray() : new[] { 1, 16, 64 };
const int Domains = 1_000;

var zone = SpfBenchZone.Build(Domains);
using var dns = new DnsTestServer(zone).Start();
dns.Latency = TimeSpan.FromMilliseconds(latencyMs);

// The inputs: a third from the domain's own network (pass by ip4), a third from a provider
// (pass through an include tree), a third from nowhere (softfail after the whole tree).
var rng = new Random(7208);
var rows = new List<PSObject>(checks);
int expectedPass = 0;
for (int i = 0; i < checks; i++)
{
    int d = i % Domains;
    string ip;
    switch (i % 3)
    {
        case 0: ip = $"10.{d / 250}.{d % 250}.{rng.Next(1, 15)}"; expectedPass++; break;
        case 1: ip = SpfBenchZone.ProviderAddress(d, rng); expectedPass++; break;
        default: ip = $"203.0.113.{rng.Next(1, 254)}"; break;
    }

    var row = new PSObject();
    row.Properties.Add(new PSNoteProperty("Domain", SpfBenchZone.DomainName(d)));
    row.Properties.Add(new PSNoteProperty("IPAddress", ip));
    rows.Add(row);
}

using var host = new PowerShellHost();
Console.WriteLine($"Test-SpfRecord bench: {checks:N0} checks over {Domains:N0} domains, {latencyMs} ms DNS latency, {Environment.ProcessorCount} cores");
Console.WriteLine("| ThrottleLimit | checks | seconds | checks/s | DNS queries | Pass |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
foreach (int throttle in throttles)
{
    dns.ClearLog();
    var sw = Stopwatch.StartNew();
    var result = host.InvokeScript(
        "$input | Test-SpfRecord -Server $dns -ThrottleLimit $throttle",
        new Dictionary<string, object?> { ["dns"] = dns.Endpoint, ["throttle"] = throttle },
        rows);
    sw.Stop();
    result.ThrowIfFailed();
    int pass = result.Output.Count(o => o.Str("Result") == "Pass");
    if (result.Output.Count != checks || pass != expectedPass)
    {
        throw new InvalidOperationException($"wrong results: {result.Output.Count} outputs, {pass} pass, expected {expectedPass}");
    }

    Console.WriteLine($"| {throttle} | {checks:N0} | {sw.Elapsed.TotalSeconds:0.00} | {checks / sw.Elapsed.TotalSeconds:N0} | {dns.QueryCount:N0} | {pass:N0} |");
}

return 0;
