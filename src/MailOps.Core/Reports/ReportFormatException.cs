using System;

namespace MailOps.Core.Reports;

/// <summary>
/// A report file that cannot be read as a report: not XML or JSON, not a DMARC or TLS-RPT
/// report, a truncated gzip, a zip or message without a report inside. The message says what is
/// wrong in words an admin can act on; the cmdlet turns it into one ErrorRecord for that file
/// and goes on with the next.
/// </summary>
public sealed class ReportFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="file"/>.</summary>
    public ReportFormatException(string file, string message, Exception? inner = null)
        : base($"{file}: {message}", inner)
    {
        File = file;
        Reason = message;
    }

    /// <summary>The path of the file (with the zip entry or attachment name when nested).</summary>
    public string File { get; }

    /// <summary>What is wrong, without the file name.</summary>
    public string Reason { get; }
}
