namespace MailOps.Core.Reports;

/// <summary>
/// One DKIM or SPF result from a record's auth_results (RFC 7489 appendix C
/// DKIMAuthResultType and SPFAuthResultType; RFC 9990 section 3): the domain that was
/// authenticated, the raw result, and whether that domain is aligned with the From domain.
/// </summary>
public sealed class DmarcAuthResult
{
    internal DmarcAuthResult(string? domain, string? result, string? selector, string? scope, string? humanResult)
    {
        Domain = domain;
        Result = result;
        Selector = selector;
        Scope = scope;
        HumanResult = humanResult;
    }

    /// <summary>The DKIM d= domain or the SPF domain checked (lower case).</summary>
    public string? Domain { get; }

    /// <summary>The result, lower case: pass, fail, softfail, neutral, none, temperror,
    /// permerror, policy.</summary>
    public string? Result { get; }

    /// <summary>The DKIM selector (s=), or null for SPF and reports that omit it.</summary>
    public string? Selector { get; }

    /// <summary>The SPF scope (mfrom or helo), when the report gives it.</summary>
    public string? Scope { get; }

    /// <summary>The reporter's free-text comment, when given.</summary>
    public string? HumanResult { get; }

    /// <summary>True when <see cref="Domain"/> is aligned with the row's HeaderFrom under the
    /// published adkim/aspf mode (RFC 7489 section 3.1).</summary>
    public bool Aligned { get; internal set; }

    /// <summary>True for a result of "pass".</summary>
    public bool Passed => Result == "pass";

    /// <inheritdoc />
    public override string ToString() => Selector is null ? $"{Domain}={Result}" : $"{Domain} ({Selector})={Result}";
}
