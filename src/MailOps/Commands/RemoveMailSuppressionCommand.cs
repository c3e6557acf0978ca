using System;
using System.Management.Automation;
using MailOps.Core.Store;
using MailOps.Core.Suppression;

namespace MailOps.Commands;

/// <summary>
/// Remove-MailSuppression: takes addresses off the suppression list, so mail to them is sent
/// again. Takes the output of Get-MailSuppression from the pipeline.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "MailSuppression", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class RemoveMailSuppressionCommand : StoreCmdlet
{
    /// <summary>The addresses to take off the list (no wildcards: removal is always explicit).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Recipient")]
    [ValidateNotNull]
    public string[] Address { get; set; } = Array.Empty<string>();

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (string input in Address)
        {
            if (!SuppressionAddress.TryNormalize(input, out string address, out string? reason))
            {
                WriteError(CreateAddressError(input, reason));
                continue;
            }

            if (!ShouldProcess(address, $"Remove from the suppression list {StorePath}"))
            {
                continue;
            }

            SuppressionList? list = GetSuppressionList(create: false);
            bool removed;
            try
            {
                removed = list is not null && Await(list.RemoveAsync(address, CancellationToken));
            }
            catch (MailOpsStoreException ex)
            {
                WriteError(StoreErrors.Create(ex, input));
                continue;
            }

            if (!removed)
            {
                var error = new ItemNotFoundException($"{address} is not on the suppression list {StorePath}.");
                WriteError(CreateError(error, ErrorIds.SuppressionNotFound, ErrorCategory.ObjectNotFound, input));
                continue;
            }

            WriteVerbose($"Removed {address} from the suppression list.");
        }
    }
}
