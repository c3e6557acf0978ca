using System;
using System.Collections.Generic;
using System.Management.Automation;
using MailOps.Core.Dns;

namespace MailOps.Commands;

/// <summary>
/// Base of every cmdlet that asks DNS. One resolver (and so one cache) per cmdlet invocation and
/// per server list: answers from server A never serve a question to server B, and a pipeline of
/// a thousand domains shares the lookups of the includes they have in common.
/// </summary>
public abstract class DnsCmdlet : MailOpsCmdlet
{
    private readonly Dictionary<string, IDnsResolver> resolvers = new Dictionary<string, IDnsResolver>(StringComparer.OrdinalIgnoreCase);

    /// <summary>DNS servers to ask instead of the system's resolvers: host, ip, ip:port or [ipv6]:port.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[]? Server { get; set; }

    /// <summary>Seconds to wait for one DNS answer before it counts as a timeout.</summary>
    [Parameter]
    [ValidateRange(1, 60)]
    public int TimeoutSec { get; set; } = 5;

    /// <summary>The resolver for the current -Server value, created once per invocation. Throws
    /// <see cref="FormatException"/> or <see cref="ArgumentException"/> for a bad server.</summary>
    internal IDnsResolver GetResolver()
    {
        string key = Server is null ? string.Empty : string.Join(",", Server);
        if (!resolvers.TryGetValue(key, out IDnsResolver? resolver))
        {
            var options = new DnsResolverOptions
            {
                Servers = Server ?? Array.Empty<string>(),
                Timeout = TimeSpan.FromSeconds(TimeoutSec),
            };
            resolver = DnsResolverFactory.Create(options, new VerboseDnsObserver(this));
            resolvers.Add(key, resolver);
        }

        return resolver;
    }

    /// <summary>The resolver, or an ErrorRecord targeting the bad -Server value.</summary>
    internal bool TryGetResolver(out IDnsResolver? resolver, out ErrorRecord? error)
    {
        try
        {
            resolver = GetResolver();
            error = null;
            return true;
        }
        catch (Exception ex) when (ex is FormatException || ex is ArgumentException || ex is System.Net.Sockets.SocketException)
        {
            resolver = null;
            error = CreateError(ex, ErrorIds.InvalidDnsServer, ErrorCategory.InvalidArgument, Server is null ? null : string.Join(",", Server));
            return false;
        }
    }

    /// <summary>Turns every real DNS question into a -Verbose line, queued until the pipeline
    /// thread writes it.</summary>
    private sealed class VerboseDnsObserver : IDnsQueryObserver
    {
        private readonly DnsCmdlet owner;

        public VerboseDnsObserver(DnsCmdlet owner) => this.owner = owner;

        public void OnQuery(DnsAnswer answer, TimeSpan elapsed, bool fromCache)
        {
            if (!fromCache)
            {
                owner.QueueVerbose($"DNS {answer} from {answer.Server ?? "no server"} in {elapsed.TotalMilliseconds:0} ms");
            }
        }
    }
}
