using System.Security.Cryptography.X509Certificates;

namespace MailOps.TestSupport.Smtp;

/// <summary>
/// How a <see cref="SmtpTestServer"/> behaves: TLS (STARTTLS or implicit), AUTH, and scripted
/// replies for the failures a submission test must recognise.
/// </summary>
public sealed class SmtpTestServerOptions
{
    /// <summary>The name in the greeting and EHLO reply.</summary>
    public string Hostname { get; set; } = "mail.test";

    /// <summary>The certificate (with private key) for STARTTLS or implicit TLS.</summary>
    public X509Certificate2? Certificate { get; set; }

    /// <summary>Offer STARTTLS (needs <see cref="Certificate"/>).</summary>
    public bool StartTls { get; set; }

    /// <summary>Answer 530 to every command but EHLO/HELO/NOOP/QUIT/STARTTLS until STARTTLS.</summary>
    public bool RequireStartTls { get; set; }

    /// <summary>TLS from the first byte, as on port 465 (needs <see cref="Certificate"/>).</summary>
    public bool ImplicitTls { get; set; }

    /// <summary>Offer AUTH PLAIN/LOGIN and accept this user...</summary>
    public string? AuthUser { get; set; }

    /// <summary>...with this password.</summary>
    public string? AuthPassword { get; set; }

    /// <summary>Offer AUTH only over TLS.</summary>
    public bool AuthRequireTls { get; set; }

    /// <summary>Answer every AUTH with 535 5.7.8.</summary>
    public bool AuthFail { get; set; }

    /// <summary>The reply to MAIL FROM, e.g. "451 4.7.1 Greylisted"; null accepts.</summary>
    public string? MailReply { get; set; }

    /// <summary>The reply to every RCPT TO; null accepts.</summary>
    public string? RcptReply { get; set; }

    /// <summary>Per-recipient replies, e.g. ["x@other.example"] = "550 5.7.1 Relaying denied".</summary>
    public Dictionary<string, string> RejectRecipients { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Drop the connection when DATA arrives.</summary>
    public bool DropData { get; set; }

    /// <summary>Greet with 421 4.7.0 and hang up (busy / rate-limited server).</summary>
    public bool Greeting421 { get; set; }

    /// <summary>Keep every accepted message (see SmtpTestServer.ReceivedMessages) instead of
    /// discarding it.</summary>
    public bool SaveMessages { get; set; }

    /// <summary>Start in the failing state: MAIL FROM is answered with <see cref="FailReply"/>
    /// until SmtpTestServer.SetFailing(false).</summary>
    public bool StartFailing { get; set; }

    /// <summary>The reply to MAIL FROM while failing (a 4xx for "try later", a 5xx for "never").</summary>
    public string FailReply { get; set; } = "451 4.3.2 Temporarily unavailable, try again later";

    /// <summary>The fraction (0..1) of DATA commands that fail: half answered 451, half with the
    /// connection dropped, always before the message is kept.</summary>
    public double RandomFailureRate { get; set; }

    /// <summary>The seed of the random failures, so a failing run can be repeated.</summary>
    public int RandomSeed { get; set; } = 1;

    /// <summary>Log no command lines: for benchmarks, where reading the log would cost the
    /// client process CPU that a real relay never takes from it. Command assertions then see nothing.</summary>
    public bool Quiet { get; set; }
}
