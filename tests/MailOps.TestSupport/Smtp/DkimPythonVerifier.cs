using System.Diagnostics;
using MailOps.TestSupport.PowerShell;

namespace MailOps.TestSupport.Smtp;

/// <summary>
/// An independent DKIM verifier for signing tests: dkim_verify.py beside this file, run by
/// Debian's /usr/bin/python3 with python3-dkim (dkimpy). The key record is passed on the command
/// line and served to dkimpy through its dnsfunc hook, so nothing touches the network.
/// </summary>
public static class DkimPythonVerifier
{
    /// <summary>The script's path in the repository.</summary>
    public static string ScriptPath => Path.Combine(RepositoryPaths.Root, "tests", "MailOps.TestSupport", "Smtp", "dkim_verify.py");

    /// <summary>
    /// Verifies the top-most DKIM-Signature of <paramref name="message"/> against
    /// <paramref name="keyRecord"/>; when <paramref name="keyName"/> is given, only that name
    /// resolves (so a wrong d= or s= fails).
    /// </summary>
    public static DkimPythonVerdict Verify(byte[] message, string keyRecord, string? keyName = null)
    {
        if (!File.Exists(SmtpTestServer.Python))
        {
            throw new InvalidOperationException($"{SmtpTestServer.Python} is missing: install python3-dkim (apt-get install -y python3-dkim).");
        }

        var start = new ProcessStartInfo(SmtpTestServer.Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ScriptPath);
        start.ArgumentList.Add(keyRecord);
        if (keyName is not null)
        {
            start.ArgumentList.Add(keyName);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.BaseStream.Write(message);
        process.StandardInput.Close();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("dkim_verify.py did not finish within 60 s.");
        }

        string output = stdout.Result.Trim();
        if (output.Length == 0)
        {
            throw new InvalidOperationException("dkim_verify.py printed nothing (is python3-dkim installed?): " + stderr.Result);
        }

        return new DkimPythonVerdict(output, stderr.Result);
    }
}

/// <summary>What dkimpy said: "signature ok" or "signature verification failed", and its log.</summary>
public sealed record DkimPythonVerdict(string Output, string Log)
{
    /// <summary>True when dkimpy verified the signature.</summary>
    public bool Ok => Output == "signature ok";

    /// <inheritdoc />
    public override string ToString() => Output + Environment.NewLine + Log;
}
