using System;
using System.Collections.Generic;

namespace MailOps.Core.Dmarc;

/// <summary>
/// Domains of big mailbox providers. Their users' addresses often end up as the From of mail
/// that a company relay sends (contact forms, scanners, "send on behalf"), and these domains
/// publish p=reject or p=quarantine: receivers refuse such mail because the relay is not
/// theirs. Small and built in on purpose; callers flag other domains with ThirdParty.
/// </summary>
internal static class DmarcMailboxProviders
{
    private static readonly HashSet<string> Domains = new HashSet<string>(StringComparer.Ordinal)
    {
        "aol.com", "aim.com",
        "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "yahoo.co.jp", "ymail.com", "rocketmail.com",
        "gmail.com", "googlemail.com",
        "outlook.com", "hotmail.com", "hotmail.co.uk", "hotmail.fr", "live.com", "msn.com",
        "icloud.com", "me.com", "mac.com",
        "comcast.net", "verizon.net", "att.net",
        "gmx.com", "gmx.net", "gmx.de", "web.de",
        "mail.ru", "yandex.ru", "yandex.com",
        "proton.me", "protonmail.com",
        "zoho.com",
    };

    /// <summary>True when <paramref name="domain"/> or one of its parents is on the list.</summary>
    public static bool Contains(string domain)
    {
        string name = domain;
        while (true)
        {
            if (Domains.Contains(name))
            {
                return true;
            }

            int dot = name.IndexOf('.');
            if (dot < 0)
            {
                return false;
            }

            name = name.Substring(dot + 1);
        }
    }
}
