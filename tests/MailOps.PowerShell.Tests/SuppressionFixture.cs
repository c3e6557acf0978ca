using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>
/// A PowerShell host with MailOps imported and a temporary folder in which every test gets its
/// own store file (<see cref="NewStorePath"/>), so no test sees another's entries and none
/// touches the user's real store.
/// </summary>
public sealed class SuppressionFixture : IDisposable
{
    public SuppressionFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), "mailops-suppression-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        Host = new PowerShellHost();
    }

    public string Root { get; }

    public PowerShellHost Host { get; }

    /// <summary>A store path that does not exist yet, in a folder that does not exist yet.</summary>
    public string NewStorePath() => Path.Combine(Root, Guid.NewGuid().ToString("N"), "mailops.db");

    /// <summary>Runs a MailOps command against the store at <paramref name="store"/>.</summary>
    public PowerShellResult Run(string store, string command, Dictionary<string, object?> parameters, IEnumerable<object?>? input = null)
    {
        parameters["Path"] = store;
        return Host.Invoke(command, parameters, input);
    }

    /// <summary>Runs a script with $store set to <paramref name="store"/>.</summary>
    public PowerShellResult Script(string store, string script)
        => Host.InvokeScript(script, new Dictionary<string, object?> { ["store"] = store });

    public void Dispose()
    {
        Host.Dispose();
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
