using System.Management.Automation;
using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>Test-MailMessage through real PowerShell, message files on disk and a real DNS server on loopback.</summary>
public sealed class MailMessageTests : IClassFixture<MailMessageFixture>
{
    private readonly MailMessageFixture f;

    public MailMessageTests(MailMessageFixture fixture) => f = fixture;

    private PowerShellResult Test(string name, Dictionary<string, object?>? extra = null)
    {
        var parameters = extra ?? new Dictionary<string, object?>();
        parameters["Path"] = new[] { f.PathOf(name) };
        return f.Run("Test-MailMessage", parameters);
    }

    private static string[] Codes(PSObject verdict, string property = "Findings")
        => verdict.Items(property).Select(x => x.Str("Code")!).ToArray();

    [Fact]
    public void Rfc8463_message_passes_both_ed25519_and_rsa_signatures()
    {
        var r = Test("rfc8463.eml");

        r.ThrowIfFailed();
        var v = r.Single();
        Assert.Equal("MailOps.Core.Messages.MailMessageVerdict", v.TypeNames[0]);
        var dkim = v.Items("Dkim");
        Assert.Equal(new[] { "ed25519-sha256", "rsa-sha256" }, dkim.Select(s => s.Str("Algorithm")));
        Assert.All(dkim, s => Assert.Equal("Pass", s.Str("Result")));
        Assert.All(dkim, s => Assert.Equal("football.example.com", s.Str("Domain")));
        Assert.All(dkim, s => Assert.True((bool)s.Prop("IsAligned")!));
        Assert.Equal("Pass", v.Str("DkimResult"));
    }

    [Fact]
    public void Rfc8463_message_passes_dmarc_and_carries_its_identity()
    {
        var v = Test("rfc8463.eml").Single();

        Assert.Equal(f.PathOf("rfc8463.eml"), v.Str("File"));
        Assert.Equal("joe@football.example.com", v.Str("From"));
        Assert.Equal("football.example.com", v.Str("FromDomain"));
        Assert.Equal("Is dinner ready?", v.Str("Subject"));
        Assert.Equal("20030712040037.46341.5F8J@football.example.com", v.Str("MessageId"));
        Assert.Equal("Pass", v.Str("DmarcResult"));
        Assert.Equal("Reject", PSObject.AsPSObject(v.Prop("Dmarc")!).Str("Policy"));
    }

    [Fact]
    public void Altered_body_fails_with_body_hash_mismatch_and_the_verdict_is_fail()
    {
        var v = Test("altered-body.eml").Single();

        Assert.All(v.Items("Dkim"), s => Assert.Equal("Fail", s.Str("Result")));
        Assert.All(v.Items("Dkim"), s => Assert.StartsWith("body hash mismatch", s.Str("Error")));
        Assert.Equal("Fail", v.Str("DmarcResult"));
        Assert.Equal("Fail", v.Str("Verdict"));
    }

    [Fact]
    public void Signature_whose_key_is_missing_is_permerror_key_not_found()
    {
        var rsa = Test("no-key.eml").Single().Items("Dkim").Single(s => s.Str("Selector") == "missing");

        Assert.Equal("PermError", rsa.Str("Result"));
        Assert.StartsWith("key not found", rsa.Str("Error"));
    }

    [Fact]
    public void Signature_whose_key_is_revoked_is_permerror_key_revoked()
    {
        var rsa = Test("revoked-key.eml").Single().Items("Dkim").Single(s => s.Str("Selector") == "revoked");

        Assert.Equal("PermError", rsa.Str("Result"));
        Assert.StartsWith("key revoked", rsa.Str("Error"));
    }

    [Fact]
    public void Message_signed_relaxed_relaxed_with_a_published_key_passes_and_is_aligned()
    {
        var v = Test("signed-here.eml").Single();

        var s = Assert.Single(v.Items("Dkim"));
        Assert.Equal("Pass", s.Str("Result"));
        Assert.Equal("relaxed/relaxed", s.Str("Canonicalization"));
        Assert.Equal("s2048", s.Str("Selector"));
        Assert.True((bool)s.Prop("IsAligned")!);
        Assert.Equal("Pass", v.Str("DmarcResult"));
    }

    [Fact]
    public void Spf_is_checked_for_the_IPAddress_given_and_passes_aligned()
    {
        var v = Test("unsigned.eml", new Dictionary<string, object?> { ["IPAddress"] = "198.51.100.7" }).Single();

        var spf = PSObject.AsPSObject(v.Prop("Spf")!);
        Assert.Equal("Pass", spf.Str("Result"));
        Assert.Equal("contoso.example", spf.Str("Domain"));
        Assert.Equal("198.51.100.7", v.Str("IPAddress"));
        Assert.True((bool)v.Prop("SpfAligned")!);
        Assert.Equal("Pass", v.Str("DmarcResult"));
    }

    [Fact]
    public void Unsigned_message_from_an_unauthorized_ip_fails_dmarc_under_p_reject()
    {
        var v = Test("unsigned.eml", new Dictionary<string, object?> { ["IPAddress"] = "192.0.2.55" }).Single();

        Assert.Equal("Fail", v.Str("SpfResult"));
        Assert.Equal("Fail", v.Str("DmarcResult"));
        Assert.Equal("Fail", v.Str("Verdict"));
        Assert.Contains("MessageDmarcFailed", Codes(v));
    }

    [Fact]
    public void Connecting_ip_comes_from_the_received_header_when_no_IPAddress_is_given()
    {
        var v = Test("received.eml").Single();

        Assert.Equal("198.51.100.25", v.Str("IPAddress"));
        Assert.Equal("out1.contoso.example", v.Str("HeloName"));
        Assert.Equal("Pass", v.Str("SpfResult"));
    }

    [Fact]
    public void Authentication_results_in_the_message_are_parsed_for_comparison()
    {
        var results = Test("received.eml").Single().Items("AuthenticationResults");

        Assert.Equal(new[] { "spf", "dkim", "dmarc" }, results.Select(x => x.Str("Method")));
        Assert.Equal(new[] { "pass", "none", "pass" }, results.Select(x => x.Str("Result")));
        Assert.All(results, x => Assert.Equal("mx.receiver.example", x.Str("AuthServId")));
        Assert.Equal("smtp.mailfrom=bounce@contoso.example", results[0].Str("PropertyText"));
    }

    [Fact]
    public void Message_without_arc_headers_has_arc_none()
    {
        var arc = PSObject.AsPSObject(Test("rfc8463.eml").Single().Prop("Arc")!);

        Assert.Equal("None", arc.Str("Result"));
        Assert.Equal(0, (int)arc.Prop("ChainLength")!);
    }

    [Theory]
    [InlineData("two-from.eml", "MessageMultipleFrom", "Error")]
    [InlineData("no-date.eml", "MessageDateMissing", "Error")]
    [InlineData("bulk.eml", "MessageBulkWithoutListUnsubscribe", "Warning")]
    public void Header_problems_are_header_findings_with_their_code(string file, string code, string severity)
    {
        var v = Test(file).Single();

        var finding = Assert.Single(v.Items("HeaderFindings"));
        Assert.Equal(code, finding.Str("Code"));
        Assert.Equal(severity, finding.Str("Severity"));
        Assert.Contains(code, Codes(v));
    }

    [Fact]
    public void Broken_file_is_an_InvalidMessageFile_error_and_the_other_files_go_on()
    {
        var r = f.Run("Test-MailMessage", new Dictionary<string, object?>
        {
            ["Path"] = new[] { f.PathOf("rfc8463.eml"), f.PathOf("not-a-message.eml"), f.PathOf("signed-here.eml") },
        });

        Assert.Equal(new[] { "rfc8463.eml", "signed-here.eml" }, r.Output.Select(o => Path.GetFileName(o.Str("File"))));
        var error = Assert.Single(r.Errors);
        Assert.Equal("InvalidMessageFile,MailOps.Commands.TestMailMessageCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Equal(f.PathOf("not-a-message.eml"), error.TargetObject);
    }

    [Fact]
    public void Missing_file_is_a_MessageFileNotFound_error()
    {
        var r = f.Run("Test-MailMessage", new Dictionary<string, object?> { ["LiteralPath"] = new[] { f.PathOf("nowhere.eml") } });

        Assert.Empty(r.Output);
        var error = Assert.Single(r.Errors);
        Assert.Equal("MessageFileNotFound,MailOps.Commands.TestMailMessageCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
    }

    [Fact]
    public void Wildcard_path_checks_every_matching_file()
    {
        var r = f.Run("Test-MailMessage", new Dictionary<string, object?> { ["Path"] = new[] { Path.Combine(f.Folder, "*-key.eml") } });

        r.ThrowIfFailed();
        Assert.Equal(new[] { "no-key.eml", "revoked-key.eml" }, r.Output.Select(o => Path.GetFileName(o.Str("File"))).OrderBy(n => n, StringComparer.Ordinal));
    }

    [Fact]
    public void Rows_with_a_FullName_column_bind_by_property_name()
    {
        var r = f.Script("""
            [pscustomobject]@{ FullName = ([System.IO.Path]::Combine($folder, 'rfc8463.eml')) },
            [System.IO.FileInfo]::new(([System.IO.Path]::Combine($folder, 'signed-here.eml'))) |
                Test-MailMessage -Server $dns
            """);

        r.ThrowIfFailed();
        Assert.Equal(new[] { "rfc8463.eml", "signed-here.eml" }, r.Output.Select(o => Path.GetFileName(o.Str("File"))));
    }

    [Fact]
    public void Quiet_returns_true_for_a_passing_message_and_false_for_a_failing_one()
    {
        var r = f.Run("Test-MailMessage", new Dictionary<string, object?>
        {
            ["Path"] = new[] { f.PathOf("rfc8463.eml"), f.PathOf("altered-body.eml") },
            ["Quiet"] = true,
        });

        r.ThrowIfFailed();
        Assert.Equal(new object[] { true, false }, r.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void Verbose_shows_the_key_queries_and_each_step()
    {
        var r = f.Script("Test-MailMessage -Path ([System.IO.Path]::Combine($folder, 'signed-here.eml')) -Server $dns -Verbose");

        r.ThrowIfFailed();
        Assert.Contains(r.Verbose, line => line.Contains("s2048._domainkey.contoso.example", StringComparison.Ordinal));
        Assert.Contains(r.Verbose, line => line.StartsWith("signed-here.eml: dkim d=contoso.example s=s2048", StringComparison.Ordinal));
        Assert.Contains(r.Verbose, line => line.StartsWith("signed-here.eml: verdict", StringComparison.Ordinal));
    }
}
