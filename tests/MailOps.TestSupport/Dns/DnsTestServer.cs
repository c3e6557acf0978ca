using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;

namespace MailOps.TestSupport.Dns;

/// <summary>
/// A real DNS server on 127.0.0.1 (UDP and TCP on the same ephemeral port) that answers from a
/// <see cref="DnsZone"/>. Tests drive the production resolver over the wire protocol against it,
/// so truncation, TCP fallback, timeouts and odd TXT bytes are exercised for real, and the query
/// log proves what actually reached the network (one query for a cached answer, TCP after TC=1).
/// </summary>
public sealed class DnsTestServer : IAsyncDisposable, IDisposable
{
    private const int MaxBindAttempts = 20;

    private readonly ConcurrentDictionary<(string Name, string Type), DnsFault> _faults = new();
    private readonly ConcurrentDictionary<(string Name, string Type), TimeSpan> _latencies = new();
    private readonly ConcurrentQueue<DnsQueryLogEntry> _log = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _lifecycle = new();
    private DnsZone _zone;
    private DnsServer? _server;
    private IServerTransport[] _transports = Array.Empty<IServerTransport>();
    private int _udpQueries;
    private int _tcpQueries;
    private int _fault;
    private long _latencyTicks;
    private bool _disposed;

    /// <summary>Creates a server for <paramref name="zone"/> (an empty zone when null); call <see cref="Start"/>.</summary>
    public DnsTestServer(DnsZone? zone = null)
    {
        _zone = zone ?? new DnsZone();
    }

    /// <summary>Creates and starts a server: the usual one-liner in a test.</summary>
    public static Task<DnsTestServer> StartAsync(DnsZone? zone = null)
    {
        // Binding is synchronous; the async shape lets fixtures and tests await it uniformly.
        return Task.FromResult(new DnsTestServer(zone).Start());
    }

    /// <summary>The port both transports listen on (0 before <see cref="Start"/>).</summary>
    public int Port { get; private set; }

    /// <summary>"127.0.0.1:port", the form MailOps' -Server parameter and resolver options take.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>The listening endpoint.</summary>
    public IPEndPoint IPEndPoint => new(IPAddress.Loopback, Port);

    /// <summary>The zone answered from. Replace it, or change it in place, while the server runs.</summary>
    public DnsZone Zone
    {
        get => Volatile.Read(ref _zone);
        set => Volatile.Write(ref _zone, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>A fault applied to every query that has no per-name fault of its own.</summary>
    public DnsFault Fault
    {
        get => (DnsFault)Volatile.Read(ref _fault);
        set => Volatile.Write(ref _fault, (int)value);
    }

    /// <summary>A delay added before every answer (benchmarks use 5 ms and 20 ms; tests use it to make queries overlap).</summary>
    public TimeSpan Latency
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks));
        set => Interlocked.Exchange(ref _latencyTicks, value.Ticks);
    }

    /// <summary>Every query received so far, in arrival order.</summary>
    public IReadOnlyList<DnsQueryLogEntry> Queries => _log.ToArray();

    /// <summary>Number of queries received over both transports.</summary>
    public int QueryCount => Volatile.Read(ref _udpQueries) + Volatile.Read(ref _tcpQueries);

    /// <summary>Number of queries received over UDP.</summary>
    public int UdpQueryCount => Volatile.Read(ref _udpQueries);

    /// <summary>Number of queries received over TCP.</summary>
    public int TcpQueryCount => Volatile.Read(ref _tcpQueries);

    /// <summary>Binds UDP and TCP on one free loopback port and starts answering.</summary>
    public DnsTestServer Start()
    {
        lock (_lifecycle)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_server is not null)
            {
                return this;
            }

            SocketException? last = null;
            for (var attempt = 0; attempt < MaxBindAttempts; attempt++)
            {
                // The OS hands out a free TCP port; the UDP port of the same number is usually free
                // too, and when it is not (or someone grabs either in between) we try another.
                var endpoint = new IPEndPoint(IPAddress.Loopback, FreeTcpPort());
                var udp = new UdpServerTransport(endpoint, 5000);
                var tcp = new TcpServerTransport(endpoint, 5000, 30000);
                var server = new DnsServer(udp, tcp);
                server.QueryReceived += OnQueryReceivedAsync;
                try
                {
                    server.Start();
                    _server = server;
                    _transports = new IServerTransport[] { udp, tcp };
                    Port = endpoint.Port;
                    return this;
                }
                catch (SocketException e)
                {
                    last = e;
                    udp.Close();
                    tcp.Close();
                }
            }

            throw new InvalidOperationException($"Could not bind a DNS test server after {MaxBindAttempts} attempts.", last);
        }
    }

    /// <summary>
    /// Sets a fault for one name, for one type or (type null or "*") for all its types.
    /// <see cref="DnsFault.None"/> removes it. A per-name fault wins over <see cref="Fault"/>.
    /// </summary>
    public void SetFault(string name, string? type, DnsFault fault)
    {
        var key = Key(name, type);
        if (fault == DnsFault.None)
        {
            _faults.TryRemove(key, out _);
        }
        else
        {
            _faults[key] = fault;
        }
    }

    /// <summary>Sets a delay for one name (and type, or all types when null), added to <see cref="Latency"/>.</summary>
    public void SetLatency(string name, string? type, TimeSpan latency)
    {
        var key = Key(name, type);
        if (latency <= TimeSpan.Zero)
        {
            _latencies.TryRemove(key, out _);
        }
        else
        {
            _latencies[key] = latency;
        }
    }

    /// <summary>Removes every fault and latency, global and per name.</summary>
    public void ClearFaults()
    {
        _faults.Clear();
        _latencies.Clear();
        Fault = DnsFault.None;
        Latency = TimeSpan.Zero;
    }

    /// <summary>Counts logged queries for a name, optionally of one type and transport.</summary>
    public int CountQueries(string name, string? type = null, DnsTransport? transport = null)
    {
        var wantedName = DnsZone.Normalize(name);
        var wantedType = type is null ? null : DnsZone.NormalizeType(type);
        return _log.Count(q => q.Name == wantedName
            && (wantedType is null || q.Type == wantedType)
            && (transport is null || q.Transport == transport));
    }

    /// <summary>Forgets the query log and resets the counters.</summary>
    public void ClearLog()
    {
        _log.Clear();
        Interlocked.Exchange(ref _udpQueries, 0);
        Interlocked.Exchange(ref _tcpQueries, 0);
    }

    /// <summary>Stops the server; queries held by a Timeout fault are released unanswered.</summary>
    public void Dispose()
    {
        DnsServer? server;
        IServerTransport[] transports;
        lock (_lifecycle)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            server = _server;
            transports = _transports;
            _server = null;
        }

        _stopping.Cancel();
        try
        {
            server?.Stop();
        }
        catch (AggregateException e) when (e.InnerExceptions.All(i => i is OperationCanceledException))
        {
            // ARSoft starts its listen loops with Task.Run(..., token); stopping right after
            // starting cancels a loop that never ran, and Stop() then throws from Task.WaitAll
            // before it closes the sockets. Close them here instead (closing twice is harmless).
        }

        foreach (var transport in transports)
        {
            transport.Close();
        }

        _stopping.Dispose();
    }

    /// <inheritdoc cref="Dispose"/>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static int FreeTcpPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        try
        {
            return ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        finally
        {
            probe.Stop();
        }
    }

    private static (string Name, string Type) Key(string name, string? type)
        => (DnsZone.Normalize(name), type is null ? "*" : DnsZone.NormalizeType(type));

    private static string TypeName(RecordType type) => type.ToString().ToUpperInvariant();

    private async Task OnQueryReceivedAsync(object sender, QueryReceivedEventArgs e)
    {
        if (e.Query is not DnsMessage query || query.Questions.Count != 1)
        {
            // Leaving Response null makes ARSoft answer SERVFAIL; MailOps never sends such queries.
            return;
        }

        var question = query.Questions[0];
        var name = DnsZone.Normalize(string.Join(".", question.Name.Labels));
        var type = TypeName(question.RecordType);
        var transport = e.TransportProtocol == TransportProtocol.Tcp ? DnsTransport.Tcp : DnsTransport.Udp;

        // Count before anything can delay or drop the query, so "it reached the server" is exact.
        _log.Enqueue(new DnsQueryLogEntry(name, type, transport));
        Interlocked.Increment(ref transport == DnsTransport.Tcp ? ref _tcpQueries : ref _udpQueries);

        CancellationToken stopping;
        try
        {
            stopping = _stopping.Token;
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        try
        {
            var delay = Latency + LatencyFor(name, type);
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, stopping).ConfigureAwait(false);
            }

            var lookup = Zone.Lookup(name, type);
            var fault = FaultFor(name, type);
            if (fault == DnsFault.None || (fault == DnsFault.Truncate && transport == DnsTransport.Tcp))
            {
                fault = lookup.Fault;
            }

            var response = query.CreateResponseInstance();
            response.IsAuthoritiveAnswer = true;
            response.IsRecursionAllowed = true;
            switch (fault)
            {
                case DnsFault.Timeout:
                    // Drop the query: hold it until the server stops, then let it go unanswered.
                    await Task.Delay(Timeout.Infinite, stopping).ConfigureAwait(false);
                    return;
                case DnsFault.ServerFailure:
                    response.ReturnCode = ReturnCode.ServerFailure;
                    e.Response = response;
                    return;
                case DnsFault.Refused:
                    response.ReturnCode = ReturnCode.Refused;
                    e.Response = response;
                    return;
                case DnsFault.Truncate when transport == DnsTransport.Udp:
                    // RFC 2181 section 9 / RFC 7766 section 5: TC=1 tells the client to retry
                    // over TCP. No records, so a client that ignores TC visibly gets nothing.
                    response.IsTruncated = true;
                    e.Response = response;
                    return;
            }

            if (!lookup.NameExists)
            {
                response.ReturnCode = ReturnCode.NxDomain;
            }
            else
            {
                // RFC 2308 section 2.2: an existing name without the type is NOERROR with no answer.
                response.ReturnCode = ReturnCode.NoError;
                response.AnswerRecords.AddRange(lookup.Records.Select(ToWire));
            }

            e.Response = response;
        }
        catch (OperationCanceledException)
        {
            // The server is stopping; nothing is listening for an answer any more.
        }
    }

    private DnsFault FaultFor(string name, string type)
    {
        if (_faults.TryGetValue((name, type), out var fault) || _faults.TryGetValue((name, "*"), out fault))
        {
            return fault;
        }

        return Fault;
    }

    private TimeSpan LatencyFor(string name, string type)
    {
        if (_latencies.IsEmpty)
        {
            return TimeSpan.Zero;
        }

        return _latencies.TryGetValue((name, type), out var latency) || _latencies.TryGetValue((name, "*"), out latency)
            ? latency
            : TimeSpan.Zero;
    }

    private static DnsRecordBase ToWire(DnsZoneRecord record)
    {
        var owner = ToDomainName(record.Name);
        return record.Type switch
        {
            "A" => new ARecord(owner, DnsZone.TimeToLive, record.Address!),
            "AAAA" => new AaaaRecord(owner, DnsZone.TimeToLive, record.Address!),
            "MX" => new MxRecord(owner, DnsZone.TimeToLive, (ushort)record.Preference, ToDomainName(record.Target!)),
            "PTR" => new PtrRecord(owner, DnsZone.TimeToLive, ToDomainName(record.Target!)),
            "CNAME" => new CNameRecord(owner, DnsZone.TimeToLive, ToDomainName(record.Target!)),
            "NS" => new NsRecord(owner, DnsZone.TimeToLive, ToDomainName(record.Target!)),

            // ARSoft's TxtRecord encodes its strings with Encoding.ASCII, which turns every octet
            // above 0x7F into '?'. The RDATA is built by hand instead (RFC 1035 section 3.3.14:
            // a sequence of length-prefixed <character-string>s) and sent as an UnknownRecord of
            // type TXT, whose data ARSoft copies to the wire verbatim.
            "TXT" => new UnknownRecord(owner, RecordType.Txt, RecordClass.INet, DnsZone.TimeToLive, TxtRecordData(record.Strings)),
            _ => throw new InvalidOperationException($"Record type {record.Type} is not served."),
        };
    }

    private static byte[] TxtRecordData(IReadOnlyList<byte[]> strings)
    {
        var data = new byte[strings.Sum(s => s.Length + 1)];
        var position = 0;
        foreach (var s in strings)
        {
            data[position++] = (byte)s.Length;
            Buffer.BlockCopy(s, 0, data, position, s.Length);
            position += s.Length;
        }

        return data;
    }

    private static DomainName ToDomainName(string name)
    {
        var labels = name.Split('.', StringSplitOptions.RemoveEmptyEntries);
        return labels.Length == 0 ? DomainName.Root : new DomainName(labels);
    }
}
