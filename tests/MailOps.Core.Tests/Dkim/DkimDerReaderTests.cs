using MailOps.Core.Dkim;
using Xunit;

namespace MailOps.Core.Tests.Dkim;

/// <summary>The bounds checks of the DER reader: a failed read consumes nothing and never throws.</summary>
public sealed class DkimDerReaderTests
{
    [Fact]
    public void Length_running_past_the_data_is_refused()
    {
        var reader = new DerReader(new byte[] { 0x30, 0x05, 0x02, 0x01 });

        Assert.False(reader.TryReadNested(DerReader.Sequence, out _));
        Assert.Equal(0x30, reader.PeekTag());
    }

    [Fact]
    public void Indefinite_length_is_refused_because_der_forbids_it()
    {
        var reader = new DerReader(new byte[] { 0x30, 0x80, 0x02, 0x01, 0x01, 0x00, 0x00 });

        Assert.False(reader.TryReadNested(DerReader.Sequence, out _));
    }

    [Fact]
    public void Length_of_more_than_four_octets_is_refused()
    {
        var reader = new DerReader(new byte[] { 0x02, 0x85, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01 });

        Assert.False(reader.TryRead(DerReader.Integer, out _));
    }

    [Fact]
    public void Long_form_length_is_read()
    {
        byte[] data = new byte[] { 0x02, 0x81, 0x03, 0x01, 0x02, 0x03 };
        var reader = new DerReader(data);

        Assert.True(reader.TryRead(DerReader.Integer, out byte[] contents));
        Assert.Equal(new byte[] { 1, 2, 3 }, contents);
        Assert.False(reader.HasData);
    }

    [Fact]
    public void Nested_reader_sees_only_the_contents_of_its_element()
    {
        var reader = new DerReader(new byte[] { 0x30, 0x03, 0x02, 0x01, 0x07, 0x05, 0x00 });

        Assert.True(reader.TryReadNested(DerReader.Sequence, out DerReader inner));
        Assert.True(inner.TryRead(DerReader.Integer, out byte[] seven));
        Assert.Equal(new byte[] { 7 }, seven);
        Assert.False(inner.HasData);
        Assert.Equal(DerReader.Null, reader.PeekTag());
    }

    [Fact]
    public void Wrong_tag_consumes_nothing()
    {
        var reader = new DerReader(new byte[] { 0x02, 0x01, 0x07 });

        Assert.False(reader.TryRead(DerReader.BitString, out _));
        Assert.True(reader.TryRead(DerReader.Integer, out _));
    }
}
