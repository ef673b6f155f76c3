using System.Globalization;
using System.Text.RegularExpressions;

namespace Iqts.Api.Http;

/// <summary>
/// A point in time in a query string (<c>updatedSince</c>), as RFC 3339 writes one: with its offset, <c>Z</c> or
/// <c>±hh:mm</c>. Without one (<c>2026-01-01T00:00:00</c>) .NET would read it in the server's own time zone, and a server
/// not on UTC would answer with other records (issue 18), so such a value fails binding: 400 naming the parameter.
/// </summary>
public readonly partial record struct Timestamp(DateTimeOffset Value)
{
    /// <summary>What a value without an offset, or not a timestamp, is told.</summary>
    public const string Rule = "must be an RFC 3339 timestamp with its offset, e.g. 2026-01-01T00:00:00Z or 2026-01-01T09:00:00+09:00.";

    public static bool TryParse(string? text, IFormatProvider? provider, out Timestamp result)
    {
        result = default;
        if (text is null || !WithOffset().IsMatch(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            return false;
        }

        result = new Timestamp(value);
        return true;
    }

    public static implicit operator DateTimeOffset(Timestamp timestamp) => timestamp.Value;

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex WithOffset();
}
