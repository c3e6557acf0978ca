using System.Management.Automation;
using System.Security.Cryptography;
using System.Text;
using MailOps.TestSupport.PowerShell;
using MailOps.TestSupport.Smtp;

namespace MailOps.PowerShell.Tests;

/// <summary>
/// DKIM signing configured on a relay profile: Register-/Set-RelayServer -DkimSigningKey,
/// -DkimSelector, -DkimDomain, -ClearDkim, and Send-RelayMail signing with the profile's key
/// when the call gives none. Every key's public half is published in the fixture's DNS test
/// server under a selector of its own, read back with Get-DkimRecord, and the message the SMTP
/// test server kept is verified by dkimpy against that record.
/// </summary>
public sealed class RelayProfileDkimTests : IClassFixture<SendFixture>
{
    private readonly SendFixture f;
    private readonly string store;

    public RelayProfileDkimTests(SendFixture fixture)
    {
        f = fixture;
        store = fixture.NewStorePath();
    }

    private static Dictionary<string, object?> Mail(string from = "billing@contoso.example", string subject = "Invoice 42")
        => new() { ["From"] = from, ["To"] = new[] { "carol@fabrikam.example" }, ["Subject"] = subject, ["Body"] = "Please find your invoice." };

    /// <summary>A selector no other test of the class uses, so the shared DNS zone never mixes keys.</summary>
    private static string NewSelector(string prefix) => prefix + Guid.NewGuid().ToString("N").Substring(0, 8);

    /// <summary>A new 2048-bit RSA key written as PKCS#8 PEM under the fixture folder, with the
    /// record that publishes it.</summary>
    private (string Path, string Record) NewRsaKey()
    {
        using var rsa = RSA.Create(2048);
        string path = Path.Combine(f.Root, Guid.NewGuid().ToString("N") + ".pem");
        File.WriteAllText(path, rsa.ExportPkcs8PrivateKeyPem());
        return (path, "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo()));
    }

    /// <summary>Publishes <paramref name="record"/> at selector._domainkey.domain in the DNS test server.</summary>
    private void Publish(string selector, string record, string domain = "contoso.example")
        => f.Dns.Zone.AddLongTxt($"{selector}._domainkey.{domain}", record);

    /// <summary>The key record as the DNS test server serves it, read with Get-DkimRecord.</summary>
    private string Served(string selector, string domain = "contoso.example")
    {
        var r = f.Host.Invoke("Get-DkimRecord", new Dictionary<string, object?> { ["Domain"] = new[] { domain }, ["Selector"] = new[] { selector }, ["Server"] = new[] { f.Dns.Endpoint } });
        string? record = r.Single().Str("Record");
        Assert.False(string.IsNullOrEmpty(record), $"no key record is served at {selector}._domainkey.{domain}");
        return record!;
    }

    /// <summary>dkimpy's verdict on a received message, against the record served for
    /// selector._domainkey.domain (only that name resolves, so a wrong d= or s= fails).</summary>
    private DkimPythonVerdict Verify(string received, string selector, string domain = "contoso.example")
        => DkimPythonVerifier.Verify(Encoding.UTF8.GetBytes(received), Served(selector, domain), $"{selector}._domainkey.{domain}");

    /// <summary>Registers a plain (no TLS) profile on loopback with the given extra parameters.</summary>
    private PowerShellResult Register(string name, int port, Dictionary<string, object?>? more = null, int priority = 10)
    {
        var p = more ?? new Dictionary<string, object?>();
        p["Name"] = name;
        p["Server"] = "127.0.0.1";
        p["Port"] = port;
        p["Security"] = "None";
        p["Priority"] = priority;
        p["FromFilter"] = new[] { "contoso.example" };
        p["Path"] = store;
        return f.Host.Invoke("Register-RelayServer", p);
    }

    private PowerShellResult RegisterSigning(string name, int port, string keyPath, string selector, string? domain = null, int priority = 10)
    {
        var p = new Dictionary<string, object?> { ["DkimSigningKey"] = keyPath, ["DkimSelector"] = selector };
        if (domain is not null)
        {
            p["DkimDomain"] = domain;
        }

        return Register(name, port, p, priority);
    }

    private PowerShellResult Get(string name)
        => f.Host.Invoke("Get-RelayServer", new Dictionary<string, object?> { ["Name"] = new[] { name }, ["Path"] = store });

    private static string ErrorId(PowerShellResult r)
        => ((IContainsErrorRecord)(r.Terminating ?? throw new InvalidOperationException("no terminating error"))).ErrorRecord.FullyQualifiedErrorId;

    [Fact]
    public void Profile_with_an_RSA_key_signs_what_Send_RelayMail_sends_and_dkimpy_verifies_it()
    {
        (string key, string record) = NewRsaKey();
        string selector = NewSelector("rsa");
        Publish(selector, record);
        SmtpTestServer server = f.StartServer();
        RegisterSigning("Office", server.Port, key, selector).ThrowIfFailed();
        var mail = Mail();
        mail["Verbose"] = true;

        var r = f.Send(store, mail);

        r.ThrowIfFailed();
        Assert.Equal("Sent", r.Single().Str("Status"));
        string received = Assert.Single(server.ReceivedMessages);
        Assert.Contains("a=rsa-sha256", received);
        Assert.Contains("c=relaxed/relaxed", received);
        Assert.Contains("d=contoso.example", received);
        Assert.Contains("s=" + selector, received);
        Assert.Contains(r.Verbose, v => v.StartsWith($"Signed with DKIM d=contoso.example s={selector}", StringComparison.Ordinal) && v.Contains("Office", StringComparison.Ordinal));
        var verdict = Verify(received, selector);
        Assert.True(verdict.Ok, verdict.ToString());
    }

    [Fact]
    public void Profile_with_an_Ed25519_key_signs_ed25519_sha256_and_dkimpy_verifies_it()
    {
        string key = Path.Combine(f.Root, Guid.NewGuid().ToString("N") + ".key");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Conformance", "dkim", "rfc8032_7_1.key"), key);
        string selector = NewSelector("ed");
        Publish(selector, DkimSignFixture.Ed25519Record);
        SmtpTestServer server = f.StartServer();
        RegisterSigning("Office", server.Port, key, selector).ThrowIfFailed();

        var r = f.Send(store, Mail());

        r.ThrowIfFailed();
        string received = Assert.Single(server.ReceivedMessages);
        Assert.Contains("a=ed25519-sha256", received);
        Assert.Contains("s=" + selector, received);
        var verdict = Verify(received, selector);
        Assert.True(verdict.Ok, verdict.ToString());
    }

    [Fact]
    public void Profile_DkimDomain_becomes_d_instead_of_the_From_domain()
    {
        (string key, string record) = NewRsaKey();
        string selector = NewSelector("dom");
        Publish(selector, record, "mail.contoso.example");
        SmtpTestServer server = f.StartServer();
        RegisterSigning("Office", server.Port, key, selector, "Mail.Contoso.Example").ThrowIfFailed();

        var r = f.Send(store, Mail());

        r.ThrowIfFailed();
        string received = Assert.Single(server.ReceivedMessages);
        Assert.Contains("d=mail.contoso.example", received);
        var verdict = Verify(received, selector, "mail.contoso.example");
        Assert.True(verdict.Ok, verdict.ToString());
    }

    [Fact]
    public void Per_call_DkimSigningKey_wins_over_the_profile()
    {
        (string profileKey, string profileRecord) = NewRsaKey();
        (string callKey, string callRecord) = NewRsaKey();
        string profileSelector = NewSelector("prof");
        string callSelector = NewSelector("call");
        Publish(profileSelector, profileRecord);
        Publish(callSelector, callRecord);
        SmtpTestServer server = f.StartServer();
        RegisterSigning("Office", server.Port, profileKey, profileSelector).ThrowIfFailed();
        var mail = Mail();
        mail["DkimSigningKey"] = callKey;
        mail["DkimSelector"] = callSelector;

        var r = f.Send(store, mail);

        r.ThrowIfFailed();
        string received = Assert.Single(server.ReceivedMessages);
        Assert.Contains("s=" + callSelector, received);
        Assert.DoesNotContain("s=" + profileSelector, received);
        Assert.Equal(1, CountSignatures(received));
        var verdict = Verify(received, callSelector);
        Assert.True(verdict.Ok, verdict.ToString());
    }

    [Fact]
    public void The_first_candidate_that_signs_signs_and_a_failover_sends_the_same_signed_message()
    {
        (string key, string record) = NewRsaKey();
        string selector = NewSelector("fo");
        Publish(selector, record);
        SmtpTestServer backup = f.StartServer();
        RegisterSigning("Primary", f.ClosedPort, key, selector, priority: 10).ThrowIfFailed();
        Register("Backup", backup.Port, priority: 20).ThrowIfFailed();

        var r = f.Send(store, Mail());

        r.ThrowIfFailed();
        Assert.Equal("Backup", r.Single().Str("Server"));
        string received = Assert.Single(backup.ReceivedMessages);
        Assert.Contains("s=" + selector, received);
        var verdict = Verify(received, selector);
        Assert.True(verdict.Ok, verdict.ToString());
    }

    [Fact]
    public void Register_with_a_missing_key_file_stops_with_DkimKeyFileNotFound_and_writes_no_profile()
    {
        SmtpTestServer server = f.StartServer();

        var r = RegisterSigning("Office", server.Port, Path.Combine(f.Root, "missing-" + Guid.NewGuid().ToString("N") + ".pem"), "s1");

        Assert.StartsWith("DkimKeyFileNotFound,", ErrorId(r));
        Assert.Empty(r.Output);
        Assert.False(File.Exists(store));
        Assert.Empty(f.Host.Invoke("Get-RelayServer", new Dictionary<string, object?> { ["Path"] = store }).Output);
    }

    [Fact]
    public void Register_with_a_512_bit_key_stops_with_DkimKeyTooWeak()
    {
        using var weak = RSA.Create(512);
        string key = Path.Combine(f.Root, Guid.NewGuid().ToString("N") + ".pem");
        File.WriteAllText(key, weak.ExportRSAPrivateKeyPem());

        var r = RegisterSigning("Office", 2525, key, "s1");

        Assert.StartsWith("DkimKeyTooWeak,", ErrorId(r));
        Assert.False(File.Exists(store));
    }

    [Fact]
    public void Register_with_a_key_but_no_selector_is_InvalidRelayServerSetting_and_writes_no_profile()
    {
        (string key, _) = NewRsaKey();

        var r = Register("Office", 2525, new() { ["DkimSigningKey"] = key });

        var error = Assert.Single(r.Errors);
        Assert.StartsWith("InvalidRelayServerSetting,", error.FullyQualifiedErrorId);
        Assert.Contains("selector", error.Exception.Message);
        Assert.Empty(Get("*").Output);
    }

    [Fact]
    public void Csv_rows_with_and_without_dkim_cells_register_a_signing_and_a_plain_profile()
    {
        (string key, _) = NewRsaKey();

        var r = f.Script(store, """
            @(
                [pscustomobject] @{ Name = 'Signed'; Server = '127.0.0.1'; Port = '2525'; Security = 'None'; DkimSigningKey = $key; DkimSelector = 's1'; DkimDomain = '' }
                [pscustomobject] @{ Name = 'Plain'; Server = '127.0.0.1'; Port = '2526'; Security = 'None'; DkimSigningKey = ''; DkimSelector = ''; DkimDomain = '' }
            ) | Register-RelayServer -Path $store
            """, new() { ["key"] = key });

        r.ThrowIfFailed();
        Assert.Equal(2, r.Output.Count);
        Assert.Equal(key, Get("Signed").Single().Str("DkimSigningKey"));
        Assert.Null(Get("Signed").Single().Prop("DkimDomain"));
        Assert.Null(Get("Plain").Single().Prop("DkimSigningKey"));
    }

    [Fact]
    public void Get_RelayServer_shows_the_full_key_path_the_selector_and_the_domain()
    {
        (string key, _) = NewRsaKey();

        // A relative path is stored as the full path it means now.
        var r = f.Script(store, """
            $before = $ExecutionContext.SessionState.Path.CurrentLocation.Path
            $null = $ExecutionContext.SessionState.Path.SetLocation($folder)
            try { Register-RelayServer -Name Office -Server 127.0.0.1 -Port 2525 -Security None -DkimSigningKey ./$file -DkimSelector S1 -DkimDomain Contoso.Example -Path $store }
            finally { $null = $ExecutionContext.SessionState.Path.SetLocation($before) }
            """, new() { ["folder"] = f.Root, ["file"] = Path.GetFileName(key) });
        r.ThrowIfFailed();

        PSObject p = Get("Office").Single();
        Assert.Equal(key, p.Str("DkimSigningKey"));
        Assert.Equal("s1", p.Str("DkimSelector"));
        Assert.Equal("contoso.example", p.Str("DkimDomain"));
        Assert.DoesNotContain(p.Properties, prop => prop.Name.Contains("PrivateKey", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Set_RelayServer_adds_a_key_to_a_profile_and_the_next_message_is_signed()
    {
        (string key, string record) = NewRsaKey();
        string selector = NewSelector("set");
        Publish(selector, record);
        SmtpTestServer server = f.StartServer();
        Register("Office", server.Port).ThrowIfFailed();

        f.Host.Invoke("Set-RelayServer", new Dictionary<string, object?> { ["Name"] = new[] { "Office" }, ["DkimSigningKey"] = key, ["DkimSelector"] = selector, ["Path"] = store }).ThrowIfFailed();
        var r = f.Send(store, Mail());

        r.ThrowIfFailed();
        var verdict = Verify(Assert.Single(server.ReceivedMessages), selector);
        Assert.True(verdict.Ok, verdict.ToString());
    }

    [Fact]
    public void Set_RelayServer_ClearDkim_makes_the_next_message_unsigned()
    {
        (string key, string record) = NewRsaKey();
        string selector = NewSelector("clr");
        Publish(selector, record);
        SmtpTestServer server = f.StartServer();
        RegisterSigning("Office", server.Port, key, selector).ThrowIfFailed();
        f.Send(store, Mail(subject: "Signed")).ThrowIfFailed();

        var set = f.Host.Invoke("Set-RelayServer", new Dictionary<string, object?> { ["Name"] = new[] { "Office" }, ["ClearDkim"] = true, ["PassThru"] = true, ["Path"] = store });
        var r = f.Send(store, Mail(subject: "Unsigned"));

        r.ThrowIfFailed();
        Assert.Null(set.Single().Prop("DkimSigningKey"));
        Assert.Null(set.Single().Prop("DkimSelector"));
        Assert.Equal(2, server.ReceivedMessages.Count);
        Assert.Contains("DKIM-Signature:", server.ReceivedMessages.Single(m => m.Contains("Subject: Signed", StringComparison.Ordinal)), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("DKIM-Signature:", server.ReceivedMessages.Single(m => m.Contains("Subject: Unsigned", StringComparison.Ordinal)), StringComparison.OrdinalIgnoreCase);
        Assert.True(File.Exists(key), "clearing the settings leaves the key file alone");
    }

    [Fact]
    public void Set_RelayServer_with_a_missing_key_file_stops_with_DkimKeyFileNotFound_and_keeps_the_old_key()
    {
        (string key, _) = NewRsaKey();
        RegisterSigning("Office", 2525, key, "s1").ThrowIfFailed();

        var r = f.Host.Invoke("Set-RelayServer", new Dictionary<string, object?> { ["Name"] = new[] { "Office" }, ["DkimSigningKey"] = Path.Combine(f.Root, "gone.pem"), ["Path"] = store });

        Assert.StartsWith("DkimKeyFileNotFound,", ErrorId(r));
        Assert.Equal(key, Get("Office").Single().Str("DkimSigningKey"));
    }

    [Fact]
    public void A_profile_key_deleted_after_registration_fails_the_message_instead_of_sending_it_unsigned()
    {
        (string key, _) = NewRsaKey();
        SmtpTestServer server = f.StartServer();
        RegisterSigning("Office", server.Port, key, "s1").ThrowIfFailed();
        File.Delete(key);

        var r = f.Send(store, Mail());

        Assert.Null(r.Terminating);
        var error = Assert.Single(r.Errors);
        Assert.StartsWith("DkimKeyFileNotFound,", error.FullyQualifiedErrorId);
        Assert.Contains("Office", error.Exception.Message);
        Assert.Empty(r.Output);
        Assert.Empty(server.ReceivedMessages);
    }

    [Fact]
    public void SmtpServer_bypasses_the_profiles_and_their_DKIM_settings()
    {
        (string key, _) = NewRsaKey();
        SmtpTestServer profileServer = f.StartServer();
        SmtpTestServer direct = f.StartServer();
        RegisterSigning("Office", profileServer.Port, key, "s1").ThrowIfFailed();
        var mail = Mail();
        mail["SmtpServer"] = "127.0.0.1";
        mail["Port"] = direct.Port;
        mail["Security"] = "None";

        var r = f.Send(store, mail);

        r.ThrowIfFailed();
        Assert.DoesNotContain("DKIM-Signature:", Assert.Single(direct.ReceivedMessages), StringComparison.OrdinalIgnoreCase);
    }

    private static int CountSignatures(string message)
    {
        string text = message.Replace("\r\n", "\n", StringComparison.Ordinal);
        int headerEnd = text.IndexOf("\n\n", StringComparison.Ordinal);
        string headers = headerEnd < 0 ? text : text.Substring(0, headerEnd);
        return headers.Split('\n').Count(line => line.StartsWith("DKIM-Signature:", StringComparison.OrdinalIgnoreCase));
    }
}
