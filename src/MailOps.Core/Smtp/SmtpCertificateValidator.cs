using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace MailOps.Core.Smtp;

/// <summary>
/// The TLS certificate check of a test: the platform's verdict (system roots, name), plus the
/// extra roots the user trusts, recorded as <see cref="SmtpCertificateInfo"/> whether or not the
/// check is skipped, so a skipped check still shows what is wrong.
/// </summary>
internal sealed class SmtpCertificateValidator
{
    private readonly X509Certificate2Collection roots;
    private readonly bool skip;

    public SmtpCertificateValidator(X509Certificate2Collection roots, bool skip)
    {
        this.roots = roots;
        this.skip = skip;
    }

    /// <summary>What was presented; null until a handshake reached the certificate.</summary>
    public SmtpCertificateInfo? Info { get; private set; }

    /// <summary>Why the certificate was rejected; null when it was accepted or not seen.</summary>
    public SmtpFailureReason? Problem { get; private set; }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            Problem = SmtpFailureReason.CertificateUntrusted;
            return skip;
        }

        using var leaf = new X509Certificate2(certificate);
        bool nameMatches = (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0;
        var chainErrors = new List<string>();
        bool chainOk = (errors & SslPolicyErrors.RemoteCertificateChainErrors) == 0;
        if (!chainOk)
        {
            chainOk = roots.Count > 0 && ChainsToExtraRoot(leaf, chain, chainErrors);
            if (!chainOk && chainErrors.Count == 0 && chain is not null)
            {
                chainErrors.AddRange(chain.ChainStatus.Where(s => s.Status != X509ChainStatusFlags.NoError).Select(Describe));
            }

            if (!chainOk && chainErrors.Count == 0)
            {
                chainErrors.Add("UntrustedRoot");
            }
        }

        Info = new SmtpCertificateInfo(leaf.Subject, leaf.Issuer, DnsNames(leaf).ToArray(), leaf.NotAfter.ToUniversalTime(), nameMatches, chainErrors.ToArray(), leaf.Thumbprint);

        // The order of the verdicts is the order of the fixes: an expired certificate is
        // renewed before anyone argues about its name or its issuer.
        DateTime now = DateTime.Now;
        if (leaf.NotAfter < now || leaf.NotBefore > now)
        {
            Problem = SmtpFailureReason.CertificateExpired;
        }
        else if (!nameMatches)
        {
            Problem = SmtpFailureReason.CertificateNameMismatch;
        }
        else if (!chainOk || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            Problem = SmtpFailureReason.CertificateUntrusted;
        }

        return skip || Problem is null;
    }

    private bool ChainsToExtraRoot(X509Certificate2 leaf, X509Chain? presented, List<string> problems)
    {
        if (MailOps.Core.Tls.ExtraRootChain.Validate(leaf, presented, roots, out X509ChainStatus[] statuses, out bool anchored))
        {
            return true;
        }

        problems.AddRange(statuses.Select(Describe));
        if (!anchored)
        {
            problems.Add("UntrustedRoot (it does not chain to a system root or to a -TrustedRootCertificate)");
        }

        return false;
    }

    private static string Describe(X509ChainStatus status)
        => string.IsNullOrWhiteSpace(status.StatusInformation) ? status.Status.ToString() : status.Status + " (" + status.StatusInformation.Trim() + ")";

    /// <summary>The subject alternative names of type DNS (extension 2.5.29.17); the formatted
    /// text is "DNS Name=x" on Windows and "DNS:x" elsewhere.</summary>
    internal static IEnumerable<string> DnsNames(X509Certificate2 certificate)
    {
        foreach (X509Extension extension in certificate.Extensions)
        {
            if (extension.Oid?.Value != "2.5.29.17")
            {
                continue;
            }

            foreach (string part in extension.Format(false).Split(new[] { ',', '\n', '\r' }, StringSplitOptions.RemoveEmptyEntries))
            {
                string item = part.Trim();
                int separator = item.StartsWith("DNS Name=", StringComparison.Ordinal) ? 9 : item.StartsWith("DNS:", StringComparison.Ordinal) ? 4 : -1;
                if (separator > 0)
                {
                    yield return item.Substring(separator);
                }
            }
        }
    }
}
