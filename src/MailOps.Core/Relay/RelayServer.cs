using System;

namespace MailOps.Core.Relay;

/// <summary>
/// A relay profile: an outgoing SMTP server and the rules for when to use it. It carries no
/// password, ever: <see cref="CredentialStorage"/> says where the secret is kept, and only the
/// send path may ask the store to unprotect it.
/// </summary>
public sealed class RelayServer
{
    internal RelayServer(
        long id,
        string name,
        string server,
        int port,
        RelaySecurity security,
        int priority,
        string[] fromFilter,
        RelayCategory category,
        bool enabled,
        string? userName,
        RelayCredentialStorage credentialStorage,
        string? secretName,
        string? dkimSigningKey,
        string? dkimSelector,
        string? dkimDomain,
        DateTime createdAt,
        DateTime updatedAt)
    {
        Id = id;
        Name = name;
        Server = server;
        Port = port;
        Security = security;
        Priority = priority;
        FromFilter = fromFilter;
        Category = category;
        Enabled = enabled;
        UserName = userName;
        CredentialStorage = credentialStorage;
        SecretName = secretName;
        DkimSigningKey = dkimSigningKey;
        DkimSelector = dkimSelector;
        DkimDomain = dkimDomain;
        CreatedAt = createdAt;
        UpdatedAt = updatedAt;
    }

    /// <summary>The row id: the outbox refers to profiles by it, so a rename keeps its messages.</summary>
    internal long Id { get; }

    /// <summary>The profile name (unique, case-insensitive), what -RelayServer and -Name take.</summary>
    public string Name { get; }

    /// <summary>The SMTP server's host name (lower-case, A-label) or IP address.</summary>
    public string Server { get; }

    /// <summary>The TCP port.</summary>
    public int Port { get; }

    /// <summary>How the connection is secured.</summary>
    public RelaySecurity Security { get; }

    /// <summary>The order among matching profiles: the lowest number is tried first (as in MX
    /// preference, RFC 5321 5.1).</summary>
    public int Priority { get; }

    /// <summary>The From addresses this server may send as, normalised: exact addresses
    /// (<c>billing@contoso.com</c>), domains (<c>contoso.com</c>, that domain only) and
    /// subdomain wildcards (<c>*.contoso.com</c>). Empty: any From.</summary>
    public string[] FromFilter { get; }

    /// <summary>The kind of mail the profile carries.</summary>
    public RelayCategory Category { get; }

    /// <summary>False for a profile kept but not used (maintenance, a retired server).</summary>
    public bool Enabled { get; }

    /// <summary>The user name to authenticate with; null for anonymous relay or when the
    /// credential comes at send time.</summary>
    public string? UserName { get; }

    /// <summary>Where the secret lives (never the secret itself).</summary>
    public RelayCredentialStorage CredentialStorage { get; }

    /// <summary>The SecretManagement secret that holds the password, when
    /// <see cref="CredentialStorage"/> is SecretManagement.</summary>
    public string? SecretName { get; }

    /// <summary>
    /// The absolute path of the PEM private key that DKIM-signs the mail sent through this
    /// profile; null: the profile does not sign. Only the path is kept, never the key: the key
    /// is a secret and stays in its file, protected by file permissions. Send-RelayMail loads it
    /// when a message is queued, so a key rotated in place takes effect without re-registering.
    /// </summary>
    public string? DkimSigningKey { get; }

    /// <summary>The selector, s=: the public key is published at
    /// &lt;selector&gt;._domainkey.&lt;domain&gt; (RFC 6376 section 3.6.2.1). Set exactly when
    /// <see cref="DkimSigningKey"/> is.</summary>
    public string? DkimSelector { get; }

    /// <summary>The signing domain, d= (RFC 6376 section 3.5); null: the From domain of each
    /// message (after any From rewrite), so the signature aligns for DMARC (RFC 7489 section
    /// 3.1.1).</summary>
    public string? DkimDomain { get; }

    /// <summary>When the profile was registered (UTC).</summary>
    public DateTime CreatedAt { get; }

    /// <summary>When the profile was last changed (UTC).</summary>
    public DateTime UpdatedAt { get; }

    /// <summary>Server:port, the way logs and error messages show a relay.</summary>
    public override string ToString() => Name + " (" + Server + ":" + Port.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")";

    /// <summary>A profile for pure decision tests and for callers that hold profiles outside a
    /// store (a one-off -SmtpServer on Send-RelayMail). DKIM settings are validated as
    /// Register-RelayServer validates them: the key file must load.</summary>
    /// <exception cref="RelayProfileException">A setting is invalid (InvalidSetting).</exception>
    public static RelayServer Create(
        string name,
        string server,
        int port = 587,
        RelaySecurity security = RelaySecurity.Auto,
        int priority = RelayServerSettings.DefaultPriority,
        string[]? fromFilter = null,
        RelayCategory category = RelayCategory.Transactional,
        bool enabled = true,
        string? dkimSigningKey = null,
        string? dkimSelector = null,
        string? dkimDomain = null)
    {
        var settings = new RelayServerSettings
        {
            Name = name,
            Server = server,
            Port = port,
            Security = security,
            Priority = priority,
            FromFilter = fromFilter,
            Category = category,
            Enabled = enabled,
            DkimSigningKey = dkimSigningKey,
            DkimSelector = dkimSelector,
            DkimDomain = dkimDomain,
        };
        RelayServerSettings.Validated valid = settings.Validate(forRegister: true);
        DateTime now = Store.StoreTime.Truncate(DateTime.UtcNow);
        return new RelayServer(0, valid.Name!, valid.Server!, valid.Port!.Value, valid.Security!.Value, valid.Priority!.Value, valid.FromFilter!, valid.Category!.Value, valid.Enabled!.Value, null, RelayCredentialStorage.None, null, valid.DkimKeyPath, valid.DkimSelector, valid.DkimDomain, now, now);
    }
}
