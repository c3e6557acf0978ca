using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using MailOps.TestSupport.Https;
using MailOps.TestSupport.PowerShell;
using MailOps.TestSupport.Smtp;

namespace MailOps.PowerShell.Tests;

/// <summary>Send-RelayMail through hosted PowerShell against real SMTP servers on loopback,
/// each test with its own store, profiles and servers.</summary>
public sealed class SendRelayMailTests : IClassFixture<SendFixture>
{
    private readonly SendFixture f;
    private readonly string store;

    public SendRelayMailTests(SendFixture fixture)
    {
        f = fixture;
        store = fixture.NewStorePath();
    }

    private static Dictionary<string, object?> Mail(string from = "billing@contoso.example", string to = "carol@fabrikam.example", string subject = "Invoice 42", string body = "Please find your invoice.")
        => new() { ["From"] = from, ["To"] = new[] { to }, ["Subject"] = subject, ["Body"] = body };

    private static string[] Verbs(SmtpTestServer server) => server.Commands.Select(c => c.Verb).ToArray();

    [Fact]
    public void Message_sent_through_a_profile_arrives_with_its_content_and_is_reported_Sent()
    {
        SmtpTestServer server = f.StartServer();
        f.Register(store, "Office", server.Port, 10, "Transactional", "contoso.example");

        var r = f.Send(store, Mail());

        r.ThrowIfFailed();
        var result = r.Single();
        Assert.Equal("MailOps.Core.Relay.RelaySendResult", result.BaseObject.GetType().FullName);
        Assert.Equal("Sent", result.Str("Status"));
        Assert.Equal("Office", result.Str("Server"));
        Assert.Equal(new[] { "carol@fabrikam.example" }, (string[])result.Prop("AcceptedRecipients")!);
        Assert.False((bool)result.Prop("FromRewritten")!);
        Assert.NotNull(result.Prop("OutboxId"));
        Assert.Equal(1, (int)result.Prop("Attempts")!);
        Assert.Contains("MAIL", Verbs(server));
        Assert.Contains("RCPT", Verbs(server));
        Assert.Contains("DATA", Verbs(server));
        Assert.Equal("<billing@contoso.example>", server.Commands.First(c => c.Verb == "MAIL").Argument.Split(' ')[0].Substring(5));
        string received = Assert.Single(server.ReceivedMessages);
        Assert.Contains("Subject: Invoice 42", received);
        Assert.Contains("Please find your invoice.", received);
        Assert.Contains("Message-Id: <" + result.Str("MessageId") + ">", received, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Second_profile_is_used_when_the_first_refuses_the_connection()
    {
        SmtpTestServer backup = f.StartServer();
        f.Register(store, "Primary", f.ClosedPort, 10, "Transactional", "contoso.example");
        f.Register(store, "Backup", backup.Port, 20, "Transactional", "contoso.example");

        var r = f.Send(store, Mail());

        r.ThrowIfFailed();
        var result = r.Single();
        Assert.Equal("Sent", result.Str("Status"));
        Assert.Equal("Backup", result.Str("Server"));
        Assert.Single(backup.ReceivedMessages);
    }

    [Fact]
    public void From_no_profile_may_send_as_is_rewritten_to_the_default_sender_with_Reply_To_and_a_warning()
    {
        SmtpTestServer server = f.StartServer();
        f.Register(store, "Office", server.Port, 10, "Transactional", "contoso.example");
        f.Host.Invoke("Set-RelayDefault", new Dictionary<string, object?> { ["DefaultFrom"] = "noreply", ["DomainAlias"] = "contoso.example", ["Path"] = store }).ThrowIfFailed();

        var r = f.Send(store, Mail(from: "Bob Smith <bob@partner.example>"));

        r.ThrowIfFailed();
        var result = r.Single();
        Assert.Equal("Sent", result.Str("Status"));
        Assert.True((bool)result.Prop("FromRewritten")!);
        Assert.Contains("noreply@contoso.example", result.Str("From"));
        Assert.Contains("bob@partner.example", result.Str("OriginalFrom"));
        Assert.Contains(r.Warnings, w => w.Contains("rewritten", StringComparison.OrdinalIgnoreCase));
        string received = Assert.Single(server.ReceivedMessages);
        Assert.Contains("From: Bob Smith <noreply@contoso.example>", received);
        Assert.Contains("Reply-To: Bob Smith <bob@partner.example>", received);
        Assert.Contains("MAIL FROM:<noreply@contoso.example>", "MAIL " + server.Commands.First(c => c.Verb == "MAIL").Argument);
    }

    [Fact]
    public void Bulk_category_goes_through_the_bulk_profile_only()
    {
        SmtpTestServer transactional = f.StartServer();
        SmtpTestServer bulk = f.StartServer();
        f.Register(store, "Office", transactional.Port, 10, "Transactional");
        f.Register(store, "Newsletter", bulk.Port, 10, "Bulk");
        var p = Mail(subject: "News");
        p["Category"] = "Bulk";

        var r = f.Send(store, p);

        r.ThrowIfFailed();
        Assert.Equal("Newsletter", r.Single().Str("Server"));
        Assert.Equal("Bulk", r.Single().Str("Category"));
        Assert.Single(bulk.ReceivedMessages);
        Assert.Empty(transactional.Commands);
    }

    [Fact]
    public void Permanent_5xx_reply_makes_the_message_Failed_with_codes_and_an_error_record()
    {
        SmtpTestServer server = f.StartServer(new SmtpTestServerOptions { StartFailing = true, FailReply = "550 5.7.1 Sender not allowed" });
        f.Register(store, "Office", server.Port);

        var r = f.Send(store, Mail());

        var result = Assert.Single(r.Output);
        Assert.Equal("Failed", result.Str("Status"));
        Assert.Equal(550, (int)result.Prop("StatusCode")!);
        Assert.Equal("5.7.1", result.Str("EnhancedStatusCode"));
        var error = Assert.Single(r.Errors);
        Assert.Equal("RelaySendFailed", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.ProtocolError, error.CategoryInfo.Category);
        var queued = f.Host.Invoke("Get-RelayMessage", new Dictionary<string, object?> { ["Id"] = new[] { (long)result.Prop("OutboxId")! }, ["Path"] = store });
        Assert.Equal("Failed", queued.Single().Str("Status"));
        Assert.Empty(server.ReceivedMessages);
    }

    [Theory]
    [InlineData("Subject", "Hello\r\nBcc: victim@evil.example")]
    [InlineData("From", "billing@contoso.example\nBcc: victim@evil.example")]
    [InlineData("To", "carol@fabrikam.example\r\nX-Injected: 1")]
    [InlineData("ReplyTo", "help@contoso.example\rX-Injected: 1")]
    public void Line_break_in_a_header_value_is_refused_and_nothing_is_queued_or_sent(string parameter, string value)
    {
        SmtpTestServer server = f.StartServer();
        f.Register(store, "Office", server.Port);
        var p = Mail();
        p[parameter] = parameter is "To" or "ReplyTo" ? new[] { value } : value;

        var r = f.Send(store, p);

        Assert.Empty(r.Output);
        var error = Assert.Single(r.Errors);
        Assert.Equal("HeaderInjection", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Empty(server.Commands);
        Assert.Empty(f.Host.Invoke("Get-RelayMessage", new Dictionary<string, object?> { ["Path"] = store }).Output);
    }

    [Fact]
    public void WhatIf_sends_nothing_and_writes_no_store()
    {
        SmtpTestServer server = f.StartServer();
        var p = Mail();
        p["SmtpServer"] = "127.0.0.1";
        p["Port"] = server.Port;
        p["Security"] = "None";
        p["WhatIf"] = true;

        var r = f.Send(store, p);

        Assert.Empty(r.Errors);
        Assert.Empty(r.Output);
        Assert.Empty(server.Commands);
        Assert.False(File.Exists(store));
        Assert.False(Directory.Exists(Path.GetDirectoryName(store)));
    }

    [Fact]
    public void Pipeline_of_twenty_csv_rows_goes_over_one_SMTP_session()
    {
        SmtpTestServer server = f.StartServer();
        f.Register(store, "Office", server.Port);
        var rows = Enumerable.Range(1, 20).Select(i =>
        {
            var row = new PSObject();
            row.Properties.Add(new PSNoteProperty("To", $"user{i}@fabrikam.example"));
            row.Properties.Add(new PSNoteProperty("Subject", $"Row {i}"));
            row.Properties.Add(new PSNoteProperty("Body", $"Body {i}"));
            return (object?)row;
        }).ToArray();

        var r = f.Send(store, new() { ["From"] = "billing@contoso.example" }, rows);

        r.ThrowIfFailed();
        Assert.Equal(20, r.Output.Count);
        Assert.All(r.Output, o => Assert.Equal("Sent", o.Str("Status")));
        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"user{i}@fabrikam.example"), r.Output.Select(o => ((string[])o.Prop("AcceptedRecipients")!)[0]));
        Assert.Single(server.Commands.Select(c => c.Session).Distinct());
        Assert.Single(server.Commands, c => c.Verb == "EHLO");
        Assert.Equal(20, server.Commands.Count(c => c.Verb == "DATA"));
        Assert.Equal(20, server.ReceivedMessages.Count);
    }

    [Fact]
    public void Suppressed_recipient_is_skipped_and_reported_while_the_others_get_the_message()
    {
        SmtpTestServer server = f.StartServer();
        f.Register(store, "Office", server.Port);
        f.Host.Invoke("Add-MailSuppression", new Dictionary<string, object?> { ["Address"] = new[] { "gone@fabrikam.example" }, ["Reason"] = "HardBounce", ["Path"] = store }).ThrowIfFailed();
        var p = Mail();
        p["To"] = new[] { "gone@fabrikam.example", "carol@fabrikam.example" };

        var r = f.Send(store, p);

        r.ThrowIfFailed();
        var result = r.Single();
        Assert.Equal("Sent", result.Str("Status"));
        Assert.Equal(new[] { "carol@fabrikam.example" }, (string[])result.Prop("AcceptedRecipients")!);
        var rejected = Assert.Single(result.Items("RejectedRecipients"));
        Assert.Equal("gone@fabrikam.example", rejected.Str("Address"));
        Assert.Equal("suppressed", rejected.Str("Reason"));
        Assert.Equal(new[] { "<carol@fabrikam.example>" }, server.Commands.Where(c => c.Verb == "RCPT").Select(c => c.Argument.Substring(3)).ToArray());
    }

    [Fact]
    public void Every_recipient_suppressed_sends_and_queues_nothing_and_reports_Failed()
    {
        SmtpTestServer server = f.StartServer();
        f.Register(store, "Office", server.Port);
        f.Host.Invoke("Add-MailSuppression", new Dictionary<string, object?> { ["Address"] = new[] { "carol@fabrikam.example" }, ["Reason"] = "Complaint", ["Path"] = store }).ThrowIfFailed();

        var r = f.Send(store, Mail());

        r.ThrowIfFailed();
        var result = r.Single();
        Assert.Equal("Failed", result.Str("Status"));
        Assert.Null(result.Prop("OutboxId"));
        Assert.Equal("suppressed", Assert.Single(result.Items("RejectedRecipients")).Str("Reason"));
        Assert.Empty(server.Commands);
        Assert.Empty(f.Host.Invoke("Get-RelayMessage", new Dictionary<string, object?> { ["Path"] = store }).Output);
    }

    [Fact]
    public void No_matching_profile_and_no_default_sender_is_an_ObjectNotFound_error_and_nothing_is_queued()
    {
        SmtpTestServer server = f.StartServer();
        f.Register(store, "Office", server.Port, 10, "Transactional", "contoso.example");

        var r = f.Send(store, Mail(from: "someone@elsewhere.example"));

        Assert.Empty(r.Output);
        var error = Assert.Single(r.Errors);
        Assert.Equal("NoRelayServer", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Empty(server.Commands);
    }

    [Fact]
    public void Credential_is_never_sent_over_a_plain_connection_and_the_message_waits_in_the_outbox()
    {
        SmtpTestServer server = f.StartServer(new SmtpTestServerOptions { AuthUser = "relay@contoso.example", AuthPassword = "Never-Leak-This-Pw1" });
        var p = Mail();
        p["SmtpServer"] = "127.0.0.1";
        p["Port"] = server.Port;
        p["Security"] = "None";
        p["Credential"] = new PSCredential("relay@contoso.example", new System.Net.NetworkCredential(string.Empty, "Never-Leak-This-Pw1").SecurePassword);
        p["Verbose"] = true;

        var r = f.Send(store, p);

        var result = Assert.Single(r.Output);
        Assert.Equal("Deferred", result.Str("Status"));
        Assert.Contains("not encrypted", result.Str("Error"));
        Assert.DoesNotContain(server.Commands, c => c.Verb == "AUTH" || c.Verb == "MAIL");
        Assert.DoesNotContain(r.Verbose, v => v.Contains("Never-Leak-This-Pw1"));
        Assert.Empty(server.ReceivedMessages);
    }

    [Fact]
    public void SmtpServer_with_AllowUnencryptedAuthentication_logs_in_and_sends()
    {
        SmtpTestServer server = f.StartServer(new SmtpTestServerOptions { AuthUser = "relay@contoso.example", AuthPassword = "Plain-Allowed-Pw2" });
        var p = Mail();
        p["SmtpServer"] = "127.0.0.1";
        p["Port"] = server.Port;
        p["Security"] = "None";
        p["AllowUnencryptedAuthentication"] = true;
        p["Credential"] = new PSCredential("relay@contoso.example", new System.Net.NetworkCredential(string.Empty, "Plain-Allowed-Pw2").SecurePassword);
        p["Verbose"] = true;

        var r = f.Send(store, p);

        r.ThrowIfFailed();
        Assert.Equal("Sent", r.Single().Str("Status"));
        Assert.Equal("127.0.0.1:" + server.Port, r.Single().Str("Server"));
        Assert.Contains(server.Commands, c => c.Verb == "AUTH");
        Assert.DoesNotContain(r.Verbose, v => v.Contains("Plain-Allowed-Pw2"));
        Assert.DoesNotContain(File.ReadAllBytes(store).Select(b => (char)b).ToArray().AsSpan().ToString(), "Plain-Allowed-Pw2");
        Assert.Single(server.ReceivedMessages);
    }

    [Fact]
    public void From_domain_that_is_not_yours_and_publishes_DMARC_reject_gets_a_warning()
    {
        SmtpTestServer server = f.StartServer();
        f.Register(store, "Office", server.Port);

        var r = f.Send(store, Mail(from: "news@strict.example"));

        r.ThrowIfFailed();
        Assert.Equal("Sent", r.Single().Str("Status"));
        Assert.Contains(r.Warnings, w => w.Contains("strict.example") && w.Contains("p=reject"));
    }

    [Theory]
    [InlineData("billing@contoso.example", "contoso.example")]
    [InlineData("info@lenient.example", "")]
    public void No_DMARC_warning_for_your_own_domain_or_a_lenient_policy(string from, string filter)
    {
        SmtpTestServer server = f.StartServer();
        if (filter.Length > 0)
        {
            f.Register(store, "Office", server.Port, 10, "Transactional", filter);
        }
        else
        {
            f.Register(store, "Office", server.Port);
        }

        var r = f.Send(store, Mail(from: from));

        r.ThrowIfFailed();
        Assert.Equal("Sent", r.Single().Str("Status"));
        Assert.DoesNotContain(r.Warnings, w => w.Contains("DMARC"));
    }

    [Fact]
    public void Profile_answering_421_at_the_greeting_is_skipped_for_the_next_one()
    {
        SmtpTestServer busy = f.StartServer(new SmtpTestServerOptions { Greeting421 = true });
        SmtpTestServer backup = f.StartServer();
        f.Register(store, "Busy", busy.Port, 10);
        f.Register(store, "Backup", backup.Port, 20);

        var r = f.Send(store, Mail());

        r.ThrowIfFailed();
        Assert.Equal("Backup", r.Single().Str("Server"));
        Assert.Single(backup.ReceivedMessages);
    }

    [Fact]
    public void StartTls_profile_sends_inside_TLS_with_a_trusted_company_root_and_defers_without_it()
    {
        using var authority = new TestCertificateAuthority();
        SmtpTestServer server = f.StartServer(new SmtpTestServerOptions { Certificate = authority.IssueServerCertificate("localhost"), StartTls = true, RequireStartTls = true });
        f.Host.Invoke("Register-RelayServer", new Dictionary<string, object?> { ["Name"] = "Tls", ["Server"] = "localhost", ["Port"] = server.Port, ["Security"] = "StartTls", ["Path"] = store }).ThrowIfFailed();

        var untrusted = f.Send(store, Mail(subject: "Untrusted"));
        var p = Mail(subject: "Trusted");
        p["TrustedRootCertificate"] = new[] { authority.Certificate };
        var trusted = f.Send(store, p);

        Assert.Equal("Deferred", untrusted.Output.Single().Str("Status"));
        Assert.Contains("certificate", untrusted.Output.Single().Str("Error"), StringComparison.OrdinalIgnoreCase);
        trusted.ThrowIfFailed();
        Assert.Equal("Sent", trusted.Single().Str("Status"));
        Assert.False((bool)trusted.Single().Prop("CertificateCheckSkipped")!);
        Assert.All(server.Commands.Where(c => c.Verb is "MAIL" or "RCPT" or "DATA"), c => Assert.True(c.Tls));
        Assert.Contains("Subject: Trusted", Assert.Single(server.ReceivedMessages));
    }

    [Fact]
    public void DkimSigningKey_signs_with_the_From_domain_and_dkimpy_verifies_the_message_that_arrived()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        string keyFile = Path.Combine(f.Root, Guid.NewGuid().ToString("N") + ".pem");
        File.WriteAllText(keyFile, rsa.ExportPkcs8PrivateKeyPem());
        string record = "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo());
        SmtpTestServer server = f.StartServer();
        f.Register(store, "Office", server.Port, 10, "Transactional", "contoso.example");
        var mail = Mail();
        mail["DkimSigningKey"] = keyFile;
        mail["DkimSelector"] = "s2048";

        var r = f.Send(store, mail);

        r.ThrowIfFailed();
        Assert.Equal("Sent", r.Single().Str("Status"));
        string received = Assert.Single(server.ReceivedMessages);
        Assert.Contains("d=contoso.example", received);
        Assert.Contains("s=s2048", received);
        var verdict = MailOps.TestSupport.Smtp.DkimPythonVerifier.Verify(System.Text.Encoding.UTF8.GetBytes(received), record, "s2048._domainkey.contoso.example");
        Assert.True(verdict.Ok, verdict.ToString());
    }

    [Fact]
    public void DkimSigningKey_without_DkimSelector_stops_with_InvalidDkimSelector_and_sends_nothing()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        string keyFile = Path.Combine(f.Root, Guid.NewGuid().ToString("N") + ".pem");
        File.WriteAllText(keyFile, rsa.ExportPkcs8PrivateKeyPem());
        SmtpTestServer server = f.StartServer();
        f.Register(store, "Office", server.Port, 10, "Transactional", "contoso.example");
        var mail = Mail();
        mail["DkimSigningKey"] = keyFile;

        var r = f.Send(store, mail);

        Assert.NotNull(r.Terminating);
        Assert.Contains("InvalidDkimSelector", ((System.Management.Automation.IContainsErrorRecord)r.Terminating!).ErrorRecord.FullyQualifiedErrorId);
        Assert.Empty(server.ReceivedMessages);
    }

    [Fact]
    public void Profile_with_a_SecretName_logs_in_with_the_secret_that_Get_Secret_returns()
    {
        SmtpTestServer server = f.StartServer(new SmtpTestServerOptions { AuthUser = "relay@contoso.example", AuthPassword = "From-The-Vault-3" });
        f.Host.Invoke("Register-RelayServer", new Dictionary<string, object?>
        {
            ["Name"] = "Vaulted", ["Server"] = "127.0.0.1", ["Port"] = server.Port, ["Security"] = "None", ["SecretName"] = "relay-login", ["Path"] = store,
        }).ThrowIfFailed();

        // A stand-in for Microsoft.PowerShell.SecretManagement's Get-Secret, local to this script.
        var r = f.Script(store, """
            & {
                function Get-Secret { param([string]$Name, [string]$Vault)
                    if ($Name -ne 'relay-login') { throw "no secret $Name" }
                    [pscredential]::new('relay@contoso.example', [System.Net.NetworkCredential]::new('', 'From-The-Vault-3').SecurePassword)
                }
                Send-RelayMail -From billing@contoso.example -To carol@fabrikam.example -Subject 'Vault' -Body 'x' -AllowUnencryptedAuthentication -Path $store -DnsServer $dns
            }
            """, new Dictionary<string, object?> { ["dns"] = new[] { f.Dns.Endpoint } });

        r.ThrowIfFailed();
        Assert.Equal("Sent", r.Single().Str("Status"));
        Assert.Contains(server.Commands, c => c.Verb == "AUTH");
        Assert.Single(server.ReceivedMessages);
        Assert.DoesNotContain("From-The-Vault-3", File.ReadAllBytes(store).Select(b => (char)b).ToArray().AsSpan().ToString());
    }

    [Fact]
    public void Profile_with_a_SecretName_but_no_Get_Secret_is_an_error_and_nothing_is_sent_or_queued()
    {
        SmtpTestServer server = f.StartServer(new SmtpTestServerOptions { AuthUser = "relay@contoso.example", AuthPassword = "Unused-4" });
        f.Host.Invoke("Register-RelayServer", new Dictionary<string, object?>
        {
            ["Name"] = "Vaulted", ["Server"] = "127.0.0.1", ["Port"] = server.Port, ["Security"] = "None", ["SecretName"] = "relay-login", ["Path"] = store,
        }).ThrowIfFailed();

        var r = f.Send(store, Mail());

        Assert.Empty(r.Output);
        ErrorRecord error = Assert.Single(r.Errors);
        Assert.StartsWith("CredentialStorageUnavailable", error.FullyQualifiedErrorId);
        Assert.Contains("Get-Secret", error.Exception.Message);
        Assert.Empty(server.ReceivedMessages);
        Assert.Empty(f.Script(store, "Get-RelayMessage -Path $store").Output);
    }

    [Fact]
    public void Stopping_the_pipeline_while_a_message_is_on_the_wire_leaves_it_Deferred_in_the_outbox()
    {
        // A server that accepts the connection and never greets: the send is stuck in flight.
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        int port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        f.Register(store, "Silent", port);
        using var ps = f.Host.CreatePowerShell();
        ps.AddCommand("Send-RelayMail").AddParameter("From", "billing@contoso.example").AddParameter("To", new[] { "carol@fabrikam.example" })
            .AddParameter("Subject", "Stopped").AddParameter("Body", "x").AddParameter("Path", store)
            .AddParameter("DnsServer", new[] { f.Dns.Endpoint }).AddParameter("TimeoutSec", 120);
        var pending = ps.BeginInvoke();

        // Accepting the connection proves the message was queued and its transaction started.
        using var accepted = silent.AcceptTcpClient();
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        ps.Stop();

        Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(pending));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), "Stop waited for the SMTP timeout: " + stopwatch.Elapsed);
        PSObject message = Assert.Single(f.Script(store, "Get-RelayMessage -Path $store").Output);
        Assert.Equal("Deferred", message.Str("Status"));
        Assert.Contains("stopped", message.Str("LastError"));
    }

    [Fact]
    public void Rows_bad_and_good_come_out_in_input_order_while_sends_overlap()
    {
        SmtpTestServer server = f.StartServer();
        f.Register(store, "Office", server.Port, 10, "Transactional", "contoso.example");
        var rows = new[] { "a@fabrikam.example", "not an address", "b@fabrikam.example", "c@fabrikam.example", "also bad", "d@fabrikam.example" }
            .Select(to =>
            {
                var row = new PSObject();
                row.Properties.Add(new PSNoteProperty("To", to));
                row.Properties.Add(new PSNoteProperty("Subject", "Row " + to));
                return (object?)row;
            }).ToList();

        // 2>&1 merges errors into the output stream in the order they were written.
        var r = f.Host.InvokeScript(
            "$input | Send-RelayMail -From billing@contoso.example -Body x -Path $store -DnsServer $dns 2>&1 | ForEach-Object { if ($_ -is [System.Management.Automation.ErrorRecord]) { 'error: ' + $_.TargetObject } else { 'sent: ' + ($_.AcceptedRecipients -join ',') } }",
            new Dictionary<string, object?> { ["dns"] = new[] { f.Dns.Endpoint }, ["store"] = store },
            rows);

        Assert.Equal(
            new[] { "sent: a@fabrikam.example", "error: not an address", "sent: b@fabrikam.example", "sent: c@fabrikam.example", "error: also bad", "sent: d@fabrikam.example" },
            r.Output.Select(o => o.BaseObject.ToString()).ToArray());
        Assert.Equal(4, server.ReceivedMessages.Count);
    }

    [Fact]
    public void Recipient_refused_for_now_gets_the_message_from_the_outbox_later_and_the_others_get_it_once()
    {
        SmtpTestServer busy = f.StartServer(new SmtpTestServerOptions { RejectRecipients = { ["ben@fabrikam.example"] = "450 4.2.1 Mailbox busy, try later" } });
        f.Register(store, "Office", busy.Port, 10, "Transactional", "contoso.example");
        var p = Mail();
        p["To"] = new[] { "anna@fabrikam.example", "ben@fabrikam.example" };

        var r = f.Send(store, p);

        PSObject result = r.Single();
        Assert.Equal("Sent", result.Str("Status"));
        Assert.Equal(new[] { "anna@fabrikam.example" }, (string[])result.Prop("AcceptedRecipients")!);
        Assert.Equal(new[] { "ben@fabrikam.example" }, (string[])result.Prop("DeferredRecipients")!);
        Assert.Contains(r.Warnings, w => w.Contains("ben@fabrikam.example") && w.Contains("Invoke-RelayQueue"));
        long retryId = (long)result.Prop("RetryOutboxId")!;
        PSObject waiting = Assert.Single(f.Script(store, "Get-RelayMessage -Path $store -Status Deferred").Output);
        Assert.Equal(retryId, (long)waiting.Prop("Id")!);
        Assert.Equal(450, (int)waiting.Prop("LastStatusCode")!);

        // The mailbox is free again (another server stands in for the relay): the queue run
        // delivers the copy to ben only.
        SmtpTestServer free = f.StartServer();
        f.Script(store, "Set-RelayServer -Name Office -Port $port -Path $store", new Dictionary<string, object?> { ["port"] = free.Port }).ThrowIfFailed();
        var drained = f.Script(store, "Invoke-RelayQueue -Force -Path $store");

        drained.ThrowIfFailed();
        Assert.Equal("Sent", drained.Single().Str("Status"));
        Assert.Equal(new[] { "ben@fabrikam.example" }, free.Commands.Where(c => c.Verb == "RCPT").Select(c => c.Argument.Split('<', '>')[1]).ToArray());
        Assert.Single(busy.ReceivedMessages);
        Assert.Single(free.ReceivedMessages);
        Assert.Empty(f.Script(store, "Get-RelayMessage -Path $store -Status Deferred, Queued, Sending").Output);
    }
}
