using System.Linq;

namespace MailOps.Core.Bimi;

/// <summary>
/// What Get-BimiRecord returns for one domain: the BIMI assertion record at
/// &lt;selector&gt;._bimi.&lt;domain&gt;, its logo and evidence URLs, and findings. BIMI also requires a
/// DMARC policy at enforcement (quarantine or reject); that is checked with the DMARC cmdlets, not here.
/// </summary>
public sealed class BimiRecord
{
    internal BimiRecord(string domain, string selector, string? record, string? logoUrl, string? authorityUrl, bool isValid, Finding[] findings)
    {
        Domain = domain;
        Selector = selector;
        Record = record;
        LogoUrl = logoUrl;
        AuthorityUrl = authorityUrl;
        IsValid = isValid;
        Findings = findings;
    }

    /// <summary>The domain (lower-case A-label form). Binds to -Domain of the next cmdlet.</summary>
    public string Domain { get; }

    /// <summary>The selector queried ("default" unless a message's BIMI-Selector header names another).</summary>
    public string Selector { get; }

    /// <summary>The "v=BIMI1" record (the first, when there are several), or null.</summary>
    public string? Record { get; }

    /// <summary>The l= URL of the SVG logo, or null when absent or empty.</summary>
    public string? LogoUrl { get; }

    /// <summary>The a= URL of the evidence document (a VMC or CMC in PEM form), or null.</summary>
    public string? AuthorityUrl { get; }

    /// <summary>True when the record is usable: exactly one, valid syntax, an https: logo (or a
    /// declination, which is a valid statement).</summary>
    public bool IsValid { get; }

    /// <summary>What is wrong or worth knowing; see about_MailOps for the codes.</summary>
    public Finding[] Findings { get; }

    /// <summary>Number of Error findings.</summary>
    public int ErrorCount => Findings.Count(f => f.Severity == FindingSeverity.Error);

    /// <inheritdoc />
    public override string ToString() => Record is null ? $"{Domain}: no BIMI record ({Selector})" : $"{Domain}: {Record}";
}
