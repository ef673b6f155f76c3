using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Iqts.Api.Http;

/// <summary>A page of a list. Page while <c>hasMore</c>; keep <c>nextCursor</c> to resume a sync later.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor, bool HasMore);

/// <summary>
/// Cursors are opaque to clients; inside they hold the change sequence number of the last row
/// returned. Lists are ordered by that number, which moves forward on every write, so a changed
/// row reappears later in the walk at its latest state and nothing is skipped.
/// </summary>
public static class Cursor
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 100;
    private const string Prefix = "c1:";

    public static string Encode(long changeSeq) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Prefix + changeSeq.ToString(CultureInfo.InvariantCulture)));

    public static bool TryDecode(string? cursor, out long changeSeq)
    {
        changeSeq = 0;
        if (string.IsNullOrEmpty(cursor))
        {
            return true;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            return text.StartsWith(Prefix, StringComparison.Ordinal)
                && long.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out changeSeq);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Checks limit and cursor; the error, if any, names the query parameter.</summary>
    public static Outcome<(int Limit, long After)> Parse(int? limit, string? cursor)
    {
        var errors = new ValidationErrors();
        if (limit is < 1 or > MaxLimit)
        {
            errors.Add("limit", $"must be between 1 and {MaxLimit}.");
        }

        if (!TryDecode(cursor, out var after))
        {
            errors.Add("cursor", "is not a cursor this API issued; use nextCursor from a previous page.");
        }

        return errors.IsEmpty
            ? (limit ?? DefaultLimit, after)
            : errors.ToError(errors.Has("cursor") ? ApiErrors.Cursor : null);
    }

    /// <summary>Builds the page from rows fetched with <c>LIMIT limit + 1</c>.</summary>
    public static Page<TOut> ToPage<TRow, TOut>(IReadOnlyList<TRow> rows, int limit, long after, Func<TRow, long> seq, Func<TRow, TOut> map)
    {
        var hasMore = rows.Count > limit;
        var items = rows.Take(limit).Select(map).ToList();
        var last = rows.Count == 0 ? after : seq(rows[Math.Min(limit, rows.Count) - 1]);
        return new Page<TOut>(items, Encode(last), hasMore);
    }

    /// <summary>
    /// A list handler's whole answer: <paramref name="limit"/> and <paramref name="cursor"/> checked, then the other query
    /// parameters' errors (<paramref name="query"/>), each a 400 naming the parameter; then <paramref name="read"/> is given
    /// the position after which to read and how many rows (it fetches one more), and the page is built.
    /// </summary>
    public static async Task<Results<Ok<Page<TOut>>, ProblemHttpResult>> PageAsync<TRow, TOut>(int? limit, string? cursor,
        Func<long, int, Task<IReadOnlyList<TRow>>> read, Func<TRow, long> seq, Func<TRow, TOut> map, ValidationErrors? query = null)
    {
        var paging = Parse(limit, cursor);
        if (paging.Failed || query is { IsEmpty: false })
        {
            return (paging.Failed ? paging.Error : query!.ToError(ApiErrors.QueryValue)).ToResult();
        }

        var (take, after) = paging.Value;
        return TypedResults.Ok(ToPage(await read(after, take), take, after, seq, map));
    }
}
