using System;
using System.Management.Automation;
using MailOps.Core;
using MailOps.Core.Spf;

namespace MailOps.Commands;

/// <summary>
/// New-SpfInclude: the one record to publish when a provider asks for "include:x". It merges into
/// the existing record instead of adding a second one (a second record is a permerror that breaks
/// the first). It only computes; DNS is not changed.
/// </summary>
[Cmdlet(VerbsCommon.New, "SpfInclude", DefaultParameterSetName = DomainSet)]
[OutputType(typeof(SpfRecordChange))]
public sealed class NewSpfIncludeCommand : DnsCmdlet
{
    private const string DomainSet = "Domain";
    private const string RecordSet = "Record";

    /// <summary>The domain whose published record is merged into.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = DomainSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Domain { get; set; }

    /// <summary>The existing record text to merge into, instead of reading DNS.</summary>
    [Parameter(Mandatory = true, ParameterSetName = RecordSet, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string? Record { get; set; }

    /// <summary>The includes to add: "_spf.example.net" or "include:_spf.example.net".</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Include { get; set; } = Array.Empty<string>();

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (!TryGetResolver(out var resolver, out ErrorRecord? serverError))
        {
            WriteError(serverError!);
            return;
        }

        string? domain = null;
        if (ParameterSetName == DomainSet)
        {
            if (!DomainName.TryNormalize(Domain, out string normalized, out string? reason))
            {
                WriteError(CreateError(new ArgumentException(reason), ErrorIds.InvalidDomainName, ErrorCategory.InvalidArgument, Domain));
                return;
            }

            domain = normalized;
        }

        if (ParameterSetName == RecordSet && !string.IsNullOrWhiteSpace(Record) && !SpfParser.IsSpfRecord(Record!))
        {
            var ex = new ArgumentException($"-Record must be an SPF record starting with 'v=spf1'; got '{Record}'.");
            WriteError(CreateError(ex, ErrorIds.InvalidSpfRecord, ErrorCategory.InvalidArgument, Record));
            return;
        }

        SpfRecordChange change;
        try
        {
            change = Await(new SpfIncludeMerger(resolver!).MergeAsync(domain, ParameterSetName == RecordSet ? Record : null, Include, CancellationToken));
        }
        catch (ArgumentException ex)
        {
            WriteError(CreateError(ex, ErrorIds.InvalidSpfInclude, ErrorCategory.InvalidArgument, string.Join(",", Include)));
            return;
        }
        catch (TimeoutException ex)
        {
            // The existing record could not be read: guessing would risk publishing a second record.
            WriteError(CreateError(ex, ErrorIds.DnsQueryTimeout, ErrorCategory.OperationTimeout, domain));
            return;
        }
        catch (InvalidOperationException ex)
        {
            WriteError(CreateError(ex, ErrorIds.DnsQueryFailed, ErrorCategory.ResourceUnavailable, domain));
            return;
        }
        catch (Exception ex) when (!(ex is PipelineStoppedException))
        {
            // Whatever else went wrong stays this item's error; the pipeline goes on.
            WriteError(CreateError(ex, ErrorIds.UnexpectedError, ErrorCategory.NotSpecified, (object?)domain ?? Record));
            return;
        }
        finally
        {
            FlushVerbose();
        }

        if (change.DnsLookupCount > 10)
        {
            // RFC 7208 section 4.6.4: receivers return permerror past 10 DNS-querying terms.
            WriteWarning($"The merged record needs {change.DnsLookupCount} DNS lookups; receivers stop at 10 and return permerror. Remove or flatten includes before publishing it.");
        }

        WriteObject(change);
    }
}
