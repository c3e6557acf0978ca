using System;
using System.Management.Automation;
using MailOps.Core.Relay;
using MailOps.Core.Store;

namespace MailOps.Commands;

/// <summary>
/// Register-RelayServer: stores a relay profile (an outgoing SMTP server and when to use it) in
/// the MailOps store. Every parameter binds by property name, so
/// <c>Import-Csv relays.csv | Register-RelayServer</c> registers one profile per row. A password
/// is stored only where the platform protects it (DPAPI on Windows); elsewhere -Credential is
/// refused and -SecretName or a credential at send time takes its place. A DKIM signing key is
/// kept as the path of its file, never as key material, and must load before anything is written.
/// </summary>
[Cmdlet(VerbsLifecycle.Register, "RelayServer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(RelayServer))]
public sealed class RegisterRelayServerCommand : RelayCmdlet
{
    /// <summary>The profile name (unique, case-insensitive; no wildcard characters).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>The SMTP server's host name or IP address.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("SmtpServer", "ComputerName")]
    [ValidateNotNullOrEmpty]
    public string Server { get; set; } = string.Empty;

    /// <summary>The TCP port; omitted: 465 for SslOnConnect, 25 for None, else 587.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, 65535)]
    public int? Port { get; set; }

    /// <summary>How the connection is secured; omitted: Auto.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateSet("Auto", "None", "StartTls", "StartTlsWhenAvailable", "SslOnConnect", IgnoreCase = true)]
    public string? Security { get; set; }

    /// <summary>A user name and password to store under DPAPI (Windows only).</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>A user name stored without a password.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? UserName { get; set; }

    /// <summary>The name of a SecretManagement secret that holds the password.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? SecretName { get; set; }

    /// <summary>The order among matching profiles, lowest first; omitted: 100.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, RelayServerSettings.MaxPriority)]
    public int? Priority { get; set; }

    /// <summary>The From addresses, domains or *.domain wildcards this server may send as;
    /// omitted: any From.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyCollection]
    [AllowEmptyString]
    public string[]? FromFilter { get; set; }

    /// <summary>Transactional (default) or Bulk.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateSet("Transactional", "Bulk", IgnoreCase = true)]
    public string? Category { get; set; }

    // The three DKIM parameters take empty values: in one CSV file some relays sign and others
    // do not, and an empty cell means "no DKIM" for that row rather than a binding error.

    /// <summary>The PEM private key file that DKIM-signs the profile's mail (RSA of 1024 bits or
    /// more, or Ed25519). Stored as its full path, never as the key itself.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    [AllowEmptyString]
    public string? DkimSigningKey { get; set; }

    /// <summary>The selector (s=) whose TXT record at &lt;selector&gt;._domainkey.&lt;domain&gt;
    /// publishes the public key; required with -DkimSigningKey.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    [AllowEmptyString]
    public string? DkimSelector { get; set; }

    /// <summary>The signing domain (d=); omitted: the From domain of each message, which aligns
    /// with From for DMARC.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    [AllowEmptyString]
    public string? DkimDomain { get; set; }

    /// <summary>Register the profile but do not use it yet.</summary>
    [Parameter]
    public SwitchParameter Disabled { get; set; }

    /// <summary>Replace a profile of the same name instead of failing.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }


    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        // The key is loaded here, before anything is touched, so an unusable key stops the
        // command with DkimKeyFileNotFound, InvalidDkimSigningKey or DkimKeyTooWeak; only its
        // full path is stored, which finds it again from any working folder.
        string? keyPath = null;
        string? keyText = Given(DkimSigningKey);
        if (keyText is not null)
        {
            keyPath = CheckDkimKey(keyText);
        }

        var settings = new RelayServerSettings
        {
            Name = Name,
            Server = Server,
            Port = Port,
            Security = ParseSecurity(Security),
            Priority = Priority,
            FromFilter = FromFilter,
            Category = ParseCategory(Category),
            Enabled = !Disabled.IsPresent,
            UserName = UserName,
            SecretName = SecretName,
            Credential = Credential?.GetNetworkCredential(),
            DkimSigningKey = keyPath,
            DkimSelector = Given(DkimSelector),
            DkimDomain = Given(DkimDomain),
        };

        // Refused before anything is touched: no store file for a password that cannot be kept.
        if (Credential is not null && RelayCredentialProtection.ForCurrentPlatform() is null)
        {
            WriteError(CreateRelayError(RelayCredentialProtection.Unavailable(Name), Name));
            return;
        }

        // Nothing, not even the store file, is touched before the user agreed (-WhatIf, -Confirm).
        if (!ShouldProcess(Name, $"Register relay server {Server} in {StorePath}"))
        {
            return;
        }

        RelayProfileStore profiles = GetProfiles(create: true)!;
        try
        {
            RelayServer profile = Await(profiles.RegisterAsync(settings, Force.IsPresent, CancellationToken));
            WriteVerbose($"Registered relay profile {profile} (security {profile.Security}, priority {profile.Priority}, category {profile.Category}, credential storage {profile.CredentialStorage}"
                + (profile.DkimSigningKey is null ? ")." : $", DKIM s={profile.DkimSelector} d={profile.DkimDomain ?? "(From domain)"} with {profile.DkimSigningKey})."));
            WriteObject(profile);
        }
        catch (RelayProfileException ex)
        {
            WriteError(CreateRelayError(ex, Name));
        }
        catch (MailOpsStoreException ex)
        {
            WriteError(CreateStoreError(ex, Name));
        }
    }

    /// <summary>A value as given, or null for an empty or blank one (an empty CSV cell).</summary>
    private static string? Given(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
}
