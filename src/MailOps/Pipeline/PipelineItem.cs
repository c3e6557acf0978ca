using System;
using System.Collections.Generic;
using System.Management.Automation;

namespace MailOps.Pipeline;

/// <summary>
/// The outcome of one pipeline item computed off the pipeline thread: an object or an
/// ErrorRecord, with the verbose lines and warnings that belong to it, so they are written
/// together and in input order.
/// </summary>
internal sealed class PipelineItem
{
    private PipelineItem(object? output, ErrorRecord? error, IReadOnlyList<string>? verbose, IReadOnlyList<string>? warnings, bool enumerateOutput = false)
    {
        Output = output;
        EnumerateOutput = enumerateOutput;
        Error = error;
        Verbose = verbose ?? Array.Empty<string>();
        Warnings = warnings ?? Array.Empty<string>();
    }

    public object? Output { get; }

    /// <summary>True when <see cref="Output"/> is a collection whose elements are written one by one
    /// (cmdlets that give several rows per input, such as one row per MX).</summary>
    public bool EnumerateOutput { get; }

    public ErrorRecord? Error { get; }

    public IReadOnlyList<string> Verbose { get; }

    public IReadOnlyList<string> Warnings { get; }

    public static PipelineItem Success(object output, IReadOnlyList<string>? verbose = null, IReadOnlyList<string>? warnings = null)
        => new PipelineItem(output, null, verbose, warnings);

    public static PipelineItem SuccessMany(System.Collections.IEnumerable outputs, IReadOnlyList<string>? verbose = null, IReadOnlyList<string>? warnings = null)
        => new PipelineItem(outputs, null, verbose, warnings, enumerateOutput: true);

    public static PipelineItem Failure(ErrorRecord error, IReadOnlyList<string>? verbose = null)
        => new PipelineItem(null, error, verbose, null);
}
