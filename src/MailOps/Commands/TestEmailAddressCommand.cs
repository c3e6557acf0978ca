using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading.Tasks;
using MailOps.Core.Addresses;
using MailOps.Core.Dns;
using MailOps.Core.Store;
using MailOps.Core.Suppression;
using MailOps.Pipeline;

namespace MailOps.Commands;

/// <summary>
/// Test-EmailAddress: will mail to this address arrive, and did the user mean another one?
/// Syntax as an SMTP server checks it (RFC 5321 section 4.1.2, RFC 6531), the domain's MX, null
/// MX (RFC 7505) or implicit MX (RFC 5321 section 5.1), disposable providers, typo suggestions
/// ("anna@hotmial.com" -> "anna@hotmail.com") and the suppression list. An invalid address is a
/// result (Verdict Invalid), not an error, so a CSV gives one row per input, in input order.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "EmailAddress")]
[OutputType(typeof(EmailAddressCheck), typeof(bool))]
public sealed class TestEmailAddressCommand : DnsCmdlet, IDisposable
{
    private readonly Dictionary<IDnsResolver, EmailAddressChecker> checkers = new Dictionary<IDnsResolver, EmailAddressChecker>();
    private EmailAddressChecker? offlineChecker;
    private OrderedWorkQueue<PipelineItem>? queue;
    private MailOpsStore? store;
    private SuppressionList? suppression;

    /// <summary>The addresses to check. Empty or malformed ones give an Invalid result.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("EmailAddress", "Email", "Recipient")]
    [AllowEmptyString]
    [AllowNull]
    public string[] Address { get; set; } = Array.Empty<string>();

    /// <summary>Do not ask DNS: syntax, disposable and conservative typo checks only.</summary>
    [Parameter]
    public SwitchParameter SkipDns { get; set; }

    /// <summary>The MailOps store whose suppression list is checked (IsSuppressed).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? StorePath { get; set; }

    /// <summary>How many addresses are checked at once.</summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = 16;

    /// <summary>Return one boolean per address: $true only for Verdict Valid.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        queue = new OrderedWorkQueue<PipelineItem>(ThrottleLimit);
        if (StorePath is not null)
        {
            OpenSuppressionList(StorePath);
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        EmailAddressChecker checker;
        if (SkipDns.IsPresent)
        {
            checker = offlineChecker ??= new EmailAddressChecker(null, Options());
        }
        else
        {
            if (!TryGetResolver(out IDnsResolver? resolver, out ErrorRecord? serverError))
            {
                WriteError(serverError!);
                return;
            }

            if (!checkers.TryGetValue(resolver!, out checker!))
            {
                checker = new EmailAddressChecker(resolver, Options());
                checkers.Add(resolver!, checker);
            }
        }

        foreach (string? input in Address ?? Array.Empty<string>())
        {
            string address = input ?? string.Empty;
            WriteItems(queue!.Add(() => GuardAsync(() => CheckAsync(checker, address), address), CancellationToken));
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        WriteItems(queue!.Drain());
        FlushVerbose();
        CloseStore();
    }

    /// <summary>Closes the suppression store, also when the pipeline was stopped.</summary>
    void IDisposable.Dispose()
    {
        CloseStore();
        Dispose();
    }

    private EmailAddressCheckOptions Options() => new EmailAddressCheckOptions { SkipDns = SkipDns.IsPresent, Suppression = suppression };

    private async Task<PipelineItem> CheckAsync(EmailAddressChecker checker, string address)
    {
        var trace = new List<string>();
        EmailAddressCheck check;
        try
        {
            check = await checker.CheckAsync(address, CancellationToken, trace.Add).ConfigureAwait(false);
        }
        catch (MailOpsStoreException ex)
        {
            return PipelineItem.Failure(StoreErrors.Create(ex, address), trace);
        }

        return Quiet.IsPresent
            ? PipelineItem.Success(check.Verdict == EmailAddressVerdict.Valid, trace)
            : PipelineItem.Success(check, trace);
    }

    private void OpenSuppressionList(string path)
    {
        string full = MailOpsStore.ResolvePath(GetUnresolvedProviderPathFromPSPath(path));
        if (!MailOpsStore.Exists(full))
        {
            // A store that does not exist holds no suppressions, but the user named it: say so,
            // and leave IsSuppressed null rather than claim "not suppressed".
            var ex = new System.IO.FileNotFoundException($"The MailOps store '{full}' does not exist; IsSuppressed is left empty.", full);
            WriteError(CreateError(ex, ErrorIds.SuppressionListNotFound, ErrorCategory.ObjectNotFound, path));
            return;
        }

        try
        {
            store = MailOpsStore.Open(full);
            suppression = new SuppressionList(store);
        }
        catch (MailOpsStoreException ex)
        {
            // The addresses can still be checked; IsSuppressed stays null for all of them.
            WriteError(StoreErrors.Create(ex, path));
        }
        catch (Exception ex) when (ex is DllNotFoundException || ex is TypeInitializationException || ex is BadImageFormatException)
        {
            // The native SQLite library is missing for this platform.
            WriteError(CreateError(ex, ErrorIds.StoreOpenFailed, ErrorCategory.OpenError, path));
        }
    }

    private void CloseStore()
    {
        store?.Dispose();
        store = null;
    }
}
