using System;

namespace MailOps.Core.Bounces;

/// <summary>Why a file gave no bounces, or only some.</summary>
public enum BounceFileProblem
{
    /// <summary>The file was read; <see cref="BounceFileResult.Bounces"/> holds what it had.</summary>
    None,

    /// <summary>The file is one message, and it is not a bounce (an ordinary message, an auto-reply).</summary>
    NotABounce,

    /// <summary>The file is not a readable message or mbox (garbage, empty, a truncated report).</summary>
    InvalidMessageFile,
}

/// <summary>What one file held: the bounce rows, and the problem that stopped it, if any.</summary>
public sealed class BounceFileResult
{
    internal BounceFileResult(string file, MailBounce[] bounces, bool isMbox, int messageCount, BounceFileProblem problem, string? problemMessage, string[] notes)
    {
        File = file;
        Bounces = bounces;
        IsMbox = isMbox;
        MessageCount = messageCount;
        Problem = problem;
        ProblemMessage = problemMessage;
        Notes = notes;
    }

    /// <summary>The file that was read.</summary>
    public string File { get; }

    /// <summary>One row per recipient of every bounce in the file, in file order. An mbox that
    /// breaks part-way keeps the rows read before the break.</summary>
    public MailBounce[] Bounces { get; }

    /// <summary>True when the file was read as an mbox (it starts with a "From " line).</summary>
    public bool IsMbox { get; }

    /// <summary>How many messages were read.</summary>
    public int MessageCount { get; }

    /// <summary>What went wrong, or <see cref="BounceFileProblem.None"/>.</summary>
    public BounceFileProblem Problem { get; }

    /// <summary>The problem in words, for the ErrorRecord.</summary>
    public string? ProblemMessage { get; }

    /// <summary>What the reader did, for -Verbose: messages of an mbox that were skipped and why.</summary>
    public string[] Notes { get; }

    internal static BounceFileResult Failed(string file, BounceFileProblem problem, string message)
        => new BounceFileResult(file, Array.Empty<MailBounce>(), false, 0, problem, message, Array.Empty<string>());
}
