using System.Management.Automation;
using MailOps.Core.Relay;
using MailOps.Core.Store;

namespace MailOps.Commands;

/// <summary>Get-RelayDefault: the fallback sender set by Set-RelayDefault; nothing when none is set.</summary>
[Cmdlet(VerbsCommon.Get, "RelayDefault")]
[OutputType(typeof(RelayDefaults))]
public sealed class GetRelayDefaultCommand : RelayCmdlet
{
    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        RelayProfileStore? store = GetProfiles(create: false);
        if (store is null)
        {
            return;
        }

        try
        {
            RelayDefaults? defaults = Await(store.GetDefaultsAsync(CancellationToken));
            if (defaults is null)
            {
                WriteVerbose("No relay default sender is set: Set-RelayDefault sets one.");
                return;
            }

            WriteObject(defaults);
        }
        catch (MailOpsStoreException ex)
        {
            WriteError(CreateStoreError(ex, StorePath));
        }
    }
}
