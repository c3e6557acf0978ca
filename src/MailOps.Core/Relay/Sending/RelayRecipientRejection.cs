namespace MailOps.Core.Relay;

/// <summary>
/// A recipient that did not get the message, with the reason an admin acts on: the relay's
/// reply to RCPT TO, or "suppressed" when the suppression list stopped it before sending.
/// </summary>
public sealed class RelayRecipientRejection
{
    internal RelayRecipientRejection(string address, int? statusCode, string? enhancedStatusCode, string reason)
    {
        Address = address;
        StatusCode = statusCode;
        EnhancedStatusCode = enhancedStatusCode;
        Reason = reason;
    }

    /// <summary>The recipient address (binds to -Address of the suppression cmdlets).</summary>
    public string Address { get; }

    /// <summary>The SMTP reply code (550, 451...); null for a suppressed recipient.</summary>
    public int? StatusCode { get; }

    /// <summary>The enhanced status code (RFC 3463, "5.1.1"); null when the server sent none.</summary>
    public string? EnhancedStatusCode { get; }

    /// <summary>"suppressed", or the server's reply text.</summary>
    public string Reason { get; }

    /// <summary>The reason marker used for recipients skipped because of the suppression list.</summary>
    public const string Suppressed = "suppressed";

    /// <summary>A recipient skipped because the suppression list holds it.</summary>
    public static RelayRecipientRejection ForSuppressed(string address) => new RelayRecipientRejection(address, null, null, Suppressed);

    /// <inheritdoc />
    public override string ToString() => StatusCode is null ? Address + " (" + Reason + ")" : Address + " (" + StatusCode + " " + Reason + ")";
}
