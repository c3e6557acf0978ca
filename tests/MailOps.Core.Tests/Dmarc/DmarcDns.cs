using MailOps.Core.Dmarc;
using MailOps.Core.Dns;
using MailOps.TestSupport.Dns;

namespace MailOps.Core.Tests.Dmarc;

/// <summary>
/// A DNS test server on loopback for one test, with the production resolver pointed at it, so
/// discovery runs over the real wire protocol and the server's log shows every query sent.
/// </summary>
internal sealed class DmarcDns : IDisposable
{
    public DmarcDns(DnsZone zone)
    {
        Server = new DnsTestServer(zone).Start();
        Resolver = DnsResolverFactory.Create(new DnsResolverOptions
        {
            Servers = new List<string> { Server.Endpoint },
            Timeout = TimeSpan.FromSeconds(2),
        });
    }

    public DnsTestServer Server { get; }

    public IDnsResolver Resolver { get; }

    /// <summary>The _dmarc TXT queries that reached the server, in arrival order.</summary>
    public string[] DmarcQueries => Server.Queries
        .Where(q => q.Type == "TXT" && q.Name.StartsWith("_dmarc.", StringComparison.Ordinal))
        .Select(q => q.Name)
        .ToArray();

    public Task<DmarcPolicy> DiscoverAsync(string domain, DmarcDiscoveryMethod method = DmarcDiscoveryMethod.TreeWalk, bool thirdParty = false)
        => new DmarcPolicyDiscovery(Resolver).DiscoverAsync(domain, new DmarcDiscoveryOptions { Method = method, ThirdParty = thirdParty }, CancellationToken.None);

    public void Dispose() => Server.Dispose();
}
