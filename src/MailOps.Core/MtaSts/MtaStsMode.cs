namespace MailOps.Core.MtaSts;

/// <summary>The "mode" of an MTA-STS policy (RFC 8461 section 5).</summary>
public enum MtaStsMode
{
    /// <summary>Senders MUST NOT deliver to an MX that fails the policy (no valid TLS, or not listed).</summary>
    Enforce,

    /// <summary>Senders deliver anyway and only report failures (TLS-RPT, RFC 8460).</summary>
    Testing,

    /// <summary>No active policy: how a domain withdraws MTA-STS (RFC 8461 section 8.3).</summary>
    None,
}
