using System;
using MailOps.Core.Suppression;

namespace MailOps.Core.Relay;

/// <summary>What a From filter entry names.</summary>
public enum RelayFromFilterKind
{
    /// <summary>One address: <c>billing@contoso.com</c>.</summary>
    Address,

    /// <summary>One domain, exactly: <c>contoso.com</c> (not its subdomains). <c>@contoso.com</c>
    /// and <c>*@contoso.com</c> mean the same.</summary>
    Domain,

    /// <summary>Every subdomain of a domain, at any depth: <c>*.contoso.com</c> matches
    /// <c>news.contoso.com</c> and <c>eu.news.contoso.com</c>, not <c>contoso.com</c> itself.</summary>
    Subdomains,
}

/// <summary>
/// One entry of a relay profile's From filter: which senders the server may send as. A domain
/// matches that domain only, because a provider that lets <c>contoso.com</c> send rarely lets
/// every subdomain do so (and DMARC alignment for subdomains is a separate decision,
/// RFC 7489 3.1); <c>*.contoso.com</c> opts in to subdomains explicitly.
/// </summary>
/// <remarks>Domains compare in lower-case A-label form, so <c>bücher.example</c> and
/// <c>xn--bcher-kva.example</c> are one filter. Addresses compare without regard to case,
/// local part included: RFC 5321 2.4 lets only the receiving server interpret the local part,
/// but a permission to send must not hinge on the case a sender happened to type.</remarks>
public sealed class RelayFromFilter
{
    private RelayFromFilter(RelayFromFilterKind kind, string value)
    {
        Kind = kind;
        Value = value;
    }

    /// <summary>What the entry names.</summary>
    public RelayFromFilterKind Kind { get; }

    /// <summary>The normalised address or domain (for Subdomains the parent domain).</summary>
    public string Value { get; }

    /// <summary>Parses and normalises one filter entry, or says why it is not one.</summary>
    public static bool TryParse(string? text, out RelayFromFilter? filter, out string? error)
    {
        filter = null;
        string value = (text ?? string.Empty).Trim();
        if (value.Length > 1 && value[0] == '<' && value[value.Length - 1] == '>')
        {
            value = value.Substring(1, value.Length - 2).Trim();
        }

        if (value.Length == 0)
        {
            error = "A From filter entry is empty.";
            return false;
        }

        RelayFromFilterKind kind = RelayFromFilterKind.Domain;
        if (value.StartsWith("*@", StringComparison.Ordinal))
        {
            value = value.Substring(2);
        }
        else if (value.StartsWith("@", StringComparison.Ordinal))
        {
            value = value.Substring(1);
        }
        else if (value.StartsWith("*.", StringComparison.Ordinal))
        {
            value = value.Substring(2);
            kind = RelayFromFilterKind.Subdomains;
        }
        else if (value.IndexOf('@') >= 0)
        {
            if (value.IndexOf('*') >= 0)
            {
                error = $"The From filter '{text}' is not valid: wildcards are allowed only as *.domain or *@domain.";
                return false;
            }

            if (!SuppressionAddress.TryNormalize(value, out string address, out string? addressError))
            {
                error = $"The From filter '{text}' is not an address: {addressError}";
                return false;
            }

            filter = new RelayFromFilter(RelayFromFilterKind.Address, address);
            error = null;
            return true;
        }

        if (value.IndexOf('*') >= 0 || value.IndexOf('@') >= 0)
        {
            error = $"The From filter '{text}' is not valid: use an address, a domain, *.domain (its subdomains) or *@domain.";
            return false;
        }

        if (!DomainName.TryNormalize(value, out string domain, out string? domainError))
        {
            error = $"The From filter '{text}' is not a domain: {domainError}";
            return false;
        }

        filter = new RelayFromFilter(kind, domain);
        error = null;
        return true;
    }

    /// <summary>True when this entry lets the server send as <paramref name="mailbox"/>.</summary>
    public bool IsMatch(RelayMailbox mailbox)
    {
        if (mailbox is null)
        {
            throw new ArgumentNullException(nameof(mailbox));
        }

        return Kind switch
        {
            RelayFromFilterKind.Address => string.Equals(Value, mailbox.Address, StringComparison.OrdinalIgnoreCase),
            RelayFromFilterKind.Domain => string.Equals(Value, mailbox.Domain, StringComparison.Ordinal),
            _ => mailbox.Domain.EndsWith("." + Value, StringComparison.Ordinal),
        };
    }

    /// <summary>The normalised entry as stored and shown: <c>a@b.com</c>, <c>b.com</c> or <c>*.b.com</c>.</summary>
    public override string ToString() => Kind == RelayFromFilterKind.Subdomains ? "*." + Value : Value;
}
