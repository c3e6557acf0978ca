using System;
using System.IO;

namespace MailOps.Core.Reports;

/// <summary>
/// A read-only stream that replays a few bytes already read (to sniff the format) before the
/// rest of the inner stream. Lets the readers look at the first bytes of a non-seekable stream
/// (a gzip or zip entry) without buffering the whole content.
/// </summary>
internal sealed class PrefixedStream : Stream
{
    private readonly byte[] prefix;
    private readonly int prefixLength;
    private readonly Stream inner;
    private int prefixPosition;

    private PrefixedStream(byte[] prefix, int prefixLength, Stream inner)
    {
        this.prefix = prefix;
        this.prefixLength = prefixLength;
        this.inner = inner;
    }

    /// <summary>Reads up to <paramref name="count"/> bytes of <paramref name="inner"/> and
    /// returns them together with a stream that still yields every byte.</summary>
    public static Stream Peek(Stream inner, int count, out byte[] head)
    {
        var buffer = new byte[count];
        int read = 0;
        while (read < count)
        {
            int n = inner.Read(buffer, read, count - read);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        head = new byte[read];
        Array.Copy(buffer, head, read);
        return new PrefixedStream(buffer, read, inner);
    }

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count)
    {
        if (prefixPosition < prefixLength)
        {
            int n = Math.Min(count, prefixLength - prefixPosition);
            Array.Copy(prefix, prefixPosition, buffer, offset, n);
            prefixPosition += n;
            return n;
        }

        return inner.Read(buffer, offset, count);
    }

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
