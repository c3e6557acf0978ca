using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;

namespace MailOps.Core.Providers;

/// <summary>
/// The mail providers MailOps recognises, loaded from the embedded providers.json (extend it by
/// adding an entry there, or load your own file with <see cref="Load(string)"/>). Get-MxRecord
/// names the provider behind each MX host; Test-MailDomain checks that a domain hosted at a
/// provider publishes the SPF include and DKIM selectors that provider needs.
/// </summary>
public sealed class MailProviderCatalog
{
    /// <summary>The name of the embedded catalogue resource.</summary>
    internal const string ResourceName = "MailOps.Core.Resources.providers.json";

    private static readonly Lazy<MailProviderCatalog> DefaultCatalog = new Lazy<MailProviderCatalog>(LoadDefault);

    /// <summary>Creates a catalogue from provider entries.</summary>
    /// <exception cref="ArgumentException">Two entries have the same name.</exception>
    public MailProviderCatalog(IEnumerable<MailProvider> providers)
    {
        Providers = (providers ?? throw new ArgumentNullException(nameof(providers))).ToArray();
        string? duplicate = Providers.GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (duplicate is not null)
        {
            throw new ArgumentException($"The provider '{duplicate}' is listed twice.", nameof(providers));
        }
    }

    /// <summary>The catalogue shipped with MailOps (Resources/providers.json), loaded once.</summary>
    public static MailProviderCatalog Default => DefaultCatalog.Value;

    /// <summary>Every provider, in file order.</summary>
    public MailProvider[] Providers { get; }

    /// <summary>
    /// The provider whose MX pattern matches <paramref name="exchange"/>, or null. When patterns
    /// of several providers match, the longest (most labels) wins, so a specific entry can sit
    /// beside a broad one.
    /// </summary>
    public MailProvider? MatchMx(string? exchange)
    {
        MailProvider? best = null;
        int bestLabels = 0;
        foreach (MailProvider provider in Providers)
        {
            string? pattern = provider.MatchingPattern(exchange);
            if (pattern is null)
            {
                continue;
            }

            int labels = pattern.Split('.').Length;
            if (labels > bestLabels)
            {
                best = provider;
                bestLabels = labels;
            }
        }

        return best;
    }

    /// <summary>The provider called <paramref name="name"/> (case-insensitive), or null.</summary>
    public MailProvider? Find(string? name)
        => name is null ? null : Providers.FirstOrDefault(p => string.Equals(p.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>Loads a catalogue from JSON text in the format of providers.json.</summary>
    /// <exception cref="FormatException">The text is not valid JSON or an entry is incomplete.</exception>
    public static MailProviderCatalog Load(string json)
    {
        object? root = JsonReader.Parse(json);
        if (root is not Dictionary<string, object?> document || !document.TryGetValue("providers", out object? list) || list is not List<object?> entries)
        {
            throw new FormatException("A provider catalogue is a JSON object with a \"providers\" array.");
        }

        var providers = new List<MailProvider>();
        for (int i = 0; i < entries.Count; i++)
        {
            if (entries[i] is not Dictionary<string, object?> entry)
            {
                throw new FormatException($"Provider entry {i + 1} is not a JSON object.");
            }

            string name = entry.TryGetValue("name", out object? n) && n is string s ? s : throw new FormatException($"Provider entry {i + 1} has no \"name\".");
            MailProviderKind kind = MailProviderKind.Mailbox;
            if (entry.TryGetValue("kind", out object? k) && k is string kindText && !Enum.TryParse(kindText, true, out kind))
            {
                throw new FormatException($"The provider '{name}' has the unknown kind '{kindText}' (Mailbox or Gateway).");
            }

            try
            {
                providers.Add(new MailProvider(name, kind, Strings(entry, "mx", name), Strings(entry, "spfIncludes", name), Strings(entry, "dkimSelectors", name)));
            }
            catch (ArgumentException e)
            {
                throw new FormatException(e.Message, e);
            }
        }

        try
        {
            return new MailProviderCatalog(providers);
        }
        catch (ArgumentException e)
        {
            throw new FormatException(e.Message, e);
        }
    }

    /// <summary>Loads a catalogue from a JSON stream (UTF-8) in the format of providers.json.</summary>
    /// <exception cref="FormatException">The text is not valid JSON or an entry is incomplete.</exception>
    public static MailProviderCatalog Load(Stream stream)
    {
        using var reader = new StreamReader(stream ?? throw new ArgumentNullException(nameof(stream)), Encoding.UTF8);
        return Load(reader.ReadToEnd());
    }

    private static string[] Strings(Dictionary<string, object?> entry, string key, string provider)
    {
        if (!entry.TryGetValue(key, out object? value) || value is null)
        {
            return Array.Empty<string>();
        }

        if (value is List<object?> items && items.All(x => x is string))
        {
            return items.Cast<string>().ToArray();
        }

        throw new FormatException($"\"{key}\" of provider '{provider}' must be an array of strings.");
    }

    private static MailProviderCatalog LoadDefault()
    {
        using Stream stream = typeof(MailProviderCatalog).GetTypeInfo().Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from MailOps.Core.");
        return Load(stream);
    }
}
