namespace MailOps.Core.Bounces;

/// <summary>
/// The form a bounce came in. A standard DSN is read field by field; the others are read from
/// the wording their MTA is known to use, so an unknown wording yields no row rather than a
/// wrong one.
/// </summary>
public enum BounceFormat
{
    /// <summary>An RFC 3464 delivery status notification (multipart/report; report-type=
    /// delivery-status): Postfix, Exchange/Office 365, Gmail, Sendmail and most modern MTAs.</summary>
    Dsn,

    /// <summary>The text of an Exchange or Office 365 non-delivery report
    /// ("Delivery has failed to these recipients or groups").</summary>
    ExchangeNdr,

    /// <summary>The text of a Gmail "Delivery Status Notification".</summary>
    Gmail,

    /// <summary>The text of qmail-send ("Hi. This is the qmail-send program at ...").</summary>
    Qmail,

    /// <summary>The text of Exim ("This message was created automatically by mail delivery
    /// software").</summary>
    Exim,
}
