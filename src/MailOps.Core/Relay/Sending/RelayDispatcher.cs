using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MimeKit;

namespace MailOps.Core.Relay;

/// <summary>
/// The durable send path. Every message goes through the outbox: written and claimed (Sending)
/// in one transaction before the SMTP transaction, then marked Sent, Deferred or Failed. A
/// crash at any point loses nothing, and a message claimed by one process is never sent by
/// another ("nothing lost, none sent twice within one store").
/// </summary>
/// <remarks>
/// The SMTP transactions run on one sender thread of the dispatcher, in call order (RFC 5321
/// 3.3: one transaction at a time per connection). A caller may therefore queue the next
/// message while the previous one is still on the wire: a pipeline binds and composes row N+1
/// while row N is being sent. The outbox store is shared by the caller and the sender thread
/// (<see cref="Store.MailOpsStore"/> gates its connection).
/// </remarks>
public sealed class RelayDispatcher : IDisposable
{
    private readonly RelayOutbox outbox;
    private readonly RelayTransport transport;
    private readonly IRelaySendObserver? observer;
    private readonly object startLock = new object();

    // The SMTP transactions, one at a time in call order; and the outbox marks after them, on
    // their own thread so that recording message N does not delay the transaction of N+1.
    private readonly Lane sendLane = new Lane("MailOps relay sender");
    private readonly Lane markLane = new Lane("MailOps outbox marks");
    private bool disposed;

    /// <summary>Creates a dispatcher over an outbox and a transport. The dispatcher closes the
    /// transport when it is disposed; the outbox's store stays the caller's.</summary>
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
    /// <remarks>The message is written to the outbox before this returns; the returned task
    /// completes when its SMTP transaction, which follows those of earlier calls, is over.</remarks>
    public Task<RelaySendResult> SendNewAsync(RelayComposedMessage message, RelayCategory category, IReadOnlyList<RelayTarget> candidates, IReadOnlyList<RelayRecipientRejection> suppressed, CancellationToken cancellationToken)
    {
        if (message is null)
        {
            throw new ArgumentNullException(nameof(message));
        }

        if (candidates is null)
        {
            throw new ArgumentNullException(nameof(candidates));
        }

        var result = new RelaySendResult(message.MessageId, message.HeaderFrom, message.OriginalFrom, message.FromRewritten)
        {
            Category = category,
            CertificateCheckSkipped = CertificateCheckSkipped,
            RejectedRecipients = (suppressed ?? Array.Empty<RelayRecipientRejection>()).ToArray(),
        };
        if (message.Recipients.Count == 0)
        {
            result.Status = RelaySendStatus.Failed;
            result.Error = "Every recipient is on the suppression list; nothing was sent or queued (Remove-MailSuppression to send to them again).";
            Step($"Message {message.MessageId}: every recipient is suppressed, nothing sent");
            return Task.FromResult(result);
        }

        // Written and claimed in one transaction before the SMTP transaction starts; the send
        // takes its place in line now, so messages go out in call order.
        Task<RelayMessage> queued;
        try
        {
            queued = outbox.EnqueueForSendAsync(message.Mime, message.EnvelopeFrom, message.Recipients, message.MessageId, message.HeaderFrom, message.Subject, category, cancellationToken);
        }
        catch (Exception ex)
        {
            return FromException<RelaySendResult>(ex);
        }

        // Parsed here, on the caller's thread, while the previous message is on the wire.
        MimeMessage parsed = RelayTransport.Parse(message.Mime);
        var completion = new TaskCompletionSource<RelaySendResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(sendLane, completion, () =>
        {
            RelayMessage claimed = queued.GetAwaiter().GetResult();
            result.OutboxId = claimed.Id;
            if (observer is not null)
            {
                Step($"Outbox: message {claimed.Id} <{message.MessageId}> queued ({message.Mime.Length} bytes, {message.Recipients.Count} recipient(s))");
            }
            Transmit(claimed, parsed, candidates, result, completion, cancellationToken);
        });
        return completion.Task;
    }

    /// <summary>
    /// Sends a message already in the outbox (Invoke-RelayQueue). Null when it cannot be
    /// claimed (already being sent, sent, cancelled, or not due without <paramref name="force"/>).
    /// </summary>
    public Task<RelaySendResult?> SendQueuedAsync(RelayMessage message, bool force, IReadOnlyList<RelayTarget> candidates, CancellationToken cancellationToken)
    {
        if (message is null)
        {
            throw new ArgumentNullException(nameof(message));
        }

        if (candidates is null)
        {
            throw new ArgumentNullException(nameof(candidates));
        }

        var completion = new TaskCompletionSource<RelaySendResult?>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(sendLane, completion, () => SendQueued(message, force, candidates, completion, cancellationToken));
        return completion.Task;
    }

    /// <summary>Lets the sends already queued finish (a stopped pipeline's end quickly, marked
    /// Deferred), then says QUIT on every connection.</summary>
    public void Dispose()
    {
        lock (startLock)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
        }

        // Every SMTP step has its own timeout, so the sender ends; the bound only guards
        // against a step that ignores it. A sender still running keeps the transport.
        bool sent = sendLane.Complete(TimeSpan.FromMinutes(2));
        markLane.Complete(TimeSpan.FromMinutes(2));
        if (sent)
        {
            transport.Dispose();
        }
    }

    private void SendQueued(RelayMessage message, bool force, IReadOnlyList<RelayTarget> candidates, TaskCompletionSource<RelaySendResult?> completion, CancellationToken cancellationToken)
    {
        RelayMessage? claimed = Wait(outbox.TryBeginSendAsync(message.Id, force, cancellationToken));
        if (claimed is null)
        {
            Step($"Outbox: message {message.Id} is not due or is handled elsewhere; skipped");
            completion.TrySetResult(null);
            return;
        }

        string from = claimed.HeaderFrom ?? claimed.From;
        var result = new RelaySendResult(claimed.MessageId, from, from, false)
        {
            Category = claimed.Category,
            CertificateCheckSkipped = CertificateCheckSkipped,
            OutboxId = claimed.Id,
        };
        byte[]? mime = Wait(outbox.GetMimeAsync(claimed.Id, cancellationToken));
        if (mime is null)
        {
            Wait(outbox.MarkFailedAsync(claimed.Id, null, "The stored message content is missing.", null, null, cancellationToken));
            result.Status = RelaySendStatus.Failed;
            result.Error = "The stored message content is missing.";
            result.Attempts = claimed.Attempts;
            completion.TrySetResult(result);
            return;
        }

        Step($"Outbox: retrying message {claimed.Id} <{claimed.MessageId}> (attempt {claimed.Attempts})");
        Transmit(claimed, RelayTransport.Parse(mime), candidates, result, completion, cancellationToken);
    }

    /// <summary>The SMTP transaction (sender thread); its outcome is recorded on the mark lane,
    /// which completes <paramref name="completion"/>.</summary>
    private void Transmit<T>(RelayMessage claimed, MimeMessage mime, IReadOnlyList<RelayTarget> candidates, RelaySendResult result, TaskCompletionSource<T> completion, CancellationToken cancellationToken)
    {
        result.Attempts = claimed.Attempts;
        RelayAttempt attempt;
        try
        {
            attempt = transport.Send(mime, claimed.From, claimed.Recipients, candidates, cancellationToken);
        }
        catch (OperationCanceledException ex)
        {
            // Stopped (Ctrl+C) mid-transaction, or before it began: the message may or may not
            // have reached the relay, so it is deferred (the retry may duplicate; losing it
            // would be worse).
            Post(markLane, completion, () =>
            {
                Wait(outbox.MarkDeferredAsync(claimed.Id, null, "Sending was stopped.", null, null, CancellationToken.None));
                completion.TrySetException(ex);
            });
            return;
        }

        Post(markLane, completion, () =>
        {
            Record(claimed, attempt, result);
            completion.TrySetResult((T)(object)result);
        });
    }

    private void Record(RelayMessage claimed, RelayAttempt attempt, RelaySendResult result)
    {
        result.Server = attempt.Server;
        result.AcceptedRecipients = attempt.Accepted.ToArray();
        result.RejectedRecipients = result.RejectedRecipients.Concat(attempt.Rejected).ToArray();
        result.Error = attempt.Error;
        result.StatusCode = attempt.StatusCode;
        result.EnhancedStatusCode = attempt.EnhancedStatusCode;
        switch (attempt.Outcome)
        {
            case RelayAttemptOutcome.Sent:
                string[] rejected = attempt.Rejected.Select(r => r.ToString()).ToArray();
                RelayRecipientRejection[] later = attempt.Rejected.Where(r => r.StatusCode / 100 == 4).ToArray();
                result.Status = RelaySendStatus.Sent;
                if (later.Length == 0)
                {
                    Wait(outbox.MarkSentAsync(claimed.Id, attempt.Server!, rejected, CancellationToken.None));
                    if (observer is not null)
                    {
                        Step($"Outbox: message {claimed.Id} sent through {attempt.Server}");
                    }
                    break;
                }

                // RFC 5321 4.2.1: a 4xx to RCPT is "not now" for that recipient; the others have
                // the message, so only a copy for the refused ones goes back into the outbox.
                string reason = "Refused for now: " + string.Join("; ", later.Select(r => r.ToString()));
                result.RetryOutboxId = Wait(outbox.MarkSentWithRetryAsync(claimed.Id, attempt.Server!, rejected, later.Select(r => r.Address).ToArray(), reason, later[0].StatusCode, later[0].EnhancedStatusCode, CancellationToken.None));
                if (result.RetryOutboxId is not null)
                {
                    result.DeferredRecipients = later.Select(r => r.Address).ToArray();
                }

                Step($"Outbox: message {claimed.Id} sent through {attempt.Server}; {later.Length} recipient(s) refused for now{(result.RetryOutboxId is null ? ", attempts used up" : ", retried as message " + result.RetryOutboxId)}");
                break;
            case RelayAttemptOutcome.Permanent:
                Wait(outbox.MarkFailedAsync(claimed.Id, attempt.Server, attempt.Error ?? "Permanent failure.", attempt.StatusCode, attempt.EnhancedStatusCode, CancellationToken.None));
                result.Status = RelaySendStatus.Failed;
                Step($"Outbox: message {claimed.Id} failed: {attempt.Error}");
                break;
            default:
                Wait(outbox.MarkDeferredAsync(claimed.Id, attempt.Server, attempt.Error ?? "Transient failure.", attempt.StatusCode, attempt.EnhancedStatusCode, CancellationToken.None));
                IReadOnlyList<RelayMessage> now = Wait(outbox.GetAsync(null, new[] { claimed.Id }, CancellationToken.None));
                RelayMessage? stored = now.FirstOrDefault();

                // After MaxAttempts the outbox gives up and marks it Failed.
                result.Status = stored is not null && stored.Status == RelayMessageStatus.Failed ? RelaySendStatus.Failed : RelaySendStatus.Deferred;
                Step($"Outbox: message {claimed.Id} {(result.Status == RelaySendStatus.Failed ? "failed after " + claimed.Attempts + " attempts" : "deferred until " + stored?.NextAttemptAt?.ToString("u", System.Globalization.CultureInfo.InvariantCulture))}: {attempt.Error}");
                break;
        }
    }

    /// <summary>Runs <paramref name="work"/> on <paramref name="lane"/> after what was queued
    /// there before; an exception it throws fails <paramref name="completion"/>.</summary>
    private void Post<T>(Lane lane, TaskCompletionSource<T> completion, Action work)
    {
        lock (startLock)
        {
            // The mark lane still takes work while the dispatcher closes: a send that ends
            // during Dispose must record its outcome.
            if (disposed && lane == sendLane)
            {
                throw new ObjectDisposedException(nameof(RelayDispatcher));
            }
        }

        lane.Add(() =>
        {
            try
            {
                work();
            }
            catch (Exception ex)
            {
                completion.TrySetException(ex);
            }
        });
    }

    // The outbox's operations complete synchronously (SQLite); waiting keeps the sender on its
    // own thread instead of continuing on the thread pool.
    private static T Wait<T>(Task<T> task) => task.GetAwaiter().GetResult();

    private static void Wait(Task task) => task.GetAwaiter().GetResult();

    private static Task<T> FromException<T>(Exception ex)
    {
        var failed = new TaskCompletionSource<T>();
        failed.SetException(ex);
        return failed.Task;
    }

    private void Step(string line) => observer?.OnStep(line);

    /// <summary>
    /// One thread that runs its work items in the order they were added. It sleeps on a monitor
    /// rather than a BlockingCollection: the collection's semaphore spins before it blocks, and
    /// a lane woken once per message would spend a core's worth of spinning on a small machine.
    /// </summary>
    private sealed class Lane
    {
        private readonly Queue<Action> work = new Queue<Action>();
        private readonly string name;
        private Thread? thread;
        private bool completed;

        public Lane(string name) => this.name = name;

        public void Add(Action item)
        {
            lock (work)
            {
                if (completed)
                {
                    throw new InvalidOperationException("The lane takes no more work.");
                }

                work.Enqueue(item);
                if (thread is null)
                {
                    thread = new Thread(Run) { IsBackground = true, Name = name };
                    thread.Start();
                }
                else if (work.Count == 1)
                {
                    Monitor.Pulse(work);
                }
            }
        }

        /// <summary>Takes no more work, runs what was added, and waits for it; false when the
        /// thread is still busy after <paramref name="bound"/>.</summary>
        public bool Complete(TimeSpan bound)
        {
            Thread? running;
            lock (work)
            {
                completed = true;
                running = thread;
                Monitor.Pulse(work);
            }

            return running is null || running.Join(bound);
        }

        private void Run()
        {
            while (true)
            {
                Action item;
                lock (work)
                {
                    while (work.Count == 0)
                    {
                        if (completed)
                        {
                            return;
                        }

                        Monitor.Wait(work);
                    }

                    item = work.Dequeue();
                }

                item();
            }
        }
    }
}
