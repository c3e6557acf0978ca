using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace MailOps.Core.Dmarc;

/// <summary>
/// Reads DMARC record text strictly, tag by tag. The record is split at ";" into tag-specs and
/// each tag name is compared whole (RFC 7489 section 6.4, RFC 9989 section 4.8), so "sp=none"
/// never counts as p, and nothing is ever found by searching the text. Malformed values are
/// findings and fall back to the defaults, as receivers do (RFC 9989 section 4.7: "Syntax errors
/// in the remainder of the record MUST be discarded in favor of default values").
/// </summary>
public static class DmarcRecordParser
{
    /// <summary>The version tag value; case-sensitive (RFC 9989 section 4.8: %s"DMARC1").</summary>
    public const string Version = "DMARC1";

    /// <summary>True when <paramref name="text"/> starts with the tag v=DMARC1, the test
    /// receivers use to keep or discard a TXT record at a _dmarc name (RFC 7489 section 6.6.3).</summary>
    public static bool IsDmarcRecord(string? text)
    {
        if (text is null)
        {
            return false;
        }

        List<string> segments = SplitSegments(text);
        return segments.Count > 0 && IsVersionTag(segments[0], exact: true);
    }

    /// <summary>
    /// True for text that was probably meant as a DMARC record but that receivers ignore
    /// ("v=dmarc1", "p=reject; v=DMARC1", "v=DMARC2"), so the missing record can be explained.
    /// </summary>
    public static bool LooksLikeDmarc(string? text)
    {
        if (text is null || IsDmarcRecord(text))
        {
            return false;
        }

        foreach (string segment in SplitSegments(text))
        {
            if (IsVersionTag(segment, exact: false))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Parses <paramref name="text"/>. Under <see cref="DmarcDiscoveryMethod.TreeWalk"/> the
    /// tags RFC 9989 removed (pct, rf, ri) are reported and ignored; under
    /// <see cref="DmarcDiscoveryMethod.PublicSuffixList"/> they are validated as RFC 7489 says.
    /// </summary>
    public static DmarcParsedRecord Parse(string text, DmarcDiscoveryMethod method = DmarcDiscoveryMethod.TreeWalk)
    {
        if (text is null)
        {
            throw new ArgumentNullException(nameof(text));
        }

        var record = new DmarcParsedRecord(text, method);
        var findings = new List<Finding>();
        List<string> segments = SplitSegments(text);
        if (segments.Count == 0 || !IsVersionTag(segments[0], exact: true))
        {
            findings.Add(new Finding(
                FindingSeverity.Error,
                DmarcFindingCodes.DmarcVersionInvalid,
                "The record does not start with \"v=DMARC1\" (exactly, upper case), so receivers ignore it (RFC 7489 section 6.4). Put v=DMARC1 first.",
                segments.Count == 0 ? text : segments[0].Trim(' ', '\t')));
            record.Findings = findings.ToArray();
            return record;
        }

        record.IsDmarcRecord = true;
        var seen = new HashSet<string>(StringComparer.Ordinal) { "v" };
        bool policyPresent = false;
        bool policyValid = false;
        bool subdomainInvalid = false;
        bool nonexistentInvalid = false;
        bool failureOptionsGiven = false;
        bool percentageGiven = false;
        var aggregate = new List<DmarcReportUri>();
        var failure = new List<DmarcReportUri>();

        for (int i = 1; i < segments.Count; i++)
        {
            string spec = segments[i].Trim(' ', '\t');
            if (spec.Length == 0)
            {
                // "v=DMARC1; p=none;" ends with an empty spec: the grammar's optional last ";".
                continue;
            }

            int equals = spec.IndexOf('=');
            if (equals < 0)
            {
                findings.Add(Syntax($"'{spec}' is not a tag=value pair; receivers ignore it. Did you mean p={spec}?", spec));
                continue;
            }

            string name = spec.Substring(0, equals).Trim(' ', '\t');
            string value = spec.Substring(equals + 1).Trim(' ', '\t');
            if (!IsTagName(name))
            {
                findings.Add(Syntax($"'{spec}' has no valid tag name (letters only, RFC 9989 section 4.8).", spec));
                continue;
            }

            // Tag names are ABNF literals, which are case-insensitive (RFC 5234 section 2.3).
            string key = name.ToLowerInvariant();
            if (value.Length == 0)
            {
                findings.Add(Syntax($"The tag '{name}' has no value; receivers ignore it.", spec));
                continue;
            }

            if (IsKnownTag(key) && !seen.Add(key))
            {
                findings.Add(Syntax($"The tag '{key}' appears more than once; only the first one counts. Remove '{spec}'.", spec));
                continue;
            }

            switch (key)
            {
                case "p":
                    policyPresent = true;
                    if (TryParsePolicy(value, out DmarcPolicyKind p))
                    {
                        record.Policy = p;
                        policyValid = true;
                    }
                    else
                    {
                        findings.Add(Syntax($"p={value} is not none, quarantine or reject (abbreviations are not allowed).", spec));
                    }

                    break;
                case "sp":
                    if (TryParsePolicy(value, out DmarcPolicyKind sp))
                    {
                        record.SubdomainPolicy = sp;
                    }
                    else
                    {
                        subdomainInvalid = true;
                        findings.Add(Syntax($"sp={value} is not none, quarantine or reject.", spec));
                    }

                    break;
                case "np":
                    if (TryParsePolicy(value, out DmarcPolicyKind np))
                    {
                        record.NonexistentSubdomainPolicy = np;
                    }
                    else
                    {
                        nonexistentInvalid = true;
                        findings.Add(Syntax($"np={value} is not none, quarantine or reject.", spec));
                    }

                    break;
                case "adkim":
                case "aspf":
                    if (TryParseAlignment(value, out DmarcAlignment alignment))
                    {
                        if (key == "adkim")
                        {
                            record.DkimAlignment = alignment;
                        }
                        else
                        {
                            record.SpfAlignment = alignment;
                        }
                    }
                    else
                    {
                        findings.Add(Syntax($"{key}={value} is not r (relaxed) or s (strict); receivers use r.", spec));
                    }

                    break;
                case "fo":
                    failureOptionsGiven = true;
                    if (TryNormalizeFailureOptions(value, out string fo))
                    {
                        record.FailureOptions = fo;
                    }
                    else
                    {
                        findings.Add(Syntax($"fo={value} is not a ':'-separated list of 0, 1, d and s; receivers use 0.", spec));
                    }

                    break;
                case "psd":
                    switch (value.ToLowerInvariant())
                    {
                        case "y": record.PublicSuffixFlag = DmarcPublicSuffixFlag.Yes; break;
                        case "n": record.PublicSuffixFlag = DmarcPublicSuffixFlag.No; break;
                        case "u": record.PublicSuffixFlag = DmarcPublicSuffixFlag.Unspecified; break;
                        default: findings.Add(Syntax($"psd={value} is not y, n or u (RFC 9989 section 4.7).", spec)); break;
                    }

                    break;
                case "t":
                    switch (value.ToLowerInvariant())
                    {
                        case "y": record.Testing = true; break;
                        case "n": record.Testing = false; break;
                        default: findings.Add(Syntax($"t={value} is not y or n (RFC 9989 section 4.7).", spec)); break;
                    }

                    break;
                case "rua":
                    record.Rua = value;
                    ParseUriList(value, "rua", aggregate, findings);
                    break;
                case "ruf":
                    record.Ruf = value;
                    ParseUriList(value, "ruf", failure, findings);
                    break;
                case "pct":
                    percentageGiven = true;
                    bool validPct = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int pct) && pct >= 0 && pct <= 100 && value.Length <= 3;
                    if (validPct)
                    {
                        record.Percentage = pct;
                    }

                    if (method == DmarcDiscoveryMethod.TreeWalk)
                    {
                        findings.Add(Removed(key, spec));
                    }
                    else if (!validPct)
                    {
                        // RFC 7489 section 6.3: pct is an integer from 0 to 100.
                        findings.Add(Syntax($"pct={value} is not a whole number from 0 to 100; receivers use 100.", spec));
                    }

                    break;
                case "rf":
                    if (method == DmarcDiscoveryMethod.TreeWalk)
                    {
                        findings.Add(Removed(key, spec));
                    }
                    else if (!IsReportFormatList(value))
                    {
                        // RFC 7489 section 6.3: ':'-separated report formats; only afrf is registered.
                        findings.Add(Syntax($"rf={value} is not a ':'-separated list of report formats (afrf is the only one).", spec));
                    }

                    break;
                case "ri":
                    if (method == DmarcDiscoveryMethod.TreeWalk)
                    {
                        findings.Add(Removed(key, spec));
                    }
                    else if (!uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                    {
                        // RFC 7489 section 6.3: ri is a 32-bit unsigned number of seconds.
                        findings.Add(Syntax($"ri={value} is not a number of seconds (32-bit unsigned).", spec));
                    }

                    break;
                case "v":
                    findings.Add(Syntax("v= may only appear once, as the first tag.", spec));
                    break;
                default:
                    findings.Add(new Finding(
                        FindingSeverity.Warning,
                        DmarcFindingCodes.DmarcUnknownTag,
                        $"'{name}' is not a DMARC tag; receivers ignore it (RFC 9989 section 4.7). Check the spelling or remove it.",
                        spec));
                    break;
            }
        }

        record.HasGrammarErrors = findings.Any(f => f.Code == DmarcFindingCodes.DmarcSyntaxError);
        record.AggregateReportUri = aggregate.ToArray();
        record.FailureReportUri = failure.ToArray();
        record.HasValidPolicy = policyValid && !subdomainInvalid && !nonexistentInvalid;

        if (!record.HasValidPolicy)
        {
            // RFC 7489 section 6.6.3 and RFC 9989 section 4.10.1: no valid p (or an invalid sp/np)
            // means p=none when rua has a valid URI, and no DMARC processing otherwise.
            string what = !policyPresent ? "has no p tag" : !policyValid ? "has an invalid p tag" : "has an invalid sp or np tag";
            string consequence = record.FallsBackToNone
                ? "receivers act as if it said p=none, because rua holds a valid URI"
                : "receivers apply no DMARC policy at all (it has no valid rua either)";
            findings.Add(new Finding(
                FindingSeverity.Error,
                DmarcFindingCodes.DmarcPolicyMissing,
                $"The record {what}: {consequence}. Add p=none, p=quarantine or p=reject.",
                !policyPresent ? null : "p"));
        }

        if (record.HasValidPolicy && record.Policy is DmarcPolicyKind policy)
        {
            AddWeakerSubdomainFinding(findings, policy, record.SubdomainPolicy, "sp", "existing subdomains");
            AddWeakerSubdomainFinding(findings, policy, record.NonexistentSubdomainPolicy, "np", "non-existent subdomains");
        }

        if (percentageGiven && record.Percentage < 100)
        {
            findings.Add(new Finding(
                FindingSeverity.Warning,
                DmarcFindingCodes.DmarcPercentageBelow100,
                $"pct={record.Percentage}: RFC 7489 receivers apply the policy to only {record.Percentage}% of failing mail (section 6.3), and RFC 9989 removed pct, so receivers that follow it apply the policy to all failing mail. Use t=y to test instead, and remove pct.",
                "pct=" + record.Percentage.ToString(CultureInfo.InvariantCulture)));
        }

        if (record.Testing)
        {
            findings.Add(new Finding(
                FindingSeverity.Warning,
                DmarcFindingCodes.DmarcTestMode,
                "t=y asks receivers not to apply the policy yet (RFC 9989 section 4.7); remove it once the reports show that legitimate mail passes.",
                "t=y"));
        }

        if (record.Rua is null)
        {
            findings.Add(new Finding(
                FindingSeverity.Warning,
                DmarcFindingCodes.DmarcNoReportUri,
                "There is no rua tag, so receivers send no aggregate reports and you cannot see who sends mail as this domain. Add rua=mailto:<a mailbox you read>."));
        }

        if (failureOptionsGiven && record.Ruf is null)
        {
            findings.Add(new Finding(
                FindingSeverity.Info,
                DmarcFindingCodes.DmarcFailureOptionsIgnored,
                "fo only tells receivers when to send failure reports, and there is no ruf tag, so it has no effect (RFC 7489 section 6.3).",
                "fo"));
        }

        record.Findings = findings.ToArray();
        return record;
    }

    private static void AddWeakerSubdomainFinding(List<Finding> findings, DmarcPolicyKind policy, DmarcPolicyKind? subdomain, string tag, string who)
    {
        if (subdomain is DmarcPolicyKind value && value < policy)
        {
            findings.Add(new Finding(
                FindingSeverity.Warning,
                DmarcFindingCodes.DmarcSubdomainPolicyWeaker,
                $"{who} get {Lower(value)} while the domain has p={Lower(policy)}: spoofers can use them instead. Raise {tag} or remove it so p applies.",
                tag + "=" + Lower(value)));
        }
    }

    private static void ParseUriList(string value, string tag, List<DmarcReportUri> uris, List<Finding> findings)
    {
        // RFC 7489 section 6.4: dmarc-urilist = dmarc-uri *(*WSP "," *WSP dmarc-uri).
        foreach (string entry in value.Split(','))
        {
            string trimmed = entry.Trim(' ', '\t');
            if (!DmarcReportUri.TryParse(trimmed, out DmarcReportUri? uri, out string reason))
            {
                // Not a URI at all breaks the grammar (dmarc-uri = URI, RFC 7489 section 6.4).
                findings.Add(Syntax($"{tag}: {reason} Receivers cannot send reports there.", trimmed));
                continue;
            }

            uris.Add(uri!);
            if (uri!.Scheme != "mailto")
            {
                findings.Add(new Finding(
                    FindingSeverity.Warning,
                    DmarcFindingCodes.DmarcReportUriNotMailto,
                    $"{tag}: '{uri.Uri}' is not a mailto: URI; receivers only have to support mailto and ignore other schemes (RFC 7489 section 6.2). Use mailto:<address>.",
                    uri.Uri));
            }
            else if (uri.Address is null)
            {
                findings.Add(new Finding(
                    FindingSeverity.Warning,
                    DmarcFindingCodes.DmarcReportUriInvalid,
                    $"{tag}: '{uri.Uri}' holds no usable e-mail address, so receivers cannot send reports there. Write mailto:name@example.com.",
                    uri.Uri));
            }
        }
    }

    /// <summary>Splits at ";" (RFC 7489 section 6.4: dmarc-sep = *WSP ";" *WSP).</summary>
    private static List<string> SplitSegments(string text)
    {
        var segments = new List<string>(text.Split(';'));
        if (segments.Count == 1 && segments[0].Trim(' ', '\t').Length == 0)
        {
            segments.Clear();
        }

        return segments;
    }

    private static bool IsVersionTag(string segment, bool exact)
    {
        int equals = segment.IndexOf('=');
        if (equals < 0)
        {
            return false;
        }

        string name = segment.Substring(0, equals).Trim(' ', '\t');
        string value = segment.Substring(equals + 1).Trim(' ', '\t');
        if (!string.Equals(name, "v", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return exact
            ? string.Equals(value, Version, StringComparison.Ordinal)
            : value.StartsWith("DMARC", StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsTagName(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsKnownTag(string key)
    {
        switch (key)
        {
            case "p":
            case "sp":
            case "np":
            case "adkim":
            case "aspf":
            case "fo":
            case "psd":
            case "t":
            case "rua":
            case "ruf":
            case "pct":
            case "rf":
            case "ri":
                return true;
            default:
                return false;
        }
    }

    /// <summary>none, quarantine or reject, whole words (case-insensitive ABNF literals,
    /// RFC 5234 section 2.3); "p=n" is not accepted.</summary>
    internal static bool TryParsePolicy(string value, out DmarcPolicyKind policy)
    {
        switch (value.ToLowerInvariant())
        {
            case "none": policy = DmarcPolicyKind.None; return true;
            case "quarantine": policy = DmarcPolicyKind.Quarantine; return true;
            case "reject": policy = DmarcPolicyKind.Reject; return true;
            default: policy = DmarcPolicyKind.None; return false;
        }
    }

    private static bool TryParseAlignment(string value, out DmarcAlignment alignment)
    {
        switch (value.ToLowerInvariant())
        {
            case "r": alignment = DmarcAlignment.Relaxed; return true;
            case "s": alignment = DmarcAlignment.Strict; return true;
            default: alignment = DmarcAlignment.Relaxed; return false;
        }
    }

    /// <summary>Validates an fo value (RFC 7489 section 6.3: "0", "1", "d" or "s", several
    /// separated by ":") and returns it lower-cased without duplicates.</summary>
    public static bool TryNormalizeFailureOptions(string value, out string normalized)
    {
        var options = new List<string>();
        foreach (string part in value.Split(':'))
        {
            string option = part.Trim(' ', '\t').ToLowerInvariant();
            if (option != "0" && option != "1" && option != "d" && option != "s")
            {
                normalized = string.Empty;
                return false;
            }

            if (!options.Contains(option))
            {
                options.Add(option);
            }
        }

        normalized = string.Join(":", options);
        return true;
    }

    private static bool IsReportFormatList(string value)
    {
        foreach (string part in value.Split(':'))
        {
            if (!string.Equals(part.Trim(' ', '\t'), "afrf", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }

    private static Finding Syntax(string message, string term)
        => new Finding(FindingSeverity.Error, DmarcFindingCodes.DmarcSyntaxError, message, term);

    private static Finding Removed(string tag, string spec)
        => new Finding(
            FindingSeverity.Info,
            DmarcFindingCodes.DmarcRemovedTag,
            $"RFC 9989 removed the {tag} tag; receivers that follow it ignore it. Remove it{(tag == "pct" ? " (use t=y to test a policy)" : string.Empty)}.",
            spec);

    internal static string Lower(DmarcPolicyKind policy) => policy.ToString().ToLowerInvariant();
}
