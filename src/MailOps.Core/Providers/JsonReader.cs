using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace MailOps.Core.Providers;

/// <summary>
/// A minimal JSON reader (RFC 8259) for the catalogue files the engine ships. netstandard2.0 has
/// no System.Text.Json, and a package dependency for one small data file would be one more
/// assembly to isolate from other modules. Objects become dictionaries, arrays lists, numbers
/// doubles.
/// </summary>
internal sealed class JsonReader
{
    private readonly string text;
    private int position;

    private JsonReader(string text) => this.text = text;

    /// <summary>Parses one JSON value; throws <see cref="FormatException"/> with the position of the error.</summary>
    public static object? Parse(string text)
    {
        var reader = new JsonReader(text ?? throw new ArgumentNullException(nameof(text)));
        object? value = reader.ReadValue();
        reader.SkipWhiteSpace();
        if (reader.position != text.Length)
        {
            throw reader.Error("unexpected text after the value");
        }

        return value;
    }

    private object? ReadValue()
    {
        SkipWhiteSpace();
        if (position >= text.Length)
        {
            throw Error("unexpected end of text");
        }

        char c = text[position];
        switch (c)
        {
            case '{':
                return ReadObject();
            case '[':
                return ReadArray();
            case '"':
                return ReadString();
            case 't':
                return ReadLiteral("true", true);
            case 'f':
                return ReadLiteral("false", false);
            case 'n':
                return ReadLiteral("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9'))
                {
                    return ReadNumber();
                }

                throw Error($"unexpected '{c}'");
        }
    }

    private Dictionary<string, object?> ReadObject()
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        position++;
        SkipWhiteSpace();
        if (Peek() == '}')
        {
            position++;
            return result;
        }

        while (true)
        {
            SkipWhiteSpace();
            if (Peek() != '"')
            {
                throw Error("expected a property name");
            }

            string key = ReadString();
            SkipWhiteSpace();
            Expect(':');
            result[key] = ReadValue();
            SkipWhiteSpace();
            if (Peek() == ',')
            {
                position++;
                continue;
            }

            Expect('}');
            return result;
        }
    }

    private List<object?> ReadArray()
    {
        var result = new List<object?>();
        position++;
        SkipWhiteSpace();
        if (Peek() == ']')
        {
            position++;
            return result;
        }

        while (true)
        {
            result.Add(ReadValue());
            SkipWhiteSpace();
            if (Peek() == ',')
            {
                position++;
                continue;
            }

            Expect(']');
            return result;
        }
    }

    private string ReadString()
    {
        position++;
        var builder = new StringBuilder();
        while (position < text.Length)
        {
            char c = text[position++];
            if (c == '"')
            {
                return builder.ToString();
            }

            if (c < ' ')
            {
                throw Error("control character in a string");
            }

            if (c != '\\')
            {
                builder.Append(c);
                continue;
            }

            if (position >= text.Length)
            {
                break;
            }

            char escape = text[position++];
            switch (escape)
            {
                case '"': builder.Append('"'); break;
                case '\\': builder.Append('\\'); break;
                case '/': builder.Append('/'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 't': builder.Append('\t'); break;
                case 'u':
                    if (position + 4 > text.Length || !int.TryParse(text.Substring(position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
                    {
                        throw Error("bad \\u escape");
                    }

                    builder.Append((char)code);
                    position += 4;
                    break;
                default:
                    throw Error($"bad escape '\\{escape}'");
            }
        }

        throw Error("unterminated string");
    }

    private double ReadNumber()
    {
        int start = position;
        while (position < text.Length && "+-0123456789.eE".IndexOf(text[position]) >= 0)
        {
            position++;
        }

        string number = text.Substring(start, position - start);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            throw Error($"'{number}' is not a number");
        }

        return value;
    }

    private object? ReadLiteral(string literal, object? value)
    {
        if (string.CompareOrdinal(text, position, literal, 0, literal.Length) != 0)
        {
            throw Error($"expected '{literal}'");
        }

        position += literal.Length;
        return value;
    }

    private void Expect(char c)
    {
        if (Peek() != c)
        {
            throw Error($"expected '{c}'");
        }

        position++;
    }

    private char Peek() => position < text.Length ? text[position] : '\0';

    private void SkipWhiteSpace()
    {
        while (position < text.Length && (text[position] == ' ' || text[position] == '\t' || text[position] == '\r' || text[position] == '\n'))
        {
            position++;
        }
    }

    private FormatException Error(string reason) => new FormatException($"Invalid JSON at character {position + 1}: {reason}.");
}
