using System;
using System.Management.Automation;
using MailOps.Core.Relay;
using MailOps.Core.Store;

namespace MailOps.Commands;

/// <summary>
/// Unregister-RelayServer: removes relay profiles by exact name, typically piped from
/// Get-RelayServer (<c>Get-RelayServer old-* | Unregister-RelayServer</c>).
/// </summary>
[Cmdlet(VerbsLifecycle.Unregister, "RelayServer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class UnregisterRelayServerCommand : RelayCmdlet
{
    /// <summary>The profiles to remove (exact names; pipe Get-RelayServer for wildcards).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (string input in Name)
        {
            string name = input.Trim();
            if (!ShouldProcess(name, $"Unregister relay profile from {StorePath}"))
            {
                continue;
            }

            RelayProfileStore? profiles = GetProfiles(create: false);
            try
            {
                if (profiles is null || !Await(profiles.RemoveAsync(name, CancellationToken)))
                {
                    WriteError(CreateNotFound(name));
                    continue;
                }

                WriteVerbose($"Unregistered relay profile '{name}'.");
            }
            catch (MailOpsStoreException ex)
            {
                WriteError(CreateStoreError(ex, name));
            }
        }
    }
}
