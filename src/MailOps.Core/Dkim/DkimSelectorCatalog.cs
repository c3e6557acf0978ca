using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using MailOps.Core.Providers;

namespace MailOps.Core.Dkim;

/// <summary>
/// The common selectors probed when the selector of a domain is not known, loaded from the
/// embedded dkim-selectors.json (extend the list there). There is no way to list the keys under
/// _domainkey, so guessing the names big providers and signing software use is the only way to
/// find DKIM without a signed message in hand.
/// </summary>
public static class DkimSelectorCatalog
{
    /// <summary>The name of the embedded catalogue resource.</summary>
    internal const string ResourceName = "MailOps.Core.Resources.dkim-selectors.json";

    private static readonly Lazy<ReadOnlyCollection<DkimSelector>> Default =
        new Lazy<ReadOnlyCollection<DkimSelector>>(() => Array.AsReadOnly(LoadDefault()));

    /// <summary>Every selector, in file order, which is the order probes are reported in.
    /// Read-only: it is shared by every reader in the process.</summary>
    public static IReadOnlyList<DkimSelector> All => Default.Value;

    /// <summary>The entry for <paramref name="selector"/> (case-insensitive), or null.</summary>
    public static DkimSelector? Find(string? selector)
        => selector is null ? null : Default.Value.FirstOrDefault(s => string.Equals(s.Name, selector.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>Loads a list in the format of dkim-selectors.json: an object with a "selectors"
    /// array of { "selector", "provider" } objects.</summary>
    /// <exception cref="FormatException">The text is not valid JSON, an entry is incomplete, or a selector is listed twice.</exception>
    public static DkimSelector[] Load(string json)
    {
        if (JsonReader.Parse(json) is not Dictionary<string, object?> document
            || !document.TryGetValue("selectors", out object? list) || list is not List<object?> entries)
        {
            throw new FormatException("A selector list is a JSON object with a \"selectors\" array.");
        }

        var selectors = new List<DkimSelector>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < entries.Count; i++)
        {
            if (entries[i] is not Dictionary<string, object?> entry || !entry.TryGetValue("selector", out object? name) || name is not string selector)
            {
                throw new FormatException($"Selector entry {i + 1} is not an object with a \"selector\" string.");
            }

            string? provider = entry.TryGetValue("provider", out object? p) ? p as string : null;
            DkimSelector parsed;
            try
            {
                parsed = new DkimSelector(selector, provider);
            }
            catch (ArgumentException e)
            {
                throw new FormatException($"Selector entry {i + 1}: {e.Message}", e);
            }

            if (!seen.Add(parsed.Name))
            {
                throw new FormatException($"The selector '{parsed.Name}' is listed twice; name all its providers in one entry.");
            }

            selectors.Add(parsed);
        }

        return selectors.ToArray();
    }

    private static DkimSelector[] LoadDefault()
    {
        using Stream stream = typeof(DkimSelectorCatalog).GetTypeInfo().Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from MailOps.Core.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Load(reader.ReadToEnd());
    }
}
