namespace MailOps;

/// <summary>ErrorIds of Send-RelayMail and Invoke-RelayQueue.</summary>
public static partial class ErrorIds
{
    /// <summary>A header value (From, To, Cc, Bcc, Reply-To, Subject...) contains CR, LF or
    /// another control character; the message was neither queued nor sent (InvalidArgument).</summary>
    public const string HeaderInjection = "HeaderInjection";

    /// <summary>An address of the message is not a mailbox, or it has no recipient
    /// (InvalidArgument).</summary>
    public const string InvalidRelayMailAddress = "InvalidRelayMailAddress";

    /// <summary>An -Attachment file does not exist or cannot be read (ObjectNotFound).</summary>
    public const string RelayAttachmentNotFound = "RelayAttachmentNotFound";

    /// <summary>No enabled relay profile may send this message (none of the category, no From
    /// filter matches and no default sender, or -RelayServer names none); nothing was queued
    /// (ObjectNotFound).</summary>
    public const string NoRelayServer = "NoRelayServer";

    /// <summary>The relay refused the message permanently (5xx) or every recipient was refused
    /// or suppressed; the result object has the codes (ProtocolError).</summary>
    public const string RelaySendFailed = "RelaySendFailed";
}
