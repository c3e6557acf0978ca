using System;
using System.Collections.Generic;
using System.Linq;

namespace MailOps.Core.Dns;

/// <summary>
/// The result of one DNS question: the outcome and the records of the asked type. Failures are
/// values, not exceptions, because every caller (SPF, DMARC, audits) must branch on them.
/// </summary>
public sealed class DnsAnswer
{
    /// <summary>Creates an answer.</summary>
    public DnsAnswer(string name, DnsRecordType type, DnsOutcome outcome, IReadOnlyList<DnsRecord> records, string? server, string? error = null)
    {
        Name = name;
        Type = type;
        Outcome = outcome;
        Records = records;
        Server = server;
        Error = error;
    }

    /// <summary>The queried name.</summary>
    public string Name { get; }

    /// <summary>The queried type.</summary>
    public DnsRecordType Type { get; }

    /// <summary>How the question ended.</summary>
    public DnsOutcome Outcome { get; }

    /// <summary>The records of the asked type (empty unless <see cref="Outcome"/> is Success).</summary>
    public IReadOnlyList<DnsRecord> Records { get; }

    /// <summary>The server that answered (address:port), or null when none did.</summary>
    public string? Server { get; }

    /// <summary>A human-readable reason for a failed outcome.</summary>
    public string? Error { get; }

    /// <summary>NXDOMAIN or NODATA: a "void lookup" in the sense of RFC 7208 section 4.6.4.</summary>
    public bool IsVoid => Outcome == DnsOutcome.NoData || Outcome == DnsOutcome.NxDomain;

    /// <summary>The question could not be answered (SERVFAIL, REFUSED, timeout, error).</summary>
    public bool IsFailure => Outcome != DnsOutcome.Success && !IsVoid;

    /// <summary>The records of the asked type, typed.</summary>
    public IEnumerable<T> RecordsOf<T>()
        where T : DnsRecord => Records.OfType<T>();

    /// <summary>Creates an answer with no records.</summary>
    public static DnsAnswer Empty(string name, DnsRecordType type, DnsOutcome outcome, string? server, string? error = null)
        => new DnsAnswer(name, type, outcome, Array.Empty<DnsRecord>(), server, error);

    /// <inheritdoc />
    public override string ToString()
        => Outcome == DnsOutcome.Success
            ? $"{Type} {Name}: {Records.Count} record(s)"
            : $"{Type} {Name}: {Outcome}{(Error is null ? string.Empty : " (" + Error + ")")}";
}
