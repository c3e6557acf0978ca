using System;
using System.Linq;

namespace MailOps.Core.Dkim;

/// <summary>
/// What Get-DkimRecord returns: the DKIM key published for one selector of a domain, or, with
/// <see cref="Record"/> null, the fact that none was found (the findings say why). Scalars stay
/// flat so Export-Csv gives a useful row; <see cref="Findings"/> and the arrays hold the detail.
/// </summary>
public sealed class DkimRecord
{
    internal DkimRecord(string domain, DkimSelector? selector, string? name, string[] cnameChain, DkimParsedRecord? parsed, Finding[] findings)
    {
        Domain = domain;
        Selector = selector?.Name;
        Provider = selector?.Provider;
        Name = name;
        CnameChain = cnameChain;
        CnameTarget = cnameChain.Length > 0 ? cnameChain[cnameChain.Length - 1] : null;
        Record = parsed?.Text;
        Version = parsed?.Version;
        KeyType = parsed?.KeyType;
        KeySize = parsed?.KeySize;
        IsRevoked = parsed?.IsRevoked ?? false;
        IsTesting = parsed?.IsTesting ?? false;
        Flags = parsed?.Flags ?? Array.Empty<string>();
        HashAlgorithms = parsed?.HashAlgorithms ?? Array.Empty<string>();
        ServiceTypes = parsed?.ServiceTypes ?? Array.Empty<string>();
        Notes = parsed?.Notes;
        PublicKey = parsed?.PublicKey;
        Findings = findings;
    }

    /// <summary>The domain, lower-case A-label form. Binds to -Domain of the next cmdlet.</summary>
    public string Domain { get; }

    /// <summary>The selector (the s= tag of DKIM-Signature headers), or null on the one row that
    /// reports that probing found no key.</summary>
    public string? Selector { get; }

    /// <summary>Who is known to use the selector (from the selector catalogue), or null.</summary>
    public string? Provider { get; }

    /// <summary>The name the key is published at: selector._domainkey.domain (RFC 6376 section 3.6.2.1).</summary>
    public string? Name { get; }

    /// <summary>
    /// Where a delegated key really lives: the last name of the CNAME chain from <see cref="Name"/>
    /// (providers such as SendGrid and Microsoft 365 have customers publish a CNAME to a name
    /// they rotate keys under); null when the key is published directly.
    /// </summary>
    public string? CnameTarget { get; }

    /// <summary>Every CNAME target from <see cref="Name"/> on, in order; empty when there is none.</summary>
    public string[] CnameChain { get; }

    /// <summary>The key record text (TXT character-strings joined with nothing between them,
    /// RFC 6376 section 3.6.2.2), or null when no key was found. With several records, the first.</summary>
    public string? Record { get; }

    /// <summary>The "v=" value, or null when absent (it is optional).</summary>
    public string? Version { get; }

    /// <summary>The key type: "k=", default rsa; null when unknown or when no key was found.</summary>
    public DkimKeyType? KeyType { get; }

    /// <summary>Bits of the RSA modulus, or 256 for Ed25519; null when there is no usable key.</summary>
    public int? KeySize { get; }

    /// <summary>True when "p=" is empty: the key is revoked (RFC 6376 section 3.6.1).</summary>
    public bool IsRevoked { get; }

    /// <summary>True when "t=" has the flag "y": the domain is testing DKIM.</summary>
    public bool IsTesting { get; }

    /// <summary>The "t=" flags; empty when absent.</summary>
    public string[] Flags { get; }

    /// <summary>The "h=" hash algorithms; empty when absent, which allows all.</summary>
    public string[] HashAlgorithms { get; }

    /// <summary>The "s=" service types; empty when absent, which means all ("*").</summary>
    public string[] ServiceTypes { get; }

    /// <summary>The "n=" notes, or null.</summary>
    public string? Notes { get; }

    /// <summary>The "p=" base64 value without whitespace: compare keys across selectors with it.</summary>
    public string? PublicKey { get; }

    /// <summary>What to fix: findings about the record, the key, and its lookup.</summary>
    public Finding[] Findings { get; }

    /// <summary>True when no finding has severity Error.</summary>
    public bool IsValid => Findings.All(f => f.Severity != FindingSeverity.Error);

    /// <inheritdoc />
    public override string ToString() => Name ?? Domain;
}
