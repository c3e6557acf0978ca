using System.Linq;

namespace MailOps.Core.Dkim;

/// <summary>
/// A DKIM key record (RFC 6376 section 3.6.1) taken apart: its tags, what its key is and how
/// strong, and findings that say what to fix. Produced by <see cref="DkimParser"/> from text
/// alone, so records can be checked before they are published.
/// </summary>
public sealed class DkimParsedRecord
{
    internal DkimParsedRecord(
        string text,
        string? version,
        DkimKeyType? keyType,
        int? keySize,
        bool isRevoked,
        string[] flags,
        string[] hashAlgorithms,
        string[] serviceTypes,
        string? notes,
        string? publicKey,
        Finding[] findings)
    {
        Text = text;
        Version = version;
        KeyType = keyType;
        KeySize = keySize;
        IsRevoked = isRevoked;
        Flags = flags;
        HashAlgorithms = hashAlgorithms;
        ServiceTypes = serviceTypes;
        Notes = notes;
        PublicKey = publicKey;
        Findings = findings;
    }

    /// <summary>The record text as parsed.</summary>
    public string Text { get; }

    /// <summary>The "v=" value, or null when the tag is absent (it is optional).</summary>
    public string? Version { get; }

    /// <summary>The key type ("k=", default rsa), or null when "k=" names an unknown type.</summary>
    public DkimKeyType? KeyType { get; }

    /// <summary>Bits of the RSA modulus, or 256 for Ed25519; null when there is no usable key.</summary>
    public int? KeySize { get; }

    /// <summary>True when "p=" is empty: the key was revoked (RFC 6376 section 3.6.1).</summary>
    public bool IsRevoked { get; }

    /// <summary>True when "t=" has the flag "y": the domain is testing DKIM.</summary>
    public bool IsTesting => Flags.Contains("y");

    /// <summary>The "t=" flags as published ("y" testing, "s" no subdomains in i=); empty when absent.</summary>
    public string[] Flags { get; }

    /// <summary>The "h=" hash algorithms as published; empty when absent, which allows all.</summary>
    public string[] HashAlgorithms { get; }

    /// <summary>The "s=" service types as published; empty when absent, which means "*" (all).</summary>
    public string[] ServiceTypes { get; }

    /// <summary>The "n=" notes, or null.</summary>
    public string? Notes { get; }

    /// <summary>The "p=" value with whitespace removed; empty when revoked, null when "p=" is missing.</summary>
    public string? PublicKey { get; }

    /// <summary>What to fix, in the order found.</summary>
    public Finding[] Findings { get; }

    /// <summary>True when no finding has severity Error.</summary>
    public bool IsValid => Findings.All(f => f.Severity != FindingSeverity.Error);
}
