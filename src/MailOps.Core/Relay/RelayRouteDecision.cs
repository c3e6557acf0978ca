using System;

namespace MailOps.Core.Relay;

/// <summary>
/// Which relays a message goes through and with which From: the answer Send-RelayMail acts on
/// and Get-RelayRoute shows an admin before anything is sent.
/// </summary>
public sealed class RelayRouteDecision
{
    internal RelayRouteDecision(RelayCategory category, RelayServer[] candidates, string from, string originalFrom, bool fromRewritten, string? replyTo, string reason)
    {
        Category = category;
        Candidates = candidates;
        From = from;
        OriginalFrom = originalFrom;
        FromRewritten = fromRewritten;
        ReplyTo = replyTo;
        Reason = reason;
    }

    /// <summary>The From the message is sent with: the original, or the rewritten one.</summary>
    public string From { get; }

    /// <summary>The From as the caller gave it (normalised).</summary>
    public string OriginalFrom { get; }

    /// <summary>True when no profile could send as the original From and it was replaced by
    /// the default sender.</summary>
    public bool FromRewritten { get; }

    /// <summary>The Reply-To to add when the From was rewritten (the original sender, so
    /// replies still reach them); null otherwise.</summary>
    public string? ReplyTo { get; }

    /// <summary>The category the decision was made for.</summary>
    public RelayCategory Category { get; }

    /// <summary>The profiles to try, in order (lowest priority number first, then by name).</summary>
    public RelayServer[] Candidates { get; }

    /// <summary>The first candidate's name (null when there is none): binds to -RelayServer.</summary>
    public string? RelayServer => Candidates.Length == 0 ? null : Candidates[0].Name;

    /// <summary>True when there is at least one candidate.</summary>
    public bool CanSend => Candidates.Length > 0;

    /// <summary>Why these candidates and this From, in words an admin acts on; also the text of
    /// the warning Send-RelayMail writes when it rewrites.</summary>
    public string Reason { get; }
}
