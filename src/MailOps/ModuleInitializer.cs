using System.Management.Automation;
using System.Runtime.CompilerServices;

namespace MailOps;

/// <summary>
/// Runs when Import-Module loads MailOps.dll, before any cmdlet touches MailOps.Core, so that the
/// engine and its packages resolve from the module's private load context.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    /// <summary>Registers the dependency resolver.</summary>
    public void OnImport() => DependencyLoader.Register();

    // Belt and braces: on .NET 5+ the module initializer runs as soon as anything in MailOps.dll
    // executes, even if PowerShell inspects cmdlet types before calling OnImport.
    [ModuleInitializer]
    internal static void Initialize() => DependencyLoader.Register();
}
