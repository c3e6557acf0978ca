using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.Serialization;
using System.Runtime.Serialization.Json;

namespace MailOps.Core.Blocklist;

/// <summary>
/// The built-in, dated catalogue of live public blocklists (embedded resource
/// <c>MailOps.Core.Resources.dnsbl-catalog.json</c>). Blocklists close and some dead zones start
/// listing the whole internet, so the catalogue carries the date it was last reviewed, keeps
/// only live lists, and every list is self-tested before use anyway.
/// </summary>
public sealed class DnsBlocklistCatalog
{
    /// <summary>The manifest resource name of the catalogue.</summary>
    internal const string ResourceName = "MailOps.Core.Resources.dnsbl-catalog.json";

    private static readonly Lazy<DnsBlocklistCatalog> BuiltInCatalog = new Lazy<DnsBlocklistCatalog>(LoadBuiltIn);

    private DnsBlocklistCatalog(DateTime reviewed, DnsBlocklist[] lists)
    {
        Reviewed = reviewed;
        Lists = lists;
    }

    /// <summary>The catalogue shipped with MailOps, loaded once.</summary>
    public static DnsBlocklistCatalog BuiltIn => BuiltInCatalog.Value;

    /// <summary>The date the entries were last checked against the operators' documentation.</summary>
    public DateTime Reviewed { get; }

    /// <summary>Every list, IP lists first, in the order results are reported.</summary>
    public DnsBlocklist[] Lists { get; }

    /// <summary>The lists that take targets of <paramref name="kind"/>, in catalogue order.</summary>
    public DnsBlocklist[] ListsFor(DnsBlocklistKind kind) => Lists.Where(l => l.Kind == kind).ToArray();

    /// <summary>
    /// Finds a list by zone ("zen.spamhaus.org") or display name ("Spamhaus ZEN"), ignoring
    /// case and a trailing dot.
    /// </summary>
    public DnsBlocklist? Find(string nameOrZone)
    {
        if (nameOrZone is null)
        {
            return null;
        }

        string key = nameOrZone.Trim().TrimEnd('.');
        return Lists.FirstOrDefault(l => string.Equals(l.Zone, key, StringComparison.OrdinalIgnoreCase))
            ?? Lists.FirstOrDefault(l => string.Equals(l.Name, key, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// The catalogue entry for <paramref name="nameOrZone"/>, or a custom zone of that name.
    /// </summary>
    /// <exception cref="ArgumentException">It is neither a catalogue name nor a valid DNS zone name.</exception>
    public DnsBlocklist Resolve(string nameOrZone) => Find(nameOrZone) ?? DnsBlocklist.Custom(nameOrZone);

    /// <summary>Parses a catalogue from its JSON text.</summary>
    /// <exception cref="InvalidDataException">The text is not a valid catalogue.</exception>
    public static DnsBlocklistCatalog Parse(Stream json)
    {
        CatalogDto dto;
        try
        {
            var serializer = new DataContractJsonSerializer(typeof(CatalogDto));
            dto = (CatalogDto)serializer.ReadObject(json)!;
        }
        catch (SerializationException ex)
        {
            throw new InvalidDataException("The blocklist catalogue is not valid JSON: " + ex.Message, ex);
        }

        if (dto?.Lists is null || !DateTime.TryParseExact(dto.Reviewed, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime reviewed))
        {
            throw new InvalidDataException("The blocklist catalogue needs a \"reviewed\" date (yyyy-MM-dd) and a \"lists\" array.");
        }

        var lists = new List<DnsBlocklist>();
        foreach (ListDto list in dto.Lists)
        {
            DnsBlocklistKind kind = list.Kind switch
            {
                "ip" => DnsBlocklistKind.IPAddress,
                "domain" => DnsBlocklistKind.Domain,
                _ => throw new InvalidDataException($"Blocklist '{list.Zone}' has kind '{list.Kind}'; expected \"ip\" or \"domain\"."),
            };
            if (string.IsNullOrEmpty(list.Zone) || string.IsNullOrEmpty(list.Name) || list.Codes is null || list.Codes.Length == 0)
            {
                throw new InvalidDataException($"Blocklist '{list.Zone}' needs a zone, a name and at least one code.");
            }

            lists.Add(new DnsBlocklist(
                list.Zone!.ToLowerInvariant(),
                list.Name!,
                kind,
                list.IPv6,
                list.Bitmask,
                list.Url,
                list.Terms,
                list.ListedTest,
                list.NotListedTest,
                list.Codes.Select(c => new DnsBlocklistCode(c.Code ?? string.Empty, c.Meaning ?? string.Empty)).ToArray(),
                (list.Errors ?? Array.Empty<CodeDto>()).Select(c => new DnsBlocklistCode(c.Code ?? string.Empty, c.Meaning ?? string.Empty)).ToArray(),
                isCustom: false));
        }

        return new DnsBlocklistCatalog(reviewed, lists.OrderBy(l => l.Kind).ToArray());
    }

    private static DnsBlocklistCatalog LoadBuiltIn()
    {
        using Stream? stream = typeof(DnsBlocklistCatalog).Assembly.GetManifestResourceStream(ResourceName);
        if (stream is null)
        {
            throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from MailOps.Core.");
        }

        return Parse(stream);
    }

    /// <summary>The JSON shape of the catalogue (DataContractJsonSerializer is in netstandard2.0; no package needed).</summary>
    [DataContract]
    internal sealed class CatalogDto
    {
        [DataMember(Name = "reviewed")]
        public string? Reviewed { get; set; }

        [DataMember(Name = "lists")]
        public ListDto[]? Lists { get; set; }
    }

    /// <summary>The JSON shape of one list.</summary>
    [DataContract]
    internal sealed class ListDto
    {
        [DataMember(Name = "zone")]
        public string? Zone { get; set; }

        [DataMember(Name = "name")]
        public string? Name { get; set; }

        [DataMember(Name = "kind")]
        public string? Kind { get; set; }

        [DataMember(Name = "ipv6")]
        public bool IPv6 { get; set; }

        [DataMember(Name = "bitmask")]
        public bool Bitmask { get; set; }

        [DataMember(Name = "url")]
        public string? Url { get; set; }

        [DataMember(Name = "terms")]
        public string? Terms { get; set; }

        [DataMember(Name = "listedTest")]
        public string? ListedTest { get; set; }

        [DataMember(Name = "notListedTest")]
        public string? NotListedTest { get; set; }

        [DataMember(Name = "codes")]
        public CodeDto[]? Codes { get; set; }

        [DataMember(Name = "errors")]
        public CodeDto[]? Errors { get; set; }
    }

    /// <summary>The JSON shape of one return code.</summary>
    [DataContract]
    internal sealed class CodeDto
    {
        [DataMember(Name = "code")]
        public string? Code { get; set; }

        [DataMember(Name = "meaning")]
        public string? Meaning { get; set; }
    }
}
