using MailOps.Core.Dkim;
using Xunit;

namespace MailOps.Core.Tests.Dkim;

/// <summary>Key records come from anyone's DNS: no input may make the parser throw, and a
/// damaged key must never be reported with a size.</summary>
public sealed class DkimFuzzTests
{
    [Theory]
    [InlineData(DkimKeyType.Rsa)]
    [InlineData(DkimKeyType.Ed25519)]
    public void Random_bytes_as_a_key_never_throw_and_give_a_size_or_a_parse_error(DkimKeyType type)
    {
        var random = new Random(6376);
        for (int i = 0; i < 2000; i++)
        {
            byte[] bytes = new byte[random.Next(0, 600)];
            random.NextBytes(bytes);
            if (i % 3 == 0 && bytes.Length > 4)
            {
                // Start like a DER SEQUENCE so the reader gets past the first byte.
                bytes[0] = 0x30;
                bytes[1] = (byte)random.Next(0x80, 0x86);
            }

            string record = $"k={type.ToString().ToLowerInvariant()}; p=" + Convert.ToBase64String(bytes);

            var r = DkimParser.Parse(record);

            Assert.True(r.KeySize is not null || r.Findings.Any(f => f.Code == DkimFindingCodes.DkimKeyParseError || f.Code == DkimFindingCodes.DkimKeyRevoked), record);
        }
    }

    [Fact]
    public void Every_truncation_of_a_valid_key_is_a_parse_error()
    {
        byte[] key = Convert.FromBase64String(DkimTestKeys.Spki(1024));
        for (int length = 1; length < key.Length; length++)
        {
            var r = DkimParser.Parse("p=" + Convert.ToBase64String(key[..length]));

            Assert.Null(r.KeySize);
            Assert.Contains(r.Findings, f => f.Code == DkimFindingCodes.DkimKeyParseError);
        }
    }

    [Fact]
    public void Single_byte_corruptions_of_a_valid_key_never_throw()
    {
        byte[] key = Convert.FromBase64String(DkimTestKeys.Spki(1024));
        var random = new Random(8463);
        for (int i = 0; i < key.Length; i++)
        {
            byte[] copy = (byte[])key.Clone();
            copy[i] = (byte)random.Next(256);

            var r = DkimParser.Parse("p=" + Convert.ToBase64String(copy));

            Assert.True(r.KeySize is > 0 || r.Findings.Any(f => f.Code == DkimFindingCodes.DkimKeyParseError));
        }
    }

    [Fact]
    public void Random_text_as_a_record_never_throws()
    {
        var random = new Random(8301);
        const string alphabet = "vkphstn=;: \t\r\n*DKIM1rsaed25519ABCxyz+/0123456789\u00e9\u0000";
        for (int i = 0; i < 3000; i++)
        {
            char[] chars = new char[random.Next(0, 120)];
            for (int c = 0; c < chars.Length; c++)
            {
                chars[c] = alphabet[random.Next(alphabet.Length)];
            }

            var r = DkimParser.Parse(new string(chars));

            Assert.NotNull(r.Findings);
        }
    }
}
