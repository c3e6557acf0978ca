namespace MailOps.Core.Relay;

/// <summary>
/// Encrypts a profile's password for the store where the platform can protect it. The store
/// writes only what <see cref="Protect"/> returns; a platform without a protector refuses to
/// store passwords at all (there is no "obfuscated" fallback: a key beside the data protects
/// nothing).
/// </summary>
public interface IRelayCredentialProtector
{
    /// <summary>The storage this protector provides, recorded on the profile.</summary>
    RelayCredentialStorage Storage { get; }

    /// <summary>Encrypts <paramref name="secret"/>.</summary>
    byte[] Protect(byte[] secret);

    /// <summary>Decrypts what <see cref="Protect"/> returned.</summary>
    byte[] Unprotect(byte[] protectedSecret);
}

/// <summary>
/// Resolves a SecretManagement secret name to a credential at send time. The core cannot call
/// Get-Secret (it has no PowerShell); Send-RelayMail implements this over
/// Microsoft.PowerShell.SecretManagement when that module is present and passes it in.
/// </summary>
public interface IRelaySecretResolver
{
    /// <summary>The credential for <paramref name="secretName"/> (a PSCredential secret, or a
    /// string/SecureString secret used as the password of <paramref name="userName"/>); null
    /// when the secret does not exist.</summary>
    System.Threading.Tasks.Task<System.Net.NetworkCredential?> ResolveAsync(string secretName, string? userName, System.Threading.CancellationToken cancellationToken);
}
