using System;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailOps.Core.Dkim;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;

namespace MailOps.Core.Messages;

/// <summary>
/// Verifies one DKIM-Signature header the way RFC 6376 section 6.1 orders it, on MimeKit's
/// canonicalization and crypto (RSA and Ed25519 via BouncyCastle, RFC 8463), but step by step
/// so each failure gets its own reason: malformed signature, unsupported algorithm, expired,
/// body hash mismatch, key not found or revoked, signature mismatch. MimeKit's own
/// DkimVerifier answers only true or false.
/// </summary>
internal sealed class DkimSignatureChecker : DkimVerifierBase
{
    private readonly DnsDkimPublicKeyLocator locator;

    public DkimSignatureChecker(DnsDkimPublicKeyLocator locator)
        : base(locator)
    {
        this.locator = locator;

        // RFC 8301 section 3.1: rsa-sha1 MUST NOT be considered valid; RFC 8463 adds ed25519-sha256.
        Enable(DkimSignatureAlgorithm.RsaSha256);
        Enable(DkimSignatureAlgorithm.Ed25519Sha256);
        Disable(DkimSignatureAlgorithm.RsaSha1);
    }

    /// <summary>Verifies <paramref name="header"/> of <paramref name="message"/> at <paramref name="now"/>.</summary>
    public async Task<DkimSignatureVerdict> VerifyAsync(MimeMessage message, Header header, DateTimeOffset now, CancellationToken cancellationToken)
    {
        SignatureTagList tags = SignatureTagList.Parse(header.Value ?? string.Empty);
        string? domain = tags["d"]?.ToLowerInvariant().TrimEnd('.');
        string? canonicalization = tags["c"];
        var verdict = new DkimSignatureVerdict(domain, tags["s"], tags["a"], canonicalization ?? "simple/simple");
        verdict.SignedHeaders = (tags["h"] ?? string.Empty).Split(':').Select(h => h.Trim()).Where(h => h.Length > 0).ToArray();
        verdict.Timestamp = ParseTime(tags["t"]);
        verdict.Expiration = ParseTime(tags["x"]);

        string? malformed = CheckTags(tags, domain, verdict);
        if (malformed is not null)
        {
            return Done(verdict, DkimVerificationResult.PermError, malformed);
        }

        DkimSignatureAlgorithm algorithm;
        switch (tags["a"]!.ToLowerInvariant())
        {
            case "rsa-sha256":
                algorithm = DkimSignatureAlgorithm.RsaSha256;
                break;
            case "ed25519-sha256":
                algorithm = DkimSignatureAlgorithm.Ed25519Sha256;
                break;
            case "rsa-sha1":
                // RFC 8301 section 3.1.
                return Done(verdict, DkimVerificationResult.PermError, "unsupported algorithm (rsa-sha1 is no longer accepted, RFC 8301)");
            default:
                return Done(verdict, DkimVerificationResult.PermError, $"unsupported algorithm ({tags["a"]})");
        }

        if (!TryParseCanonicalization(canonicalization, out DkimCanonicalizationAlgorithm headerCanon, out DkimCanonicalizationAlgorithm bodyCanon))
        {
            return Done(verdict, DkimVerificationResult.PermError, $"unsupported canonicalization (c={canonicalization})");
        }

        if (verdict.Expiration is DateTimeOffset expires && expires < now)
        {
            // RFC 6376 section 3.5 (x=): verifiers may consider a signature past its expiry invalid.
            return Done(verdict, DkimVerificationResult.Fail, $"expired (x={expires.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z)");
        }

        int maxLength = -1;
        if (tags["l"] is string l)
        {
            if (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out maxLength))
            {
                return Done(verdict, DkimVerificationResult.PermError, $"malformed signature (l={l})");
            }
        }

        FormatOptions options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;

        // RFC 6376 section 6.1.3: the body hash first; a mismatch fails the signature.
        if (!VerifyBodyHash(options, message, algorithm, bodyCanon, maxLength, SignatureTagList.RemoveWhiteSpace(tags["bh"]!)))
        {
            return Done(verdict, DkimVerificationResult.Fail, "body hash mismatch (the body was changed after signing)");
        }

        verdict.KeyName = DnsDkimPublicKeyLocator.KeyName(verdict.Selector!, domain!);
        AsymmetricKeyParameter key;
        try
        {
            key = await locator.LocatePublicKeyAsync(tags["q"] ?? "dns/txt", domain!, verdict.Selector!, cancellationToken).ConfigureAwait(false);
        }
        catch (DkimKeyException ex)
        {
            return Done(verdict, ex.Result, ex.Message);
        }

        DkimParsedRecord? record = locator.GetRecord(verdict.KeyName);
        bool keyIsEd25519 = key is Ed25519PublicKeyParameters;
        if (keyIsEd25519 != (algorithm == DkimSignatureAlgorithm.Ed25519Sha256))
        {
            // RFC 6376 section 6.1.2 step 8: the key type must match the signature algorithm.
            return Done(verdict, DkimVerificationResult.PermError, $"key type does not match a={tags["a"]}");
        }

        if (record is not null && record.HashAlgorithms.Length > 0 && !record.HashAlgorithms.Any(h => h.Equals("sha256", StringComparison.OrdinalIgnoreCase)))
        {
            // RFC 6376 section 3.6.1 (h= of the key record).
            return Done(verdict, DkimVerificationResult.PermError, $"key does not allow sha256 (h={string.Join(":", record.HashAlgorithms)})");
        }

        if (record is not null && record.Flags.Contains("s") && tags["i"] is string auid
            && !auid.Substring(auid.LastIndexOf('@') + 1).Equals(domain, StringComparison.OrdinalIgnoreCase))
        {
            // RFC 6376 section 3.6.1 (t=s): the i= domain must be d= exactly.
            return Done(verdict, DkimVerificationResult.PermError, "key forbids subdomains in i= (t=s)");
        }

        if (key is RsaKeyParameters rsa && rsa.Modulus.BitLength < MinimumRsaKeyLength)
        {
            // RFC 8301 section 3.2: keys below 1024 bits MUST NOT be accepted.
            return Done(verdict, DkimVerificationResult.PermError, $"key too short ({rsa.Modulus.BitLength} bits, RFC 8301)");
        }

        string[] headers = verdict.SignedHeaders;
        bool valid = VerifySignature(options, message, header, algorithm, key, headers, headerCanon, SignatureTagList.RemoveWhiteSpace(tags["b"]!));
        return valid
            ? Done(verdict, DkimVerificationResult.Pass, null)
            : Done(verdict, DkimVerificationResult.Fail, "signature mismatch (signed header fields were changed, or the key does not match)");
    }

    /// <summary>RFC 6376 section 6.1.1: required tags, version, From signed, i= within d=.</summary>
    private static string? CheckTags(SignatureTagList tags, string? domain, DkimSignatureVerdict verdict)
    {
        if (tags.HasDuplicates)
        {
            return "malformed signature (a tag occurs twice)";
        }

        foreach (string required in new[] { "v", "a", "b", "bh", "d", "h", "s" })
        {
            if (string.IsNullOrEmpty(tags[required]))
            {
                return $"malformed signature ({required}= missing)";
            }
        }

        if (tags["v"] != "1")
        {
            return $"malformed signature (v={tags["v"]}, expected 1)";
        }

        if (!verdict.SignedHeaders.Any(h => h.Equals("from", StringComparison.OrdinalIgnoreCase)))
        {
            return "malformed signature (From is not signed)";
        }

        if (tags["i"] is string i)
        {
            int at = i.LastIndexOf('@');
            string auidDomain = at < 0 ? string.Empty : i.Substring(at + 1).ToLowerInvariant();
            if (at < 0 || !(auidDomain == domain || auidDomain.EndsWith("." + domain, StringComparison.Ordinal)))
            {
                return "malformed signature (i= is not within d=)";
            }
        }

        if (verdict.Timestamp is DateTimeOffset t && verdict.Expiration is DateTimeOffset x && x < t)
        {
            return "malformed signature (x= is before t=)";
        }

        if (tags["x"] is not null && verdict.Expiration is null)
        {
            return $"malformed signature (x={tags["x"]})";
        }

        return null;
    }

    private static bool TryParseCanonicalization(string? value, out DkimCanonicalizationAlgorithm header, out DkimCanonicalizationAlgorithm body)
    {
        header = DkimCanonicalizationAlgorithm.Simple;
        body = DkimCanonicalizationAlgorithm.Simple;
        if (string.IsNullOrEmpty(value))
        {
            return true;
        }

        // RFC 6376 section 3.5 (c=): "header/body"; a lone value names the header algorithm.
        string[] parts = value!.Split('/');
        if (parts.Length > 2 || !TryParseOne(parts[0], out header))
        {
            return false;
        }

        return parts.Length == 1 || TryParseOne(parts[1], out body);
    }

    private static bool TryParseOne(string value, out DkimCanonicalizationAlgorithm algorithm)
    {
        switch (value.Trim().ToLowerInvariant())
        {
            case "simple":
                algorithm = DkimCanonicalizationAlgorithm.Simple;
                return true;
            case "relaxed":
                algorithm = DkimCanonicalizationAlgorithm.Relaxed;
                return true;
            default:
                algorithm = DkimCanonicalizationAlgorithm.Simple;
                return false;
        }
    }

    private static DateTimeOffset? ParseTime(string? value)
        => value is not null && long.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long seconds) && seconds < 253402300799L
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : (DateTimeOffset?)null;

    private static DkimSignatureVerdict Done(DkimSignatureVerdict verdict, DkimVerificationResult result, string? error)
    {
        verdict.Result = result;
        verdict.Error = error;
        return verdict;
    }
}
