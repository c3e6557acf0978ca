using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using MailOps.Core.Dns;
using MailOps.Core.Providers;

namespace MailOps.Core.Mx;

/// <summary>
/// Reads a domain's MX records the way a sending MTA uses them (RFC 5321 section 5.1): every
/// exchange with its addresses, the null MX of RFC 7505, the implicit MX when there is none, and
/// the mistakes that make mail bounce or stall (an MX to nowhere, to an alias, to an IP address).
/// It never throws for DNS data or failures; those become findings on the rows.
/// </summary>
public sealed class MxRecordAnalyzer
{
    private readonly IDnsResolver resolver;
    private readonly MailProviderCatalog catalog;

    /// <summary>Creates an analyzer that asks <paramref name="resolver"/> every question and names
    /// providers from <paramref name="catalog"/> (the shipped catalogue when null).</summary>
    public MxRecordAnalyzer(IDnsResolver resolver, MailProviderCatalog? catalog = null)
    {
        this.resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        this.catalog = catalog ?? MailProviderCatalog.Default;
    }

    /// <summary>
    /// The MX rows of <paramref name="domain"/>, sorted by preference then exchange. A domain
    /// without MX records, or whose lookup fails, gives one row with a null Exchange and a finding.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="domain"/> is not a valid domain name.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<MxRecord[]> AnalyzeAsync(string domain, CancellationToken cancellationToken)
    {
        if (!DomainName.TryNormalize(domain, out string name, out string? error))
        {
            throw new ArgumentException(error, nameof(domain));
        }

        DnsAnswer answer = await resolver.QueryAsync(name, DnsRecordType.MX, cancellationToken).ConfigureAwait(false);
        if (answer.Outcome == DnsOutcome.NxDomain)
        {
            return new[] { Row(name, new Finding(FindingSeverity.Error, MxFindingCodes.MxDomainNotFound, $"The domain {name} does not exist (NXDOMAIN): mail to it bounces. Check the spelling, or register and delegate the domain.")) };
        }

        if (answer.IsFailure)
        {
            return new[] { Row(name, new Finding(FindingSeverity.Error, MxFindingCodes.MxDnsError, $"The MX lookup of {name} failed ({answer.Outcome}: {answer.Error}). Senders defer mail and retry until it works (RFC 5321 section 5.1); fix the domain's name servers.")) };
        }

        DnsMxRecord[] records = answer.RecordsOf<DnsMxRecord>().ToArray();
        if (records.Length == 0)
        {
            return new[] { await ImplicitMxAsync(name, cancellationToken).ConfigureAwait(false) };
        }

        // RFC 7505 section 3: a domain that publishes a null MX MUST NOT publish any other MX.
        bool mixed = records.Any(r => r.Exchange.Length == 0) && records.Any(r => r.Exchange.Length > 0);
        MxRecord[] rows = await Task.WhenAll(records.Select(r => AnalyzeExchangeAsync(name, r, mixed, cancellationToken))).ConfigureAwait(false);
        return rows
            .OrderBy(r => r.Preference ?? 0)
            .ThenBy(r => r.Exchange, StringComparer.OrdinalIgnoreCase)
            .ToArray();
    }

    private async Task<MxRecord> ImplicitMxAsync(string domain, CancellationToken cancellationToken)
    {
        // RFC 5321 section 5.1: with no MX, the domain itself is the implicit MX (preference 0).
        Addresses addresses = await ResolveAsync(domain, cancellationToken).ConfigureAwait(false);
        string message = addresses.List.Length > 0
            ? $"{domain} publishes no MX record, so senders deliver to its own address ({string.Join(", ", addresses.List.Select(a => a.ToString()))}) as an implicit MX (RFC 5321 section 5.1). Publish an MX record if that host does not receive mail, or a null MX (\"0 .\", RFC 7505) if the domain sends no mail to anyone."
            : $"{domain} publishes no MX record and has no A or AAAA record either, so mail to it cannot be delivered (RFC 5321 section 5.1). Publish a null MX (\"0 .\", RFC 7505) to say so explicitly, or MX records if it should receive mail.";
        return new MxRecord(domain, null, null, addresses.List, false, null, new[] { new Finding(FindingSeverity.Info, MxFindingCodes.MxNoRecord, message) });
    }

    private async Task<MxRecord> AnalyzeExchangeAsync(string domain, DnsMxRecord record, bool mixed, CancellationToken cancellationToken)
    {
        var findings = new List<Finding>();
        if (record.Exchange.Length == 0)
        {
            if (mixed)
            {
                findings.Add(new Finding(FindingSeverity.Error, MxFindingCodes.MxNullMxMixed, $"{domain} publishes a null MX (\".\") next to other MX records; RFC 7505 section 3 forbids that and senders may refuse all mail to the domain. Remove the null MX if the domain receives mail, or the other MX records if it does not.", "."));
            }
            else
            {
                findings.Add(new Finding(FindingSeverity.Info, MxFindingCodes.MxNullMx, $"{domain} publishes a null MX (RFC 7505): it accepts no mail, and senders bounce mail to it at once instead of retrying."));
            }

            if (record.Preference != 0)
            {
                findings.Add(new Finding(FindingSeverity.Warning, MxFindingCodes.MxNullMxPreference, $"The null MX of {domain} has preference {record.Preference}; RFC 7505 section 3 specifies 0. Publish it as \"0 .\".", record.Preference.ToString(CultureInfo.InvariantCulture)));
            }

            return new MxRecord(domain, record.Preference, ".", Array.Empty<IPAddress>(), true, null, findings.ToArray());
        }

        string exchange = record.Exchange.ToLowerInvariant();
        string? provider = catalog.MatchMx(exchange)?.Name;
        if (IsIpLiteral(exchange))
        {
            // RFC 5321 section 5.1: the MX data is a domain name; senders look it up as a name.
            findings.Add(new Finding(FindingSeverity.Error, MxFindingCodes.MxIpLiteral, $"The MX {exchange} of {domain} is an IP address, not a host name; senders look it up as a name and find nothing. Publish a host name with an A/AAAA record for that address instead.", exchange));
            return new MxRecord(domain, record.Preference, exchange, Array.Empty<IPAddress>(), false, provider, findings.ToArray());
        }

        Task<DnsAnswer> cname = resolver.QueryAsync(exchange, DnsRecordType.CNAME, cancellationToken);
        Task<Addresses> addresses = ResolveAsync(exchange, cancellationToken);
        DnsAnswer alias = await cname.ConfigureAwait(false);
        Addresses resolved = await addresses.ConfigureAwait(false);

        DnsNameRecord? target = alias.RecordsOf<DnsNameRecord>().FirstOrDefault();
        if (target is not null)
        {
            // RFC 2181 section 10.3: the data of an MX record MUST NOT be an alias (also RFC 5321 5.1).
            findings.Add(new Finding(FindingSeverity.Warning, MxFindingCodes.MxTargetIsCname, $"The MX {exchange} of {domain} is an alias (CNAME to {target.Target}); RFC 2181 section 10.3 forbids that. Most senders follow it, some refuse or loop. Point the MX at {target.Target} (the canonical name) instead.", target.Target));
        }

        if (resolved.List.Length == 0)
        {
            if (resolved.Failure is not null)
            {
                findings.Add(new Finding(FindingSeverity.Error, MxFindingCodes.MxDnsError, $"The address lookup of MX {exchange} failed ({resolved.Failure.Outcome}: {resolved.Failure.Error}); senders defer mail to {domain} and retry. Fix the name servers of {exchange}.", exchange));
            }
            else
            {
                string why = resolved.NxDomain ? "does not exist (NXDOMAIN)" : "has no A or AAAA record";
                findings.Add(new Finding(FindingSeverity.Error, MxFindingCodes.MxNoAddress, $"The MX {exchange} of {domain} {why}, so senders cannot reach it (RFC 5321 section 5.1). Add an A/AAAA record for it or correct the MX record.", exchange));
            }
        }
        else if (resolved.Failure is not null)
        {
            findings.Add(new Finding(FindingSeverity.Warning, MxFindingCodes.MxDnsError, $"The {resolved.Failure.Type} lookup of MX {exchange} failed ({resolved.Failure.Outcome}); senders that need it defer mail. Fix the name servers of {exchange}.", exchange));
        }

        return new MxRecord(domain, record.Preference, exchange, resolved.List, false, provider, findings.ToArray());
    }

    /// <summary>A and AAAA of a host, asked together; IPv4 first, as most senders try it first.</summary>
    private async Task<Addresses> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        Task<DnsAnswer> v4 = resolver.QueryAsync(host, DnsRecordType.A, cancellationToken);
        Task<DnsAnswer> v6 = resolver.QueryAsync(host, DnsRecordType.AAAA, cancellationToken);
        DnsAnswer a = await v4.ConfigureAwait(false);
        DnsAnswer aaaa = await v6.ConfigureAwait(false);
        IPAddress[] list = a.RecordsOf<DnsAddressRecord>().Concat(aaaa.RecordsOf<DnsAddressRecord>())
            .Select(r => r.Address)
            .Distinct()
            .ToArray();
        DnsAnswer? failure = a.IsFailure ? a : aaaa.IsFailure ? aaaa : null;
        bool nxDomain = a.Outcome == DnsOutcome.NxDomain || aaaa.Outcome == DnsOutcome.NxDomain;
        return new Addresses(list, failure, nxDomain);
    }

    /// <summary>True for "192.0.2.1", "[192.0.2.1]" or an IPv6 literal: an address where a name belongs.</summary>
    internal static bool IsIpLiteral(string exchange)
    {
        string text = exchange.Trim();
        if (text.Length > 2 && text[0] == '[' && text[text.Length - 1] == ']')
        {
            text = text.Substring(1, text.Length - 2);
        }

        if (text.IndexOf(':') >= 0)
        {
            return System.Net.IPAddress.TryParse(text, out IPAddress? v6) && v6.AddressFamily == AddressFamily.InterNetworkV6;
        }

        string[] parts = text.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length > 0 && p.Length <= 3 && p.All(c => c >= '0' && c <= '9') && int.Parse(p, CultureInfo.InvariantCulture) <= 255);
    }

    private static MxRecord Row(string domain, Finding finding)
        => new MxRecord(domain, null, null, Array.Empty<IPAddress>(), false, null, new[] { finding });

    private sealed class Addresses
    {
        public Addresses(IPAddress[] list, DnsAnswer? failure, bool nxDomain)
        {
            List = list;
            Failure = failure;
            NxDomain = nxDomain;
        }

        public IPAddress[] List { get; }

        public DnsAnswer? Failure { get; }

        public bool NxDomain { get; }
    }
}
