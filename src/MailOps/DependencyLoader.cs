using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Threading;

namespace MailOps;

/// <summary>
/// Makes MailOps' dependencies (DnsClient, MailKit, ...) load from the module's Dependencies
/// folder without colliding with other versions that the session already loaded. On PowerShell 7
/// they live in a private AssemblyLoadContext; on Windows PowerShell 5.1 an AssemblyResolve
/// handler finds them (there is no isolation on .NET Framework, only probing).
/// </summary>
internal static class DependencyLoader
{
    private static int registered;

    /// <summary>The folder beside MailOps.dll that holds MailOps.Core.dll and the packages.</summary>
    internal static string DependencyDirectory { get; } =
        Path.Combine(Path.GetDirectoryName(typeof(DependencyLoader).Assembly.Location) ?? ".", "Dependencies");

    /// <summary>Hooks the resolver once per process; every later call is a no-op.</summary>
    internal static void Register()
    {
        if (Interlocked.Exchange(ref registered, 1) == 1)
        {
            return;
        }

        if (RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal))
        {
            AppDomain.CurrentDomain.AssemblyResolve += ResolveOnFramework;
            PreloadNativeOnFramework();
        }
        else
        {
            // A separate type so that .NET Framework never JIT-compiles code that names
            // AssemblyLoadContext, which does not exist there.
            IsolatedLoader.Register(DependencyDirectory);
        }
    }

    /// <summary>
    /// Windows PowerShell 5.1 has no AssemblyLoadContext to ask, and SQLitePCLRaw's netstandard2.0
    /// provider imports "e_sqlite3" with [DllImport], which Windows looks up by module name first:
    /// loading Dependencies/runtimes/win-&lt;arch&gt;/native/e_sqlite3.dll by full path up front
    /// makes that lookup find it. Only the store cmdlets need it; if it fails they report the
    /// store as unavailable. (Not exercised by the tests here, which run PowerShell 7 on Linux.)
    /// </summary>
    private static void PreloadNativeOnFramework()
    {
        string? path = NativeLibraryPath.Find(DependencyDirectory, "e_sqlite3");
        if (path is not null)
        {
            LoadLibraryW(path);
        }
    }

    [DllImport("kernel32", CharSet = CharSet.Unicode, SetLastError = true)]
    private static extern IntPtr LoadLibraryW(string fileName);

    private static Assembly? ResolveOnFramework(object? sender, ResolveEventArgs args)
    {
        string path = Path.Combine(DependencyDirectory, new AssemblyName(args.Name).Name + ".dll");
        return File.Exists(path) ? Assembly.LoadFrom(path) : null;
    }
}

/// <summary>
/// Finds a native library staged as Dependencies/runtimes/&lt;rid&gt;/native/&lt;file&gt; (the
/// NuGet layout) for the process that runs: the runtime's own identifier first, then the
/// portable one built from OS and architecture (linux-musl-* on Alpine), so a distribution RID
/// such as ubuntu.22.04-x64 still finds linux-x64.
/// </summary>
internal static class NativeLibraryPath
{
    /// <summary>The full path of <paramref name="name"/> ("e_sqlite3", "libe_sqlite3.so", ...) for
    /// this platform under <paramref name="dependencyDirectory"/>, or null when none is staged.</summary>
    internal static string? Find(string dependencyDirectory, string name)
    {
        string fileName = PlatformFileName(name);
        foreach (string rid in CandidateRuntimes())
        {
            string path = Path.Combine(dependencyDirectory, "runtimes", rid, "native", fileName);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    /// <summary>"e_sqlite3" as the platform names the file: e_sqlite3.dll, libe_sqlite3.so,
    /// libe_sqlite3.dylib.</summary>
    internal static string PlatformFileName(string name)
    {
        string bare = name;
        foreach (string extension in new[] { ".dll", ".so", ".dylib" })
        {
            if (bare.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
            {
                bare = bare.Substring(0, bare.Length - extension.Length);
            }
        }

        if (bare.StartsWith("lib", StringComparison.Ordinal) && !RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            bare = bare.Substring(3);
        }

        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return bare + ".dll";
        }

        return "lib" + bare + (RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? ".dylib" : ".so");
    }

    /// <summary>Runtime identifiers to try, most specific first.</summary>
    internal static string[] CandidateRuntimes()
    {
        string arch = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X86 => "x86",
            Architecture.Arm => "arm",
            Architecture.Arm64 => "arm64",
            _ => "x64",
        };

        // RuntimeInformation.RuntimeIdentifier exists from .NET 5; this assembly targets
        // netstandard2.0, so it is read by reflection.
        string? runtime = typeof(RuntimeInformation).GetProperty("RuntimeIdentifier", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as string;
        string os;
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            os = "win";
        }
        else if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
        {
            os = "osx";
        }
        else
        {
            os = IsMusl(runtime) ? "linux-musl" : "linux";
        }

        string portable = os + "-" + arch;
        return runtime is null || string.Equals(runtime, portable, StringComparison.Ordinal)
            ? new[] { portable }
            : new[] { runtime, portable };
    }

    private static bool IsMusl(string? runtime)
    {
        if (runtime is not null && (runtime.IndexOf("musl", StringComparison.Ordinal) >= 0 || runtime.StartsWith("alpine", StringComparison.Ordinal)))
        {
            return true;
        }

        try
        {
            // The musl dynamic loader is /lib/ld-musl-<arch>.so.1; glibc systems have none.
            return Directory.Exists("/lib") && Directory.GetFiles("/lib", "ld-musl-*").Length > 0;
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
        {
            return false;
        }
    }
}
