using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace MailOps.Core.Relay;

/// <summary>
/// The durable send path. Every message goes through the outbox: written (Queued) before the
/// SMTP transaction, claimed (Sending) in its own transaction, then marked Sent, Deferred or
/// Failed. A crash at any point loses nothing, and a message claimed by one process is never
/// sent by another ("nothing lost, none sent twice within one store").
/// </summary>
public sealed class RelayDispatcher
{
    private readonly RelayOutbox outbox;
    private readonly RelayTransport transport;
    private readonly IRelaySendObserver? observer;

    /// <summary>Creates a dispatcher over an outbox and a transport (both owned by the caller).</summary>
    public RelayDispatcher(RelayOutbox outbox, RelayTransport transport, IRelaySendObserver? observer = null)
    {
        this.outbox = outbox ?? throw new ArgumentNullException(nameof(outbox));
        this.transport = transport ?? throw new ArgumentNullException(nameof(transport));
        this.observer = observer;
    }

    /// <summary>True when the transport skips certificate checks (said in every result).</summary>
    public bool CertificateCheckSkipped { get; set; }

    /// <summary>
    /// Queues and sends a new message. <paramref name="suppressed"/> are recipients already
    /// removed because of the suppression list; they are reported as rejected. When
    /// <paramref name="message"/> has no recipient left, nothing is queued and the result is
    /// Failed (there is nobody to retry for).
    /// </summary>
    public async Task<RelaySendResult> SendNewAsync(RelayComposedMessage message, RelayCategory category, IReadOnlyList<RelayTarget> candidates, IReadOnlyList<RelayRecipientRejection> suppressed, CancellationToken cancellationToken)
    {
        if (message is null)
        {
            throw new ArgumentNullException(nameof(message));
        }

        var result = new RelaySendResult(message.MessageId, message.HeaderFrom, message.OriginalFrom, message.FromRewritten)
        {
            Category = category,
            CertificateCheckSkipped = CertificateCheckSkipped,
            RejectedRecipients = suppressed.ToArray(),
        };
        if (message.Recipients.Count == 0)
        {
            result.Status = RelaySendStatus.Failed;
            result.Error = "Every recipient is on the suppression list; nothing was sent or queued (Remove-MailSuppression to send to them again).";
            Step($"Message {message.MessageId}: every recipient is suppressed, nothing sent");
            return result;
        }

        RelayMessage queued = await outbox.EnqueueAsync(message.Mime, message.EnvelopeFrom, message.Recipients, message.MessageId, message.HeaderFrom, message.Subject, category, cancellationToken).ConfigureAwait(false);
        result.OutboxId = queued.Id;
        Step($"Outbox: message {queued.Id} <{message.MessageId}> queued ({message.Mime.Length} bytes, {message.Recipients.Count} recipient(s))");
        RelayMessage? claimed = await outbox.TryBeginSendAsync(queued.Id, true, cancellationToken).ConfigureAwait(false);
        if (claimed is null)
        {
            // Another process (Invoke-RelayQueue) claimed it between the two transactions.
            result.Status = RelaySendStatus.Deferred;
            result.Error = "The message was claimed by another process before it could be sent.";
            return result;
        }

        await DeliverAsync(claimed, message.Mime, candidates, result, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Sends a message already in the outbox (Invoke-RelayQueue). Null when it cannot be
    /// claimed (already being sent, sent, cancelled, or not due without <paramref name="force"/>).
    /// </summary>
    public async Task<RelaySendResult?> SendQueuedAsync(RelayMessage message, bool force, IReadOnlyList<RelayTarget> candidates, CancellationToken cancellationToken)
    {
        if (message is null)
        {
            throw new ArgumentNullException(nameof(message));
        }

        RelayMessage? claimed = await outbox.TryBeginSendAsync(message.Id, force, cancellationToken).ConfigureAwait(false);
        if (claimed is null)
        {
            Step($"Outbox: message {message.Id} is not due or is handled elsewhere; skipped");
            return null;
        }

        string from = claimed.HeaderFrom ?? claimed.From;
        var result = new RelaySendResult(claimed.MessageId, from, from, false)
        {
            Category = claimed.Category,
            CertificateCheckSkipped = CertificateCheckSkipped,
            OutboxId = claimed.Id,
        };
        byte[]? mime = await outbox.GetMimeAsync(claimed.Id, cancellationToken).ConfigureAwait(false);
        if (mime is null)
        {
            await outbox.MarkFailedAsync(claimed.Id, null, "The stored message content is missing.", null, null, cancellationToken).ConfigureAwait(false);
            result.Status = RelaySendStatus.Failed;
            result.Error = "The stored message content is missing.";
            result.Attempts = claimed.Attempts;
            return result;
        }

        Step($"Outbox: retrying message {claimed.Id} <{claimed.MessageId}> (attempt {claimed.Attempts})");
        await DeliverAsync(claimed, mime, candidates, result, cancellationToken).ConfigureAwait(false);
        return result;
    }

    private async Task DeliverAsync(RelayMessage claimed, byte[] mime, IReadOnlyList<RelayTarget> candidates, RelaySendResult result, CancellationToken cancellationToken)
    {
        result.Attempts = claimed.Attempts;
        RelayAttempt attempt;
        try
        {
            attempt = await transport.SendAsync(mime, claimed.From, claimed.Recipients, candidates, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped (Ctrl+C) mid-transaction: the message may or may not have reached the
            // relay, so it is deferred (the retry may duplicate; losing it would be worse).
            await outbox.MarkDeferredAsync(claimed.Id, null, "Sending was stopped.", null, null, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        result.Server = attempt.Server;
        result.AcceptedRecipients = attempt.Accepted.ToArray();
        result.RejectedRecipients = result.RejectedRecipients.Concat(attempt.Rejected).ToArray();
        result.Error = attempt.Error;
        result.StatusCode = attempt.StatusCode;
        result.EnhancedStatusCode = attempt.EnhancedStatusCode;
        switch (attempt.Outcome)
        {
            case RelayAttemptOutcome.Sent:
                await outbox.MarkSentAsync(claimed.Id, attempt.Server!, attempt.Rejected.Select(r => r.ToString()).ToArray(), CancellationToken.None).ConfigureAwait(false);
                result.Status = RelaySendStatus.Sent;
                Step($"Outbox: message {claimed.Id} sent through {attempt.Server}");
                break;
            case RelayAttemptOutcome.Permanent:
                await outbox.MarkFailedAsync(claimed.Id, attempt.Server, attempt.Error ?? "Permanent failure.", attempt.StatusCode, attempt.EnhancedStatusCode, CancellationToken.None).ConfigureAwait(false);
                result.Status = RelaySendStatus.Failed;
                Step($"Outbox: message {claimed.Id} failed: {attempt.Error}");
                break;
            default:
                await outbox.MarkDeferredAsync(claimed.Id, attempt.Server, attempt.Error ?? "Transient failure.", attempt.StatusCode, attempt.EnhancedStatusCode, CancellationToken.None).ConfigureAwait(false);
                IReadOnlyList<RelayMessage> now = await outbox.GetAsync(null, new[] { claimed.Id }, CancellationToken.None).ConfigureAwait(false);
                RelayMessage? stored = now.FirstOrDefault();

                // After MaxAttempts the outbox gives up and marks it Failed.
                result.Status = stored is not null && stored.Status == RelayMessageStatus.Failed ? RelaySendStatus.Failed : RelaySendStatus.Deferred;
                Step($"Outbox: message {claimed.Id} {(result.Status == RelaySendStatus.Failed ? "failed after " + claimed.Attempts + " attempts" : "deferred until " + stored?.NextAttemptAt?.ToString("u", System.Globalization.CultureInfo.InvariantCulture))}: {attempt.Error}");
                break;
        }
    }

    private void Step(string line) => observer?.OnStep(line);
}
