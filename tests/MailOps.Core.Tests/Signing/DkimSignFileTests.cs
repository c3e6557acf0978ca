using MailOps.Core.Relay.Signing;
using MailOps.TestSupport.Smtp;
using Xunit;

namespace MailOps.Core.Tests.Signing;

public sealed class DkimSignFileTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("MailOpsSignFile-").FullName;

    private readonly DkimSigningOptions options = new()
    {
        Domain = "contoso.example",
        Selector = "s2048",
        Key = DkimSigningKey.Load(SigningTestData.RsaPkcs1Pem),
    };

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Source()
    {
        string path = Path.Combine(folder, "in.eml");
        File.WriteAllBytes(path, SigningTestData.Plain());
        return path;
    }

    [Fact]
    public void Signed_file_verifies_and_the_result_describes_the_signature()
    {
        string destination = Path.Combine(folder, "out.eml");

        var result = DkimMessageSigner.SignFile(Source(), destination, options, overwrite: false);

        Assert.True(DkimPythonVerifier.Verify(File.ReadAllBytes(destination), SigningTestData.RsaRecord, "s2048._domainkey.contoso.example").Ok);
        Assert.Equal(destination, result.Path);
        Assert.Equal("contoso.example", result.Domain);
        Assert.Equal("s2048", result.Selector);
        Assert.Equal("rsa-sha256", result.Algorithm);
        Assert.Equal("relaxed/relaxed", result.Canonicalization);
        Assert.Equal("from", result.SignedHeaders[0]);
        Assert.Equal(2048, result.KeySize);
        Assert.NotEmpty(result.BodyHash);
    }

    [Fact]
    public void Existing_destination_is_refused_without_overwrite_and_left_unchanged()
    {
        string destination = Path.Combine(folder, "out.eml");
        File.WriteAllText(destination, "keep me");

        Assert.Throws<IOException>(() => DkimMessageSigner.SignFile(Source(), destination, options, overwrite: false));

        Assert.Equal("keep me", File.ReadAllText(destination));
    }

    [Fact]
    public void Signing_in_place_with_overwrite_replaces_the_file_and_leaves_no_temporary_file()
    {
        string source = Source();

        DkimMessageSigner.SignFile(source, source, options, overwrite: true);

        Assert.StartsWith("DKIM-Signature:", File.ReadAllText(source));
        Assert.Equal(new[] { source }, Directory.GetFiles(folder));
    }

    [Fact]
    public void Failed_signing_writes_nothing()
    {
        string source = Path.Combine(folder, "nofrom.eml");
        File.WriteAllText(source, "To: a@fabrikam.example\r\n\r\nbody\r\n");
        string destination = Path.Combine(folder, "out.eml");

        Assert.Throws<FormatException>(() => DkimMessageSigner.SignFile(source, destination, options, overwrite: false));

        Assert.Equal(new[] { source }, Directory.GetFiles(folder));
    }
}
