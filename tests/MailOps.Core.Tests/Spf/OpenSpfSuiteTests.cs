using System.Collections.Concurrent;
using System.Net;
using MailOps.Core.Dns;
using MailOps.Core.Spf;
using MailOps.TestSupport.Dns;
using Xunit;

namespace MailOps.Core.Tests.Spf;

/// <summary>
/// Loads the OpenSPF RFC 7208 suite once and serves each scenario's zone from its own
/// <see cref="DnsTestServer"/>, started on first use and shared by the scenario's tests.
/// </summary>
public sealed class OpenSpfSuiteFixture : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, Lazy<DnsTestServer>> servers = new();

    public OpenSpfSuiteFixture()
    {
        Suite = OpenSpfSuiteTests.LoadSuite();
    }

    public OpenSpfSuite Suite { get; }

    public DnsTestServer ServerFor(OpenSpfScenario scenario)
        => servers.GetOrAdd(scenario.Description, _ => new Lazy<DnsTestServer>(() => new DnsTestServer(scenario.Zone).Start())).Value;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var server in servers.Values.Where(s => s.IsValueCreated))
        {
            await server.Value.DisposeAsync();
        }
    }
}

/// <summary>
/// The OpenSPF RFC 7208 suite (203 tests) driven through the real wire-protocol resolver, as
/// tests/Conformance/README.md describes: the client is the test's host, the sender its
/// mailfrom (postmaster@helo when empty), the checked domain the sender's domain.
/// </summary>
public sealed class OpenSpfSuiteTests : IClassFixture<OpenSpfSuiteFixture>
{
    /// <summary>What pyspf's driver sets, and so what the suite's "DEFAULT" explanations mean.</summary>
    private const string DefaultExplanation = "DEFAULT";

    private static OpenSpfSuite? suite;

    private readonly OpenSpfSuiteFixture fixture;

    public OpenSpfSuiteTests(OpenSpfSuiteFixture fixture)
    {
        this.fixture = fixture;
    }

    public static IEnumerable<object[]> Cases()
        => LoadSuite().Scenarios.SelectMany(s => s.Tests.Select(t => new object[] { s.Description, t.Name }));

    internal static OpenSpfSuite LoadSuite()
        => suite ??= OpenSpfSuite.Load(Path.Combine(AppContext.BaseDirectory, "Conformance", "spf", "rfc7208-tests.yml"));

    [Fact]
    public void Suite_has_203_tests()
    {
        Assert.Equal(203, fixture.Suite.TestCount);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Conforms(string scenarioName, string testName)
    {
        var scenario = fixture.Suite.Scenarios.Single(s => s.Description == scenarioName);
        var test = scenario.Tests.Single(t => t.Name == testName);
        var server = fixture.ServerFor(scenario);

        // A short timeout with no retry: the suite's TIMEOUT names never answer.
        var resolver = DnsResolverFactory.Create(new DnsResolverOptions
        {
            Servers = { server.Endpoint },
            Timeout = TimeSpan.FromSeconds(1),
            Retries = 0,
        });
        var evaluator = new SpfEvaluator(resolver, new SpfEvaluatorOptions { DefaultExplanation = DefaultExplanation });

        // README: an empty mailfrom is the null sender (postmaster@helo) and the helo is checked.
        var sender = test.MailFrom.Length == 0 ? "postmaster@" + test.Helo : test.MailFrom;
        var at = sender.LastIndexOf('@');
        var request = new SpfCheckRequest
        {
            IPAddress = IPAddress.Parse(test.Host),
            Domain = sender.Substring(at + 1),
            Sender = test.MailFrom,
            HeloName = test.Helo,
        };

        var result = await evaluator.CheckHostAsync(request, CancellationToken.None);

        var actual = result.Result.ToString().ToLowerInvariant();
        var why = $"{test.Name} ({test.Spec}): expected {string.Join(" or ", test.Results)}, got {actual}\n{string.Join("\n", result.Trace)}";
        Assert.True(test.Results.Contains(actual), why);
        if (test.Explanation is not null)
        {
            Assert.Equal(test.Explanation, result.Explanation);
        }
    }
}
