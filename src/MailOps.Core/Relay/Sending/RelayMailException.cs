using System;

namespace MailOps.Core.Relay;

/// <summary>Why a message could not even be composed, so the cmdlet picks the ErrorId.</summary>
public enum RelayMailErrorKind
{
    /// <summary>A header value contains CR, LF or another control character (header injection).</summary>
    HeaderInjection,

    /// <summary>An address is not a mailbox.</summary>
    InvalidAddress,

    /// <summary>An attachment file does not exist or cannot be read.</summary>
    AttachmentNotFound,

    /// <summary>The message has no recipient at all.</summary>
    NoRecipient,
}

/// <summary>
/// A message refused before anything was queued or sent: bad input, reported as an
/// ErrorRecord for that one pipeline item.
/// </summary>
public sealed class RelayMailException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public RelayMailException(RelayMailErrorKind kind, string? target, string message)
        : base(message)
    {
        Kind = kind;
        Target = target;
    }

    /// <summary>What was wrong.</summary>
    public RelayMailErrorKind Kind { get; }

    /// <summary>The offending value (header value, address, path).</summary>
    public string? Target { get; }
}
