namespace MailOps.Core.Spf;

/// <summary>The results check_host() can return (RFC 7208 section 2.6).</summary>
public enum SpfResult
{
    /// <summary>No SPF record was found, or the domain is not a valid name (section 2.6.1).</summary>
    None,

    /// <summary>The domain makes no assertion about the client (section 2.6.2).</summary>
    Neutral,

    /// <summary>The client is authorized to use the domain (section 2.6.3).</summary>
    Pass,

    /// <summary>The client is explicitly not authorized (section 2.6.4).</summary>
    Fail,

    /// <summary>The client is probably not authorized (section 2.6.5).</summary>
    SoftFail,

    /// <summary>A transient DNS error; a later retry may succeed (section 2.6.6).</summary>
    TempError,

    /// <summary>The published records could not be interpreted; an admin must fix them (section 2.6.7).</summary>
    PermError,
}
