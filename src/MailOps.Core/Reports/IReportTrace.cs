namespace MailOps.Core.Reports;

/// <summary>
/// Where the report readers say what they are doing (which file, which zip entry or attachment,
/// how many records). Import-DmarcReport and Import-TlsRptReport implement it with WriteVerbose,
/// so an admin can see with -Verbose why a file gave no rows.
/// </summary>
public interface IReportTrace
{
    /// <summary>One line of trace.</summary>
    void Trace(string message);
}
