using System;
using System.Collections.Generic;

namespace MailOps.Core.Relay;

/// <summary>How one message fared with the relays, before the outbox records it.</summary>
internal enum RelayAttemptOutcome
{
    Sent,
    Transient,
    Permanent,
}

/// <summary>The result of trying a message on the candidates (internal to the send path).</summary>
internal sealed class RelayAttempt
{
    public RelayAttemptOutcome Outcome { get; set; }

    public string? Server { get; set; }

    public string? Error { get; set; }

    public int? StatusCode { get; set; }

    public string? EnhancedStatusCode { get; set; }

    public List<string> Accepted { get; } = new List<string>();

    public List<RelayRecipientRejection> Rejected { get; } = new List<RelayRecipientRejection>();
}
