using System.Diagnostics;
using System.Management.Automation;
using MailKit.Net.Smtp;
using MailKit.Security;
using MailOps.TestSupport.PowerShell;
using MailOps.TestSupport.Smtp;
using MimeKit;

/// <summary>
/// Send-RelayMail throughput: N messages piped into one invocation (one SMTP connection reused,
/// every message through the durable outbox) against a real aiosmtpd server on loopback, next
/// to the floor (a plain MailKit loop over one connection, no outbox) and one swaks process per
/// message (what a script calling an external tool does).
/// </summary>
internal static class SendBench
{
    public static int Run(string[] args)
    {
        int count = args.Length > 0 ? int.Parse(args[0]) : 1_000;
        int swaksCount = args.Length > 1 ? int.Parse(args[1]) : 200;
        Console.WriteLine($"Send bench: {count:N0} messages to aiosmtpd on loopback, {Environment.ProcessorCount} cores");
        Console.WriteLine("| Sender | messages | seconds | messages/s |");
        Console.WriteLine("|---|---:|---:|---:|");

        // The floor: MailKit over one connection, nothing else.
        using (var server = SmtpTestServer.Start(new SmtpTestServerOptions()))
        {
            var sw = Stopwatch.StartNew();
            using var client = new SmtpClient();
            client.Connect("127.0.0.1", server.Port, SecureSocketOptions.None);
            for (int i = 0; i < count; i++)
            {
                client.Send(NewMessage(i));
            }

            client.Disconnect(true);
            sw.Stop();
            Report("MailKit loop, one connection (floor)", count, sw.Elapsed);
        }

        // Send-RelayMail: pipeline rows, one invocation, outbox + routing + connection reuse.
        using (var server = SmtpTestServer.Start(new SmtpTestServerOptions()))
        using (var host = new PowerShellHost())
        {
            string store = Path.Combine(Path.GetTempPath(), "mailops-bench-" + Guid.NewGuid().ToString("N"), "mailops.db");
            host.Invoke("Register-RelayServer", new Dictionary<string, object?>
            {
                ["Name"] = "Local", ["Server"] = "127.0.0.1", ["Port"] = server.Port, ["Security"] = "None", ["Path"] = store, ["FromFilter"] = new[] { "contoso.example" },
            }).ThrowIfFailed();
            var rows = Enumerable.Range(0, count).Select(i =>
            {
                var row = new PSObject();
                row.Properties.Add(new PSNoteProperty("To", $"user{i}@fabrikam.example"));
                row.Properties.Add(new PSNoteProperty("Subject", $"Invoice {i}"));
                row.Properties.Add(new PSNoteProperty("Body", "Please find your invoice."));
                return (object?)row;
            }).ToList();
            var sw = Stopwatch.StartNew();
            var result = host.InvokeScript(
                "$n = 0; $input | Send-RelayMail -From billing@contoso.example -Path $store | ForEach-Object { if ($_.Status -eq 'Sent') { $n++ } }; $n",
                new Dictionary<string, object?> { ["store"] = store },
                rows);
            sw.Stop();
            result.ThrowIfFailed();
            int sent = (int)result.Single().BaseObject;
            if (sent != count)
            {
                throw new InvalidOperationException($"only {sent} of {count} sent");
            }

            Report("Send-RelayMail, one invocation (outbox, reused connection)", count, sw.Elapsed);
            Directory.Delete(Path.GetDirectoryName(store)!, recursive: true);
        }

        // One swaks process per message.
        if (File.Exists("/usr/bin/swaks") && swaksCount > 0)
        {
            using var server = SmtpTestServer.Start(new SmtpTestServerOptions());
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < swaksCount; i++)
            {
                var psi = new ProcessStartInfo("/usr/bin/swaks") { RedirectStandardOutput = true, RedirectStandardError = true };
                foreach (string a in new[] { "--server", "127.0.0.1", "--port", server.Port.ToString(), "--from", "billing@contoso.example", "--to", $"user{i}@fabrikam.example", "--header", $"Subject: Invoice {i}", "--body", "Please find your invoice.", "--silent", "2" })
                {
                    psi.ArgumentList.Add(a);
                }

                using var p = Process.Start(psi)!;
                p.StandardOutput.ReadToEnd();
                p.WaitForExit();
                if (p.ExitCode != 0)
                {
                    throw new InvalidOperationException("swaks failed: " + p.StandardError.ReadToEnd());
                }
            }

            sw.Stop();
            Report("swaks, one process per message", swaksCount, sw.Elapsed);
        }

        return 0;
    }

    private static MimeMessage NewMessage(int i)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("billing@contoso.example"));
        message.To.Add(MailboxAddress.Parse($"user{i}@fabrikam.example"));
        message.Subject = $"Invoice {i}";
        message.Body = new TextPart("plain") { Text = "Please find your invoice." };
        return message;
    }

    private static void Report(string name, int count, TimeSpan elapsed)
        => Console.WriteLine($"| {name} | {count:N0} | {elapsed.TotalSeconds:0.00} | {count / elapsed.TotalSeconds:N0} |");
}
