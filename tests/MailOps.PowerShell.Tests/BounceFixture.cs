using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>
/// A PowerShell host with MailOps imported and a private folder holding copies of the bounce
/// samples of tests/Conformance/bounces, so wildcards match a known set. Tests that write a
/// suppression list each use their own store file (<see cref="NewStorePath"/>).
/// </summary>
public sealed class BounceFixture : IDisposable
{
    public BounceFixture()
    {
        Folder = Path.Combine(Path.GetTempPath(), "mailops-bounces-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        string samples = Path.Combine(AppContext.BaseDirectory, "Conformance", "bounces");
        foreach (string file in Directory.GetFiles(samples))
        {
            File.Copy(file, Path.Combine(Folder, Path.GetFileName(file)));
        }

        // A set for wildcard tests: three bounce files and a text file that must not match *.eml.
        SetFolder = Path.Combine(Folder, "set");
        Directory.CreateDirectory(SetFolder);
        foreach (string name in new[] { "exim-permanent.eml", "gmail-address-not-found.eml", "mailbox-full.eml" })
        {
            File.Copy(Path.Combine(samples, name), Path.Combine(SetFolder, name));
        }

        File.WriteAllText(Path.Combine(SetFolder, "notes.txt"), "not a bounce");

        // Brackets are wildcard characters: only -LiteralPath reads this name as it is.
        File.Copy(Path.Combine(samples, "postfix-user-unknown.eml"), Path.Combine(Folder, "bounce[1].eml"));
        Host = new PowerShellHost();
    }

    /// <summary>The private folder holding copies of every sample.</summary>
    public string Folder { get; }

    /// <summary>Three bounce files (exim, gmail, mailbox-full) and notes.txt.</summary>
    public string SetFolder { get; }

    public PowerShellHost Host { get; }

    /// <summary>The full path of a sample copy.</summary>
    public string Sample(string name) => Path.Combine(Folder, name);

    /// <summary>A store path no test has used (the file does not exist yet).</summary>
    public string NewStorePath() => Path.Combine(Folder, "store-" + Guid.NewGuid().ToString("N"), "mailops.db");

    /// <summary>Runs a script with $folder and $set set to the sample folders.</summary>
    public PowerShellResult Script(string script, Dictionary<string, object?>? variables = null)
    {
        variables ??= new Dictionary<string, object?>();
        variables["folder"] = Folder;
        variables["set"] = SetFolder;
        return Host.InvokeScript(script, variables);
    }

    public void Dispose()
    {
        Host.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A store file still held by the SQLite provider; the temp folder is cleaned later.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
