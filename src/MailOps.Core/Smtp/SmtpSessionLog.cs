using System;
using System.Collections.Generic;
using System.Text;
using MailKit;

namespace MailOps.Core.Smtp;

/// <summary>
/// MailKit's protocol log turned into what the test needs: every command and reply line for
/// -Verbose (credentials masked), the greeting, the last reply (codes for the error) and the
/// EHLO keywords. It also tells the tester which command is in flight, which is how a failure
/// inside MailKit's combined connect (TLS, greeting, EHLO, STARTTLS) is put at the right stage.
/// </summary>
internal sealed class SmtpSessionLog : IProtocolLogger
{
    private readonly Action<string> write;
    private readonly StringBuilder pendingServer = new StringBuilder();
    private readonly List<string> replyLines = new List<string>();

    public SmtpSessionLog(Action<string> write) => this.write = write;

    /// <summary>Set by MailKit; not used because every line is masked while authenticating.</summary>
    public IAuthenticationSecretDetector? AuthenticationSecretDetector { get; set; }

    /// <summary>True while AUTH runs: client lines are then masked whole.</summary>
    public bool Authenticating { get; set; }

    /// <summary>The greeting, once received.</summary>
    public SmtpReply? Greeting { get; private set; }

    /// <summary>The most recent complete reply.</summary>
    public SmtpReply? LastReply { get; private set; }

    /// <summary>The most recent reply to EHLO.</summary>
    public SmtpReply? LastEhloReply { get; private set; }

    /// <summary>The verb of the last command sent (EHLO, STARTTLS, AUTH, ...).</summary>
    public string? LastCommand { get; private set; }

    /// <summary>Raised with the verb of each command as it is sent.</summary>
    public event Action<string>? CommandSent;

    /// <summary>Raised with each complete reply.</summary>
    public event Action<SmtpReply>? ReplyReceived;

    public void LogConnect(Uri uri) => write($"SMTP connected to {uri}");

    public void LogClient(byte[] buffer, int offset, int count)
    {
        string text = Encoding.UTF8.GetString(buffer, offset, count);
        foreach (string raw in text.Split(new[] { "\r\n" }, StringSplitOptions.RemoveEmptyEntries))
        {
            string line = raw;
            int space = line.IndexOf(' ');
            string verb = (space < 0 ? line : line.Substring(0, space)).ToUpperInvariant();
            if (Authenticating)
            {
                // RFC 4954 section 4: the initial response and every continuation carry the
                // credential (base64 is not encryption). Only "AUTH <mechanism>" is shown.
                if (verb == "AUTH")
                {
                    string[] parts = line.Split(' ');
                    line = parts.Length > 1 ? $"AUTH {parts[1]}{(parts.Length > 2 ? " ********" : string.Empty)}" : "AUTH";
                }
                else
                {
                    line = "********";
                    verb = "AUTH-DATA";
                }
            }

            if (verb != "AUTH-DATA")
            {
                LastCommand = verb;
                CommandSent?.Invoke(verb);
            }

            write("C: " + line);
        }
    }

    public void LogServer(byte[] buffer, int offset, int count)
    {
        pendingServer.Append(Encoding.UTF8.GetString(buffer, offset, count));
        string all = pendingServer.ToString();
        int end;
        while ((end = all.IndexOf("\r\n", StringComparison.Ordinal)) >= 0)
        {
            string line = all.Substring(0, end);
            all = all.Substring(end + 2);
            write("S: " + line);
            replyLines.Add(line);

            // RFC 5321 section 4.2.1: "NNN-" continues a reply, "NNN " (or a bare code) ends it.
            if (line.Length <= 3 || line[3] != '-')
            {
                SmtpReply? reply = SmtpReply.Parse(replyLines.ToArray());
                replyLines.Clear();
                if (reply is not null)
                {
                    Complete(reply);
                }
            }
        }

        pendingServer.Clear().Append(all);
    }

    private void Complete(SmtpReply reply)
    {
        if (Greeting is null)
        {
            Greeting = reply;
        }
        else if (LastCommand == "EHLO" && reply.Code == 250)
        {
            LastEhloReply = reply;
        }

        LastReply = reply;
        ReplyReceived?.Invoke(reply);
    }

    public void Dispose()
    {
    }
}
