using System;
using System.Collections.Generic;
using System.Management.Automation;
using MailOps.Core.Store;
using MailOps.Core.Suppression;

namespace MailOps.Commands;

/// <summary>
/// Get-MailSuppression: entries of the suppression list, all of them, by address, or by wildcard
/// (<c>*@contoso.com</c>). Expired entries only with -IncludeExpired.
/// </summary>
[Cmdlet(VerbsCommon.Get, "MailSuppression")]
[OutputType(typeof(MailSuppression))]
public sealed class GetMailSuppressionCommand : StoreCmdlet
{
    /// <summary>Addresses or wildcards; omitted: every entry.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Recipient")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Address { get; set; }

    /// <summary>Also return entries whose expiry has passed.</summary>
    [Parameter]
    public SwitchParameter IncludeExpired { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        IEnumerable<string?> patterns = Address ?? new string?[] { null };
        foreach (string? pattern in patterns)
        {
            bool literal = pattern is not null && !WildcardPattern.ContainsWildcardCharacters(pattern);
            if (literal && !SuppressionAddress.TryNormalize(pattern, out _, out string? reason))
            {
                WriteError(CreateAddressError(pattern, reason));
                continue;
            }

            SuppressionList? list = GetSuppressionList(create: false);
            IReadOnlyList<MailSuppression> entries;
            try
            {
                entries = list is null
                    ? Array.Empty<MailSuppression>()
                    : Await(list.GetAsync(pattern, IncludeExpired.IsPresent, CancellationToken));
            }
            catch (MailOpsStoreException ex)
            {
                WriteError(StoreErrors.Create(ex, pattern));
                continue;
            }

            // Like Get-Process: a name without wildcards that matches nothing is an error, a
            // wildcard that matches nothing is just an empty result.
            if (literal && entries.Count == 0)
            {
                WriteError(NotFound(list, pattern!));
                continue;
            }

            foreach (MailSuppression entry in entries)
            {
                WriteObject(entry);
            }
        }
    }

    private ErrorRecord NotFound(SuppressionList? list, string address)
    {
        string message = $"{address} is not on the suppression list {StorePath}.";
        if (list is not null && !IncludeExpired)
        {
            MailSuppression? expired = Await(list.FindAsync(address, CancellationToken));
            if (expired is not null)
            {
                message = $"{address} was suppressed until {expired.ExpiresAt:u}; the entry has expired. Use -IncludeExpired to see it.";
            }
        }

        return CreateError(new ItemNotFoundException(message), ErrorIds.SuppressionNotFound, ErrorCategory.ObjectNotFound, address);
    }
}
