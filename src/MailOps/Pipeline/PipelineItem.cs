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
    private PipelineItem(object? output, ErrorRecord? error, IReadOnlyList<string>? verbose, IReadOnlyList<string>? warnings)
    {
        Output = output;
        Error = error;
        Verbose = verbose ?? Array.Empty<string>();
        Warnings = warnings ?? Array.Empty<string>();
    }

    public object? Output { get; }

    public ErrorRecord? Error { get; }

    public IReadOnlyList<string> Verbose { get; }

    public IReadOnlyList<string> Warnings { get; }

    public static PipelineItem Success(object output, IReadOnlyList<string>? verbose = null, IReadOnlyList<string>? warnings = null)
        => new PipelineItem(output, null, verbose, warnings);

    public static PipelineItem Failure(ErrorRecord error, IReadOnlyList<string>? verbose = null)
        => new PipelineItem(null, error, verbose, null);
}
