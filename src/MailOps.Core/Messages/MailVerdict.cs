namespace MailOps.Core.Messages;

/// <summary>
/// The overall judgement of Test-MailMessage: will a receiver that applies DMARC accept this
/// message as authentic? A closed set so that scripts can filter on it and CSV exports stay flat.
/// </summary>
public enum MailVerdict
{
    /// <summary>DMARC passes and no finding has severity Error.</summary>
    Pass,

    /// <summary>Neither clearly passing nor clearly failing: no DMARC policy, p=none, a
    /// temporary error, or an Error finding about the headers.</summary>
    Warning,

    /// <summary>DMARC fails under p=quarantine or p=reject, or both DKIM and SPF fail: receivers
    /// will junk or refuse the message.</summary>
    Fail,
}
