using System;

namespace MailOps.Core.Relay.Signing;

/// <summary>
/// What Add-DkimSignature wrote: where, with which identity and tags. <see cref="Path"/> is the
/// signed file, so the result pipes straight into Test-MailMessage to check the signature
/// against the published key.
/// </summary>
public sealed class DkimSigningResult
{
    internal DkimSigningResult(string sourcePath, string path, string domain, string selector, string algorithm, string canonicalization, string[] signedHeaders, string bodyHash, int keySize, string signature)
    {
        SourcePath = sourcePath;
        Path = path;
        Domain = domain;
        Selector = selector;
        Algorithm = algorithm;
        Canonicalization = canonicalization;
        SignedHeaders = signedHeaders;
        BodyHash = bodyHash;
        KeySize = keySize;
        Signature = signature;
    }

    /// <summary>The message that was read.</summary>
    public string SourcePath { get; }

    /// <summary>The signed message written (binds -Path of Test-MailMessage).</summary>
    public string Path { get; }

    /// <summary>d=: the signing domain.</summary>
    public string Domain { get; }

    /// <summary>s=: the selector.</summary>
    public string Selector { get; }

    /// <summary>a=: "rsa-sha256" or "ed25519-sha256".</summary>
    public string Algorithm { get; }

    /// <summary>c=: header/body canonicalization, as in the signature ("relaxed/relaxed").</summary>
    public string Canonicalization { get; }

    /// <summary>h=: the signed header field names, in signing order.</summary>
    public string[] SignedHeaders { get; }

    /// <summary>bh=: the body hash (base64).</summary>
    public string BodyHash { get; }

    /// <summary>Key size in bits (RSA modulus length, 256 for Ed25519).</summary>
    public int KeySize { get; }

    /// <summary>The whole DKIM-Signature header value that was added.</summary>
    public string Signature { get; }

    /// <summary>A one-line summary for logs.</summary>
    public override string ToString() => $"{Path}: d={Domain} s={Selector} a={Algorithm} c={Canonicalization}";
}
