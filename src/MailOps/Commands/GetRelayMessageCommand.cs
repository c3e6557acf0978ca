using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using MailOps.Core.Relay;
using MailOps.Core.Store;

namespace MailOps.Commands;

/// <summary>
/// Get-RelayMessage: the messages in the relay outbox, all of them, by -Status, or by -Id (in the
/// order given). An -Id the outbox does not hold is a RelayMessageNotFound error; an -Id that
/// exists but has another -Status is simply not returned.
/// </summary>
[Cmdlet(VerbsCommon.Get, "RelayMessage")]
[OutputType(typeof(RelayMessage))]
public sealed class GetRelayMessageCommand : OutboxCmdlet
{
    /// <summary>Outbox ids; omitted: every message (of -Status).</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("OutboxId")]
    [ValidateNotNullOrEmpty]
    public long[]? Id { get; set; }

    /// <summary>Only messages in these states.</summary>
    [Parameter]
    [ValidateSet("Queued", "Sending", "Sent", "Deferred", "Failed", "Cancelled", IgnoreCase = true)]
    [ValidateNotNullOrEmpty]
    public string[]? Status { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        RelayOutbox? box = GetOutbox();
        IReadOnlyList<RelayMessageStatus>? statuses = ParseStatuses(Status);
        if (Id is null)
        {
            IReadOnlyList<RelayMessage> all;
            try
            {
                all = box is null ? Array.Empty<RelayMessage>() : Await(box.GetAsync(statuses, null, CancellationToken));
            }
            catch (MailOpsStoreException ex)
            {
                WriteError(StoreErrors.Create(ex, StorePath));
                return;
            }

            foreach (RelayMessage message in all)
            {
                WriteObject(message);
            }

            return;
        }

        // Read the ids without the status filter, so an unknown id can be told from one that
        // exists in another state.
        Dictionary<long, RelayMessage> found;
        try
        {
            found = box is null
                ? new Dictionary<long, RelayMessage>()
                : Await(box.GetAsync(null, Id, CancellationToken)).ToDictionary(m => m.Id);
        }
        catch (MailOpsStoreException ex)
        {
            WriteError(StoreErrors.Create(ex, StorePath));
            return;
        }

        foreach (long id in Id)
        {
            if (!found.TryGetValue(id, out RelayMessage? message))
            {
                WriteError(CreateNotFound(id));
            }
            else if (statuses is null || statuses.Contains(message.Status))
            {
                WriteObject(message);
            }
        }
    }
}
