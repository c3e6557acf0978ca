using Xunit;
using YamlDotNet.RepresentationModel;

namespace MailOps.Core.Tests.Blocklist;

/// <summary>
/// tests/Conformance/dnsbl-vectors.yml: the RFC 5782 section 5 test entries and query-name
/// examples, read as plain YAML so the tests follow the file, not a copy of it.
/// </summary>
internal static class DnsblVectors
{
    private static readonly Lazy<YamlMappingNode> Root = new(Load);

    /// <summary>Every entry of a top-level sequence, as key/value string maps.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Section(string name)
        => ((YamlSequenceNode)Root.Value.Children[new YamlScalarNode(name)])
            .Children
            .Cast<YamlMappingNode>()
            .Select(m => (IReadOnlyDictionary<string, string>)m.Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => ((YamlScalarNode)kv.Value).Value!))
            .ToList();

    /// <summary>xunit rows of a section: each entry's values for the given keys.</summary>
    public static TheoryData<string, string> Pairs(string section, string first, string second)
    {
        var data = new TheoryData<string, string>();
        foreach (var entry in Section(section))
        {
            data.Add(entry[first], entry[second]);
        }

        return data;
    }

    private static YamlMappingNode Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Conformance", "dnsbl-vectors.yml");
        using var reader = new StreamReader(path);
        var stream = new YamlStream();
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}
