using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MimeKit;

namespace MailOps.Core.Bounces;

/// <summary>
/// Reads bounce messages from files: a single message (.eml) or an mbox of many. Returns rows and
/// problems as data, so the caller decides what is an error: a single non-bounce is worth telling,
/// an ordinary message in a mailbox export is not.
/// </summary>
public static class BounceFileReader
{
    // An mbox starts with a "From " separator line (RFC 4155 section 2); a message never does.
    private static readonly byte[] MboxMarker = Encoding.ASCII.GetBytes("From ");

    /// <summary>Reads the file at <paramref name="path"/>.</summary>
    public static async Task<BounceFileResult> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        if (path is null)
        {
            throw new ArgumentNullException(nameof(path));
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 81920, useAsync: true);
        return await ReadAsync(stream, path, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a message or mbox from <paramref name="stream"/>; <paramref name="file"/>
    /// names it in the rows.</summary>
    public static async Task<BounceFileResult> ReadAsync(Stream stream, string file, CancellationToken cancellationToken)
    {
        if (stream is null)
        {
            throw new ArgumentNullException(nameof(stream));
        }

        // Read the whole file: bounces are small, and the mbox test needs a seekable start.
        var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, 81920, cancellationToken).ConfigureAwait(false);
        buffer.Position = 0;
        if (buffer.Length == 0)
        {
            return BounceFileResult.Failed(file, BounceFileProblem.InvalidMessageFile, "The file is empty.");
        }

        if (LooksBinary(buffer))
        {
            return BounceFileResult.Failed(file, BounceFileProblem.InvalidMessageFile, "The file holds binary data, not a message (RFC 5322) or an mbox.");
        }

        return StartsWith(buffer, MboxMarker)
            ? await ReadMboxAsync(buffer, file, cancellationToken).ConfigureAwait(false)
            : await ReadMessageAsync(buffer, file, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<BounceFileResult> ReadMessageAsync(Stream stream, string file, CancellationToken cancellationToken)
    {
        MimeMessage message;
        try
        {
            message = await new MimeParser(stream, MimeFormat.Entity).ParseMessageAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (FormatException ex)
        {
            return BounceFileResult.Failed(file, BounceFileProblem.InvalidMessageFile, "The file is not a message (RFC 5322): " + ex.Message);
        }

        BounceMessageOutcome outcome = BounceMessageReader.Read(message, file, 1, out List<MailBounce> rows, out string? reason);
        return outcome switch
        {
            BounceMessageOutcome.Bounce => new BounceFileResult(file, rows.ToArray(), false, 1, BounceFileProblem.None, null, Array.Empty<string>()),
            BounceMessageOutcome.NotABounce => new BounceFileResult(file, Array.Empty<MailBounce>(), false, 1, BounceFileProblem.NotABounce, reason, Array.Empty<string>()),
            _ => new BounceFileResult(file, Array.Empty<MailBounce>(), false, 1, BounceFileProblem.InvalidMessageFile, reason, Array.Empty<string>()),
        };
    }

    private static async Task<BounceFileResult> ReadMboxAsync(Stream stream, string file, CancellationToken cancellationToken)
    {
        var parser = new MimeParser(stream, MimeFormat.Mbox);
        var rows = new List<MailBounce>();
        var notes = new List<string>();
        int number = 0;
        while (!parser.IsEndOfStream)
        {
            cancellationToken.ThrowIfCancellationRequested();
            MimeMessage message;
            try
            {
                message = await parser.ParseMessageAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (FormatException ex)
            {
                return new BounceFileResult(file, rows.ToArray(), true, number, BounceFileProblem.InvalidMessageFile,
                    $"Message {number + 1} of the mbox cannot be read: {ex.Message}", notes.ToArray());
            }

            number++;
            BounceMessageOutcome outcome = BounceMessageReader.Read(message, file, number, out List<MailBounce> found, out string? reason);
            if (outcome == BounceMessageOutcome.Bounce)
            {
                rows.AddRange(found);
                notes.Add($"{file}: message {number} is a bounce with {found.Count} recipient(s).");
            }
            else
            {
                // A mailbox export mixes bounces with other mail: skipping them is the normal case.
                notes.Add($"{file}: message {number} ({message.Subject}) skipped: {reason}");
            }
        }

        return new BounceFileResult(file, rows.ToArray(), true, number, BounceFileProblem.None, null, notes.ToArray());
    }

    private static bool StartsWith(MemoryStream buffer, byte[] prefix)
    {
        byte[] data = buffer.GetBuffer();
        if (buffer.Length < prefix.Length)
        {
            return false;
        }

        for (int i = 0; i < prefix.Length; i++)
        {
            if (data[i] != prefix[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>NUL bytes in the first 8 KiB: text mail never has them (RFC 5322 section 2.1 and
    /// RFC 2045 section 2.7 forbid NUL), executables, archives and images nearly always do.</summary>
    private static bool LooksBinary(MemoryStream buffer)
    {
        byte[] data = buffer.GetBuffer();
        long length = Math.Min(buffer.Length, 8192);
        for (long i = 0; i < length; i++)
        {
            if (data[i] == 0)
            {
                return true;
            }
        }

        return false;
    }
}
