using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using MailOps.Core.Relay;
using MailOps.Core.Store;

namespace MailOps.Commands;

/// <summary>
/// Invoke-RelayQueue: sends what is due in the outbox (Queued, and Deferred whose backoff has
/// passed), with the same routing as Send-RelayMail; for a scheduled task. -Force ignores the
/// backoff (and includes messages stuck in Sending for over 10 minutes, which may duplicate).
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "RelayQueue", SupportsShouldProcess = true)]
[OutputType(typeof(RelaySendResult))]
public sealed class InvokeRelayQueueCommand : RelaySendCmdlet
{
    private readonly List<long> ids = new List<long>();

    /// <summary>Only these outbox messages (Get-RelayMessage's Id, Send-RelayMail's OutboxId).</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("OutboxId")]
    [ValidateNotNull]
    public long[]? Id { get; set; }

    /// <summary>Send now, ignoring the backoff wait.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>The login for profiles that store no credential.</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>Days a sent (or cancelled) message stays in the outbox as a log before it is
    /// deleted at the end of the run; queued, deferred and failed messages are never deleted.</summary>
    [Parameter]
    [ValidateRange(0, 3650)]
    public int RetentionDays { get; set; } = 30;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (Id is not null)
        {
            ids.AddRange(Id);
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        try
        {
            Drain();
        }
        catch (MailOpsStoreException ex)
        {
            WriteError(CreateStoreError(ex, StorePath));
        }
        finally
        {
            CloseTransport();
            WriteSteps();
            base.EndProcessing();
        }
    }

    private void Drain()
    {
        RelayProfileStore? profiles = GetProfiles(create: false);
        if (profiles is null)
        {
            return;
        }

        RelayOutbox outbox = OpenOutbox();
        IReadOnlyList<RelayMessage> work;
        if (ids.Count > 0)
        {
            long[] wanted = ids.Distinct().ToArray();
            work = Await(outbox.GetAsync(null, wanted, CancellationToken));
            foreach (long missing in wanted.Where(i => work.All(m => m.Id != i)))
            {
                WriteError(CreateError(new ItemNotFoundException($"The outbox in {StorePath} has no message with id {missing}. Get-RelayMessage lists them."), ErrorIds.RelayMessageNotFound, ErrorCategory.ObjectNotFound, missing));
            }
        }
        else
        {
            work = Await(outbox.GetDueAsync(DateTimeOffset.UtcNow, Force, CancellationToken));
        }

        WriteVerbose($"Outbox: {work.Count} message(s) to consider{(Force ? " (-Force: backoff ignored)" : string.Empty)}.");
        IReadOnlyList<RelayServer> all = Await(profiles.GetAsync(CancellationToken));
        var targets = new RelayTargets(profiles, Credential is null || Credential == PSCredential.Empty ? null : Credential.GetNetworkCredential(), new SecretManagementResolver(this));
        RelayDispatcher? dispatcher = null;
        foreach (RelayMessage message in work)
        {
            if (!ShouldProcess($"outbox message {message.Id} <{message.MessageId}> to {string.Join(", ", message.Recipients)}", "Send"))
            {
                continue;
            }

            IReadOnlyList<RelayServer> chosen = Route(all, message);
            if (chosen.Count == 0)
            {
                WriteError(CreateError(new ItemNotFoundException($"No enabled {message.Category} relay profile may send outbox message {message.Id} as {message.HeaderFrom ?? message.From}; it stays in the outbox."), ErrorIds.NoRelayServer, ErrorCategory.ObjectNotFound, message.Id));
                continue;
            }

            try
            {
                IReadOnlyList<RelayTarget> candidates = Await(targets.ResolveAsync(chosen.ToArray(), CancellationToken));
                dispatcher ??= GetDispatcher(outbox);
                RelaySendResult? result = Await(dispatcher.SendQueuedAsync(message, Force, candidates, CancellationToken));
                WriteSteps();
                if (result is null)
                {
                    continue;
                }

                if (result.Status == RelaySendStatus.Deferred)
                {
                    WriteWarning($"Outbox message {message.Id} <{result.MessageId}> was deferred again: {result.Error}");
                }
                else if (result.RetryOutboxId is not null)
                {
                    WriteWarning($"Outbox message {message.Id} <{result.MessageId}> was sent, but {string.Join(", ", result.DeferredRecipients)} refused it for now; outbox message {result.RetryOutboxId} retries them.");
                }
                else if (result.Status == RelaySendStatus.Failed)
                {
                    WriteError(CreateError(new InvalidOperationException($"Outbox message {message.Id} <{result.MessageId}> failed: {result.Error}"), ErrorIds.RelaySendFailed, ErrorCategory.ProtocolError, message.Id));
                }

                WriteObject(result);
            }
            catch (RelayProfileException ex)
            {
                WriteError(CreateRelayError(ex, message.RelayServer));
            }
        }

        // The sent log is kept for -RetentionDays, then purged, so the store does not grow forever.
        if (ShouldProcess($"sent and cancelled messages older than {RetentionDays} day(s) in {StorePath}", "Purge"))
        {
            int purged = Await(outbox.PurgeAsync(TimeSpan.FromDays(RetentionDays), CancellationToken));
            WriteVerbose($"Outbox: purged {purged} sent or cancelled message(s) older than {RetentionDays} day(s).");
        }
    }

    /// <summary>The same routing as Send-RelayMail, with the From already final (a rewritten
    /// From is the default sender, which the fallback profiles may send as); when no filter
    /// matches, the profile that last handled the message, if it still exists.</summary>
    private static IReadOnlyList<RelayServer> Route(IReadOnlyList<RelayServer> all, RelayMessage message)
    {
        try
        {
            RelayRouteDecision decision = RelayRoute.Choose(all, null, message.HeaderFrom ?? message.From, message.Category);
            if (decision.CanSend)
            {
                return decision.Candidates;
            }
        }
        catch (ArgumentException)
        {
            // A From the route cannot parse: fall back to the last relay below.
        }

        RelayServer? last = all.FirstOrDefault(p => p.Enabled && string.Equals(p.Name, message.RelayServer, StringComparison.OrdinalIgnoreCase));
        return last is null ? Array.Empty<RelayServer>() : new[] { last };
    }

}
