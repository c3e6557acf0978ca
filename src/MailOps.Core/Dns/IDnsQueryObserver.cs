using System;

namespace MailOps.Core.Dns;

/// <summary>
/// Sees every DNS question MailOps asks, so a cmdlet can show them under -Verbose: that is how an
/// administrator finds the one lookup that makes a scheduled SPF check fail. Calls arrive on
/// thread-pool threads, concurrently; an implementation must be thread-safe and must not call
/// PowerShell's Write* methods directly (queue the message for the pipeline thread instead).
/// </summary>
public interface IDnsQueryObserver
{
    /// <summary>Called once per question, when its answer is known.</summary>
    /// <param name="answer">The answer, failures included.</param>
    /// <param name="elapsed">Time spent on the wire, or waiting for a shared answer when <paramref name="fromCache"/> is true.</param>
    /// <param name="fromCache">True when no query was sent: the answer came from this invocation's cache
    /// or from an identical question already in flight.</param>
    void OnQuery(DnsAnswer answer, TimeSpan elapsed, bool fromCache);
}
