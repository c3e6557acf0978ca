namespace MailOps.Core.Dkim;

/// <summary>
/// A minimal reader of DER (ITU-T X.690) for the two structures a DKIM RSA key comes in:
/// SubjectPublicKeyInfo (RFC 5280 section 4.1.2.7) and PKCS#1 RSAPublicKey (RFC 8017 appendix
/// A.1.1). Key records come from anyone's DNS, so every length is checked against the bytes
/// that are really there and nothing ever throws: a failed read returns false and leaves the
/// reader where it was. netstandard2.0 has no AsnReader, and a cryptography package for one
/// length check would be one more dependency to isolate.
/// </summary>
internal sealed class DerReader
{
    /// <summary>Universal tag of INTEGER.</summary>
    public const byte Integer = 0x02;

    /// <summary>Universal tag of BIT STRING.</summary>
    public const byte BitString = 0x03;

    /// <summary>Universal tag of NULL.</summary>
    public const byte Null = 0x05;

    /// <summary>Universal tag of OBJECT IDENTIFIER.</summary>
    public const byte ObjectIdentifier = 0x06;

    /// <summary>Universal, constructed tag of SEQUENCE.</summary>
    public const byte Sequence = 0x30;

    private readonly byte[] data;
    private readonly int end;
    private int position;

    /// <summary>Reads all of <paramref name="data"/>.</summary>
    public DerReader(byte[] data)
        : this(data, 0, data.Length)
    {
    }

    private DerReader(byte[] data, int offset, int end)
    {
        this.data = data;
        position = offset;
        this.end = end;
    }

    /// <summary>True while unread bytes remain.</summary>
    public bool HasData => position < end;

    /// <summary>The tag of the next element, or -1 at the end.</summary>
    public int PeekTag() => position < end ? data[position] : -1;

    /// <summary>
    /// Reads the next element when its tag is <paramref name="tag"/>: its contents are
    /// <paramref name="contents"/>, a fresh array. False (and nothing consumed) for another tag,
    /// an indefinite or oversized length, or a length that runs past the data.
    /// </summary>
    public bool TryRead(byte tag, out byte[] contents)
    {
        contents = System.Array.Empty<byte>();
        if (!TryReadHeader(tag, out int offset, out int length))
        {
            return false;
        }

        contents = new byte[length];
        System.Array.Copy(data, offset, contents, 0, length);
        position = offset + length;
        return true;
    }

    /// <summary>Reads a constructed element (SEQUENCE) and returns a reader over its contents only.</summary>
    public bool TryReadNested(byte tag, out DerReader nested)
    {
        nested = this;
        if (!TryReadHeader(tag, out int offset, out int length))
        {
            return false;
        }

        nested = new DerReader(data, offset, offset + length);
        position = offset + length;
        return true;
    }

    private bool TryReadHeader(byte tag, out int offset, out int length)
    {
        offset = 0;
        length = 0;
        int p = position;
        if (p >= end || data[p] != tag)
        {
            return false;
        }

        p++;
        if (p >= end)
        {
            return false;
        }

        int first = data[p++];
        if (first < 0x80)
        {
            // X.690 section 8.1.3.4: short form, the length itself.
            length = first;
        }
        else
        {
            // X.690 section 8.1.3.5: long form, 1 to 4 length octets here (a DKIM key is a few
            // hundred bytes); 0x80 is the indefinite form, which DER forbids (section 10.1).
            int count = first & 0x7F;
            if (count == 0 || count > 4 || end - p < count)
            {
                return false;
            }

            long value = 0;
            for (int i = 0; i < count; i++)
            {
                value = (value << 8) | data[p++];
            }

            if (value > int.MaxValue)
            {
                return false;
            }

            length = (int)value;
        }

        if (length > end - p)
        {
            return false;
        }

        offset = p;
        return true;
    }
}
