namespace MailOps.Core.Addresses;

/// <summary>
/// An address split and checked by <see cref="EmailAddressSyntax"/>: either valid, with its parts
/// in the forms SMTP uses, or invalid with the rule it breaks. The parts found before the error
/// stay available, so a typo in the domain can still be suggested for a malformed address.
/// </summary>
public sealed class ParsedEmailAddress
{
    internal ParsedEmailAddress(string input)
    {
        Input = input;
    }

    /// <summary>The text as given (not trimmed).</summary>
    public string Input { get; }

    /// <summary>True when the address is an RFC 5321 section 4.1.2 Mailbox (with RFC 6531
    /// extensions).</summary>
    public bool IsValid => Error is null;

    /// <summary>Why the address is not valid, naming the rule; null when it is valid.</summary>
    public string? Error { get; internal set; }

    /// <summary>The local part as written (quotes kept); null when there is no "@".</summary>
    public string? LocalPart { get; internal set; }

    /// <summary>True when the local part is well-formed (even if the domain is not).</summary>
    public bool IsLocalPartValid { get; internal set; }

    /// <summary>The local part in its preferred form: unquoted when the quotes are not needed
    /// (RFC 5321 section 4.1.2 asks senders to prefer the dot-string form). Case is kept: local
    /// parts are case-sensitive (RFC 5321 section 2.4).</summary>
    public string? NormalizedLocalPart { get; internal set; }

    /// <summary>The domain as written (after the "@"); null when there is no "@".</summary>
    public string? DomainText { get; internal set; }

    /// <summary>The domain in lower-case A-label form (RFC 5890), or the normalized address
    /// literal ("[192.0.2.1]", "[IPv6:2001:db8::1]"); null while invalid.</summary>
    public string? Domain { get; internal set; }

    /// <summary>True when the domain is an address literal (RFC 5321 section 4.1.3).</summary>
    public bool IsAddressLiteral { get; internal set; }

    /// <summary>True when the local part or the domain contains non-ASCII characters (an
    /// internationalized address, RFC 6530).</summary>
    public bool IsInternational { get; internal set; }

    /// <summary>True when the local part is non-ASCII: only SMTPUTF8 servers (RFC 6531) can
    /// carry it. A U-label domain alone does not need it: it travels as its A-label.</summary>
    public bool RequiresSmtpUtf8 { get; internal set; }

    /// <summary><see cref="NormalizedLocalPart"/>@<see cref="Domain"/>; null while invalid.</summary>
    public string? Normalized { get; internal set; }
}
