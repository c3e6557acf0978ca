using System;
using System.Management.Automation;
using MailOps.Core.Relay;
using MailOps.Core.Store;

namespace MailOps.Commands;

/// <summary>
/// Stop-RelayMessage: cancels messages that wait in the outbox (Queued or Deferred), so no queue
/// run sends them. Takes Get-RelayMessage output from the pipeline (by its Id property). A
/// message already Sending, Sent, Failed or Cancelled cannot be cancelled: that is an error for
/// that id, and the others go on.
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "RelayMessage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(RelayMessage))]
public sealed class StopRelayMessageCommand : OutboxCmdlet
{
    /// <summary>The outbox ids to cancel.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("OutboxId")]
    [ValidateNotNullOrEmpty]
    public long[] Id { get; set; } = Array.Empty<long>();

    /// <summary>Return the cancelled message.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (long id in Id)
        {
            if (!ShouldProcess($"outbox message {id} in {StorePath}", "Cancel"))
            {
                continue;
            }

            RelayOutbox? box = GetOutbox();
            try
            {
                if (box is not null && Await(box.CancelAsync(id, CancellationToken)))
                {
                    WriteVerbose($"Cancelled outbox message {id}.");
                    if (PassThru)
                    {
                        RelayMessage? cancelled = FindMessage(id);
                        if (cancelled is not null)
                        {
                            WriteObject(cancelled);
                        }
                    }

                    continue;
                }
            }
            catch (MailOpsStoreException ex)
            {
                WriteError(StoreErrors.Create(ex, id));
                continue;
            }

            // Not cancelled: say whether the id is unknown or in a state that cannot be cancelled.
            RelayMessage? message = FindMessage(id);
            if (message is not null)
            {
                string why = message.Status switch
                {
                    RelayMessageStatus.Sending => "it is being sent now (or its sender stopped mid-transaction); it may already be delivered",
                    RelayMessageStatus.Sent => "it has been sent",
                    RelayMessageStatus.Failed => "it has failed and will not be tried again",
                    _ => "it is already cancelled",
                };
                var error = new InvalidOperationException($"Outbox message {id} is {message.Status} and cannot be cancelled: {why}.");
                WriteError(CreateError(error, ErrorIds.RelayMessageNotCancellable, ErrorCategory.InvalidOperation, id));
            }
        }
    }
}
