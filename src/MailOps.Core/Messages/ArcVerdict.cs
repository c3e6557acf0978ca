namespace MailOps.Core.Messages;

/// <summary>
/// The ARC chain of a message (RFC 8617): whether every intermediary's seal verifies, how many
/// sets there are, and what broke. Forwarders and mailing lists add ARC so that receivers can
/// trust the authentication results they saw before modifying the message.
/// </summary>
public sealed class ArcVerdict
{
    internal ArcVerdict(ArcVerdictResult result, int chainLength, string? error)
    {
        Result = result;
        ChainLength = chainLength;
        Error = error;
    }

    /// <summary>None, Pass or Fail (the cv= a receiver would seal with).</summary>
    public ArcVerdictResult Result { get; }

    /// <summary>How many ARC sets (i=1..n) the message carries.</summary>
    public int ChainLength { get; }

    /// <summary>What is wrong with the chain (missing or duplicate sets, a failing seal), or null.</summary>
    public string? Error { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Result} ({ChainLength} set(s))";
}
