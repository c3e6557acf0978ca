using System;

namespace MailOps.Core.Suppression;

/// <summary>
/// One entry of the suppression list: an address that must not be sent to, why, and until when.
/// <see cref="Address"/> is the property Remove-MailSuppression and the sending cmdlets bind.
/// </summary>
public sealed class MailSuppression
{
    internal MailSuppression(string address, string reason, string? source, DateTime addedAt, DateTime updatedAt, DateTime? expiresAt, DateTime now)
    {
        Address = address;
        Domain = SuppressionAddress.DomainOf(address);
        Reason = reason;
        Source = source;
        AddedAt = addedAt;
        UpdatedAt = updatedAt;
        ExpiresAt = expiresAt;
        IsExpired = expiresAt.HasValue && expiresAt.Value <= now;
    }

    /// <summary>The suppressed address: local part as given, domain lower-case in A-label form.</summary>
    public string Address { get; }

    /// <summary>The domain of <see cref="Address"/>, for grouping and filtering.</summary>
    public string Domain { get; }

    /// <summary>Why the address is suppressed (a hard bounce, a complaint, an unsubscribe...).</summary>
    public string Reason { get; }

    /// <summary>Where the entry came from (a bounce file, a ticket, a script), if given.</summary>
    public string? Source { get; }

    /// <summary>When the current suppression started (UTC).</summary>
    public DateTime AddedAt { get; }

    /// <summary>When the entry was last added again or changed (UTC).</summary>
    public DateTime UpdatedAt { get; }

    /// <summary>When the suppression ends (UTC); null: never.</summary>
    public DateTime? ExpiresAt { get; }

    /// <summary>True when <see cref="ExpiresAt"/> has passed: the entry no longer suppresses
    /// anything and is kept only as a record.</summary>
    public bool IsExpired { get; }

    /// <inheritdoc />
    public override string ToString() => Address;
}
