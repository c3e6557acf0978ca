using System;
using System.Linq;
using System.Security.Cryptography.X509Certificates;

namespace MailOps.Core.Tls;

/// <summary>
/// The one rule for trusting an administrator's own CA (-TrustedRootCertificate) when the
/// platform rejected a chain: the chain must build to one of those roots with no problem other
/// than the root being unknown to the system. Host-name checks stay with the platform, so a
/// certificate for the wrong name is never accepted. Used by MTA-STS fetches and SMTP tests.
/// </summary>
internal static class ExtraRootChain
{
    /// <summary>Builds <paramref name="leaf"/> against <paramref name="roots"/> (and the chain the
    /// server presented). True when it is anchored at one of the roots with no other problem.</summary>
    /// <param name="leaf">The server's certificate.</param>
    /// <param name="presented">The chain the platform built, whose intermediates are reused.</param>
    /// <param name="roots">The extra roots to trust.</param>
    /// <param name="problems">Chain problems other than the unknown root.</param>
    /// <param name="anchored">Whether the chain ends at one of <paramref name="roots"/>.</param>
    public static bool Validate(X509Certificate2 leaf, X509Chain? presented, X509Certificate2Collection roots, out X509ChainStatus[] problems, out bool anchored)
    {
        using var chain = new X509Chain();

        // No network here or at many sites: revocation is not checked, as for the system roots.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
        chain.ChainPolicy.ExtraStore.AddRange(roots);
        if (presented is not null)
        {
            foreach (X509ChainElement element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        bool built = chain.Build(leaf);
        problems = chain.ChainStatus.Where(s => s.Status != X509ChainStatusFlags.UntrustedRoot && s.Status != X509ChainStatusFlags.NoError).ToArray();
        X509Certificate2? top = chain.ChainElements.Count > 0 ? chain.ChainElements[chain.ChainElements.Count - 1].Certificate : null;
        anchored = top is not null && roots.Cast<X509Certificate2>().Any(r => string.Equals(r.Thumbprint, top.Thumbprint, StringComparison.OrdinalIgnoreCase));
        return built && problems.Length == 0 && anchored;
    }
}
