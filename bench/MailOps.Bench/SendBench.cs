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
/// message (what a script calling an external tool does). The server logs no commands (Quiet):
/// that log is test instrumentation that a real relay would not make the client read.
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

        // Each sender first sends a warm-up batch that is not timed, so that every figure is
        // steady-state throughput rather than how long the JIT takes to compile each path. The
        // two are then timed in alternating rounds and the medians compared: on a small VM one
        // run varies by 20% or more, and alternating spreads that noise over both.
        int warmUp = int.Parse(Environment.GetEnvironmentVariable("WARMUP") ?? "3000");
        int rounds = int.Parse(Environment.GetEnvironmentVariable("ROUNDS") ?? "5");
        var floor = new List<double>();
        TimeSpan floorCpu = TimeSpan.Zero, relayCpu = TimeSpan.Zero;
        var relay = new List<double>();
        // One server for both, so that they differ only in the client.
        using (var floorServer = SmtpTestServer.Start(new SmtpTestServerOptions { Quiet = true }))
        using (var client = new SmtpClient())
        using (var host = new PowerShellHost())
        {
            // The floor: MailKit over one connection, nothing else.
            client.Connect("127.0.0.1", floorServer.Port, SecureSocketOptions.None);
            TimeSpan floorCold = MailKitLoop(client, warmUp);

            // Send-RelayMail: pipeline rows, one invocation, outbox + routing + connection reuse.
            string folder = Path.Combine(Path.GetTempPath(), "mailops-bench-" + Guid.NewGuid().ToString("N"));
            TimeSpan relayCold = SendRelayMail(host, floorServer, Path.Combine(folder, "warm-up.db"), warmUp);
            Report("MailKit loop, first run in a new process (JIT included)", warmUp, floorCold);
            Report("Send-RelayMail, first run in a new session (JIT included)", warmUp, relayCold);
            for (int round = 0; round < rounds; round++)
            {
                TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
                floor.Add(count / MailKitLoop(client, count).TotalSeconds);
                floorCpu += Process.GetCurrentProcess().TotalProcessorTime - cpu;
                cpu = Process.GetCurrentProcess().TotalProcessorTime;
                relay.Add(count / SendRelayMail(host, floorServer, Path.Combine(folder, $"round{round}.db"), count).TotalSeconds);
                relayCpu += Process.GetCurrentProcess().TotalProcessorTime - cpu;
            }

            client.Disconnect(true);
            Directory.Delete(folder, recursive: true);
        }

        double floorMedian = Median(floor);
        double relayMedian = Median(relay);
        Console.WriteLine($"| MailKit loop, one connection (floor) | {count:N0} x {rounds} | median of {string.Join(", ", floor.Select(r => r.ToString("N0")))} | {floorMedian:N0} |");
        Console.WriteLine($"| Send-RelayMail, one invocation (outbox, reused connection) | {count:N0} x {rounds} | median of {string.Join(", ", relay.Select(r => r.ToString("N0")))} | {relayMedian:N0} |");
        Console.WriteLine($"Send-RelayMail reaches {relayMedian / floorMedian:P0} of the floor (goal: 90%).");
        Console.WriteLine($"CPU of this process per message: floor {floorCpu.TotalMilliseconds / (count * rounds):0.00} ms, Send-RelayMail {relayCpu.TotalMilliseconds / (count * rounds):0.00} ms (the server runs in its own process).");

        // One swaks process per message.
        if (File.Exists("/usr/bin/swaks") && swaksCount > 0)
        {
            using var server = SmtpTestServer.Start(new SmtpTestServerOptions { Quiet = true });
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

    /// <summary>Pipes <paramref name="count"/> rows into one Send-RelayMail over a new store; the
    /// time covers the invocation only (rows are built before).</summary>
    private static TimeSpan SendRelayMail(PowerShellHost host, SmtpTestServer server, string store, int count)
    {
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

        return sw.Elapsed;
    }

    private static TimeSpan MailKitLoop(SmtpClient client, int count)
    {
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            client.Send(NewMessage(i));
        }

        return sw.Elapsed;
    }

    private static double Median(List<double> values)
    {
        double[] sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
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
