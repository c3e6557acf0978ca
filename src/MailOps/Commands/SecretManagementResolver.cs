using System;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Net;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using MailOps.Core.Relay;

namespace MailOps.Commands;

/// <summary>
/// Reads a relay profile's password from Microsoft.PowerShell.SecretManagement at send time: the
/// profile stores only the secret's name, so on Linux and macOS (no DPAPI) a password still
/// never lands in the store. Get-Secret runs in the caller's session, so whatever vault the
/// admin registered (SecretStore, KeePass, Azure Key Vault...) answers.
/// </summary>
/// <remarks>Call it on the pipeline thread only: it runs PowerShell commands.</remarks>
internal sealed class SecretManagementResolver : IRelaySecretResolver
{
    private readonly PSCmdlet cmdlet;

    public SecretManagementResolver(PSCmdlet cmdlet) => this.cmdlet = cmdlet;

    /// <inheritdoc />
    public Task<NetworkCredential?> ResolveAsync(string secretName, string? userName, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CommandInfo? getSecret = cmdlet.InvokeCommand.GetCommand("Get-Secret", CommandTypes.Cmdlet | CommandTypes.Function | CommandTypes.Alias);
        if (getSecret is null)
        {
            throw new RelayProfileException(RelayProfileErrorKind.CredentialStorageUnavailable, secretName, $"The relay profile takes its password from the SecretManagement secret '{secretName}', but Get-Secret is not available. Install-Module Microsoft.PowerShell.SecretManagement (and a vault), or pass -Credential.");
        }

        Collection<PSObject> output;
        try
        {
            output = cmdlet.InvokeCommand.InvokeScript("Get-Secret -Name $args[0] -ErrorAction Stop", secretName);
        }
        catch (RuntimeException ex)
        {
            // The secret's value is never in the message: Get-Secret's errors name the secret only.
            throw new RelayProfileException(RelayProfileErrorKind.CredentialStorageUnavailable, secretName, $"The SecretManagement secret '{secretName}' could not be read: {ex.Message}");
        }

        object? value = output.Count == 0 ? null : output[0]?.BaseObject;
        NetworkCredential? credential = value switch
        {
            PSCredential ps => ps.GetNetworkCredential(),
            SecureString secure => new NetworkCredential(userName ?? string.Empty, secure),
            string plain => new NetworkCredential(userName ?? string.Empty, plain),
            null => null,
            _ => throw new RelayProfileException(RelayProfileErrorKind.CredentialStorageUnavailable, secretName, $"The SecretManagement secret '{secretName}' is a {value.GetType().Name}; a relay password must be a PSCredential, SecureString or String secret."),
        };
        if (credential is null)
        {
            throw new RelayProfileException(RelayProfileErrorKind.CredentialStorageUnavailable, secretName, $"The SecretManagement secret '{secretName}' does not exist in any registered vault.");
        }

        if (string.IsNullOrEmpty(credential.UserName) && !string.IsNullOrEmpty(userName))
        {
            credential.UserName = userName;
        }

        return Task.FromResult<NetworkCredential?>(credential);
    }
}
