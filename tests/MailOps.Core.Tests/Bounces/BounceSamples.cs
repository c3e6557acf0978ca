using Xunit;
using MailOps.Core.Bounces;

namespace MailOps.Core.Tests.Bounces;

/// <summary>Reads the samples of tests/Conformance/bounces (copied to the output folder).</summary>
internal static class BounceSamples
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Conformance", "bounces", name);

    public static BounceFileResult Read(string name)
        => BounceFileReader.ReadFileAsync(PathOf(name), CancellationToken.None).GetAwaiter().GetResult();

    public static BounceFileResult ReadText(string text, string name = "inline.eml")
        => BounceFileReader.ReadAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text.Replace("\r\n", "\n"))), name, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>The single row of a sample that must hold exactly one bounce.</summary>
    public static MailBounce Single(string name)
    {
        BounceFileResult result = Read(name);
        Assert.Equal(BounceFileProblem.None, result.Problem);
        return Assert.Single(result.Bounces);
    }
}
