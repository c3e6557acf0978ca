using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace MailOps.Pipeline;

/// <summary>
/// Runs pipeline items concurrently (at most <c>throttleLimit</c> at once) while handing the
/// results back in input order, on the caller's thread. Cmdlets may only write from the pipeline
/// thread, and admins expect output in the order of their input, so both rules live here once.
/// </summary>
/// <typeparam name="T">The per-item outcome.</typeparam>
internal sealed class OrderedWorkQueue<T>
{
    private readonly Queue<Task<T>> pending = new Queue<Task<T>>();
    private readonly SemaphoreSlim slots;
    private readonly int throttleLimit;

    /// <summary>Creates a queue that runs at most <paramref name="throttleLimit"/> items at once.</summary>
    public OrderedWorkQueue(int throttleLimit)
    {
        this.throttleLimit = Math.Max(1, throttleLimit);
        slots = new SemaphoreSlim(this.throttleLimit, this.throttleLimit);
    }

    /// <summary>Starts one item and returns the results that are ready, oldest first. Blocks
    /// while the window is full, so a huge pipeline never piles up unbounded work.</summary>
    public IEnumerable<T> Add(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        pending.Enqueue(RunAsync(work, cancellationToken));
        var ready = new List<T>();
        while (pending.Count > 0 && (pending.Peek().IsCompleted || pending.Count > throttleLimit))
        {
            ready.Add(pending.Dequeue().GetAwaiter().GetResult());
        }

        return ready;
    }

    /// <summary>Waits for every remaining item, in input order.</summary>
    public IEnumerable<T> Drain()
    {
        while (pending.Count > 0)
        {
            yield return pending.Dequeue().GetAwaiter().GetResult();
        }
    }

    private async Task<T> RunAsync(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Task.Run(work, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            slots.Release();
        }
    }
}
