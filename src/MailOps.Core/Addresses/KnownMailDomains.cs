using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MailOps.Core.Dmarc;

namespace MailOps.Core.Addresses;

/// <summary>
/// The popular mail domains typing mistakes are measured against (the shipped
/// known-mail-domains.txt by default). Being on the list also protects a domain: a known domain
/// is never "corrected" into another one (gmx.com is not a typo of gmx.net, me.com not of mac.com).
/// </summary>
public sealed class KnownMailDomains
{
    internal const string ResourceFile = "known-mail-domains.txt";

    private static readonly Lazy<KnownMailDomains> DefaultList = new Lazy<KnownMailDomains>(() =>
    {
        using Stream stream = DomainListReader.Open(ResourceFile);
        using var reader = new StreamReader(stream);
        return Parse(reader);
    });

    private readonly HashSet<string> names;

    private KnownMailDomains(IReadOnlyList<KnownMailDomain> entries)
    {
        Entries = entries;
        names = new HashSet<string>(entries.Select(e => e.Domain), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The shipped list.</summary>
    public static KnownMailDomains Default => DefaultList.Value;

    /// <summary>Every domain, most popular first.</summary>
    public IReadOnlyList<KnownMailDomain> Entries { get; }

    /// <summary>Reads a list in the known-mail-domains.txt format ("domain [*]" per line).</summary>
    /// <exception cref="FormatException">A line does not start with a mail domain.</exception>
    public static KnownMailDomains Parse(TextReader reader)
    {
        if (reader is null)
        {
            throw new ArgumentNullException(nameof(reader));
        }

        var entries = new List<KnownMailDomain>();
        foreach (DomainListReader.Entry entry in DomainListReader.Read(reader))
        {
            if (entries.Any(e => e.Domain == entry.Domain))
            {
                continue;
            }

            // The name is the label left of the public suffix: "hotmail" of hotmail.co.uk.
            string suffix = PublicSuffixList.Default.GetPublicSuffix(entry.Domain) ?? entry.Domain.Substring(entry.Domain.LastIndexOf('.') + 1);
            if (suffix.Length >= entry.Domain.Length)
            {
                throw new FormatException($"'{entry.Domain}' in the known mail domains is a public suffix, not a domain.");
            }

            string name = entry.Domain.Substring(0, entry.Domain.Length - suffix.Length - 1);
            entries.Add(new KnownMailDomain(entry.Domain, name, suffix, entry.Flags.Contains("*"), entries.Count));
        }

        return new KnownMailDomains(entries);
    }

    /// <summary>True when <paramref name="domain"/> (A-label, any case) is on the list.</summary>
    public bool Contains(string domain) => domain is not null && names.Contains(domain);
}

/// <summary>One entry of <see cref="KnownMailDomains"/>, split where typing mistakes are measured.</summary>
public sealed class KnownMailDomain
{
    internal KnownMailDomain(string domain, string name, string suffix, bool isPopular, int rank)
    {
        Domain = domain;
        Name = name;
        Suffix = suffix;
        IsPopular = isPopular;
        Rank = rank;
    }

    /// <summary>The domain, e.g. "hotmail.co.uk".</summary>
    public string Domain { get; }

    /// <summary>The labels left of the public suffix, e.g. "hotmail".</summary>
    public string Name { get; }

    /// <summary>The public suffix, e.g. "co.uk".</summary>
    public string Suffix { get; }

    /// <summary>Very popular: a target of suggestions even without DNS evidence.</summary>
    public bool IsPopular { get; }

    /// <summary>Position in the list (0 = most popular); breaks ties between candidates.</summary>
    public int Rank { get; }

    /// <inheritdoc />
    public override string ToString() => Domain;
}
