using System;
using System.Globalization;

namespace MailOps.Core.Store;

/// <summary>
/// How the store writes instants: UTC, millisecond precision, fixed width with a Z, so that text
/// comparison in SQL (<c>expires_at &gt; @now</c>) is time comparison and a value read back
/// equals the value written.
/// </summary>
internal static class StoreTime
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>An instant as the store writes it. Unspecified kinds count as local time, which is
    /// what a user who types a date means (Get-Date, [datetime]'2025-02-01').</summary>
    public static string ToText(DateTime value) => Truncate(ToUtc(value)).ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>A stored instant, as a UTC DateTime.</summary>
    public static DateTime FromText(string text)
        => DateTime.ParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    /// <summary>UTC with the milliseconds the store keeps.</summary>
    public static DateTime Truncate(DateTime utc) => new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);

    /// <summary>Local and unspecified times converted to UTC.</summary>
    public static DateTime ToUtc(DateTime value)
        => value.Kind == DateTimeKind.Utc ? value : DateTime.SpecifyKind(value, DateTimeKind.Local).ToUniversalTime();
}
