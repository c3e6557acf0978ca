using System.Text;
using YamlDotNet.RepresentationModel;

namespace MailOps.TestSupport.Dns;

/// <summary>
/// The OpenSPF RFC 7208 test suite (pyspf's rfc7208-tests.yml), loaded into zones a
/// <see cref="DnsTestServer"/> can serve. The zone rules are those of the reference driver,
/// pyspf's test/testspf.py, as tests/Conformance/README.md spells them out, so a result that
/// differs from the suite is MailOps' bug and not an artefact of the harness.
/// </summary>
public sealed class OpenSpfSuite
{
    private OpenSpfSuite(IReadOnlyList<OpenSpfScenario> scenarios)
    {
        Scenarios = scenarios;
    }

    /// <summary>The scenarios, one per YAML document, in file order.</summary>
    public IReadOnlyList<OpenSpfScenario> Scenarios { get; }

    /// <summary>Every test of every scenario.</summary>
    public IEnumerable<OpenSpfTest> Tests => Scenarios.SelectMany(s => s.Tests);

    /// <summary>Number of tests over all scenarios (203 in the 2014.04 release).</summary>
    public int TestCount => Scenarios.Sum(s => s.Tests.Count);

    /// <summary>
    /// Loads the suite from a file. <paramref name="timeoutFault"/> is what a zonedata
    /// <c>TIMEOUT</c> becomes: by default the query is dropped (a real timeout, so the client
    /// timeout should be set short, e.g. 250 ms with no retries); pass
    /// <see cref="DnsFault.ServerFailure"/> to answer SERVFAIL instead. The suite expects
    /// temperror either way (RFC 7208 section 4.4).
    /// </summary>
    public static OpenSpfSuite Load(string path, DnsFault timeoutFault = DnsFault.Timeout)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        return Parse(reader, timeoutFault);
    }

    /// <summary>Parses the suite from YAML text (several documents separated by <c>---</c>).</summary>
    public static OpenSpfSuite Parse(TextReader yaml, DnsFault timeoutFault = DnsFault.Timeout)
    {
        var stream = new YamlStream();
        stream.Load(yaml);
        var scenarios = new List<OpenSpfScenario>();
        foreach (var document in stream.Documents)
        {
            if (document.RootNode is YamlMappingNode root && root.Children.Count > 0)
            {
                scenarios.Add(ParseScenario(root, timeoutFault));
            }
        }

        return new OpenSpfSuite(scenarios);
    }

    private static OpenSpfScenario ParseScenario(YamlMappingNode root, DnsFault timeoutFault)
    {
        var description = Scalar(root, "description") ?? string.Empty;
        var zone = new DnsZone();
        if (Child(root, "zonedata") is YamlMappingNode zonedata)
        {
            foreach (var entry in zonedata.Children)
            {
                AddName(zone, ((YamlScalarNode)entry.Key).Value ?? string.Empty, entry.Value, timeoutFault);
            }
        }

        var tests = new List<OpenSpfTest>();
        if (Child(root, "tests") is YamlMappingNode testNodes)
        {
            foreach (var entry in testNodes.Children)
            {
                tests.Add(ParseTest(((YamlScalarNode)entry.Key).Value ?? string.Empty, (YamlMappingNode)entry.Value, description));
            }
        }

        return new OpenSpfScenario(description, zone, tests);
    }

    private static OpenSpfTest ParseTest(string name, YamlMappingNode node, string scenario)
    {
        var results = Child(node, "result") switch
        {
            YamlSequenceNode list => list.Children.Select(c => ((YamlScalarNode)c).Value ?? string.Empty).ToArray(),
            YamlScalarNode one => new[] { one.Value ?? string.Empty },
            _ => throw new FormatException($"OpenSPF test '{name}' has no result."),
        };

        return new OpenSpfTest(
            name,
            scenario,
            Scalar(node, "description") ?? string.Empty,
            Joined(node, "spec"),
            Scalar(node, "host") ?? string.Empty,
            Scalar(node, "mailfrom") ?? string.Empty,
            Scalar(node, "helo") ?? string.Empty,
            results,
            Scalar(node, "explanation"));
    }

    private static void AddName(DnsZone zone, string name, YamlNode records, DnsFault timeoutFault)
    {
        // A listed name exists even when all it has is TXT: NONE or TIMEOUT.
        zone.AddName(name);

        var spf = new List<byte[][]>();
        var hasTxt = false;
        var timeout = false;
        foreach (var item in ((YamlSequenceNode)records).Children)
        {
            if (item is YamlScalarNode { Value: "TIMEOUT" })
            {
                timeout = true;
                continue;
            }

            foreach (var pair in ((YamlMappingNode)item).Children)
            {
                var type = (((YamlScalarNode)pair.Key).Value ?? string.Empty).ToUpperInvariant();
                var value = pair.Value;
                switch (type)
                {
                    case "TXT":
                        // Any TXT entry, NONE included, stops SPF entries from being served as TXT.
                        hasTxt = true;
                        if (value is not YamlScalarNode { Value: "NONE" })
                        {
                            zone.AddTxt(name, CharacterStrings(value));
                        }

                        break;
                    case "SPF":
                        // Type 99 is never queried (RFC 7208 section 3.1); it only feeds TXT below.
                        spf.Add(CharacterStrings(value));
                        break;
                    case "A":
                        zone.AddA(name, ScalarValue(value));
                        break;
                    case "AAAA":
                        zone.AddAaaa(name, ScalarValue(value));
                        break;
                    case "MX":
                        var mx = (YamlSequenceNode)value;
                        zone.AddMx(name, int.Parse(ScalarValue(mx.Children[0]), System.Globalization.CultureInfo.InvariantCulture), ScalarValue(mx.Children[1]));
                        break;
                    case "PTR":
                        zone.AddPtr(name, ScalarValue(value));
                        break;
                    case "CNAME":
                        zone.AddCname(name, ScalarValue(value));
                        break;
                    default:
                        throw new FormatException($"Unsupported zonedata type '{type}' for '{name}'.");
                }
            }
        }

        if (!hasTxt)
        {
            foreach (var strings in spf)
            {
                zone.AddTxt(name, strings);
            }
        }

        if (timeout)
        {
            // pyspf's driver raises a DNS timeout for every type the name lists no record of.
            // (It walks entries in order, so a TXT generated from SPF after TIMEOUT would time
            // out there; no scenario of the suite has that combination, and the README rule,
            // "types not listed", is what is implemented.)
            zone.SetUnlistedTypesFault(name, timeoutFault);
        }
    }

    /// <summary>
    /// A scalar is one character-string, a list is one record of several (served apart, not
    /// joined). YAML "\xNN" escapes arrive as U+00NN and are served as the raw octet 0xNN, which
    /// is what the suite means by them (it was written for Python 2 byte strings).
    /// </summary>
    private static byte[][] CharacterStrings(YamlNode value) => value switch
    {
        YamlSequenceNode list => list.Children.Select(c => Octets(ScalarValue(c))).ToArray(),
        _ => new[] { Octets(ScalarValue(value)) },
    };

    private static byte[] Octets(string text)
        => text.All(c => c <= '\u00FF') ? Encoding.Latin1.GetBytes(text) : Encoding.UTF8.GetBytes(text);

    private static YamlNode? Child(YamlMappingNode node, string key)
        => node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private static string? Scalar(YamlMappingNode node, string key)
        => Child(node, key) is YamlScalarNode scalar ? scalar.Value : null;

    private static string Joined(YamlMappingNode node, string key) => Child(node, key) switch
    {
        YamlScalarNode scalar => scalar.Value ?? string.Empty,
        YamlSequenceNode list => string.Join(", ", list.Children.Select(ScalarValue)),
        _ => string.Empty,
    };

    private static string ScalarValue(YamlNode node)
        => node is YamlScalarNode scalar ? scalar.Value ?? string.Empty : throw new FormatException($"Expected a scalar at {node.Start}.");
}

/// <summary>One YAML document of the suite: a zone and the tests that run against it.</summary>
public sealed class OpenSpfScenario
{
    internal OpenSpfScenario(string description, DnsZone zone, IReadOnlyList<OpenSpfTest> tests)
    {
        Description = description;
        Zone = zone;
        Tests = tests;
    }

    /// <summary>The scenario title ("Record lookup", "Macro expansion rules"...).</summary>
    public string Description { get; }

    /// <summary>The zonedata, ready to serve. Shared by the scenario's tests; do not mutate it in a test.</summary>
    public DnsZone Zone { get; }

    /// <summary>The tests in file order.</summary>
    public IReadOnlyList<OpenSpfTest> Tests { get; }

    /// <inheritdoc />
    public override string ToString() => Description;
}

/// <summary>One check_host() case of the suite.</summary>
public sealed class OpenSpfTest
{
    internal OpenSpfTest(string name, string scenario, string description, string spec, string host, string mailFrom, string helo, IReadOnlyList<string> results, string? explanation)
    {
        Name = name;
        Scenario = scenario;
        Description = description;
        Spec = spec;
        Host = host;
        MailFrom = mailFrom;
        Helo = helo;
        Results = results;
        Explanation = explanation;
    }

    /// <summary>The test id, unique over the suite ("nolocalpart", "bytes-bug"...).</summary>
    public string Name { get; }

    /// <summary>The description of the scenario the test belongs to.</summary>
    public string Scenario { get; }

    /// <summary>What the test is about.</summary>
    public string Description { get; }

    /// <summary>The RFC 7208 section(s) the test comes from, e.g. "4.6.4/1".</summary>
    public string Spec { get; }

    /// <summary>The client IP address as text.</summary>
    public string Host { get; }

    /// <summary>The MAIL FROM address; empty means the null reverse-path (then postmaster@helo, RFC 7208 section 2.4).</summary>
    public string MailFrom { get; }

    /// <summary>The HELO/EHLO name.</summary>
    public string Helo { get; }

    /// <summary>The acceptable results in lower case, preferred first ("pass", "permerror"...).</summary>
    public IReadOnlyList<string> Results { get; }

    /// <summary>The expected expanded explanation (exp=), or null when the test does not check it.</summary>
    public string? Explanation { get; }

    /// <inheritdoc />
    public override string ToString() => Name;
}
