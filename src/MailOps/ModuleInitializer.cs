using System.Management.Automation;

namespace MailOps;

/// <summary>
/// Runs when Import-Module loads MailOps.dll, before any cmdlet touches MailOps.Core, so that the
/// engine and its packages resolve from the module's private load context.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    /// <summary>Registers the dependency resolver.</summary>
    public void OnImport() => DependencyLoader.Register();
}
