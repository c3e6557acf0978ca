using System;
using System.Management.Automation;
using MailOps.Core.Relay;
using MailOps.Core.Store;

namespace MailOps.Commands;

/// <summary>
/// Set-RelayServer: changes the given settings of existing relay profiles and leaves the rest.
/// Names come from the pipeline (<c>Get-RelayServer Bulk* | Set-RelayServer -Priority 50</c>);
/// the settings only from the command line, so piping a profile never rewrites it with its own
/// values.
/// </summary>
[Cmdlet(VerbsCommon.Set, "RelayServer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(RelayServer))]
public sealed class SetRelayServerCommand : RelayCmdlet
{
    /// <summary>The profiles to change (exact names).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>A new host name or IP address.</summary>
    [Parameter]
    [Alias("SmtpServer", "ComputerName")]
    [ValidateNotNullOrEmpty]
    public string? Server { get; set; }

    /// <summary>A new port. Omitted with a new -Security: a port that was the old mode's
    /// default follows the new mode (587 -> 465 for SslOnConnect).</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int? Port { get; set; }

    /// <summary>A new security mode.</summary>
    [Parameter]
    [ValidateSet("Auto", "None", "StartTls", "StartTlsWhenAvailable", "SslOnConnect", IgnoreCase = true)]
    public string? Security { get; set; }

    /// <summary>A new user name and password to store under DPAPI (Windows only).</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>A new user name (any stored password or secret name stays).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? UserName { get; set; }

    /// <summary>A SecretManagement secret name; replaces a stored password.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SecretName { get; set; }

    /// <summary>Forget the stored user name, password and secret name.</summary>
    [Parameter]
    public SwitchParameter ClearCredential { get; set; }

    /// <summary>A new priority (lowest is tried first).</summary>
    [Parameter]
    [ValidateRange(0, RelayServerSettings.MaxPriority)]
    public int? Priority { get; set; }

    /// <summary>A new From filter (replaces the old one); an empty array allows any From.</summary>
    [Parameter]
    [AllowEmptyCollection]
    [AllowEmptyString]
    public string[]? FromFilter { get; set; }

    /// <summary>A new category.</summary>
    [Parameter]
    [ValidateSet("Transactional", "Bulk", IgnoreCase = true)]
    public string? Category { get; set; }

    /// <summary>A new PEM private key file to DKIM-sign with (stored as its full path, never as
    /// the key); the profile needs a selector too, given here or already stored.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DkimSigningKey { get; set; }

    /// <summary>A new DKIM selector (s=); alone it keeps the stored key, for a key published
    /// under a second selector.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DkimSelector { get; set; }

    /// <summary>A new signing domain (d=) instead of the From domain of each message.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DkimDomain { get; set; }

    /// <summary>Forget the DKIM key path, selector and domain: the profile stops signing.</summary>
    [Parameter]
    public SwitchParameter ClearDkim { get; set; }

    /// <summary>-Disabled stops using the profile; -Disabled:$false uses it again.</summary>
    [Parameter]
    public SwitchParameter Disabled { get; set; }

    /// <summary>Write the changed profile.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }


    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        // Loaded before any profile is touched: an unusable key stops the command with
        // DkimKeyFileNotFound, InvalidDkimSigningKey or DkimKeyTooWeak; only the full path is stored.
        string? keyPath = null;
        if (DkimSigningKey is not null)
        {
            keyPath = CheckDkimKey(DkimSigningKey);
        }

        foreach (string name in Name)
        {
            var settings = new RelayServerSettings
            {
                Server = Server,
                Port = Port,
                Security = ParseSecurity(Security),
                Priority = Priority,
                FromFilter = FromFilter,
                Category = ParseCategory(Category),
                Enabled = IsBound(nameof(Disabled)) ? !Disabled.IsPresent : null,
                UserName = UserName,
                SecretName = SecretName,
                Credential = Credential?.GetNetworkCredential(),
                ClearCredential = ClearCredential.IsPresent,
                DkimSigningKey = keyPath,
                DkimSelector = DkimSelector,
                DkimDomain = DkimDomain,
                ClearDkim = ClearDkim.IsPresent,
            };

            // Refused before anything is touched: no store file for a password that cannot be kept.
            if (Credential is not null && RelayCredentialProtection.ForCurrentPlatform() is null)
            {
                WriteError(CreateRelayError(RelayCredentialProtection.Unavailable(name), name));
                continue;
            }

            if (!ShouldProcess(name, $"Change relay profile in {StorePath}"))
            {
                continue;
            }

            RelayProfileStore? profiles = GetProfiles(create: false);
            if (profiles is null)
            {
                WriteError(CreateNotFound(name));
                continue;
            }

            try
            {
                RelayServer profile = Await(profiles.UpdateAsync(name, settings, CancellationToken));
                WriteVerbose($"Updated relay profile {profile}.");
                if (PassThru)
                {
                    WriteObject(profile);
                }
            }
            catch (RelayProfileException ex)
            {
                WriteError(ex.Kind == RelayProfileErrorKind.NotFound ? CreateNotFound(name) : CreateRelayError(ex, name));
            }
            catch (MailOpsStoreException ex)
            {
                WriteError(CreateStoreError(ex, name));
            }
        }
    }
}
