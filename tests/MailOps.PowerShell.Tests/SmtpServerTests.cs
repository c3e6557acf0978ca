using System.Management.Automation;
using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>Test-SmtpServer through real PowerShell against real SMTP servers on loopback.
/// Each test announces its own EHLO name so it can read its own session from the server log.</summary>
public sealed class SmtpServerTests : IClassFixture<SmtpFixture>
{
    private readonly SmtpFixture f;

    public SmtpServerTests(SmtpFixture fixture) => f = fixture;

    private static PSObject Error(PSObject result) => PSObject.AsPSObject(result.Prop("Error") ?? throw new InvalidOperationException("No Error on the result."));

    private static PSObject Certificate(PSObject result) => PSObject.AsPSObject(result.Prop("Certificate") ?? throw new InvalidOperationException("No Certificate on the result: " + result.Prop("Error")));

    private static Dictionary<string, object?> With(params (string Name, object? Value)[] values)
        => values.ToDictionary(v => v.Name, v => v.Value);

    /// <summary>Every string reachable from an output object (nested objects and arrays included).</summary>
    private static IEnumerable<string> AllText(object? value, int depth = 0)
    {
        if (value is null || depth > 4)
        {
            yield break;
        }

        if (value is PSObject ps && ps.BaseObject is not string && ps.BaseObject is not ValueType)
        {
            foreach (PSPropertyInfo property in ps.Properties)
            {
                object? inner;
                try
                {
                    inner = property.Value;
                }
                catch (GetValueInvocationException)
                {
                    continue;
                }

                foreach (string text in AllText(inner, depth + 1))
                {
                    yield return text;
                }
            }

            yield break;
        }

        object raw = value is PSObject wrapped ? wrapped.BaseObject : value;
        if (raw is System.Collections.IEnumerable items && raw is not string)
        {
            foreach (object? item in items)
            {
                foreach (string text in AllText(item is null ? null : PSObject.AsPSObject(item), depth + 1))
                {
                    yield return text;
                }
            }

            yield break;
        }

        if (raw is string || raw is ValueType)
        {
            yield return raw.ToString()!;
        }
        else
        {
            foreach (string text in AllText(PSObject.AsPSObject(raw), depth + 1))
            {
                yield return text;
            }
        }
    }

    [Fact]
    public void Plain_server_reports_banner_capabilities_and_size_and_reaches_Done()
    {
        var r = f.Test(f.Plain.Port, "None", With(("HeloName", "ps-plain"))).Single();

        Assert.True(true.Equals(r.Prop("Succeeded")), r.Prop("Error")?.ToString());
        Assert.Equal("Done", r.Str("Stage"));
        Assert.Equal("None", r.Str("Security"));
        Assert.StartsWith("mail.test", r.Str("Banner"));
        Assert.Contains("SIZE 33554432", (string[])r.Prop("Capabilities")!);
        Assert.Equal(33554432L, r.Prop("MaxMessageSize"));
        Assert.Null(r.Prop("Error"));
        Assert.Equal(false, r.Prop("Authenticated"));
    }

    [Fact]
    public void Login_over_StartTls_succeeds_and_the_server_saw_AUTH_only_after_STARTTLS()
    {
        var r = f.Test(f.StartTls.Port, "StartTls", With(("HeloName", "ps-login"), ("Credential", SmtpFixture.Credential()), ("TrustedRootCertificate", f.TrustedRoot))).Single();

        Assert.True(true.Equals(r.Prop("Succeeded")), r.Prop("Error")?.ToString());
        Assert.Equal(true, r.Prop("Authenticated"));
        Assert.Equal("StartTls", r.Str("Security"));
        Assert.NotNull(r.Prop("TlsProtocol"));
        Assert.Equal(true, Certificate(r).Prop("NameMatches"));
        Assert.Empty((string[])Certificate(r).Prop("ChainErrors")!);
        Assert.Contains("PLAIN", (string[])r.Prop("AuthenticationMechanisms")!);
        var session = f.StartTls.WaitForSession("ps-login").ToList();
        int starttls = session.FindIndex(c => c.Verb == "STARTTLS");
        int auth = session.FindIndex(c => c.Verb == "AUTH");
        Assert.True(starttls >= 0 && auth > starttls, "AUTH must come after STARTTLS");
        Assert.True(session[auth].Tls);
    }

    [Fact]
    public void Password_never_appears_in_verbose_output_or_in_the_result()
    {
        var result = f.Test(f.StartTls.Port, "StartTls", With(("HeloName", "ps-secret"), ("Credential", SmtpFixture.Credential()), ("TrustedRootCertificate", f.TrustedRoot), ("Verbose", true)));
        var r = result.Single();

        Assert.Equal(true, r.Prop("Authenticated"));
        string encoded = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("\0" + SmtpFixture.User + "\0" + SmtpFixture.Password));
        Assert.Contains(result.Verbose, v => v.StartsWith("C: AUTH PLAIN", StringComparison.Ordinal) || v.StartsWith("C: AUTH LOGIN", StringComparison.Ordinal));
        Assert.Contains(result.Verbose, v => v.StartsWith("C: STARTTLS", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Verbose, v => v.Contains(SmtpFixture.Password) || v.Contains(encoded));
        Assert.DoesNotContain(AllText(r), t => t.Contains(SmtpFixture.Password) || t.Contains(encoded));
    }

    [Fact]
    public void SslOnConnect_to_an_implicit_tls_port_logs_in()
    {
        var r = f.Test(f.Implicit.Port, "SslOnConnect", With(("HeloName", "ps-implicit"), ("Credential", SmtpFixture.Credential()), ("TrustedRootCertificate", f.TrustedRoot))).Single();

        Assert.True(true.Equals(r.Prop("Succeeded")), r.Prop("Error")?.ToString());
        Assert.Equal("SslOnConnect", r.Str("Security"));
        Assert.Equal(true, r.Prop("Authenticated"));
        Assert.Contains("localhost", (string[])Certificate(r).Prop("SubjectAlternativeNames")!);
        Assert.NotNull(PSObject.AsPSObject(r.Prop("Timings")!).Prop("TlsMs"));
    }

    [Fact]
    public void Connection_refused_fails_at_Connect_with_a_nothing_listens_hint()
    {
        var r = f.Test(f.ClosedPort, "StartTls", server: "127.0.0.1").Single();

        Assert.Equal(false, r.Prop("Succeeded"));
        Assert.Equal("Connect", r.Str("Stage"));
        Assert.Equal("ConnectionRefused", Error(r).Str("Reason"));
        Assert.Equal(false, Error(r).Prop("IsTransient"));
        Assert.Contains("Nothing listens on port " + f.ClosedPort, Error(r).Str("Hint"));
    }

    [Fact]
    public void Listener_that_never_greets_times_out_at_Connect_as_transient()
    {
        var r = f.Test(f.SilentPort, "StartTls", With(("TimeoutSec", 1)), server: "127.0.0.1").Single();

        Assert.Equal("Connect", r.Str("Stage"));
        Assert.Equal("Timeout", Error(r).Str("Reason"));
        Assert.Equal(true, Error(r).Prop("IsTransient"));
        Assert.Contains("sent no greeting", Error(r).Str("Hint"));
    }

    [Fact]
    public void Greeting_421_fails_at_Connect_as_transient_with_a_try_later_hint()
    {
        var r = f.Test(f.Busy.Port, "StartTls").Single();

        Assert.Equal("Connect", r.Str("Stage"));
        Assert.Equal(421, Error(r).Prop("StatusCode"));
        Assert.Equal("4.7.0", Error(r).Str("EnhancedStatusCode"));
        Assert.Equal(true, Error(r).Prop("IsTransient"));
        Assert.Contains("try again later", Error(r).Str("Hint"));
    }

    [Fact]
    public void StartTls_against_a_server_without_STARTTLS_fails_at_Tls_and_is_never_downgraded()
    {
        var r = f.Test(f.Plain.Port, "StartTls", With(("HeloName", "ps-nostarttls"), ("Credential", SmtpFixture.Credential()))).Single();

        Assert.Equal(false, r.Prop("Succeeded"));
        Assert.Equal("Tls", r.Str("Stage"));
        Assert.Equal("StartTlsNotOffered", Error(r).Str("Reason"));
        Assert.Contains("never downgrades", Error(r).Str("Hint"));
        Assert.Equal(false, r.Prop("Authenticated"));
        var verbs = f.Plain.WaitForSession("ps-nostarttls").Select(c => c.Verb).ToArray();
        Assert.DoesNotContain("AUTH", verbs);
        Assert.DoesNotContain("MAIL", verbs);
    }

    [Fact]
    public void SslOnConnect_against_a_plain_server_fails_at_Tls_with_a_use_StartTls_hint()
    {
        var r = f.Test(f.Plain.Port, "SslOnConnect").Single();

        Assert.Equal("Tls", r.Str("Stage"));
        Assert.Equal("TlsHandshakeFailed", Error(r).Str("Reason"));
        Assert.Contains("-Security StartTls", Error(r).Str("Hint"));
    }

    [Fact]
    public void StartTls_against_an_implicit_tls_port_fails_with_a_use_SslOnConnect_hint()
    {
        var r = f.Test(f.Implicit.Port, "StartTls", With(("TimeoutSec", 1))).Single();

        Assert.Equal(false, r.Prop("Succeeded"));
        Assert.Equal("Connect", r.Str("Stage"));
        Assert.Contains("-Security SslOnConnect", Error(r).Str("Hint"));
    }

    [Fact]
    public void Untrusted_certificate_fails_at_Tls_with_a_TrustedRootCertificate_hint()
    {
        var r = f.Test(f.StartTls.Port, "StartTls", With(("HeloName", "ps-untrusted"), ("Credential", SmtpFixture.Credential()))).Single();

        Assert.Equal("Tls", r.Str("Stage"));
        Assert.Equal("CertificateUntrusted", Error(r).Str("Reason"));
        Assert.Contains("-TrustedRootCertificate", Error(r).Str("Hint"));
        Assert.NotEmpty((string[])Certificate(r).Prop("ChainErrors")!);
        Assert.Equal(false, r.Prop("Authenticated"));
    }

    [Fact]
    public void Wrong_name_certificate_fails_at_Tls_and_the_hint_lists_the_names_in_the_certificate()
    {
        var r = f.Test(f.WrongName.Port, "StartTls", With(("TrustedRootCertificate", f.TrustedRoot))).Single();

        Assert.Equal("Tls", r.Str("Stage"));
        Assert.Equal("CertificateNameMismatch", Error(r).Str("Reason"));
        Assert.Equal(false, Certificate(r).Prop("NameMatches"));
        Assert.Contains("mail.contoso.example, smtp.contoso.example", Error(r).Str("Hint"));
        Assert.Contains("-Server mail.contoso.example", Error(r).Str("Hint"));
    }

    [Fact]
    public void Expired_certificate_fails_at_Tls_with_a_renew_hint()
    {
        var r = f.Test(f.Expired.Port, "StartTls", With(("TrustedRootCertificate", f.TrustedRoot))).Single();

        Assert.Equal("Tls", r.Str("Stage"));
        Assert.Equal("CertificateExpired", Error(r).Str("Reason"));
        Assert.True((int)Certificate(r).Prop("DaysUntilExpiry")! < 0);
        Assert.Contains("renew", Error(r).Str("Hint"));
    }

    [Fact]
    public void SkipCertificateCheck_connects_to_an_untrusted_server_and_says_so()
    {
        var r = f.Test(f.WrongName.Port, "StartTls", With(("SkipCertificateCheck", true))).Single();

        Assert.True(true.Equals(r.Prop("Succeeded")), r.Prop("Error")?.ToString());
        Assert.Equal(true, r.Prop("CertificateCheckSkipped"));
        Assert.Equal(false, Certificate(r).Prop("NameMatches"));
    }

    [Fact]
    public void Rejected_login_fails_at_Authenticate_with_535_5_7_8_and_a_hint()
    {
        var r = f.Test(f.AuthFail.Port, "StartTls", With(("Credential", SmtpFixture.Credential()), ("TrustedRootCertificate", f.TrustedRoot))).Single();

        Assert.Equal("Authenticate", r.Str("Stage"));
        Assert.Equal("AuthenticationFailed", Error(r).Str("Reason"));
        Assert.Equal(535, Error(r).Prop("StatusCode"));
        Assert.Equal("5.7.8", Error(r).Str("EnhancedStatusCode"));
        Assert.Equal(false, Error(r).Prop("IsTransient"));
        Assert.Contains("user name or password", Error(r).Str("Hint"));
        Assert.Equal(false, r.Prop("Authenticated"));
    }

    [Fact]
    public void Login_over_plain_text_is_refused_before_any_credential_is_sent()
    {
        var r = f.Test(f.Plain.Port, "None", With(("HeloName", "ps-plainauth"), ("Credential", SmtpFixture.Credential()))).Single();

        Assert.Equal("Authenticate", r.Str("Stage"));
        Assert.Equal("UnencryptedAuthenticationRefused", Error(r).Str("Reason"));
        Assert.Contains("-AllowUnencryptedAuthentication", Error(r).Str("Hint"));
        Assert.DoesNotContain("AUTH", f.Plain.WaitForSession("ps-plainauth").Select(c => c.Verb));
    }

    [Fact]
    public void AllowUnencryptedAuthentication_logs_in_over_plain_text()
    {
        var r = f.Test(f.Plain.Port, "None", With(("HeloName", "ps-allowplain"), ("Credential", SmtpFixture.Credential()), ("AllowUnencryptedAuthentication", true))).Single();

        Assert.Equal(true, r.Prop("Authenticated"));
        var auth = Assert.Single(f.Plain.WaitForSession("ps-allowplain"), c => c.Verb == "AUTH");
        Assert.False(auth.Tls);
    }

    [Fact]
    public void Auth_not_offered_before_STARTTLS_fails_with_a_use_tls_hint()
    {
        var r = f.Test(f.StartTls.Port, "None", With(("Credential", SmtpFixture.Credential()), ("AllowUnencryptedAuthentication", true))).Single();

        Assert.Equal("Authenticate", r.Str("Stage"));
        Assert.Equal("AuthenticationNotOffered", Error(r).Str("Reason"));
        Assert.Contains("-Security StartTls", Error(r).Str("Hint"));
    }

    [Fact]
    public void Accepted_sender_and_recipient_are_reset_and_no_message_is_sent()
    {
        var r = f.Test(f.Plain.Port, "None", With(("HeloName", "ps-envelope"), ("From", "me@contoso.example"), ("To", new[] { "you@contoso.example" }))).Single();

        Assert.True(true.Equals(r.Prop("Succeeded")), r.Prop("Error")?.ToString());
        Assert.Equal(true, r.Prop("SenderAccepted"));
        Assert.Equal(new[] { "you@contoso.example" }, (string[])r.Prop("RecipientsAccepted")!);
        var verbs = f.Plain.WaitForSession("ps-envelope").Select(c => c.Verb).ToArray();
        Assert.Equal(new[] { "EHLO", "MAIL", "RCPT", "RSET", "QUIT" }, verbs);
    }

    [Fact]
    public void Relay_denied_recipient_fails_at_RcptTo_with_550_5_7_1_and_an_authenticate_hint()
    {
        var r = f.Test(f.Plain.Port, "None", With(("HeloName", "ps-relay"), ("From", "me@contoso.example"), ("To", new[] { "you@contoso.example", "far@other.example" }))).Single();

        Assert.Equal("RcptTo", r.Str("Stage"));
        Assert.Equal(550, Error(r).Prop("StatusCode"));
        Assert.Equal("5.7.1", Error(r).Str("EnhancedStatusCode"));
        Assert.Equal("Relaying denied", Error(r).Str("ServerText"));
        Assert.Contains("-Credential", Error(r).Str("Hint"));
        Assert.Equal(new[] { "far@other.example" }, (string[])r.Prop("RecipientsRejected")!);
        Assert.Equal(new[] { "you@contoso.example" }, (string[])r.Prop("RecipientsAccepted")!);
        Assert.DoesNotContain("DATA", f.Plain.WaitForSession("ps-relay").Select(c => c.Verb));
    }

    [Fact]
    public void Greylisted_sender_fails_at_MailFrom_as_transient()
    {
        var r = f.Test(f.Greylist.Port, "None", With(("From", "me@contoso.example"))).Single();

        Assert.Equal("MailFrom", r.Str("Stage"));
        Assert.Equal(451, Error(r).Prop("StatusCode"));
        Assert.Equal(true, Error(r).Prop("IsTransient"));
        Assert.Equal(false, r.Prop("SenderAccepted"));
        Assert.Contains("greylisting", Error(r).Str("Hint"));
    }

    [Fact]
    public void Mail_before_STARTTLS_on_a_server_that_requires_it_gets_530_and_a_use_StartTls_hint()
    {
        var r = f.Test(f.StartTls.Port, "None", With(("From", "me@contoso.example"))).Single();

        Assert.Equal("MailFrom", r.Str("Stage"));
        Assert.Equal(530, Error(r).Prop("StatusCode"));
        Assert.Contains("-Security StartTls", Error(r).Str("Hint"));
    }

    [Fact]
    public void Quiet_returns_true_for_a_working_server_and_false_for_a_failing_one()
    {
        var ok = f.Test(f.Plain.Port, "None", With(("Quiet", true))).Single();
        var bad = f.Test(f.ClosedPort, "None", With(("Quiet", true)), server: "127.0.0.1").Single();

        Assert.Equal(true, ok.BaseObject);
        Assert.Equal(false, bad.BaseObject);
    }

    [Fact]
    public void Invalid_server_name_is_an_InvalidArgument_error_and_the_next_server_is_still_tested()
    {
        var result = f.Host.InvokeScript("'bad name!', 'localhost' | Test-SmtpServer -Port $port -Security None -TimeoutSec 5", new Dictionary<string, object?> { ["port"] = f.Plain.Port });

        var error = Assert.Single(result.Errors);
        Assert.Equal("InvalidSmtpServerName,MailOps.Commands.TestSmtpServerCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal("bad name!", error.TargetObject);
        var r = Assert.Single(result.Output);
        Assert.True(true.Equals(r.Prop("Succeeded")), r.Prop("Error")?.ToString());
    }

    [Fact]
    public void Invalid_recipient_is_an_InvalidArgument_error()
    {
        var result = f.Test(f.Plain.Port, "None", With(("From", "me@contoso.example"), ("To", new[] { "not an address" })));

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("InvalidSmtpAddress", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Empty(result.Output);
    }

    [Fact]
    public void Csv_like_rows_bind_Server_Port_and_Security_by_property_name_in_input_order()
    {
        var result = f.Host.InvokeScript(
            "@([pscustomobject]@{ Server = '127.0.0.1'; Port = $closed; Security = 'None' }, [pscustomobject]@{ Server = 'localhost'; Port = $plain; Security = 'None' }) | Test-SmtpServer -TimeoutSec 5",
            new Dictionary<string, object?> { ["closed"] = f.ClosedPort, ["plain"] = f.Plain.Port });

        Assert.Empty(result.Errors);
        Assert.Equal(2, result.Output.Count);
        Assert.Equal(f.ClosedPort, result.Output[0].Prop("Port"));
        Assert.Equal(false, result.Output[0].Prop("Succeeded"));
        Assert.Equal(f.Plain.Port, result.Output[1].Prop("Port"));
        Assert.Equal(true, result.Output[1].Prop("Succeeded"));
    }
}
