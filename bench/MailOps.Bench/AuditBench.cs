using System.Diagnostics;
using System.Management.Automation;
using MailOps.TestSupport.Dns;
using MailOps.TestSupport.PowerShell;

/// <summary>
/// Test-MailDomain over synthetic domains: each has MX at a big provider, an SPF include tree,
/// DMARC, TLS-RPT, and keys at two of the ten DKIM selectors probed; 20 ms added to every DNS
/// answer. Reports domains per second at each -ThrottleLimit.
/// </summary>
internal static class AuditBench
{
    internal static readonly string[] Selectors =
        { "google", "selector1", "selector2", "s1", "s2", "k1", "mail", "default", "dkim", "key1" };

    public static int Run(string[] args)
    {
        int domains = args.Length > 0 ? int.Parse(args[0]) : 1_000;
        int latencyMs = args.Length > 1 ? int.Parse(args[1]) : 20;
        int[] throttles = args.Length > 2 ? args[2].Split(',').Select(int.Parse).ToArray() : new[] { 1, 16 };

        using var dns = new DnsTestServer(BuildZone(domains)).Start();
        dns.Latency = TimeSpan.FromMilliseconds(latencyMs);
        var rows = Enumerable.Range(0, domains).Select(d =>
        {
            var row = new PSObject();
            row.Properties.Add(new PSNoteProperty("Domain", Name(d)));
            return (object?)row;
        }).ToList();

        using var host = new PowerShellHost();
        Console.WriteLine($"Test-MailDomain bench: {domains:N0} domains, {Selectors.Length} DKIM selectors each, {latencyMs} ms DNS latency, {Environment.ProcessorCount} cores");
        Console.WriteLine("| ThrottleLimit | domains | seconds | domains/s | DNS queries |");
        Console.WriteLine("|---:|---:|---:|---:|---:|");
        foreach (int throttle in throttles)
        {
            dns.ClearLog();
            var sw = Stopwatch.StartNew();
            var result = host.InvokeScript(
                "$input | Test-MailDomain -Server $dns -ThrottleLimit $throttle -Selector $selectors",
                new Dictionary<string, object?> { ["dns"] = dns.Endpoint, ["throttle"] = throttle, ["selectors"] = Selectors },
                rows);
            sw.Stop();
            result.ThrowIfFailed();
            if (result.Output.Count != domains)
            {
                throw new InvalidOperationException($"expected {domains} reports, got {result.Output.Count}");
            }

            Console.WriteLine($"| {throttle} | {domains:N0} | {sw.Elapsed.TotalSeconds:0.00} | {domains / sw.Elapsed.TotalSeconds:N1} | {dns.QueryCount:N0} |");
        }

        return 0;
    }

    private static string Name(int d) => $"audit{d:0000}.example";

    private static DnsZone BuildZone(int domains)
    {
        var zone = new DnsZone();
        zone.AddTxt("_spf.google.com", "v=spf1 include:_netblocks.google.com include:_netblocks2.google.com include:_netblocks3.google.com ~all");
        zone.AddTxt("_netblocks.google.com", "v=spf1 ip4:35.190.247.0/24 ip4:64.233.160.0/19 ip4:66.102.0.0/20 ~all");
        zone.AddTxt("_netblocks2.google.com", "v=spf1 ip6:2001:4860:4000::/36 ip6:2404:6800:4000::/36 ~all");
        zone.AddTxt("_netblocks3.google.com", "v=spf1 ip4:172.217.0.0/19 ip4:172.217.32.0/20 ~all");
        zone.AddTxt("spf.protection.outlook.com", "v=spf1 ip4:40.92.0.0/15 ip4:40.107.0.0/16 include:spfd.protection.outlook.com -all");
        zone.AddTxt("spfd.protection.outlook.com", "v=spf1 ip4:51.4.72.0/24 ip4:51.5.72.0/24 -all");
        zone.AddTxt("sendgrid.net", "v=spf1 ip4:167.89.0.0/17 ip4:149.72.0.0/16 ~all");
        zone.AddA("aspmx.l.google.com", "142.250.102.26");
        zone.AddA("alt1.aspmx.l.google.com", "142.250.153.27");
        for (int d = 0; d < domains; d++)
        {
            string name = Name(d);
            bool google = d % 2 == 0;
            if (google)
            {
                zone.AddMx(name, 1, "aspmx.l.google.com").AddMx(name, 5, "alt1.aspmx.l.google.com");
                zone.AddTxt(name, "v=spf1 include:_spf.google.com include:sendgrid.net ~all");
                zone.AddLongTxt("google._domainkey." + name, "v=DKIM1; k=rsa; p=" + RsaKey2048);
            }
            else
            {
                string mx = name.Replace('.', '-') + ".mail.protection.outlook.com";
                zone.AddMx(name, 0, mx).AddA(mx, $"52.101.{d % 250}.1");
                zone.AddTxt(name, "v=spf1 include:spf.protection.outlook.com include:sendgrid.net -all");
                zone.AddLongTxt("selector1._domainkey." + name, "v=DKIM1; k=rsa; p=" + RsaKey2048);
            }

            zone.AddLongTxt("s1._domainkey." + name, "v=DKIM1; k=rsa; p=" + RsaKey2048);
            zone.AddTxt("_dmarc." + name, $"v=DMARC1; p=quarantine; rua=mailto:dmarc@{name}");
            zone.AddTxt("_smtp._tls." + name, $"v=TLSRPTv1; rua=mailto:tlsrpt@{name}");
        }

        return zone;
    }

    // A 2048-bit RSA SubjectPublicKeyInfo, made once per run: only its size matters here.
    private static readonly string RsaKey2048 = Convert.ToBase64String(
        System.Security.Cryptography.RSA.Create(2048).ExportSubjectPublicKeyInfo());
}
