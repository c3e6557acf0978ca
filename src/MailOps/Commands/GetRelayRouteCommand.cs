using System;
using System.Collections.Generic;
using System.Management.Automation;
using MailOps.Core.Relay;
using MailOps.Core.Store;

namespace MailOps.Commands;

/// <summary>
/// Get-RelayRoute: shows which relay profiles Send-RelayMail would try for a From and category,
/// in order, and whether it would rewrite the From, without sending anything. The admin's way
/// to test a configuration; From and Category bind from CSV rows.
/// </summary>
[Cmdlet(VerbsCommon.Get, "RelayRoute")]
[OutputType(typeof(RelayRouteDecision))]
public sealed class GetRelayRouteCommand : RelayCmdlet
{
    private IReadOnlyList<RelayServer>? profiles;
    private RelayDefaults? defaults;

    /// <summary>The From addresses (user@domain or "Name &lt;user@domain&gt;").</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] From { get; set; } = Array.Empty<string>();

    /// <summary>Transactional (default) or Bulk.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateSet("Transactional", "Bulk", IgnoreCase = true)]
    public string Category { get; set; } = "Transactional";

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (profiles is null)
        {
            RelayProfileStore? store = GetProfiles(create: false);
            try
            {
                profiles = store is null ? Array.Empty<RelayServer>() : Await(store.GetAsync(CancellationToken));
                defaults = store is null ? null : Await(store.GetDefaultsAsync(CancellationToken));
            }
            catch (MailOpsStoreException ex)
            {
                ThrowTerminatingError(CreateStoreError(ex, StorePath));
            }

            WriteVerbose($"{profiles!.Count} relay profile(s); default sender: {defaults?.Address ?? "none"}.");
        }

        RelayCategory category = ParseCategory(Category)!.Value;
        foreach (string from in From)
        {
            RelayRouteDecision decision;
            try
            {
                decision = RelayRoute.Choose(profiles!, defaults, from, category);
            }
            catch (ArgumentException ex)
            {
                WriteError(CreateError(ex, ErrorIds.InvalidRelayFromAddress, ErrorCategory.InvalidArgument, from));
                continue;
            }

            WriteVerbose(decision.Reason);
            WriteObject(decision);
        }
    }
}
