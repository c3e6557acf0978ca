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
        }
        else
        {
            // A separate type so that .NET Framework never JIT-compiles code that names
            // AssemblyLoadContext, which does not exist there.
            IsolatedLoader.Register(DependencyDirectory);
        }
    }

    private static Assembly? ResolveOnFramework(object? sender, ResolveEventArgs args)
    {
        string path = Path.Combine(DependencyDirectory, new AssemblyName(args.Name).Name + ".dll");
        return File.Exists(path) ? Assembly.LoadFrom(path) : null;
    }
}
