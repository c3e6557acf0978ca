namespace MailOps;

/// <summary>ErrorIds of the relay profile cmdlets (Register-, Get-, Set-, Unregister-RelayServer,
/// Set-/Get-RelayDefault, Get-RelayRoute).</summary>
public static partial class ErrorIds
{
    /// <summary>Register-RelayServer: a profile of that name exists; use Set-RelayServer or
    /// -Force (ResourceExists).</summary>
    public const string RelayServerExists = "RelayServerExists";

    /// <summary>No relay profile has that name: Get-RelayServer without wildcards,
    /// Set-RelayServer, Unregister-RelayServer (ObjectNotFound).</summary>
    public const string RelayServerNotFound = "RelayServerNotFound";

    /// <summary>A -Credential was given but this platform cannot protect a stored password (DPAPI
    /// exists only on Windows); nothing was written. Give -SecretName or pass -Credential at send
    /// time (InvalidOperation).</summary>
    public const string CredentialStorageUnavailable = "CredentialStorageUnavailable";

    /// <summary>A relay profile setting is invalid: name, server, port, priority, From filter,
    /// or contradictory credential options (InvalidArgument).</summary>
    public const string InvalidRelayServerSetting = "InvalidRelayServerSetting";

    /// <summary>Set-RelayDefault: -DefaultFrom is not a local part or -DomainAlias not a domain
    /// (InvalidArgument).</summary>
    public const string InvalidRelayDefault = "InvalidRelayDefault";

    /// <summary>Get-RelayRoute: -From is not a mailbox (InvalidArgument); the other rows go on.</summary>
    public const string InvalidRelayFromAddress = "InvalidRelayFromAddress";
}
