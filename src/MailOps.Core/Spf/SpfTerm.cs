namespace MailOps.Core.Spf;

/// <summary>
/// One space-separated term of an SPF record: a directive (<see cref="SpfMechanism"/>) or a
/// <see cref="SpfModifier"/> (RFC 7208 section 4.6.1). The exact text is kept so findings,
/// traces and mergers can quote what the domain owner wrote.
/// </summary>
public abstract class SpfTerm
{
    private protected SpfTerm(string text, int position)
    {
        Text = text;
        Position = position;
    }

    /// <summary>The term exactly as written in the record, qualifier included.</summary>
    public string Text { get; }

    /// <summary>The zero-based offset of the term in the record text.</summary>
    public int Position { get; }

    /// <inheritdoc />
    public override string ToString() => Text;
}
