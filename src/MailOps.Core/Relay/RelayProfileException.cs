using System;

namespace MailOps.Core.Relay;

/// <summary>
/// A relay profile operation that was refused before anything was written: the store is
/// unchanged. Store failures themselves come out as
/// <see cref="MailOps.Core.Store.MailOpsStoreException"/>.
/// </summary>
public sealed class RelayProfileException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RelayProfileException(RelayProfileErrorKind kind, string? target, string message)
        : base(message)
    {
        Kind = kind;
        Target = target;
    }

    /// <summary>What was refused.</summary>
    public RelayProfileErrorKind Kind { get; }

    /// <summary>The profile name or value the error is about.</summary>
    public string? Target { get; }
}
