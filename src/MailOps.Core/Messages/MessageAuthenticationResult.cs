using System;
using System.Linq;

namespace MailOps.Core.Messages;

/// <summary>
/// One method result of an Authentication-Results header already in the message (RFC 8601
/// section 2.2), e.g. "dkim=pass header.d=contoso.com" as recorded by the server named in
/// <see cref="AuthServId"/>. Test-MailMessage reports them beside its own results, so a
/// difference between what a receiver saw and what is true now stands out.
/// </summary>
public sealed class MessageAuthenticationResult
{
    internal MessageAuthenticationResult(string authServId, string method, string? result, string? reason, AuthenticationResultProperty[] properties)
    {
        AuthServId = authServId;
        Method = method;
        Result = result;
        Reason = reason;
        Properties = properties;
    }

    /// <summary>The authserv-id: the receiving domain that evaluated and added the header.</summary>
    public string AuthServId { get; }

    /// <summary>The method (dkim, spf, dmarc, arc, ...), lower case.</summary>
    public string Method { get; }

    /// <summary>The result keyword as written (pass, fail, softfail, none, ...).</summary>
    public string? Result { get; }

    /// <summary>The reason= text, when given.</summary>
    public string? Reason { get; }

    /// <summary>The ptype.property=value items (smtp.mailfrom, header.d, header.from, ...).</summary>
    public AuthenticationResultProperty[] Properties { get; }

    /// <summary>The properties as one line, for CSV and tables.</summary>
    public string PropertyText => string.Join(" ", Properties.Select(p => p.ToString()));

    /// <inheritdoc />
    public override string ToString()
        => $"{AuthServId}: {Method}={Result}" + (Properties.Length == 0 ? string.Empty : " " + PropertyText);
}

/// <summary>One "ptype.property=value" item of an Authentication-Results method result (RFC 8601 section 2.3).</summary>
public sealed class AuthenticationResultProperty
{
    internal AuthenticationResultProperty(string type, string name, string value)
    {
        Type = type;
        Name = name;
        Value = value;
    }

    /// <summary>The ptype: smtp, header, body or policy.</summary>
    public string Type { get; }

    /// <summary>The property: mailfrom, helo, d, i, from, b, ...</summary>
    public string Name { get; }

    /// <summary>The value as written.</summary>
    public string Value { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Type}.{Name}={Value}";
}
