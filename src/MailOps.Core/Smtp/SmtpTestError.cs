namespace MailOps.Core.Smtp;

/// <summary>
/// Why a submission test failed: the stage, the server's reply when there was one, and a hint
/// that says what to change. It is data in the result, not an exception.
/// </summary>
public sealed class SmtpTestError
{
    internal SmtpTestError(SmtpTestStage stage, SmtpFailureReason reason, int? statusCode, string? enhancedStatusCode, string? serverText, bool isTransient, string message, string? hint)
    {
        Stage = stage;
        Reason = reason;
        StatusCode = statusCode;
        EnhancedStatusCode = enhancedStatusCode;
        ServerText = serverText;
        IsTransient = isTransient;
        Message = message;
        Hint = hint;
    }

    /// <summary>The stage that failed.</summary>
    public SmtpTestStage Stage { get; }

    /// <summary>The kind of failure.</summary>
    public SmtpFailureReason Reason { get; }

    /// <summary>The server's reply code (RFC 5321 section 4.2), when it replied.</summary>
    public int? StatusCode { get; }

    /// <summary>The enhanced status code (RFC 3463, e.g. 5.7.8), when the server sent one.</summary>
    public string? EnhancedStatusCode { get; }

    /// <summary>The server's reply text.</summary>
    public string? ServerText { get; }

    /// <summary>True for 4xx replies and timeouts: trying again later may work.</summary>
    public bool IsTransient { get; }

    /// <summary>What happened.</summary>
    public string Message { get; }

    /// <summary>What to do about it.</summary>
    public string? Hint { get; }

    /// <summary>The message and hint on one line.</summary>
    public override string ToString() => Hint is null ? Message : Message + " " + Hint;
}
