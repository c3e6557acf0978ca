using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;

namespace MailOps.Core.Dns;

/// <summary>
/// The wire-protocol resolver: asks real DNS servers through DnsClient and turns every response,
/// failure or exception into a <see cref="DnsAnswer"/>. DnsClient's types stay inside this class
/// so the library can be swapped or loaded in a private load context.
/// </summary>
public sealed class DnsClientResolver : IDnsResolver
{
    private readonly LookupClient _client;
    private readonly NameServer[] _servers;

    /// <summary>
    /// Creates a resolver for the given server addresses, asked in order; none means the
    /// resolvers of the operating system's configuration. Host names are resolved by
    /// <see cref="DnsResolverFactory"/> before this point.
    /// </summary>
    /// <exception cref="InvalidOperationException">No servers were given and the system has none configured.</exception>
    public DnsClientResolver(IEnumerable<IPEndPoint> servers, DnsResolverOptions options)
    {
        if (servers is null)
        {
            throw new ArgumentNullException(nameof(servers));
        }

        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        if (options.Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Timeout, "The DNS timeout must be positive.");
        }

        if (options.Retries < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Retries, "DNS retries cannot be negative.");
        }

        var explicitServers = servers.Select(s => new NameServer(s)).ToArray();
        var lookupOptions = explicitServers.Length == 0 ? new LookupClientOptions() : new LookupClientOptions(explicitServers);

        // MailOps caches per invocation itself (CachingDnsResolver); a process-wide cache here
        // would hide zone changes an administrator has just made from the next run.
        lookupOptions.UseCache = false;
        lookupOptions.UseTcpFallback = options.UseTcpFallback;
        lookupOptions.Timeout = options.Timeout;
        lookupOptions.Retries = options.Retries;

        // Failures are values (DnsAnswer.Outcome), not exceptions.
        lookupOptions.ThrowDnsErrors = false;

        // The server loop is ours (QueryAsync below), one server per DnsClient call, so that
        // NXDOMAIN and NODATA from a working server are final (they are the answer, and SPF
        // counts them as void lookups, RFC 7208 section 4.6.4), while SERVFAIL, REFUSED and
        // timeouts fail over to the next server. DnsClient's own switches cannot express that
        // split: ContinueOnDnsError treats NXDOMAIN like SERVFAIL, and ContinueOnEmptyResponse
        // would re-ask on NODATA. Both are off.
        lookupOptions.ContinueOnDnsError = false;
        lookupOptions.ContinueOnEmptyResponse = false;
        lookupOptions.UseRandomNameServer = false;
        lookupOptions.EnableAuditTrail = false;

        try
        {
            _client = new LookupClient(lookupOptions);
            _servers = _client.NameServers.ToArray();
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException("No usable DNS server is configured on this system; name one explicitly (-Server).", e);
        }

        if (_servers.Length == 0)
        {
            throw new InvalidOperationException("No DNS server is configured on this system; name one explicitly (-Server).");
        }

        Servers = _servers.Select(s => DnsServerEndpoint.Format(new IPEndPoint(IPAddress.Parse(s.Address), s.Port))).ToArray();
        ServerIdentity = string.Join(",", Servers);
    }

    /// <summary>The servers asked, in order, as "address:port".</summary>
    public IReadOnlyList<string> Servers { get; }

    /// <summary>
    /// The servers as one string. Caches key answers by it, so an answer from one set of servers
    /// is never reused for a question meant for another.
    /// </summary>
    public string ServerIdentity { get; }

    /// <inheritdoc />
    public async Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var display = DnsName.TrimTrailingDot(name);
        if (!DnsName.TryGetQueryName(name, out var queryName, out var invalid))
        {
            return DnsAnswer.Empty(display, type, DnsOutcome.Error, null, invalid);
        }

        var question = new DnsQuestion(ToDnsString(queryName), (QueryType)(int)type);

        DnsAnswer? last = null;
        foreach (var server in _servers)
        {
            last = await QueryServerAsync(server, question, display, type, cancellationToken).ConfigureAwait(false);
            if (!last.IsFailure)
            {
                return last;
            }
        }

        return last!;
    }

    /// <inheritdoc />
    public override string ToString() => "DNS " + ServerIdentity;

    private static DnsString ToDnsString(string queryName)
    {
        try
        {
            // The normal case: a host-name-like name (A-labels included) passes DnsString.Parse.
            return DnsString.Parse(queryName);
        }
        catch (ArgumentException)
        {
            // Parse rejects names such as "foo:bar/baz.example.com" or names with spaces, which
            // SPF macro expansion legitimately produces; DNS allows any octets in a label (RFC
            // 2181 section 11) and the name was validated by DnsName. FromResponseQueryString
            // takes the text as it is. It is only the fallback because it turns "xn--" labels
            // into Unicode, which would then go on the wire as UTF-8 instead of the A-label.
            return DnsString.FromResponseQueryString(queryName);
        }
    }

    private async Task<DnsAnswer> QueryServerAsync(NameServer server, DnsQuestion question, string name, DnsRecordType type, CancellationToken cancellationToken)
    {
        var serverText = DnsServerEndpoint.Format(new IPEndPoint(IPAddress.Parse(server.Address), server.Port));
        IDnsQueryResponse response;
        try
        {
            response = await _client.QueryServerAsync(new[] { server }, question, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // DnsClient reports a cancelled query as a timeout; the caller asked to stop.
            throw new OperationCanceledException(cancellationToken);
        }
        catch (DnsResponseException e) when (e.Code == DnsResponseCode.ConnectionTimeout)
        {
            return DnsAnswer.Empty(name, type, DnsOutcome.Timeout, serverText, $"No answer from {serverText}: {Describe(e)}");
        }
        catch (OperationCanceledException e)
        {
            // Not the caller's token: an internal timer of the DNS library ran out.
            return DnsAnswer.Empty(name, type, DnsOutcome.Timeout, serverText, $"No answer from {serverText}: {Describe(e)}");
        }
        catch (Exception e)
        {
            return DnsAnswer.Empty(name, type, DnsOutcome.Error, serverText, $"Query to {serverText} failed: {Describe(e)}");
        }

        return ToAnswer(response, name, type, serverText);
    }

    private static DnsAnswer ToAnswer(IDnsQueryResponse response, string name, DnsRecordType type, string server)
    {
        switch (response.Header.ResponseCode)
        {
            case DnsHeaderResponseCode.NoError:
                break;
            case DnsHeaderResponseCode.NotExistentDomain:
                return DnsAnswer.Empty(name, type, DnsOutcome.NxDomain, server, $"{server} answered NXDOMAIN: {name} does not exist.");
            case DnsHeaderResponseCode.ServerFailure:
                return DnsAnswer.Empty(name, type, DnsOutcome.ServerFailure, server, $"{server} answered SERVFAIL.");
            case DnsHeaderResponseCode.Refused:
                return DnsAnswer.Empty(name, type, DnsOutcome.Refused, server, $"{server} refused the query (REFUSED).");
            default:
                return DnsAnswer.Empty(name, type, DnsOutcome.Error, server, $"{server} answered RCODE {(int)response.Header.ResponseCode} ({response.Header.ResponseCode}).");
        }

        if (response.Header.ResultTruncated)
        {
            // Only reachable with TCP fallback switched off: a truncated answer is incomplete,
            // and acting on part of an SPF record set would be wrong.
            return DnsAnswer.Empty(name, type, DnsOutcome.Error, server, $"{server} sent a truncated answer and TCP fallback is off.");
        }

        // Only records of the asked type. After a CNAME (RFC 1034 section 4.3.2) they are owned by
        // the canonical name, so the owner is not compared with the question; a resolver only
        // puts the chain for this question in the answer section.
        var records = new List<DnsRecord>();
        foreach (var record in response.Answers)
        {
            if ((int)record.RecordType != (int)type)
            {
                continue;
            }

            var converted = Convert(record, type);
            if (converted is not null)
            {
                records.Add(converted);
            }
        }

        return records.Count == 0
            ? DnsAnswer.Empty(name, type, DnsOutcome.NoData, server)
            : new DnsAnswer(name, type, DnsOutcome.Success, records, server);
    }

    private static DnsRecord? Convert(DnsResourceRecord record, DnsRecordType type)
    {
        var owner = Name(record.DomainName);
        var ttl = record.TimeToLive;
        switch (record)
        {
            case ARecord a:
                return new DnsAddressRecord(owner, DnsRecordType.A, ttl, a.Address);
            case AaaaRecord aaaa:
                return new DnsAddressRecord(owner, DnsRecordType.AAAA, ttl, aaaa.Address);
            case MxRecord mx:
                // RFC 7505: the null MX is preference 0 with exchange "."; Name() maps the root to "".
                return new DnsMxRecord(owner, ttl, mx.Preference, Name(mx.Exchange));
            case TxtRecord txt:
                return new DnsTxtRecord(owner, ttl, TxtStrings(txt));
            case PtrRecord ptr:
                return new DnsNameRecord(owner, type, ttl, Name(ptr.PtrDomainName));
            case CNameRecord cname:
                return new DnsNameRecord(owner, type, ttl, Name(cname.CanonicalName));
            case NsRecord ns:
                return new DnsNameRecord(owner, type, ttl, Name(ns.NSDName));
            default:
                return null;
        }
    }

    /// <summary>
    /// The character-strings of a TXT record, kept apart. DnsClient offers two decodings:
    /// <c>EscapedText</c> writes octets outside 0x20-0x7E as "\DDD" master-file escapes, so a
    /// CR or a non-ASCII octet would reach the SPF parser as four harmless ASCII characters
    /// and be accepted; <c>Text</c> decodes UTF-8, giving the real characters (CR stays CR,
    /// UTF-8 text stays readable). Octets that are not valid UTF-8 would become U+FFFD there,
    /// hiding which octet it was; for such a string the octets are recovered from the escaped
    /// form and mapped one to one onto U+0000-U+00FF, so 0x80 reads U+0080. Either way a
    /// non-ASCII octet arrives as a non-ASCII character, which RFC 7208 section 3 lets the SPF
    /// parser reject.
    /// </summary>
    private static IReadOnlyList<string> TxtStrings(TxtRecord txt)
    {
        var text = txt.Text.ToArray();
        var escaped = txt.EscapedText.ToArray();
        var strings = new string[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            strings[i] = text[i].IndexOf('\uFFFD') >= 0 && i < escaped.Length
                ? Latin1(Unescape(escaped[i]))
                : text[i];
        }

        return strings;
    }

    private static byte[] Unescape(string escaped)
    {
        // Inverse of DnsClient's DnsDatagramReader.ParseString: "\DDD" for octets outside
        // 0x20-0x7E, "\"" for a quote, everything else (backslash included) literal.
        var bytes = new List<byte>(escaped.Length);
        for (var i = 0; i < escaped.Length; i++)
        {
            var c = escaped[i];
            if (c == '\\' && IsDigits(escaped, i + 1)
                && int.TryParse(escaped.Substring(i + 1, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                && value <= 255 && (value < 0x20 || value > 0x7E))
            {
                bytes.Add((byte)value);
                i += 3;
            }
            else if (c == '\\' && i + 1 < escaped.Length && escaped[i + 1] == '"')
            {
                bytes.Add((byte)'"');
                i += 1;
            }
            else
            {
                bytes.Add((byte)c);
            }
        }

        return bytes.ToArray();
    }

    private static bool IsDigits(string s, int start)
    {
        if (start + 3 > s.Length)
        {
            return false;
        }

        for (var i = start; i < start + 3; i++)
        {
            if (s[i] < '0' || s[i] > '9')
            {
                return false;
            }
        }

        return true;
    }

    private static string Latin1(byte[] bytes)
    {
        var chars = new char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            chars[i] = (char)bytes[i];
        }

        return new string(chars);
    }

    private static string Name(DnsString name)
    {
        var value = name.Value ?? string.Empty;
        return value == "." ? string.Empty : DnsName.TrimTrailingDot(value);
    }

    private static string Describe(Exception e)
    {
        var message = new StringBuilder(e.Message);
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            message.Append(" (").Append(inner.Message).Append(')');
        }

        return message.ToString();
    }
}
