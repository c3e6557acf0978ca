using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace MailOps.Core.Dns;

/// <summary>
/// Builds the resolver a cmdlet uses: the wire-protocol resolver behind a per-invocation cache,
/// with the cmdlet's verbose observer attached. The one place that knows how the pieces fit, so
/// every cmdlet gets the same caching and failover behaviour.
/// </summary>
public static class DnsResolverFactory
{
    /// <summary>
    /// Creates a resolver, resolving server host names through the operating system first
    /// (a blocking call; cmdlets may prefer <see cref="CreateAsync"/>).
    /// </summary>
    /// <exception cref="FormatException">A server string is not a valid endpoint.</exception>
    /// <exception cref="ArgumentException">A server host name does not resolve.</exception>
    /// <exception cref="InvalidOperationException">No servers were given and the system has none.</exception>
    public static IDnsResolver Create(DnsResolverOptions options, IDnsQueryObserver? observer = null)
        => CreateAsync(options, observer, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Creates a resolver, resolving server host names asynchronously.</summary>
    /// <exception cref="FormatException">A server string is not a valid endpoint.</exception>
    /// <exception cref="ArgumentException">A server host name does not resolve.</exception>
    /// <exception cref="InvalidOperationException">No servers were given and the system has none.</exception>
    public static async Task<IDnsResolver> CreateAsync(DnsResolverOptions options, IDnsQueryObserver? observer = null, CancellationToken cancellationToken = default)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        // Parse everything first, so one typo is reported before any name is looked up.
        var endpoints = (options.Servers ?? Array.Empty<string>()).Select(DnsServerEndpoint.Parse).ToArray();
        var addresses = new List<IPEndPoint>();
        foreach (var endpoint in endpoints)
        {
            IReadOnlyList<IPEndPoint> resolved;
            try
            {
                resolved = await endpoint.ResolveAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw new ArgumentException($"The DNS server '{endpoint.Host}' cannot be resolved: {e.Message}", nameof(options), e);
            }

            if (resolved.Count == 0)
            {
                throw new ArgumentException($"The DNS server '{endpoint.Host}' has no address.", nameof(options));
            }

            addresses.AddRange(resolved.Where(a => !addresses.Contains(a)));
        }

        return new CachingDnsResolver(new DnsClientResolver(addresses, options), observer);
    }
}
