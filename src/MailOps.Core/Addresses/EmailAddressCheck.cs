using System;

namespace MailOps.Core.Addresses;

/// <summary>
/// What Test-EmailAddress found for one address: flat scalars that export to CSV row by row
/// (Address, Verdict, Suggestion...) and the reasons behind the verdict. <see cref="Address"/>
/// and <see cref="Domain"/> carry the names other cmdlets bind from the pipeline.
/// </summary>
public sealed class EmailAddressCheck
{
    internal EmailAddressCheck(string address)
    {
        Address = address;
    }

    /// <summary>The address exactly as given.</summary>
    public string Address { get; }

    /// <summary>The address in the form to store and send to: trimmed, unneeded quotes removed,
    /// domain in lower-case A-label form, local part unchanged (it is case-sensitive, RFC 5321
    /// section 2.4). Null when the syntax is invalid.</summary>
    public string? Normalized { get; internal set; }

    /// <summary>The verdict: Valid, Invalid, Risky or Unknown.</summary>
    public EmailAddressVerdict Verdict { get; internal set; }

    /// <summary>True when the address is an RFC 5321 section 4.1.2 Mailbox (RFC 6531 allowed).</summary>
    public bool IsSyntaxValid { get; internal set; }

    /// <summary>The local part (before "@") as written; null when there is no "@".</summary>
    public string? LocalPart { get; internal set; }

    /// <summary>The domain in lower-case A-label form (or the address literal); null when the
    /// syntax is invalid.</summary>
    public string? Domain { get; internal set; }

    /// <summary>The likely intended full address ("anna@hotmail.com" for "anna@hotmial.com"),
    /// or null when the address does not look mistyped.</summary>
    public string? Suggestion { get; internal set; }

    /// <summary>True when the local part or domain has non-ASCII characters (RFC 6530).</summary>
    public bool IsInternational { get; internal set; }

    /// <summary>True when the local part is non-ASCII, so only SMTPUTF8 servers (RFC 6531) can
    /// deliver it.</summary>
    public bool RequiresSmtpUtf8 { get; internal set; }

    /// <summary>True when the domain is an IP address literal (RFC 5321 section 4.1.3).</summary>
    public bool IsAddressLiteral { get; internal set; }

    /// <summary>True when the domain publishes MX records (a null MX included); null when DNS
    /// was not asked or failed.</summary>
    public bool? HasMx { get; internal set; }

    /// <summary>True when the domain publishes a null MX (RFC 7505): it accepts no mail. Null
    /// when DNS was not asked or failed.</summary>
    public bool? IsNullMx { get; internal set; }

    /// <summary>True when some host accepts mail for the domain: an MX, or with no MX the
    /// domain's own A/AAAA address (the implicit MX, RFC 5321 section 5.1). False for a null MX,
    /// a missing domain or one without any address. Null when DNS was not asked or failed.</summary>
    public bool? AcceptsMail { get; internal set; }

    /// <summary>The MX hosts of the domain, most preferred first (empty without MX records).</summary>
    public string[] MailExchangers { get; internal set; } = Array.Empty<string>();

    /// <summary>True when the domain is a disposable (throw-away) mailbox provider.</summary>
    public bool IsDisposable { get; internal set; }

    /// <summary>True when the address is on the suppression list; null when no list was checked
    /// (no -StorePath).</summary>
    public bool? IsSuppressed { get; internal set; }

    /// <summary>Why the verdict is what it is: "Code: text" entries, the codes of
    /// <see cref="EmailAddressReasonCodes"/>. Empty for a Valid address.</summary>
    public string[] Reasons { get; internal set; } = Array.Empty<string>();

    /// <inheritdoc />
    public override string ToString() => $"{Address}: {Verdict}";
}
