using System.Net;
using MailOps.TestSupport.Dns;
using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>
/// A PowerShell host with MailOps imported and a DNS test server that hosts fake blocklists:
/// healthy custom lists, a dead one, a wildcarding one, and stand-ins for catalogue lists under
/// their real zone names (the server is asked through -Server, so nothing reaches the internet).
/// </summary>
public sealed class BlocklistFixture : IDisposable
{
    public BlocklistFixture()
    {
        var zone = new DnsZone();

        // zen.spamhaus.org stand-in: RFC 5782 test entries, a listed host on SBL and XBL with a
        // reason, a public-resolver refusal, an answer outside 127/8, IPv6 entries in nibble form.
        Healthy(zone, "zen.spamhaus.org", ipv6: true);
        zone.AddA("99.2.0.192.zen.spamhaus.org", "127.0.0.2").AddA("99.2.0.192.zen.spamhaus.org", "127.0.0.4")
            .AddTxt("99.2.0.192.zen.spamhaus.org", "https://check.spamhaus.org/query/ip/192.0.2.99");
        zone.AddA("254.113.0.203.zen.spamhaus.org", "127.255.255.254");
        zone.AddA("7.113.0.203.zen.spamhaus.org", "198.51.100.1");
        zone.AddA(Nibbles("2001:db8::99", "zen.spamhaus.org"), "127.0.0.3");

        // bl.spamcop.net stand-in (IPv4 only in the catalogue).
        Healthy(zone, "bl.spamcop.net", ipv6: false);

        // Custom lists: one healthy with 192.0.2.99 listed, one dead, one listing everything.
        Healthy(zone, "bl.test.example", ipv6: false);
        zone.AddA("99.2.0.192.bl.test.example", "127.0.0.2");
        zone.AddA("99.2.0.192.wild.test.example", "127.0.0.2")
            .AddA("2.0.0.127.wild.test.example", "127.0.0.2")
            .AddA("1.0.0.127.wild.test.example", "127.0.0.2");
        Healthy(zone, "once.test.example", ipv6: false);
        Healthy(zone, "broken.test.example", ipv6: false);

        // dbl.spamhaus.org stand-in: its documented test entry and a listed domain.
        zone.AddA("dbltest.com.dbl.spamhaus.org", "127.0.1.2");
        zone.AddA("spammy.example.dbl.spamhaus.org", "127.0.1.2").AddTxt("spammy.example.dbl.spamhaus.org", "https://check.spamhaus.org/query/dbl/spammy.example");
        zone.AddA("phish.example.dbl.spamhaus.org", "127.0.1.4");

        Dns = new DnsTestServer(zone).Start();
        Dns.SetFault("5.2.0.192.broken.test.example", "A", DnsFault.ServerFailure);
        Dns.SetLatency("1.2.0.192.bl.test.example", null, TimeSpan.FromMilliseconds(300));
        Host = new PowerShellHost();
    }

    public DnsTestServer Dns { get; }

    public PowerShellHost Host { get; }

    /// <summary>The nibble-form query name of an IPv6 address (RFC 5782 section 2.4).</summary>
    public static string Nibbles(string address, string zone)
    {
        byte[] bytes = IPAddress.Parse(address).GetAddressBytes();
        var labels = new List<string>();
        for (int i = bytes.Length - 1; i >= 0; i--)
        {
            labels.Add((bytes[i] & 0x0F).ToString("x"));
            labels.Add((bytes[i] >> 4).ToString("x"));
        }

        return string.Join(".", labels) + "." + zone;
    }

    /// <summary>Runs Test-DnsBlocklist against the test server.</summary>
    public PowerShellResult Run(Dictionary<string, object?> parameters, IEnumerable<object?>? input = null)
    {
        parameters["Server"] = new[] { Dns.Endpoint };
        return Host.Invoke("Test-DnsBlocklist", parameters, input);
    }

    /// <summary>Runs a script with $dns set to the test server's endpoint.</summary>
    public PowerShellResult Script(string script)
        => Host.InvokeScript(script, new Dictionary<string, object?> { ["dns"] = Dns.Endpoint });

    public void Dispose()
    {
        Host.Dispose();
        Dns.Dispose();
    }

    /// <summary>The RFC 5782 section 5 test entries of a healthy list: 127.0.0.2 listed, 127.0.0.1 absent.</summary>
    private static void Healthy(DnsZone zone, string list, bool ipv6)
    {
        zone.AddA("2.0.0.127." + list, "127.0.0.2").AddTxt("2.0.0.127." + list, "test entry");
        if (ipv6)
        {
            zone.AddA(Nibbles("::ffff:7f00:2", list), "127.0.0.2");
        }
    }
}
