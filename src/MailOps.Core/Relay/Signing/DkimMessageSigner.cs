using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MailOps.Core.Dkim;
using MailOps.Core.Messages;
using MimeKit;
using MimeKit.Cryptography;

namespace MailOps.Core.Relay.Signing;

/// <summary>
/// Adds one DKIM-Signature header to a message with MimeKit's DkimSigner (RFC 6376 section 5;
/// ed25519-sha256 per RFC 8463 through BouncyCastle). The signature goes on top of any
/// existing header, so earlier signatures (a list server's, an ARC set) stay intact. Stateless
/// and thread-safe: Send-RelayMail signs every message of a pipeline with one options object.
/// </summary>
public static class DkimMessageSigner
{
    /// <summary>Signs a whole message (RFC 5322 bytes) and returns the signed message with CRLF line ends.</summary>
    /// <exception cref="ArgumentException">Options incomplete or contradictory (no key, bad domain, headers MimeKit refuses).</exception>
    /// <exception cref="FormatException">The message has no From header, so it cannot be signed.</exception>
    /// <exception cref="DkimSigningKeyException">The key does not fit the algorithm.</exception>
    public static byte[] Sign(byte[] mime, DkimSigningOptions options)
    {
        if (mime is null)
        {
            throw new ArgumentNullException(nameof(mime));
        }

        using var stream = new MemoryStream(mime, writable: false);
        return Sign(stream, options);
    }

    /// <summary>Signs the message read from <paramref name="mime"/> (to its end) and returns the signed bytes.</summary>
    /// <exception cref="ArgumentException">Options incomplete or contradictory.</exception>
    /// <exception cref="FormatException">The message has no From header, so it cannot be signed.</exception>
    /// <exception cref="DkimSigningKeyException">The key does not fit the algorithm.</exception>
    public static byte[] Sign(Stream mime, DkimSigningOptions options)
    {
        if (mime is null)
        {
            throw new ArgumentNullException(nameof(mime));
        }

        MimeMessage message = MimeMessage.Load(mime);
        Sign(message, options);
        using var output = new MemoryStream();
        message.WriteTo(CrlfFormat(), output);
        return output.ToArray();
    }

    /// <summary>
    /// Signs a message the engine already holds (Send-RelayMail builds a MimeMessage); the
    /// DKIM-Signature header is inserted first. Returns the header's value. The message must be
    /// written afterwards with CRLF line ends and not changed, or the signature breaks.
    /// </summary>
    /// <exception cref="ArgumentException">Options incomplete or contradictory.</exception>
    /// <exception cref="FormatException">The message has no From header.</exception>
    /// <exception cref="DkimSigningKeyException">The key does not fit the algorithm.</exception>
    public static string Sign(MimeMessage message, DkimSigningOptions options)
    {
        if (message is null)
        {
            throw new ArgumentNullException(nameof(message));
        }

        DkimSigner signer = CreateSigner(options);
        if (!message.Headers.Contains(HeaderId.From))
        {
            // RFC 6376 section 5.4: the From header field MUST be signed, so it must exist.
            throw new FormatException("The message has no From header; a DKIM signature must cover From (RFC 6376 section 5.4).");
        }

        string[] headers = SelectHeaders(message, options.Headers);
        signer.Sign(CrlfFormat(), message, headers);
        return message.Headers[HeaderId.DkimSignature] ?? string.Empty;
    }

    /// <summary>
    /// Reads <paramref name="sourcePath"/>, signs it and writes <paramref name="destinationPath"/>
    /// atomically: the signed message goes to a temporary file in the destination folder that
    /// then replaces the destination, so a crash or a full disk never leaves half a message
    /// there. Signing a file in place is allowed with <paramref name="overwrite"/>.
    /// </summary>
    /// <exception cref="IOException">The destination exists and <paramref name="overwrite"/> is false, or writing failed.</exception>
    public static DkimSigningResult SignFile(string sourcePath, string destinationPath, DkimSigningOptions options, bool overwrite)
    {
        if (!overwrite && File.Exists(destinationPath))
        {
            throw new IOException($"The file '{destinationPath}' already exists. Use -Force to overwrite it.");
        }

        MimeMessage message;
        using (FileStream input = File.OpenRead(sourcePath))
        {
            message = MimeMessage.Load(input);
        }

        string signature = Sign(message, options);
        string folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(destinationPath)) ?? ".";
        string temporary = System.IO.Path.Combine(folder, "." + System.IO.Path.GetFileName(destinationPath) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            using (var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                message.WriteTo(CrlfFormat(), output);
                output.Flush(flushToDisk: true);
            }

            if (File.Exists(destinationPath))
            {
                if (!overwrite)
                {
                    throw new IOException($"The file '{destinationPath}' already exists. Use -Force to overwrite it.");
                }

                File.Replace(temporary, destinationPath, destinationBackupFileName: null);
            }
            else
            {
                File.Move(temporary, destinationPath);
            }
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }

        return Describe(sourcePath, destinationPath, signature, options.Key!);
    }

    /// <summary>The result object for a signature header value.</summary>
    internal static DkimSigningResult Describe(string sourcePath, string path, string signature, DkimSigningKey key)
    {
        SignatureTagList tags = SignatureTagList.Parse(signature);
        string[] signed = (tags["h"] ?? string.Empty).Split(':').Select(h => h.Trim()).Where(h => h.Length > 0).ToArray();
        return new DkimSigningResult(sourcePath, path, tags["d"] ?? string.Empty, tags["s"] ?? string.Empty, tags["a"] ?? string.Empty,
            tags["c"] ?? "simple/simple", signed, tags["bh"] ?? string.Empty, key.KeySize, signature);
    }

    /// <summary>The header names to pass MimeKit: the caller's list (over-signing kept) or the
    /// present default headers, From always first when missing (RFC 6376 section 5.4).</summary>
    internal static string[] SelectHeaders(MimeMessage message, string[]? requested)
    {
        // MimeKit keeps the Content-* fields of the top-level header block on the body entity.
        bool Present(string name) => message.Headers.Contains(name) || (message.Body?.Headers.Contains(name) ?? false);

        var names = new List<string>();
        if (requested is null)
        {
            foreach (string name in DkimSigningOptions.DefaultHeaders)
            {
                if (Present(name))
                {
                    names.Add(name);
                }
            }
        }
        else
        {
            foreach (string name in requested)
            {
                string trimmed = (name ?? string.Empty).Trim().ToLowerInvariant();
                if (trimmed.Length == 0 || trimmed.IndexOf(':') >= 0 || trimmed.Any(c => c <= ' ' || c > '~'))
                {
                    throw new ArgumentException($"'{name}' is not a header field name (RFC 5322 section 3.6.8).", nameof(requested));
                }

                names.Add(trimmed);
            }
        }

        if (!names.Contains("from"))
        {
            names.Insert(0, "from");
        }

        return names.ToArray();
    }

    private static DkimSigner CreateSigner(DkimSigningOptions options)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        if (options.Key is null)
        {
            throw new ArgumentException("A signing key is required.", nameof(options));
        }

        if (!DomainName.TryNormalize(options.Domain, out string domain, out string? domainError))
        {
            throw new ArgumentException($"The signing domain is not valid: {domainError}", nameof(options));
        }

        if (!DkimSelector.TryNormalize(options.Selector, out string selector, out string? selectorError))
        {
            throw new ArgumentException($"The selector is not valid: {selectorError}", nameof(options));
        }

        DkimSigningAlgorithm algorithm = options.EffectiveAlgorithm;
        DkimKeyType needed = algorithm == DkimSigningAlgorithm.RsaSha256 ? DkimKeyType.Rsa : DkimKeyType.Ed25519;
        if (options.Key.KeyType != needed)
        {
            throw new DkimSigningKeyException(DkimSigningKeyError.AlgorithmMismatch,
                $"{(algorithm == DkimSigningAlgorithm.RsaSha256 ? "rsa-sha256" : "ed25519-sha256")} needs an {needed} key, but the key is {options.Key.KeyType}.");
        }

        return new DkimSigner(options.Key.PrivateKey, domain, selector,
            algorithm == DkimSigningAlgorithm.RsaSha256 ? DkimSignatureAlgorithm.RsaSha256 : DkimSignatureAlgorithm.Ed25519Sha256)
        {
            HeaderCanonicalizationAlgorithm = Map(options.HeaderCanonicalization),
            BodyCanonicalizationAlgorithm = Map(options.BodyCanonicalization),
            SignaturesExpireAfter = options.SignaturesExpireAfter,
        };
    }

    private static DkimCanonicalizationAlgorithm Map(DkimCanonicalization value)
        => value == DkimCanonicalization.Simple ? DkimCanonicalizationAlgorithm.Simple : DkimCanonicalizationAlgorithm.Relaxed;

    /// <summary>DKIM hashes CRLF lines (RFC 6376 section 3.4), and SMTP carries them; write the
    /// same form that was signed, whatever the platform's newline.</summary>
    private static FormatOptions CrlfFormat()
    {
        FormatOptions format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        return format;
    }
}
