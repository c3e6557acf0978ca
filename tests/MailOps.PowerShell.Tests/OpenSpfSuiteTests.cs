using System.Collections.Concurrent;
using MailOps.TestSupport.Dns;
using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>
/// Serves each OpenSPF scenario's zone from its own DNS test server (started on first use) and
/// holds one PowerShell host with MailOps imported.
/// </summary>
public sealed class OpenSpfSuiteFixture : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<DnsTestServer>> servers = new();

    public OpenSpfSuite Suite { get; } = OpenSpfSuiteTests.LoadSuite();

    public PowerShellHost Host { get; } = new();

    public DnsTestServer ServerFor(OpenSpfScenario scenario)
        => servers.GetOrAdd(scenario.Description, _ => new Lazy<DnsTestServer>(() => new DnsTestServer(scenario.Zone).Start())).Value;

    public void Dispose()
    {
        Host.Dispose();
        foreach (var server in servers.Values.Where(s => s.IsValueCreated))
        {
            server.Value.Dispose();
        }
    }
}

/// <summary>
/// The OpenSPF RFC 7208 suite (203 tests) through the real path: hosted PowerShell, then
/// Test-SpfRecord -Server 127.0.0.1:port, then DnsClient, then the wire-protocol test server.
/// Driver rules as in tests/Conformance/README.md: the test's host is -IPAddress, its mailfrom
/// -Sender ("" is the null sender, checked as postmaster@helo), its helo -HeloName; no -Domain,
/// so the cmdlet picks the domain as a receiver does. TIMEOUT names answer SERVFAIL here (the
/// README allows either; the core suite exercises real timeouts) so the run stays fast.
/// </summary>
public sealed class OpenSpfSuiteTests : IClassFixture<OpenSpfSuiteFixture>
{
    private static OpenSpfSuite? suite;
    private readonly OpenSpfSuiteFixture fixture;

    public OpenSpfSuiteTests(OpenSpfSuiteFixture fixture) => this.fixture = fixture;

    public static IEnumerable<object[]> Cases()
        => LoadSuite().Scenarios.SelectMany(s => s.Tests.Select(t => new object[] { s.Description, t.Name }));

    internal static OpenSpfSuite LoadSuite()
        => suite ??= OpenSpfSuite.Load(Path.Combine(AppContext.BaseDirectory, "Conformance", "spf", "rfc7208-tests.yml"), DnsFault.ServerFailure);

    [Fact]
    public void Suite_has_203_tests()
    {
        Assert.Equal(203, fixture.Suite.TestCount);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Test_SpfRecord_conforms(string scenarioName, string testName)
    {
        var scenario = fixture.Suite.Scenarios.Single(s => s.Description == scenarioName);
        var test = scenario.Tests.Single(t => t.Name == testName);
        var server = fixture.ServerFor(scenario);

        var r = fixture.Host.Invoke("Test-SpfRecord", new Dictionary<string, object?>
        {
            ["IPAddress"] = test.Host,
            ["Sender"] = test.MailFrom,
            ["HeloName"] = test.Helo,
            ["Server"] = new[] { server.Endpoint },
            ["TimeoutSec"] = 2,
        });

        var result = r.Single();
        string actual = result.Str("Result")!.ToLowerInvariant();
        string trace = string.Join("\n", (string[])result.Prop("Trace")!);
        Assert.True(test.Results.Contains(actual), $"{test.Name} ({test.Spec}): expected {string.Join(" or ", test.Results)}, got {actual}\n{trace}");
        if (test.Explanation is not null)
        {
            // "DEFAULT" is what the reference driver sets as the receiver's default explanation:
            // it means no exp= text applied, which Test-SpfRecord reports as a null Explanation.
            string? expected = test.Explanation == "DEFAULT" ? null : test.Explanation;
            Assert.Equal(expected, result.Str("Explanation"));
        }
    }
}
