namespace MailOps.Core.Spf;

/// <summary>
/// One violation of the RFC 7208 section 12 grammar. Any error makes the whole record a
/// permerror (section 4.6), but all of them are collected so an admin can fix them in one pass.
/// </summary>
public sealed class SpfSyntaxError
{
    internal SpfSyntaxError(string message, string? term, int position)
    {
        Message = message;
        Term = term;
        Position = position;
    }

    /// <summary>What is wrong, in words an admin can act on.</summary>
    public string Message { get; }

    /// <summary>The offending term as written, or null when the problem is the record as a whole.</summary>
    public string? Term { get; }

    /// <summary>The zero-based offset of the problem in the record text.</summary>
    public int Position { get; }

    /// <inheritdoc />
    public override string ToString() => Term is null ? Message : $"{Message} ('{Term}' at {Position})";
}
