namespace MailOps.Core.Smtp;

/// <summary>
/// Milliseconds spent per stage; null for a stage that did not run. A slow stage points at the
/// cause: a slow Connect at the network, a slow Ehlo at reverse DNS checks on the server.
/// </summary>
public sealed class SmtpStageTimings
{
    /// <summary>TCP connection and greeting.</summary>
    public double? ConnectMs { get; internal set; }

    /// <summary>TLS handshake (implicit or after STARTTLS).</summary>
    public double? TlsMs { get; internal set; }

    /// <summary>EHLO round trips.</summary>
    public double? EhloMs { get; internal set; }

    /// <summary>AUTH exchange.</summary>
    public double? AuthMs { get; internal set; }

    /// <summary>MAIL FROM round trip.</summary>
    public double? MailFromMs { get; internal set; }

    /// <summary>All RCPT TO round trips.</summary>
    public double? RcptToMs { get; internal set; }

    /// <summary>The whole test.</summary>
    public double TotalMs { get; internal set; }

    /// <summary>A compact summary.</summary>
    public override string ToString()
        => $"Connect={ConnectMs:0} Tls={TlsMs:0} Ehlo={EhloMs:0} Auth={AuthMs:0} MailFrom={MailFromMs:0} RcptTo={RcptToMs:0} Total={TotalMs:0}";
}
