using System.Threading;
using System.Threading.Tasks;

namespace MailOps.Core.Dns;

/// <summary>
/// Asks one question. The SPF, DMARC and audit engines depend on this and nothing else, so unit
/// tests may substitute a resolver while cmdlets always use the real wire-protocol one.
/// </summary>
public interface IDnsResolver
{
    /// <summary>Resolves <paramref name="name"/> for <paramref name="type"/>. Never throws for DNS
    /// failures; they come back as an outcome. Throws only <see cref="System.OperationCanceledException"/>.</summary>
    Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken);
}
