using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailOps.Core.Dkim;
using MailOps.Core.Dns;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace MailOps.Core.Messages;

/// <summary>
/// MimeKit's key locator on top of MailOps' DNS layer, so DKIM and ARC keys are fetched through
/// the same resolver (servers, timeout, cache, -Verbose log) as every other question, and
/// failures come back as typed reasons instead of MimeKit's generic exceptions. The record is
/// judged by <see cref="DkimParser"/> first: a record verifiers must discard is reported as
/// such rather than as a confusing parse error. MimeKit types stay inside the core.
/// </summary>
internal sealed class DnsDkimPublicKeyLocator : DkimPublicKeyLocatorBase
{
    private readonly IDnsResolver resolver;
    private readonly ConcurrentDictionary<string, DkimParsedRecord> records = new ConcurrentDictionary<string, DkimParsedRecord>(StringComparer.OrdinalIgnoreCase);

    public DnsDkimPublicKeyLocator(IDnsResolver resolver)
    {
        this.resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
    }

    /// <summary>The parsed key record last read at <paramref name="name"/>, or null.</summary>
    public DkimParsedRecord? GetRecord(string name) => records.TryGetValue(name, out DkimParsedRecord? record) ? record : null;

    /// <summary>The name a key of <paramref name="selector"/> at <paramref name="domain"/> lives at (RFC 6376 section 3.6.2.1).</summary>
    public static string KeyName(string selector, string domain) => selector + "._domainkey." + domain;

    /// <inheritdoc />
    public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default)
        => LocatePublicKeyAsync(methods, domain, selector, cancellationToken).GetAwaiter().GetResult();

    /// <inheritdoc />
    public override async Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default)
    {
        // RFC 6376 section 3.5 (q=): "dns/txt" is the only defined method and the default.
        string[] methodList = (methods ?? "dns/txt").Split(':').Select(m => m.Trim()).Where(m => m.Length > 0).ToArray();
        if (methodList.Length > 0 && !methodList.Any(m => m.Equals("dns/txt", StringComparison.OrdinalIgnoreCase) || m.Equals("dns", StringComparison.OrdinalIgnoreCase)))
        {
            throw new DkimKeyException(DkimVerificationResult.PermError, $"unsupported query method q={methods}");
        }

        string name = KeyName(selector, domain);
        DnsAnswer answer = await resolver.QueryAsync(name, DnsRecordType.TXT, cancellationToken).ConfigureAwait(false);
        if (answer.IsVoid)
        {
            // RFC 6376 section 6.1.2: no key record is PERMFAIL (no key for signature).
            throw new DkimKeyException(DkimVerificationResult.PermError, $"key not found ({answer.Outcome} at {name})");
        }

        if (answer.IsFailure)
        {
            // RFC 6376 section 6.1.2: a failed query is TEMPFAIL (key unavailable).
            throw new DkimKeyException(DkimVerificationResult.TempError, $"key lookup failed ({answer.Outcome} at {name})");
        }

        // RFC 6376 section 3.6.2.2: the strings of one TXT record are joined; with several
        // records the result is undefined, so the first one a verifier could use is taken.
        DkimParsedRecord[] parsed = answer.RecordsOf<DnsTxtRecord>().Select(r => DkimParser.Parse(r.Text)).ToArray();
        if (parsed.Length == 0)
        {
            throw new DkimKeyException(DkimVerificationResult.PermError, $"key not found (no TXT record at {name})");
        }

        DkimParsedRecord record = parsed.FirstOrDefault(p => p.IsValid || p.IsRevoked) ?? parsed[0];
        records[name] = record;
        if (record.IsRevoked)
        {
            // RFC 6376 section 3.6.1: an empty p= means the key was revoked.
            throw new DkimKeyException(DkimVerificationResult.PermError, $"key revoked (empty p= at {name})");
        }

        if (record.Findings.Any(f => f.Code == DkimFindingCodes.DkimVersionInvalid))
        {
            throw new DkimKeyException(DkimVerificationResult.PermError, $"key record invalid (v= is not DKIM1 at {name})");
        }

        if (record.KeyType is null)
        {
            throw new DkimKeyException(DkimVerificationResult.PermError, $"unsupported key type (k= at {name})");
        }

        if (record.ServiceTypes.Length > 0 && !record.ServiceTypes.Any(s => s == "*" || s.Equals("email", StringComparison.OrdinalIgnoreCase)))
        {
            // RFC 6376 section 3.6.1 (s=): a key restricted to other services must not verify mail.
            throw new DkimKeyException(DkimVerificationResult.PermError, $"key not for email (s={string.Join(":", record.ServiceTypes)} at {name})");
        }

        Finding? error = record.Findings.FirstOrDefault(f => f.Severity == FindingSeverity.Error && f.Code != DkimFindingCodes.DkimWeakKey);
        if (error is not null)
        {
            throw new DkimKeyException(DkimVerificationResult.PermError, $"key record invalid ({error.Code} at {name})");
        }

        try
        {
            return GetPublicKey(record.Text);
        }
        catch (Exception ex) when (!(ex is OperationCanceledException))
        {
            throw new DkimKeyException(DkimVerificationResult.PermError, $"key record invalid ({ex.Message.TrimEnd('.')} at {name})");
        }
    }
}
