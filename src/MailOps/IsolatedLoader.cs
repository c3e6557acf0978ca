using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace MailOps;

/// <summary>
/// PowerShell 7 side of <see cref="DependencyLoader"/>. Only MailOps.Core is handed to the
/// default context, through its Resolving event, and it comes from the private context; every
/// assembly MailOps.Core needs is then resolved by that private context first, so a session that
/// already holds DnsClient 1.6.1 (or any other version) keeps it and MailOps keeps its own.
/// </summary>
internal static class IsolatedLoader
{
    private const string EngineAssemblyName = "MailOps.Core";

    private static DependencyLoadContext? context;

    internal static void Register(string directory)
    {
        context = new DependencyLoadContext(directory);
        AssemblyLoadContext.Default.Resolving += ResolveEngine;
    }

    private static Assembly? ResolveEngine(AssemblyLoadContext defaultContext, AssemblyName name)
    {
        if (context is null || !string.Equals(name.Name, EngineAssemblyName, StringComparison.Ordinal))
        {
            return null;
        }

        return context.LoadFromAssemblyPath(Path.Combine(context.Directory, EngineAssemblyName + ".dll"));
    }

    /// <summary>The private context. Framework assemblies (System.*, netstandard) are left to the
    /// platform, which always has versions at least as new as the netstandard packages; everything
    /// else found in Dependencies is loaded here.</summary>
    private sealed class DependencyLoadContext : AssemblyLoadContext
    {
        public DependencyLoadContext(string directory)
        {
            Directory = directory;
            Resolving += ResolveFromDirectory;
        }

        public string Directory { get; }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            if (IsPlatformName(assemblyName.Name))
            {
                // null: the default context loads it; if the platform lacks it, Resolving below
                // falls back to our copy.
                return null;
            }

            string path = Path.Combine(Directory, assemblyName.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }

        private static bool IsPlatformName(string? name)
            => name is null
                || name == "netstandard"
                || name == "mscorlib"
                || name.StartsWith("System.", StringComparison.Ordinal)
                || name.StartsWith("Microsoft.Win32.", StringComparison.Ordinal);

        /// <summary>
        /// Native libraries that assemblies of this context import by name. SQLitePCLRaw's
        /// netstandard2.0 provider imports "e_sqlite3" ([DllImport]); the runtime asks this
        /// context before its own probing, which would never look in Dependencies/runtimes.
        /// </summary>
        protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
        {
            string? path = NativeLibraryPath.Find(Directory, unmanagedDllName);
            return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
        }

        private Assembly? ResolveFromDirectory(AssemblyLoadContext self, AssemblyName name)
        {
            string path = Path.Combine(Directory, name.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }
}
