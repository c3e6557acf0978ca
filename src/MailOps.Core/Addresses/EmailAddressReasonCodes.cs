namespace MailOps.Core.Addresses;

/// <summary>
/// The stable codes that start each entry of <see cref="EmailAddressCheck.Reasons"/>
/// ("Code: text"). Scripts match on the code (<c>$_.Reasons -like 'LikelyTypo*'</c>) and
/// about_MailOps documents them, so a code is never renamed once released.
/// </summary>
public static class EmailAddressReasonCodes
{
    /// <summary>Invalid: the address is not an RFC 5321 section 4.1.2 Mailbox (the text says
    /// which rule it breaks).</summary>
    public const string SyntaxInvalid = "SyntaxInvalid";

    /// <summary>Invalid: the domain does not exist (NXDOMAIN); mail to it bounces.</summary>
    public const string DomainNotFound = "DomainNotFound";

    /// <summary>Invalid: the domain publishes a null MX ("0 .", RFC 7505): it accepts no mail.</summary>
    public const string NullMx = "NullMx";

    /// <summary>Invalid: the domain exists but has no MX and no A/AAAA record, so there is no
    /// host to deliver to (RFC 5321 section 5.1).</summary>
    public const string NoMailServer = "NoMailServer";

    /// <summary>Risky: the domain belongs to a disposable (throw-away) mailbox provider.</summary>
    public const string Disposable = "Disposable";

    /// <summary>Risky (Invalid when the domain also receives no mail): the domain looks like a
    /// typing mistake of a popular mail domain; <see cref="EmailAddressCheck.Suggestion"/> holds
    /// the likely intended address.</summary>
    public const string LikelyTypo = "LikelyTypo";

    /// <summary>Risky: the address is on the suppression list given with -StorePath (a past hard
    /// bounce, complaint or unsubscribe).</summary>
    public const string Suppressed = "Suppressed";

    /// <summary>Risky: the domain is an IP address literal ([192.0.2.1], RFC 5321 section
    /// 4.1.3); valid syntax, but most receivers refuse such mail.</summary>
    public const string AddressLiteral = "AddressLiteral";

    /// <summary>Unknown: the MX or address lookup of the domain failed (SERVFAIL, REFUSED,
    /// timeout); try again later or with another -Server.</summary>
    public const string DnsError = "DnsError";

    /// <summary>Unknown: DNS was not asked (-SkipDns), so whether the domain accepts mail is not
    /// known.</summary>
    public const string DnsSkipped = "DnsSkipped";
}
