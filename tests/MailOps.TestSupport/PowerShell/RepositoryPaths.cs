namespace MailOps.TestSupport.PowerShell;

/// <summary>Finds the repository and the staged module from wherever a test binary runs.</summary>
public static class RepositoryPaths
{
    /// <summary>The folder holding MailOps.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>out/MailOps/MailOps.psd1, the module exactly as users import it.</summary>
    public static string ModuleManifest => Path.Combine(Root, "out", "MailOps", "MailOps.psd1");

    private static string FindRoot()
    {
        // The test host's folder (dotnet test) or, under real pwsh running the Pester files, the
        // folder this assembly was loaded from: pwsh's own base directory is its install folder.
        foreach (string? start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(typeof(RepositoryPaths).Assembly.Location) })
        {
            string? dir = start;
            while (!string.IsNullOrEmpty(dir))
            {
                if (File.Exists(Path.Combine(dir, "MailOps.sln")))
                {
                    return dir;
                }

                dir = Path.GetDirectoryName(dir.TrimEnd(Path.DirectorySeparatorChar));
            }
        }

        throw new InvalidOperationException("MailOps.sln not found above " + AppContext.BaseDirectory + " or " + typeof(RepositoryPaths).Assembly.Location);
    }
}
