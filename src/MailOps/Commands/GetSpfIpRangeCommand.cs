using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using MailOps.Core;
using MailOps.Core.Dns;
using MailOps.Core.Spf;
using MailOps.Pipeline;

namespace MailOps.Commands;

/// <summary>
/// Get-SpfIpRange: the networks a domain's SPF policy authorizes, flattened through includes,
/// redirects, a and mx, one row per network, for building allowlists of a provider's senders.
/// Terms that cannot be listed (exists, ptr, macros, all) come as rows without a network.
/// </summary>
[Cmdlet(VerbsCommon.Get, "SpfIpRange")]
[OutputType(typeof(SpfIpRange))]
public sealed class GetSpfIpRangeCommand : DomainCmdlet
{
    private protected override async Task<PipelineItem> ProcessDomainAsync(IDnsResolver resolver, string domain)
    {
        var flattener = new SpfIpRangeFlattener(resolver);
        SpfIpRangeResult result = await flattener.FlattenAsync(domain, CancellationToken).ConfigureAwait(false);
        string[] verbose = result.Trace.Select(line => $"SPF ranges {domain}: {line}").ToArray();
        switch (result.Status)
        {
            case SpfIpRangeStatus.NoRecord:
                return PipelineItem.Failure(CreateError(new ItemNotFoundException(result.FailureMessage), ErrorIds.SpfRecordNotFound, ErrorCategory.ObjectNotFound, domain), verbose);
            case SpfIpRangeStatus.DnsFailure:
                bool timeout = result.FailureOutcome == DnsOutcome.Timeout;
                Exception ex = timeout ? new TimeoutException(result.FailureMessage) : new InvalidOperationException(result.FailureMessage);
                return PipelineItem.Failure(CreateError(ex, timeout ? ErrorIds.DnsQueryTimeout : ErrorIds.DnsQueryFailed, timeout ? ErrorCategory.OperationTimeout : ErrorCategory.ResourceUnavailable, domain), verbose);
            default:
                return PipelineItem.SuccessMany(result.Ranges, verbose);
        }
    }
}
