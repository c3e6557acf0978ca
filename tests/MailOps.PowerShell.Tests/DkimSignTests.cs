using System.Management.Automation;
using MailOps.TestSupport.PowerShell;
using MailOps.TestSupport.Smtp;

namespace MailOps.PowerShell.Tests;

/// <summary>Add-DkimSignature through real PowerShell; signatures checked by dkimpy and by Test-MailMessage over a real DNS server.</summary>
public sealed class DkimSignTests : IClassFixture<DkimSignFixture>
{
    private readonly DkimSignFixture f;

    public DkimSignTests(DkimSignFixture fixture) => f = fixture;

    private PowerShellResult Sign(string destination, Dictionary<string, object?> extra)
    {
        var parameters = new Dictionary<string, object?>
        {
            ["Path"] = f.PathOf("unsigned.eml"),
            ["Destination"] = destination,
            ["Domain"] = "contoso.example",
            ["Selector"] = "s2048",
            ["KeyPath"] = f.PathOf("rsa.pem"),
        };
        foreach (var (key, value) in extra)
        {
            parameters[key] = value;
        }

        return f.Host.Invoke("Add-DkimSignature", parameters);
    }

    private PowerShellResult Sign(string destination) => Sign(destination, new Dictionary<string, object?>());

    private static string ErrorId(PowerShellResult r)
    {
        var terminating = Assert.IsAssignableFrom<IContainsErrorRecord>(r.Terminating);
        return terminating.ErrorRecord.FullyQualifiedErrorId;
    }

    [Fact]
    public void Rsa_signature_is_relaxed_relaxed_by_default_and_verifies_with_dkimpy()
    {
        string destination = Path.Combine(f.NewOutputFolder(), "signed.eml");

        var r = Sign(destination);

        r.ThrowIfFailed();
        var result = r.Single();
        Assert.Equal("MailOps.Core.Relay.Signing.DkimSigningResult", result.TypeNames[0]);
        Assert.Equal(destination, result.Str("Path"));
        Assert.Equal(f.PathOf("unsigned.eml"), result.Str("SourcePath"));
        Assert.Equal("rsa-sha256", result.Str("Algorithm"));
        Assert.Equal("relaxed/relaxed", result.Str("Canonicalization"));
        Assert.Equal(2048, (int)result.Prop("KeySize")!);
        var verdict = DkimPythonVerifier.Verify(File.ReadAllBytes(destination), f.RsaRecord, "s2048._domainkey.contoso.example");
        Assert.True(verdict.Ok, verdict.ToString());
    }

    [Fact]
    public void Ed25519_seed_key_signs_ed25519_sha256_that_dkimpy_verifies()
    {
        string destination = Path.Combine(f.NewOutputFolder(), "signed.eml");

        var r = Sign(destination, new() { ["Domain"] = "football.example.com", ["Selector"] = "brisbane", ["KeyPath"] = f.PathOf("ed25519.key") });

        r.ThrowIfFailed();
        Assert.Equal("ed25519-sha256", r.Single().Str("Algorithm"));
        var verdict = DkimPythonVerifier.Verify(File.ReadAllBytes(destination), DkimSignFixture.Ed25519Record, "brisbane._domainkey.football.example.com");
        Assert.True(verdict.Ok, verdict.ToString());
    }

    [Fact]
    public void Simple_simple_canonicalization_is_signed_as_asked_and_verifies_with_dkimpy()
    {
        string destination = Path.Combine(f.NewOutputFolder(), "signed.eml");

        var r = Sign(destination, new() { ["HeaderCanonicalization"] = "simple", ["BodyCanonicalization"] = "simple" });

        r.ThrowIfFailed();
        Assert.Equal("simple/simple", r.Single().Str("Canonicalization"));
        Assert.True(DkimPythonVerifier.Verify(File.ReadAllBytes(destination), f.RsaRecord, "s2048._domainkey.contoso.example").Ok);
    }

    [Fact]
    public void Signed_message_piped_to_Test_MailMessage_passes_dkim_and_dmarc_against_the_published_key()
    {
        var r = f.Script(
            @"Add-DkimSignature -Path ""$folder/unsigned.eml"" -Destination ""$out/signed.eml"" -Domain contoso.example -Selector s2048 -KeyPath ""$folder/rsa.pem"" | Test-MailMessage -Server $dns",
            new() { ["out"] = f.NewOutputFolder() });

        r.ThrowIfFailed();
        var verdict = r.Single();
        var dkim = verdict.Items("Dkim").Single();
        Assert.Equal("Pass", dkim.Str("Result"));
        Assert.Equal("contoso.example", dkim.Str("Domain"));
        Assert.Equal("s2048", dkim.Str("Selector"));
        Assert.Equal("Pass", verdict.Str("DkimResult"));
        Assert.Equal("Pass", verdict.Str("DmarcResult"));
    }

    [Fact]
    public void Message_altered_after_signing_fails_Test_MailMessage_and_dkimpy()
    {
        string destination = Path.Combine(f.NewOutputFolder(), "signed.eml");
        Sign(destination).ThrowIfFailed();
        File.WriteAllText(destination, File.ReadAllText(destination).Replace("your invoice is attached.", "pay to IBAN XX00 0000."));

        var r = f.Host.Invoke("Test-MailMessage", new Dictionary<string, object?> { ["Path"] = new[] { destination }, ["Server"] = new[] { f.Dns.Endpoint } });

        var dkim = r.Single().Items("Dkim").Single();
        Assert.Equal("Fail", dkim.Str("Result"));
        Assert.StartsWith("body hash mismatch", dkim.Str("Error"));
        Assert.False(DkimPythonVerifier.Verify(File.ReadAllBytes(destination), f.RsaRecord, "s2048._domainkey.contoso.example").Ok);
    }

    [Fact]
    public void Key_of_512_bits_is_refused_with_DkimKeyTooWeak_and_nothing_is_written()
    {
        string output = f.NewOutputFolder();

        var r = Sign(Path.Combine(output, "signed.eml"), new() { ["KeyPath"] = f.PathOf("weak.pem") });

        Assert.StartsWith("DkimKeyTooWeak", ErrorId(r));
        Assert.Equal(ErrorCategory.SecurityError, ((IContainsErrorRecord)r.Terminating!).ErrorRecord.CategoryInfo.Category);
        Assert.Empty(Directory.GetFiles(output));
    }

    [Fact]
    public void Missing_key_file_is_DkimKeyFileNotFound()
    {
        var r = Sign(Path.Combine(f.NewOutputFolder(), "signed.eml"), new() { ["KeyPath"] = f.PathOf("missing.pem") });

        Assert.StartsWith("DkimKeyFileNotFound", ErrorId(r));
    }

    [Fact]
    public void File_that_is_no_key_is_InvalidDkimSigningKey()
    {
        var r = Sign(Path.Combine(f.NewOutputFolder(), "signed.eml"), new() { ["KeyPath"] = f.PathOf("not-a-key.pem") });

        Assert.StartsWith("InvalidDkimSigningKey", ErrorId(r));
    }

    [Fact]
    public void Ed25519_algorithm_with_an_rsa_key_is_DkimKeyAlgorithmMismatch()
    {
        var r = Sign(Path.Combine(f.NewOutputFolder(), "signed.eml"), new() { ["Algorithm"] = "ed25519-sha256" });

        Assert.StartsWith("DkimKeyAlgorithmMismatch", ErrorId(r));
    }

    [Fact]
    public void Invalid_signing_domain_is_InvalidDomainName()
    {
        var r = Sign(Path.Combine(f.NewOutputFolder(), "signed.eml"), new() { ["Domain"] = "not a domain" });

        Assert.StartsWith("InvalidDomainName", ErrorId(r));
    }

    [Fact]
    public void WhatIf_writes_nothing()
    {
        string output = f.NewOutputFolder();

        var r = Sign(Path.Combine(output, "signed.eml"), new() { ["WhatIf"] = true });

        Assert.Empty(r.Output);
        Assert.Empty(r.Errors);
        Assert.Empty(Directory.GetFiles(output));
    }

    [Fact]
    public void Existing_destination_without_Force_is_DkimDestinationExists_and_keeps_the_file()
    {
        string destination = Path.Combine(f.NewOutputFolder(), "signed.eml");
        File.WriteAllText(destination, "keep me");

        var r = Sign(destination);

        Assert.Equal("DkimDestinationExists,MailOps.Commands.AddDkimSignatureCommand", Assert.Single(r.Errors).FullyQualifiedErrorId);
        Assert.Equal("keep me", File.ReadAllText(destination));
    }

    [Fact]
    public void Existing_destination_with_Force_is_replaced_by_the_signed_message()
    {
        string destination = Path.Combine(f.NewOutputFolder(), "signed.eml");
        File.WriteAllText(destination, "old");

        Sign(destination, new() { ["Force"] = true }).ThrowIfFailed();

        Assert.True(DkimPythonVerifier.Verify(File.ReadAllBytes(destination), f.RsaRecord, "s2048._domainkey.contoso.example").Ok);
    }

    [Fact]
    public void Piped_rows_into_a_folder_keep_file_names_and_a_missing_file_does_not_stop_the_others()
    {
        string output = f.NewOutputFolder();
        var r = f.Script(
            @"@([pscustomobject]@{ FullName = ""$folder/missing.eml"" }, [pscustomobject]@{ FullName = ""$folder/unsigned.eml"" }) | "
            + @"Add-DkimSignature -Destination $out -Domain contoso.example -Selector s2048 -KeyPath ""$folder/rsa.pem""",
            new() { ["out"] = output });

        Assert.Equal("MessageFileNotFound,MailOps.Commands.AddDkimSignatureCommand", Assert.Single(r.Errors).FullyQualifiedErrorId);
        Assert.Equal(Path.Combine(output, "unsigned.eml"), Assert.Single(r.Output).Str("Path"));
        Assert.True(DkimPythonVerifier.Verify(File.ReadAllBytes(Path.Combine(output, "unsigned.eml")), f.RsaRecord, "s2048._domainkey.contoso.example").Ok);
    }

    [Fact]
    public void Explicit_header_list_is_signed_with_from_added()
    {
        var r = Sign(Path.Combine(f.NewOutputFolder(), "signed.eml"), new() { ["Headers"] = new[] { "Subject", "To" } });

        r.ThrowIfFailed();
        Assert.Equal(new[] { "from", "subject", "to" }, ((object[])r.Single().Prop("SignedHeaders")!).Cast<string>());
    }

    [Fact]
    public void Verbose_shows_the_key_record_to_publish()
    {
        var r = Sign(Path.Combine(f.NewOutputFolder(), "signed.eml"), new() { ["Verbose"] = true });

        Assert.Contains(r.Verbose, line => line.Contains("s2048._domainkey.contoso.example") && line.Contains(f.RsaRecord));
    }
}
