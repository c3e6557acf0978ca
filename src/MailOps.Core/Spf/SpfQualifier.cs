namespace MailOps.Core.Spf;

/// <summary>
/// The result a directive yields when its mechanism matches (RFC 7208 section 4.6.2). The
/// qualifier is written before the mechanism: "+" (the default), "-", "~" or "?".
/// </summary>
public enum SpfQualifier
{
    /// <summary>"+": the client is authorized.</summary>
    Pass,

    /// <summary>"-": the client is explicitly not authorized.</summary>
    Fail,

    /// <summary>"~": probably not authorized; receivers should not reject on this alone.</summary>
    SoftFail,

    /// <summary>"?": the domain makes no assertion.</summary>
    Neutral,
}
