using System;
using System.Management.Automation;
using MailOps.Core.Relay;
using MailOps.Core.Store;

namespace MailOps.Commands;

/// <summary>
/// Set-RelayDefault: sets the fallback sender DefaultFrom@DomainAlias that replaces a From no
/// relay profile may send as (the original sender then goes to Reply-To); -Clear removes it,
/// after which such messages have no relay.
/// </summary>
[Cmdlet(VerbsCommon.Set, "RelayDefault", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = SetSet)]
[OutputType(typeof(RelayDefaults))]
public sealed class SetRelayDefaultCommand : RelayCmdlet
{
    private const string SetSet = "Set";
    private const string ClearSet = "Clear";

    /// <summary>The local part of the fallback sender (noreply).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = SetSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string DefaultFrom { get; set; } = string.Empty;

    /// <summary>The domain of the fallback sender: one the relays may send as.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = SetSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string DomainAlias { get; set; } = string.Empty;

    /// <summary>Remove the fallback sender.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ClearSet)]
    public SwitchParameter Clear { get; set; }

    /// <summary>Write the defaults as stored.</summary>
    [Parameter(ParameterSetName = SetSet)]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (Clear)
        {
            if (ShouldProcess(StorePath, "Clear the relay default sender"))
            {
                RelayProfileStore? store = GetProfiles(create: false);
                try
                {
                    bool removed = store is not null && Await(store.ClearDefaultsAsync(CancellationToken));
                    WriteVerbose(removed ? "Cleared the relay default sender." : "No relay default sender was set.");
                }
                catch (MailOpsStoreException ex)
                {
                    WriteError(CreateStoreError(ex, StorePath));
                }
            }

            return;
        }

        RelayDefaults defaults;
        try
        {
            // Validated before ShouldProcess so -WhatIf reports a bad value too.
            defaults = RelayDefaults.Create(DefaultFrom, DomainAlias);
        }
        catch (RelayProfileException ex)
        {
            WriteError(CreateError(ex, ErrorIds.InvalidRelayDefault, ErrorCategory.InvalidArgument, ex.Target));
            return;
        }

        if (!ShouldProcess(defaults.Address, $"Set the relay default sender in {StorePath}"))
        {
            return;
        }

        RelayProfileStore profiles = GetProfiles(create: true)!;
        try
        {
            RelayDefaults stored = Await(profiles.SetDefaultsAsync(DefaultFrom, DomainAlias, CancellationToken));
            WriteVerbose($"The relay default sender is {stored.Address}.");
            if (PassThru)
            {
                WriteObject(stored);
            }
        }
        catch (MailOpsStoreException ex)
        {
            WriteError(CreateStoreError(ex, defaults.Address));
        }
    }
}
