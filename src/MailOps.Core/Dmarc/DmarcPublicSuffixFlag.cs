namespace MailOps.Core.Dmarc;

/// <summary>The psd tag of RFC 9989 section 4.7: whether the record's domain is a Public Suffix Domain.</summary>
public enum DmarcPublicSuffixFlag
{
    /// <summary>"u" (the default, or no tag): an ordinary domain; the tree walk decides.</summary>
    Unspecified,

    /// <summary>"y": a Public Suffix Domain; the Organizational Domain is one label below it.</summary>
    Yes,

    /// <summary>"n": the domain is its own Organizational Domain (stops the tree walk).</summary>
    No,
}
