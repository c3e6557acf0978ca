using System;
using System.Linq;
using System.Management.Automation;
using MailOps.Core;
using MailOps.Core.Dmarc;

namespace MailOps.Commands;

/// <summary>
/// New-DmarcRecord: the DMARC record to publish, validated, with its tags in canonical order,
/// the name to publish it at, and what else must be published (external report authorization).
/// It only computes; DNS is not read or changed.
/// </summary>
[Cmdlet(VerbsCommon.New, "DmarcRecord")]
[OutputType(typeof(DmarcRecordProposal))]
public sealed class NewDmarcRecordCommand : MailOpsCmdlet
{
    // Choices are strings with ValidateSet, not MailOps.Core enums: a field of a Core value type
    // would make PowerShell's type scan of MailOps.dll load MailOps.Core before the module
    // initializer has set up its private load context. The optional ones also accept "" (an
    // empty CSV cell), which means "leave the tag out".

    /// <summary>p: what receivers do with mail that fails DMARC (none, quarantine, reject).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateSet("none", "quarantine", "reject")]
    public string Policy { get; set; } = "none";

    /// <summary>The domain the record is for; the output then names _dmarc.&lt;domain&gt; and the
    /// authorization records external report destinations need.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Domain { get; set; }

    /// <summary>sp: the policy for existing subdomains.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateSet("", "none", "quarantine", "reject")]
    public string? SubdomainPolicy { get; set; }

    /// <summary>np: the policy for non-existent subdomains (RFC 9989).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateSet("", "none", "quarantine", "reject")]
    public string? NonexistentSubdomainPolicy { get; set; }

    /// <summary>rua: where aggregate reports go (addresses or URIs); empty values are skipped.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    [AllowEmptyCollection]
    public string[]? AggregateReportUri { get; set; }

    /// <summary>ruf: where failure reports go (addresses or URIs); empty values are skipped.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    [AllowEmptyCollection]
    public string[]? FailureReportUri { get; set; }

    /// <summary>adkim: DKIM alignment mode (relaxed, strict).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateSet("", "relaxed", "strict")]
    public string? DkimAlignment { get; set; }

    /// <summary>aspf: SPF alignment mode (relaxed, strict).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateSet("", "relaxed", "strict")]
    public string? SpfAlignment { get; set; }

    /// <summary>fo: when failure reports are sent (0, 1, d, s; several separated by ':').</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string? FailureOptions { get; set; }

    /// <summary>pct: the share of failing mail the policy applies to (RFC 7489 only; RFC 9989 removed it).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, 100)]
    public int? Percentage { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        bool ok = true;
        string? domain = null;
        if (Domain is not null)
        {
            if (DomainName.TryNormalize(Domain, out string normalized, out string? reason))
            {
                domain = normalized;
            }
            else
            {
                WriteError(CreateError(new ArgumentException(reason), ErrorIds.InvalidDomainName, ErrorCategory.InvalidArgument, Domain));
                ok = false;
            }
        }

        // Every bad address gets its own error, so one run shows all there is to fix.
        string[] rua = NonEmpty(AggregateReportUri);
        string[] ruf = NonEmpty(FailureReportUri);
        string? fo = string.IsNullOrWhiteSpace(FailureOptions) ? null : FailureOptions;
        ok &= CheckUris(rua, nameof(AggregateReportUri));
        ok &= CheckUris(ruf, nameof(FailureReportUri));
        if (fo is not null && !DmarcRecordParser.TryNormalizeFailureOptions(fo, out _))
        {
            var ex = new ArgumentException($"-FailureOptions '{FailureOptions}' is not valid: use 0, 1, d or s, several separated by ':' (for example 1 or d:s).", nameof(FailureOptions));
            WriteError(CreateError(ex, ErrorIds.InvalidDmarcFailureOptions, ErrorCategory.InvalidArgument, FailureOptions));
            ok = false;
        }

        if (!ok)
        {
            // A record without one of the asked-for addresses would be wrong to publish.
            return;
        }

        var request = new DmarcRecordRequest
        {
            Domain = domain,
            Policy = ToPolicy(Policy)!.Value,
            SubdomainPolicy = ToPolicy(SubdomainPolicy),
            NonexistentSubdomainPolicy = ToPolicy(NonexistentSubdomainPolicy),
            AggregateReportUri = rua,
            FailureReportUri = ruf,
            DkimAlignment = ToAlignment(DkimAlignment),
            SpfAlignment = ToAlignment(SpfAlignment),
            FailureOptions = fo,
            Percentage = Percentage,
        };

        try
        {
            WriteObject(DmarcRecordBuilder.Build(request));
        }
        catch (Exception ex) when (!(ex is PipelineStoppedException))
        {
            WriteError(CreateError(ex, ErrorIds.UnexpectedError, ErrorCategory.NotSpecified, (object?)domain ?? Policy));
        }
    }

    private static DmarcPolicyKind? ToPolicy(string? value)
        => string.IsNullOrEmpty(value) ? null : (DmarcPolicyKind)Enum.Parse(typeof(DmarcPolicyKind), value, ignoreCase: true);

    private static DmarcAlignment? ToAlignment(string? value)
        => string.IsNullOrEmpty(value) ? null : (DmarcAlignment)Enum.Parse(typeof(DmarcAlignment), value, ignoreCase: true);

    private static string[] NonEmpty(string[]? values)
        => (values ?? Array.Empty<string>()).Where(v => !string.IsNullOrWhiteSpace(v)).ToArray();

    private bool CheckUris(string[] values, string parameter)
    {
        bool ok = true;
        foreach (string value in values)
        {
            if (!DmarcRecordBuilder.TryNormalizeReportUri(value, out _, out string reason))
            {
                WriteError(CreateError(new ArgumentException($"-{parameter}: {reason}", parameter), ErrorIds.InvalidDmarcReportUri, ErrorCategory.InvalidArgument, value));
                ok = false;
            }
        }

        return ok;
    }
}
