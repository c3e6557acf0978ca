using System;
using MailOps.Core.Suppression;
using MimeKit;

namespace MailOps.Core.Relay;

/// <summary>
/// A From mailbox as the route decision sees it: the display name kept as given, the address
/// normalised (domain in lower-case A-label form) for matching.
/// </summary>
public sealed class RelayMailbox
{
    private RelayMailbox(string? displayName, string address)
    {
        DisplayName = displayName;
        Address = address;
        Domain = SuppressionAddress.DomainOf(address);
    }

    /// <summary>The display name ("Contoso Billing"); null when there is none.</summary>
    public string? DisplayName { get; }

    /// <summary>The address, local part as given, domain normalised.</summary>
    public string Address { get; }

    /// <summary>The domain of <see cref="Address"/>, lower-case A-label.</summary>
    public string Domain { get; }

    /// <summary>
    /// Parses <c>user@domain</c>, <c>&lt;user@domain&gt;</c> or <c>Name &lt;user@domain&gt;</c>
    /// (RFC 5322 3.4 name-addr, quoted names and encoded words included).
    /// </summary>
    public static bool TryParse(string? text, out RelayMailbox? mailbox, out string? error)
    {
        mailbox = null;
        string value = (text ?? string.Empty).Trim();
        if (value.Length == 0)
        {
            error = "The From address is empty.";
            return false;
        }

        // Header injection: a From with CR or LF could smuggle headers (RFC 5322 2.2 forbids
        // them outside folding, and a typed value has no business folding).
        foreach (char c in value)
        {
            if (char.IsControl(c))
            {
                error = $"The From address '{Printable(value)}' contains a control character (CR, LF or similar).";
                return false;
            }
        }

        string? name = null;
        string addressText = value;
        if (value.IndexOf('<') >= 0)
        {
            if (!MailboxAddress.TryParse(ParserOptions.Default, value, out MailboxAddress? parsed) || parsed is null)
            {
                error = $"'{value}' is not a mailbox (expected user@domain or Name <user@domain>).";
                return false;
            }

            name = string.IsNullOrWhiteSpace(parsed.Name) ? null : parsed.Name!.Trim();
            addressText = parsed.Address;
        }

        if (!SuppressionAddress.TryNormalize(addressText, out string address, out string? addressError))
        {
            error = addressError;
            return false;
        }

        mailbox = new RelayMailbox(name, address);
        error = null;
        return true;
    }

    /// <summary>The same display name at another address (the From rewrite).</summary>
    public RelayMailbox WithAddress(string normalizedAddress) => new RelayMailbox(DisplayName, normalizedAddress);

    /// <summary>The mailbox as a header value: <c>"Name" &lt;a@b&gt;</c>, or the bare address
    /// when there is no display name. The name is always a quoted-string (RFC 5322 3.2.4, with
    /// \ and " escaped), the domain stays in A-label form so no SMTPUTF8 is needed for it.</summary>
    public override string ToString()
        => DisplayName is null
            ? Address
            : "\"" + DisplayName.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\" <" + Address + ">";

    private static string Printable(string value) => value.Replace("\r", "\\r").Replace("\n", "\\n");
}
