using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using MailOps.Core.Relay;
using MailOps.Core.Store;

namespace MailOps.Commands;

/// <summary>
/// Get-RelayServer: the relay profiles of the store, all of them or by name (wildcards allowed),
/// in routing order (category, priority, name). Passwords are never part of the output.
/// </summary>
[Cmdlet(VerbsCommon.Get, "RelayServer")]
[OutputType(typeof(RelayServer))]
public sealed class GetRelayServerCommand : RelayCmdlet
{
    private IReadOnlyList<RelayServer>? all;

    /// <summary>Profile names or wildcards; omitted: every profile.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Only profiles of this category.</summary>
    [Parameter]
    [ValidateSet("Transactional", "Bulk", IgnoreCase = true)]
    public string? Category { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        IReadOnlyList<RelayServer> profiles;
        try
        {
            profiles = all ??= GetProfiles(create: false) is RelayProfileStore store
                ? Await(store.GetAsync(CancellationToken))
                : Array.Empty<RelayServer>();
        }
        catch (MailOpsStoreException ex)
        {
            WriteError(CreateStoreError(ex, StorePath));
            return;
        }

        RelayCategory? category = ParseCategory(Category);
        IEnumerable<RelayServer> inCategory = profiles.Where(p => category is null || p.Category == category);
        if (Name is null)
        {
            foreach (RelayServer profile in inCategory)
            {
                WriteObject(profile);
            }

            return;
        }

        // One pass over the profiles keeps routing order and writes a profile once even when
        // several patterns match it; a literal name that matches nothing is an error (as Get-Process).
        var patterns = Name.Select(n => new WildcardPattern(n.Trim(), WildcardOptions.IgnoreCase)).ToArray();
        var matched = new bool[Name.Length];
        foreach (RelayServer profile in inCategory)
        {
            bool any = false;
            for (int i = 0; i < patterns.Length; i++)
            {
                if (patterns[i].IsMatch(profile.Name))
                {
                    matched[i] = true;
                    any = true;
                }
            }

            if (any)
            {
                WriteObject(profile);
            }
        }

        for (int i = 0; i < Name.Length; i++)
        {
            if (!matched[i] && !WildcardPattern.ContainsWildcardCharacters(Name[i]))
            {
                WriteError(CreateNotFound(Name[i].Trim()));
            }
        }
    }
}
