using System;
using System.Globalization;
using System.Management.Automation;
using MailOps.Core.Store;
using MailOps.Core.Suppression;

namespace MailOps.Commands;

/// <summary>
/// Add-MailSuppression: puts addresses on the suppression list (hard bounces, complaints,
/// unsubscribes) so that no MailOps cmdlet sends to them. Adding a listed address updates its
/// entry. Bounces from Import-MailBounce bind directly: Recipient to -Address, Kind to -Reason,
/// File to -Source.
/// </summary>
[Cmdlet(VerbsCommon.Add, "MailSuppression", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(MailSuppression))]
public sealed class AddMailSuppressionCommand : StoreCmdlet
{
    /// <summary>The addresses to suppress.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Recipient")]
    [ValidateNotNull]
    public string[] Address { get; set; } = Array.Empty<string>();

    /// <summary>Why: HardBounce, Complaint, Unsubscribed, a ticket number...</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("Kind")]
    [ValidateNotNullOrEmpty]
    public string Reason { get; set; } = string.Empty;

    /// <summary>When the suppression ends; omitted: never.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public DateTime? ExpiresAt { get; set; }

    /// <summary>Where the entry comes from (a bounce file, a ticket, a script).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("File")]
    public string? Source { get; set; }

    /// <summary>Apply -ExpiresAt even when it ends an active suppression sooner than its current expiry.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Write the entry as stored.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

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

            if (ExpiresAt.HasValue && ExpiresAt.Value.ToUniversalTime() <= DateTime.UtcNow)
            {
                var error = new ArgumentException($"-ExpiresAt {ExpiresAt.Value.ToString(CultureInfo.CurrentCulture)} is not in the future: an expired entry suppresses nothing.");
                WriteError(CreateError(error, ErrorIds.InvalidSuppressionExpiry, ErrorCategory.InvalidArgument, ExpiresAt.Value));
                continue;
            }

            // Nothing, not even the store file, is touched before the user agreed (-WhatIf, -Confirm).
            if (!ShouldProcess(address, $"Add to the suppression list {StorePath} (reason: {Reason})"))
            {
                continue;
            }

            SuppressionList list = GetSuppressionList(create: true)!;
            SuppressionAddResult result;
            try
            {
                result = Await(list.AddAsync(address, Reason, ExpiresAt, Source, Force.IsPresent, CancellationToken));
            }
            catch (MailOpsStoreException ex)
            {
                WriteError(StoreErrors.Create(ex, input));
                continue;
            }

            Report(result);
            if (PassThru)
            {
                WriteObject(result.Entry);
            }
        }
    }

    private void Report(SuppressionAddResult result)
    {
        MailSuppression entry = result.Entry;
        if (!result.IsUpdate)
        {
            WriteVerbose($"Added {entry.Address} (reason: {entry.Reason}, expires: {Describe(entry.ExpiresAt)}).");
            return;
        }

        MailSuppression previous = result.Previous!;
        WriteVerbose($"Updated {entry.Address}: reason '{previous.Reason}' -> '{entry.Reason}', expires {Describe(previous.ExpiresAt)} -> {Describe(entry.ExpiresAt)}{(previous.IsExpired ? " (the old entry had expired)" : string.Empty)}.");
        if (result.ExpiryKept)
        {
            WriteWarning($"{entry.Address} stays suppressed until {Describe(entry.ExpiresAt)}, its existing expiry, which is later than -ExpiresAt. Use -Force to end the suppression sooner.");
        }
    }

    private static string Describe(DateTime? expiresAt)
        => expiresAt.HasValue ? expiresAt.Value.ToString("u", CultureInfo.InvariantCulture) : "never";
}
