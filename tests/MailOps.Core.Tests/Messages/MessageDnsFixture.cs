using Xunit;
using System.Security.Cryptography;
using System.Text;
using MailOps.Core.Dns;
using MailOps.Core.Messages;
using MailOps.TestSupport.Dns;
using MimeKit;
using MimeKit.Cryptography;

namespace MailOps.Core.Tests.Messages;

/// <summary>
/// A DNS test server on loopback with the keys and policies the message tests need: the RFC 8463
/// appendix A keys of football.example.com (Ed25519 brisbane, RSA test from dkimpy's test.txt),
/// the dkimpy bad key records under their own selectors, a key generated here for contoso.example
/// (messages signed in the tests with MimeKit's DkimSigner), SPF and DMARC records, a revoked key
/// and a failing name. The production resolver is pointed at it, so every lookup crosses the wire.
/// </summary>
public sealed class MessageDnsFixture : IDisposable
{
    /// <summary>The RFC 8463 appendix A Ed25519 public key.</summary>
    public const string Ed25519Key = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

    public MessageDnsFixture()
    {
        Rsa = RSA.Create(2048);
        string contosoKey = Convert.ToBase64String(Rsa.ExportSubjectPublicKeyInfo());
        var zone = new DnsZone()
            .AddTxt("brisbane._domainkey.football.example.com", "v=DKIM1; k=ed25519; p=" + Ed25519Key)
            .AddLongTxt("test._domainkey.football.example.com", Conformance("test.txt"))
            .AddLongTxt("badk._domainkey.football.example.com", Conformance("badk.txt"))
            .AddLongTxt("badversion._domainkey.football.example.com", Conformance("badversion.txt"))
            .AddLongTxt("tlsrpt._domainkey.football.example.com", Conformance("test_tlsrpt.txt"))
            .AddLongTxt("corrupt._domainkey.football.example.com", Conformance("test_bad.txt"))
            .AddTxt("revoked._domainkey.football.example.com", "v=DKIM1; k=rsa; p=")
            .AddTxt("_dmarc.football.example.com", "v=DMARC1; p=reject")
            .AddTxt("football.example.com", "v=spf1 ip4:192.0.2.0/24 -all")
            .AddLongTxt("s2048._domainkey.contoso.example", "v=DKIM1; k=rsa; p=" + contosoKey)
            .AddTxt("contoso.example", "v=spf1 ip4:198.51.100.0/24 -all")
            .AddTxt("_dmarc.contoso.example", "v=DMARC1; p=reject; adkim=r; aspf=r")
            .AddLongTxt("s2048._domainkey.esp.example", "v=DKIM1; k=rsa; p=" + contosoKey)
            .AddTxt("bounces.esp.example", "v=spf1 ip4:203.0.113.0/24 -all")
            .AddTxt("_dmarc.monitor.example", "v=DMARC1; p=none")
            .AddTxt("monitor.example", "v=spf1 ip4:198.51.100.0/24 -all")
            .AddA("nodmarc.example", "192.0.2.99");
        Server = new DnsTestServer(zone).Start();
        Server.SetFault("broken._domainkey.football.example.com", "TXT", DnsFault.ServerFailure);
        Resolver = NewResolver();
    }

    /// <summary>A resolver of its own (with an empty cache) pointed at the test server.</summary>
    public IDnsResolver NewResolver() => DnsResolverFactory.Create(new DnsResolverOptions
    {
        Servers = new List<string> { Server.Endpoint },
        Timeout = TimeSpan.FromSeconds(2),
    });

    /// <summary>The key published at s2048._domainkey.contoso.example (and esp.example).</summary>
    public RSA Rsa { get; }

    public DnsTestServer Server { get; }

    public IDnsResolver Resolver { get; }

    /// <summary>A date inside the validity of every signature the tests make.</summary>
    public static DateTimeOffset Now { get; } = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A file of tests/Conformance/dkim, as text.</summary>
    public static string Conformance(string name)
        => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Conformance", "dkim", name)).Trim();

    /// <summary>Analyzes message text.</summary>
    public Task<MailMessageVerdict> AnalyzeAsync(string text, MailMessageCheckOptions? options = null, IDnsResolver? resolver = null)
    {
        options ??= new MailMessageCheckOptions();
        options.Now ??= Now;
        return new MailMessageAnalyzer(resolver ?? Resolver).AnalyzeAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), "test.eml", options, CancellationToken.None);
    }

    /// <summary>A plain message from <paramref name="from"/>, with the given extra header lines first.</summary>
    public static string Plain(string from, params string[] extraHeaders)
        => string.Concat(extraHeaders.Select(h => h + "\r\n"))
            + $"From: Sender <{from}>\r\nTo: rcpt@receiver.example\r\nSubject: Quarterly numbers\r\nDate: Sun, 1 Jun 2025 10:00:00 +0000\r\nMessage-ID: <1@{from.Split('@')[1]}>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nHello,\r\nthe numbers are attached.\r\n";

    /// <summary>Signs <paramref name="text"/> rsa-sha256 relaxed/relaxed with the published key
    /// (d=<paramref name="domain"/>, s=s2048), as a sending MTA would.</summary>
    public string Sign(string text, string domain = "contoso.example")
    {
        MimeMessage message = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(text)));
        var signer = new DkimSigner(new MemoryStream(Encoding.ASCII.GetBytes(Rsa.ExportRSAPrivateKeyPem())), domain, "s2048", DkimSignatureAlgorithm.RsaSha256)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        };
        signer.Sign(message, new[] { HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId });
        using var output = new MemoryStream();
        message.WriteTo(output);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    public void Dispose()
    {
        Server.Dispose();
        Rsa.Dispose();
    }
}
