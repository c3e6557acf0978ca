using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using MailOps.Core.Relay.Signing;

namespace MailOps.Core.Relay;

/// <summary>
/// The settings of a relay profile as a caller gives them: for Register every unset value takes
/// its default, for Set every unset value keeps what the profile has. Validation and
/// normalisation happen in the store, in one place, before anything is written.
/// </summary>
public sealed class RelayServerSettings
{
    /// <summary>The priority of a profile registered without one: in the middle, so a more and
    /// a less preferred server can be added around it without renumbering.</summary>
    public const int DefaultPriority = 100;

    /// <summary>The largest priority accepted (the MX preference range, RFC 5321 5.1).</summary>
    public const int MaxPriority = 65535;

    /// <summary>The profile name (required to register).</summary>
    public string? Name { get; set; }

    /// <summary>The SMTP server's host name or IP address (required to register).</summary>
    public string? Server { get; set; }

    /// <summary>The TCP port; unset: 465 for SslOnConnect, 25 for None, else 587.</summary>
    public int? Port { get; set; }

    /// <summary>How the connection is secured; unset: Auto.</summary>
    public RelaySecurity? Security { get; set; }

    /// <summary>The order among matching profiles, lowest first; unset: <see cref="DefaultPriority"/>.</summary>
    public int? Priority { get; set; }

    /// <summary>The From addresses the server may send as; unset or empty: any. Entries may
    /// hold several filters separated by commas, semicolons or blanks (one CSV cell).</summary>
    public string[]? FromFilter { get; set; }

    /// <summary>The kind of mail; unset: Transactional.</summary>
    public RelayCategory? Category { get; set; }

    /// <summary>Whether the profile is used; unset: enabled.</summary>
    public bool? Enabled { get; set; }

    /// <summary>A user name stored without a password (the password comes at send time).</summary>
    public string? UserName { get; set; }

    /// <summary>A user name and password to keep under the platform's protection (DPAPI on
    /// Windows); refused where the platform has none.</summary>
    public NetworkCredential? Credential { get; set; }

    /// <summary>The name of a SecretManagement secret resolved at send time.</summary>
    public string? SecretName { get; set; }

    /// <summary>Forget any stored user name, password and secret name (Set only).</summary>
    public bool ClearCredential { get; set; }

    /// <summary>
    /// The absolute path of the PEM private key (RSA of at least 1024 bits, or Ed25519) that
    /// signs the profile's mail. Only the path is stored, never the key: a private key is a
    /// secret that stays in its own file, protected by file permissions. Needs
    /// <see cref="DkimSelector"/>; the key is loaded once here so a profile never holds a key
    /// that cannot sign.
    /// </summary>
    public string? DkimSigningKey { get; set; }

    /// <summary>The selector, s=, whose TXT record at &lt;selector&gt;._domainkey.&lt;domain&gt;
    /// publishes the public key (RFC 6376 section 3.1). Needs <see cref="DkimSigningKey"/>.</summary>
    public string? DkimSelector { get; set; }

    /// <summary>The signing domain, d= (RFC 6376 section 3.5); unset: the From domain of each
    /// message at send time, which is what DMARC alignment wants (RFC 7489 section 3.1.1).</summary>
    public string? DkimDomain { get; set; }

    /// <summary>Forget the DKIM key path, selector and domain: the profile stops signing (Set only).</summary>
    public bool ClearDkim { get; set; }

    /// <summary>The default port for a security mode (RFC 8314 3.3: 465 for implicit TLS;
    /// RFC 6409 3.1: 587 for submission; RFC 5321 4.5.4: 25 for relay).</summary>
    public static int DefaultPort(RelaySecurity security) => security switch
    {
        RelaySecurity.SslOnConnect => 465,
        RelaySecurity.None => 25,
        _ => 587,
    };

    /// <summary>Checks and normalises every value that is set.</summary>
    /// <exception cref="RelayProfileException">A value is not valid (InvalidSetting).</exception>
    internal Validated Validate(bool forRegister)
    {
        var v = new Validated();
        if (forRegister || Name is not null)
        {
            v.Name = ValidateName(Name);
        }

        if (Server is not null || forRegister)
        {
            v.Server = NormalizeServer(Server, Name);
        }

        v.Security = Security ?? (forRegister ? RelaySecurity.Auto : null);
        if (Port.HasValue && (Port.Value < 1 || Port.Value > 65535))
        {
            throw Invalid(Name, $"The port {Port.Value} is not a TCP port (1-65535).");
        }

        v.Port = Port ?? (forRegister ? DefaultPort(v.Security!.Value) : null);
        if (Priority.HasValue && (Priority.Value < 0 || Priority.Value > MaxPriority))
        {
            throw Invalid(Name, $"The priority {Priority.Value} is outside 0-{MaxPriority}.");
        }

        v.Priority = Priority ?? (forRegister ? DefaultPriority : null);
        if (FromFilter is not null || forRegister)
        {
            v.FromFilter = NormalizeFilters(FromFilter ?? Array.Empty<string>(), Name);
        }

        v.Category = Category ?? (forRegister ? RelayCategory.Transactional : null);
        v.Enabled = Enabled ?? (forRegister ? true : null);

        int secrets = (Credential is not null ? 1 : 0) + (string.IsNullOrWhiteSpace(SecretName) ? 0 : 1);
        if (secrets > 1)
        {
            throw Invalid(Name, "Give either a credential or a SecretManagement secret name, not both.");
        }

        if (ClearCredential && (secrets > 0 || !string.IsNullOrWhiteSpace(UserName)))
        {
            throw Invalid(Name, "Clearing the credential and setting a new one at once is contradictory.");
        }

        if (Credential is not null && string.IsNullOrWhiteSpace(Credential.UserName))
        {
            throw Invalid(Name, "The credential has no user name.");
        }

        v.UserName = string.IsNullOrWhiteSpace(UserName) ? null : UserName!.Trim();
        v.SecretName = string.IsNullOrWhiteSpace(SecretName) ? null : SecretName!.Trim();
        ValidateDkim(v);
        if (forRegister)
        {
            CheckDkimComplete(v.Name, v.DkimKeyPath, v.DkimSelector, v.DkimDomain);
        }

        return v;
    }

    /// <summary>
    /// Checks that a profile's DKIM settings, after a Register or the merge of a Set, can sign:
    /// a key needs a selector to be published under and a selector names some key, so one
    /// without the other is refused; a domain alone would sign with nothing.
    /// </summary>
    /// <exception cref="RelayProfileException">InvalidSetting.</exception>
    internal static void CheckDkimComplete(string? name, string? keyPath, string? selector, string? domain)
    {
        if (keyPath is not null && selector is null)
        {
            throw Invalid(name, "A DKIM signing key needs a selector (-DkimSelector): receivers fetch the public key from <selector>._domainkey.<domain> (RFC 6376 section 3.6.2.1).");
        }

        if (keyPath is null && selector is not null)
        {
            throw Invalid(name, $"The DKIM selector '{selector}' needs a signing key (-DkimSigningKey, the path of the PEM private key).");
        }

        if (keyPath is null && domain is not null)
        {
            throw Invalid(name, $"The DKIM domain '{domain}' needs a signing key and a selector (-DkimSigningKey, -DkimSelector).");
        }
    }

    private void ValidateDkim(Validated v)
    {
        bool anyDkim = DkimSigningKey is not null || DkimSelector is not null || DkimDomain is not null;
        if (ClearDkim && anyDkim)
        {
            throw Invalid(Name, "Clearing the DKIM settings and setting new ones at once is contradictory.");
        }

        if (DkimSelector is not null)
        {
            if (!Dkim.DkimSelector.TryNormalize(DkimSelector, out string selector, out string? error))
            {
                throw Invalid(Name, $"The DKIM selector is not valid: {error}");
            }

            v.DkimSelector = selector;
        }

        if (DkimDomain is not null)
        {
            // d= is a domain name (RFC 6376 section 3.5); Unicode becomes its A-label form.
            if (!DomainName.TryNormalize(DkimDomain, out string domain, out string? error))
            {
                throw Invalid(Name, $"The DKIM domain is not valid: {error}");
            }

            v.DkimDomain = domain;
        }

        if (DkimSigningKey is not null)
        {
            v.DkimKeyPath = ValidateKeyPath(DkimSigningKey, Name);
        }
    }

    /// <summary>
    /// The key path as stored: absolute, because a relative path would mean another file from
    /// another working folder (a scheduled task starts in System32), and loading, because a
    /// profile that cannot sign would fail every message it carries.
    /// </summary>
    private static string ValidateKeyPath(string keyPath, string? name)
    {
        string path = keyPath.Trim();
        if (!IsFullyQualified(path))
        {
            throw Invalid(name, $"The DKIM key path '{keyPath}' is not absolute. Give the full path of the PEM file, so the profile finds it from any working folder.");
        }

        try
        {
            Signing.DkimSigningKey.FromFile(path);
        }
        catch (FileNotFoundException)
        {
            throw Invalid(name, $"The DKIM key file '{path}' does not exist.");
        }
        catch (DkimSigningKeyException ex) when (ex.Reason == DkimSigningKeyError.TooWeak)
        {
            // RFC 8301 section 3.2: signers MUST use RSA keys of at least 1024 bits.
            throw Invalid(name, $"The DKIM key '{path}' is too weak: {ex.Message}");
        }
        catch (DkimSigningKeyException ex)
        {
            throw Invalid(name, $"The DKIM key '{path}' cannot sign: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is ArgumentException || ex is NotSupportedException)
        {
            throw Invalid(name, $"The DKIM key file '{path}' cannot be read: {ex.Message}");
        }

        return path;
    }

    // Path.IsPathFullyQualified is missing from netstandard2.0. "C:key.pem" and "\key.pem" are
    // rooted but still depend on the current drive, so Windows wants a drive and a separator
    // or a UNC/device path.
    private static bool IsFullyQualified(string path)
    {
        if (Path.DirectorySeparatorChar == '/')
        {
            return path.Length > 0 && path[0] == '/';
        }

        bool IsSeparator(char c) => c == '\\' || c == '/';
        if (path.Length >= 2 && IsSeparator(path[0]) && IsSeparator(path[1]))
        {
            return true;
        }

        return path.Length >= 3 && char.IsLetter(path[0]) && path[1] == ':' && IsSeparator(path[2]);
    }

    /// <summary>A profile name: not empty, no wildcard characters (Get-RelayServer takes
    /// wildcards, so a name with them could not be asked for alone), no control characters.</summary>
    internal static string ValidateName(string? name)
    {
        string text = (name ?? string.Empty).Trim();
        if (text.Length == 0)
        {
            throw Invalid(name, "A relay profile needs a name.");
        }

        if (text.Length > 128)
        {
            throw Invalid(name, "A relay profile name has at most 128 characters.");
        }

        foreach (char c in text)
        {
            if (c == '*' || c == '?' || c == '[' || c == ']' || char.IsControl(c))
            {
                throw Invalid(name, $"The relay profile name '{text}' contains '{c}': names may not hold wildcard or control characters.");
            }
        }

        return text;
    }

    private static string NormalizeServer(string? server, string? name)
    {
        string text = (server ?? string.Empty).Trim();
        if (text.Length == 0)
        {
            throw Invalid(name, "A relay profile needs a server (host name or IP address).");
        }

        // [2001:db8::1] as written in URLs and address literals (RFC 5321 4.1.3).
        string bare = text.Length > 2 && text[0] == '[' && text[text.Length - 1] == ']' ? text.Substring(1, text.Length - 2) : text;
        if (IPAddress.TryParse(bare, out IPAddress? address) && (bare.IndexOf(':') >= 0 || bare.Split('.').Length == 4))
        {
            return address!.ToString();
        }

        // Intranet relays are often known by a single label ("smtp01", "localhost"); DomainName
        // wants a dot, so a single label is checked against the same LDH rule (RFC 1123 2.1).
        if (text.IndexOf('.') < 0)
        {
            string label = text.ToLowerInvariant();
            foreach (char c in label)
            {
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
                {
                    throw Invalid(name, $"'{text}' is not a host name or IP address.");
                }
            }

            if (label[0] == '-' || label[label.Length - 1] == '-' || label.Length > 63)
            {
                throw Invalid(name, $"'{text}' is not a host name or IP address.");
            }

            return label;
        }

        if (!DomainName.TryNormalize(text, out string host, out string? error))
        {
            throw Invalid(name, $"'{text}' is not a host name or IP address: {error}");
        }

        return host;
    }

    private static string[] NormalizeFilters(IEnumerable<string> filters, string? name)
    {
        var result = new List<string>();
        foreach (string entry in filters)
        {
            if (entry is null)
            {
                continue;
            }

            foreach (string part in entry.Split(new[] { ',', ';', ' ', '\t', '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries))
            {
                if (!RelayFromFilter.TryParse(part, out RelayFromFilter? filter, out string? error))
                {
                    throw Invalid(name, error!);
                }

                string text = filter!.ToString();
                if (!result.Exists(existing => string.Equals(existing, text, StringComparison.OrdinalIgnoreCase)))
                {
                    result.Add(text);
                }
            }
        }

        return result.ToArray();
    }

    private static RelayProfileException Invalid(string? name, string message)
        => new RelayProfileException(RelayProfileErrorKind.InvalidSetting, name, message);

    /// <summary>The normalised values; null where a Set leaves the profile's value.</summary>
    internal sealed class Validated
    {
        public string? Name { get; set; }

        public string? Server { get; set; }

        public int? Port { get; set; }

        public RelaySecurity? Security { get; set; }

        public int? Priority { get; set; }

        public string[]? FromFilter { get; set; }

        public RelayCategory? Category { get; set; }

        public bool? Enabled { get; set; }

        public string? UserName { get; set; }

        public string? SecretName { get; set; }

        public string? DkimKeyPath { get; set; }

        public string? DkimSelector { get; set; }

        public string? DkimDomain { get; set; }
    }

    /// <summary>Formats a number the invariant way, for messages.</summary>
    internal static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
