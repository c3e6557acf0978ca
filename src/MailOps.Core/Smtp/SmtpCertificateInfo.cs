using System;

namespace MailOps.Core.Smtp;

/// <summary>
/// The certificate the server presented, reduced to what an admin checks when a client says
/// "certificate error": who it is for, who issued it, when it ends and what failed.
/// </summary>
public sealed class SmtpCertificateInfo
{
    internal SmtpCertificateInfo(string subject, string issuer, string[] subjectAlternativeNames, DateTime notAfter, bool nameMatches, string[] chainErrors, string thumbprint)
    {
        Subject = subject;
        Issuer = issuer;
        SubjectAlternativeNames = subjectAlternativeNames;
        NotAfter = notAfter;
        DaysUntilExpiry = (int)Math.Floor((notAfter.ToUniversalTime() - DateTime.UtcNow).TotalDays);
        NameMatches = nameMatches;
        ChainErrors = chainErrors;
        Thumbprint = thumbprint;
    }

    /// <summary>The subject distinguished name.</summary>
    public string Subject { get; }

    /// <summary>The issuer distinguished name.</summary>
    public string Issuer { get; }

    /// <summary>The DNS names the certificate is valid for (clients check these, not the subject CN).</summary>
    public string[] SubjectAlternativeNames { get; }

    /// <summary>End of validity (UTC).</summary>
    public DateTime NotAfter { get; }

    /// <summary>Whole days left; negative once expired.</summary>
    public int DaysUntilExpiry { get; }

    /// <summary>Whether the certificate is valid for the server name that was connected to.</summary>
    public bool NameMatches { get; }

    /// <summary>Chain problems (untrusted root, expired, ...); empty for a trusted chain.</summary>
    public string[] ChainErrors { get; }

    /// <summary>SHA-1 thumbprint, to compare with what the server's admin installed.</summary>
    public string Thumbprint { get; }
}
