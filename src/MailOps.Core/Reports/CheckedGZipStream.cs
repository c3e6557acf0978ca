using System;
using System.IO;
using System.IO.Compression;

namespace MailOps.Core.Reports;

/// <summary>
/// Gzip decompression that notices truncation. The runtime's GZipStream returns end of stream
/// when the compressed input simply stops (a half-downloaded .xml.gz), so a cut that falls
/// between two XML elements would go unnoticed. RFC 1952 section 2.3.1 ends every member with
/// ISIZE, the uncompressed length modulo 2^32: at the end, the last four bytes of the input must
/// equal the bytes produced. A mismatch throws <see cref="InvalidDataException"/>.
/// </summary>
internal sealed class CheckedGZipStream : Stream
{
    private readonly TailRecorder input;
    private readonly GZipStream gzip;
    private long produced;
    private bool checkedEnd;

    public CheckedGZipStream(Stream compressed)
    {
        input = new TailRecorder(compressed);
        gzip = new GZipStream(input, CompressionMode.Decompress);
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count)
    {
        int n = gzip.Read(buffer, offset, count);
        produced += n;
        if (n == 0 && count > 0 && !checkedEnd)
        {
            checkedEnd = true;
            uint expected = input.TailUInt32();
            if (input.Total < 18 || expected != (uint)(produced & 0xFFFFFFFF))
            {
                throw new InvalidDataException($"the gzip data is truncated: it ends after {input.Total:N0} compressed bytes without its RFC 1952 trailer (gzip says {expected:N0} bytes, {produced:N0} were decompressed)");
            }
        }

        return n;
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
            gzip.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Passes the compressed bytes through and remembers the last four.</summary>
    private sealed class TailRecorder : Stream
    {
        private readonly Stream inner;
        private readonly byte[] tail = new byte[4];

        public TailRecorder(Stream inner) => this.inner = inner;

        public long Total { get; private set; }

        public uint TailUInt32()
        {
            // Little-endian (RFC 1952 section 2.1); tail is a ring indexed by Total.
            uint value = 0;
            for (int i = 0; i < 4; i++)
            {
                value |= (uint)tail[(int)((Total + i) % 4)] << (8 * i);
            }

            return value;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = inner.Read(buffer, offset, count);
            for (int i = Math.Max(0, n - 4); i < n; i++)
            {
                tail[(int)((Total + i) % 4)] = buffer[offset + i];
            }

            Total += n;
            return n;
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
