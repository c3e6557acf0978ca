using System.Management.Automation;
using System.Net;
using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>
/// A PowerShell host with MailOps imported and a temporary folder in which every relay test gets
/// its own store file (<see cref="NewStorePath"/>), so no test sees another's profiles and none
/// touches the user's real store.
/// </summary>
public sealed class RelayFixture : IDisposable
{
    public RelayFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), "mailops-relay-" + Guid.NewGuid().ToString("N"));
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

    /// <summary>A PSCredential, built the way Get-Credential would return it.</summary>
    public static PSCredential Credential(string user, string password)
        => new(user, new NetworkCredential(string.Empty, password).SecurePassword);

    /// <summary>The store file and its write-ahead log, as raw bytes: what an attacker who copies
    /// the file would have.</summary>
    public static byte[] RawStoreBytes(string store)
    {
        var bytes = new List<byte>();
        foreach (string file in new[] { store, store + "-wal" })
        {
            if (File.Exists(file))
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                bytes.AddRange(copy.ToArray());
            }
        }

        return bytes.ToArray();
    }

    public void Dispose()
    {
        Host.Dispose();
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
