namespace MailOps.Core.Bimi;

/// <summary>
/// The stable codes of the findings that <see cref="BimiRecordAnalyzer"/> reports. Scripts filter
/// on them and about_MailOps documents them, so a code is never renamed once released.
/// </summary>
public static class BimiFindingCodes
{
    /// <summary>Info: no "v=BIMI1" TXT record at &lt;selector&gt;._bimi.&lt;domain&gt;.</summary>
    public const string BimiNoRecord = "BimiNoRecord";

    /// <summary>Error: more than one "v=BIMI1" record at the name; receivers use none of them.</summary>
    public const string BimiMultipleRecords = "BimiMultipleRecords";

    /// <summary>Error: the record breaks the tag=value grammar (v=BIMI1 first, known tags once).</summary>
    public const string BimiSyntax = "BimiSyntax";

    /// <summary>Error: the l= logo location is not an https: URL; receivers fetch logos over HTTPS only.</summary>
    public const string BimiLogoNotHttps = "BimiLogoNotHttps";

    /// <summary>Info: no a= evidence document (VMC or CMC); Gmail and Apple Mail show no logo without one.</summary>
    public const string BimiNoAuthority = "BimiNoAuthority";

    /// <summary>Info: an empty l= (and no a=): the domain explicitly declines to show a logo.</summary>
    public const string BimiDeclined = "BimiDeclined";

    /// <summary>Error: the TXT lookup failed (SERVFAIL, timeout); receivers cannot find the record.</summary>
    public const string BimiDnsError = "BimiDnsError";
}
