using System;
using System.Threading;
using System.Threading.Tasks;

namespace MailOps.Core.Dns;

/// <summary>
/// The guard that tree walks put around every question: whatever a resolver does (a bug, a
/// null, its own timeout surfacing as a cancellation), the walk gets an outcome it can report,
/// and only the caller's own cancellation unwinds.
/// </summary>
public static class DnsResolverExtensions
{
    /// <summary>Asks one question; failures come back as outcomes, never as exceptions, except
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fired.</summary>
    public static async Task<DnsAnswer> QueryGuardedAsync(this IDnsResolver resolver, string name, DnsRecordType type, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            DnsAnswer? answer = await resolver.QueryAsync(name, type, cancellationToken).ConfigureAwait(false);
            return answer ?? DnsAnswer.Empty(name, type, DnsOutcome.Error, null, "The resolver returned no answer.");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException ex)
        {
            // Cancelled by the resolver's own timeout, not by the caller.
            return DnsAnswer.Empty(name, type, DnsOutcome.Timeout, null, ex.Message);
        }
        catch (Exception ex)
        {
            // The contract says resolvers do not throw; a broken one must not break a walk.
            return DnsAnswer.Empty(name, type, DnsOutcome.Error, null, ex.Message);
        }
    }
}
