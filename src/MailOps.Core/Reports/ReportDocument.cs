using System.IO;

namespace MailOps.Core.Reports;

/// <summary>One report inside a file: the decompressed content and where it came from.</summary>
internal sealed class ReportDocument
{
    internal ReportDocument(string file, string location, Stream content, bool compressed)
    {
        File = file;
        Location = location;
        Content = content;
        Compressed = compressed;
    }

    /// <summary>The file on disk.</summary>
    public string File { get; }

    /// <summary>Where in the file ("" for the file itself, else "zip entry 'a.xml'", ...).</summary>
    public string Location { get; }

    /// <summary>The report bytes, decompressed, read once from start to end.</summary>
    public Stream Content { get; }

    /// <summary>True when the bytes came through gzip or zip (so an early end means truncation).</summary>
    public bool Compressed { get; }

    /// <summary>A reason prefixed with the location, for error messages.</summary>
    public string Describe(string reason) => Location.Length == 0 ? reason : $"{Location}: {reason}";
}
