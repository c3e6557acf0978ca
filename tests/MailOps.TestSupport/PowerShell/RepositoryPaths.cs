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
        string? dir = AppContext.BaseDirectory;
        while (dir is not null)
        {
            if (File.Exists(Path.Combine(dir, "MailOps.sln")))
            {
                return dir;
            }

            dir = Path.GetDirectoryName(dir.TrimEnd(Path.DirectorySeparatorChar));
        }

        throw new InvalidOperationException("MailOps.sln not found above " + AppContext.BaseDirectory);
    }
}
