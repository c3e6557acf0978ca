using MailOps.TestSupport.Dns;

/// <summary>
/// A zone shaped like the real Internet's SPF: big providers with nested include trees
/// (a Google-like three-netblock tree, a Microsoft-like tree, SendGrid-, Mailgun- and SES-like
/// records) and customer domains that include two or three of them next to their own network,
/// mx and a. Worst case per domain stays under the 10-lookup limit, as real records must.
/// </summary>
internal static class SpfBenchZone
{
    private static readonly string[][] Mixes =
    {
        new[] { "_spf.google.example", "sendgrid.example" },
        new[] { "spf.protection.outlook.example", "mailgun.example" },
        new[] { "_spf.google.example", "amazonses.example", "sendgrid.example" },
        new[] { "spf.protection.outlook.example", "sendgrid.example" },
    };

    public static string DomainName(int d) => $"d{d:0000}.example";

    public static DnsZone Build(int domains)
    {
        var zone = new DnsZone();
        zone.AddTxt("_spf.google.example", "v=spf1 include:_netblocks.google.example include:_netblocks2.google.example include:_netblocks3.google.example ~all");
        zone.AddTxt("_netblocks.google.example", "v=spf1 " + Nets("ip4:35.190.{0}.0/24", 12) + " ~all");
        zone.AddTxt("_netblocks2.google.example", "v=spf1 " + Nets("ip6:2001:4860:{0:x}::/48", 8) + " ~all");
        zone.AddTxt("_netblocks3.google.example", "v=spf1 " + Nets("ip4:172.217.{0}.0/24", 10) + " ~all");
        zone.AddTxt("spf.protection.outlook.example", "v=spf1 " + Nets("ip4:40.92.{0}.0/24", 8) + " include:spfd.protection.outlook.example -all");
        zone.AddTxt("spfd.protection.outlook.example", "v=spf1 " + Nets("ip4:52.100.{0}.0/24", 8) + " -all");
        zone.AddTxt("sendgrid.example", "v=spf1 ip4:149.72.0.0/16 ip4:167.89.0.0/17 ip4:50.31.32.0/19 ~all");
        zone.AddTxt("mailgun.example", "v=spf1 include:_spf.mailgun.example include:_spf2.mailgun.example ~all");
        zone.AddTxt("_spf.mailgun.example", "v=spf1 ip4:209.61.151.0/24 ip4:166.78.68.0/22 ~all");
        zone.AddTxt("_spf2.mailgun.example", "v=spf1 ip4:198.61.254.0/23 ip4:69.72.32.0/20 ~all");
        zone.AddTxt("amazonses.example", "v=spf1 ip4:199.255.192.0/22 ip4:54.240.0.0/18 ip4:23.249.208.0/20 -all");

        for (int d = 0; d < domains; d++)
        {
            string name = DomainName(d);
            string includes = string.Join(" ", Mixes[d % Mixes.Length].Select(p => "include:" + p));
            zone.AddTxt(name, $"v=spf1 mx a ip4:10.{d / 250}.{d % 250}.0/28 {includes} ~all");
            zone.AddMx(name, 10, "mail." + name);
            zone.AddA("mail." + name, $"192.0.2.{d % 250 + 1}");
            zone.AddA(name, $"198.51.100.{d % 250 + 1}");
        }

        return zone;
    }

    /// <summary>An address that the domain's providers authorize, deep in their trees.</summary>
    public static string ProviderAddress(int d, Random rng)
        => Mixes[d % Mixes.Length][^1] switch
        {
            "sendgrid.example" => $"149.72.{rng.Next(0, 255)}.{rng.Next(1, 254)}",
            "mailgun.example" => $"69.72.{rng.Next(32, 47)}.{rng.Next(1, 254)}",
            _ => $"23.249.{rng.Next(208, 223)}.{rng.Next(1, 254)}",
        };

    private static string Nets(string format, int count)
        => string.Join(" ", Enumerable.Range(1, count).Select(i => string.Format(format, i)));
}
