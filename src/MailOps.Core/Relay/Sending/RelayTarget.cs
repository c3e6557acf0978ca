using System.Net;

namespace MailOps.Core.Relay;

/// <summary>
/// One server to try for a message: a relay profile, or the -SmtpServer given on the command
/// line. It holds the credential in memory only for the invocation; it is never output.
/// </summary>
public sealed class RelayTarget
{
    /// <summary>Creates a target.</summary>
    public RelayTarget(string name, string host, int port, RelaySecurity security, NetworkCredential? credential)
    {
        Name = name;
        Host = host;
        Port = port;
        Security = security;
        Credential = credential;
    }

    /// <summary>The profile name, or host:port for a one-off server: what results show as Server.</summary>
    public string Name { get; }

    /// <summary>The host name or IP address.</summary>
    public string Host { get; }

    /// <summary>The TCP port.</summary>
    public int Port { get; }

    /// <summary>How the connection is secured.</summary>
    public RelaySecurity Security { get; }

    /// <summary>The login, or null for anonymous relay.</summary>
    internal NetworkCredential? Credential { get; }

    /// <summary>The pool key: one connection per server, security and user.</summary>
    internal string Key => Host.ToLowerInvariant() + "|" + Port.ToString(System.Globalization.CultureInfo.InvariantCulture) + "|" + Security + "|" + (Credential?.UserName ?? string.Empty);
}
