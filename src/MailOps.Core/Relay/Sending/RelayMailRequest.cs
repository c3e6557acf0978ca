using System;

namespace MailOps.Core.Relay;

/// <summary>
/// A message to send as the caller typed it: plain strings, so the cmdlet binds parameters
/// and pipeline rows without knowing MimeKit. <see cref="RelayMailComposer"/> validates it.
/// </summary>
public sealed class RelayMailRequest
{
    /// <summary>The From: <c>user@domain</c> or <c>Name &lt;user@domain&gt;</c>.</summary>
    public string From { get; set; } = string.Empty;

    /// <summary>The To recipients.</summary>
    public string[] To { get; set; } = Array.Empty<string>();

    /// <summary>The Cc recipients.</summary>
    public string[] Cc { get; set; } = Array.Empty<string>();

    /// <summary>The Bcc recipients: envelope only, never in a header.</summary>
    public string[] Bcc { get; set; } = Array.Empty<string>();

    /// <summary>Reply-To addresses given by the caller.</summary>
    public string[] ReplyTo { get; set; } = Array.Empty<string>();

    /// <summary>The subject.</summary>
    public string Subject { get; set; } = string.Empty;

    /// <summary>The body text (or HTML with <see cref="BodyAsHtml"/>).</summary>
    public string? Body { get; set; }

    /// <summary>True when <see cref="Body"/> is HTML.</summary>
    public bool BodyAsHtml { get; set; }

    /// <summary>Full paths of files to attach.</summary>
    public string[] Attachments { get; set; } = Array.Empty<string>();

    /// <summary>Normal, High or Low (the Importance/X-Priority headers).</summary>
    public string Priority { get; set; } = "Normal";
}
