using System.Text.Json;

namespace Iqts.Api.Tests.Infrastructure;

/// <summary>A client syncing a list with the cursor while others write: what it ends up holding.</summary>
public static class CursorWalk
{
    /// <summary>
    /// Reads page after page (<paramref name="page"/> gets the cursor and the page's number) until <paramref name="writers"/>
    /// have finished and a page read after that says <c>hasMore: false</c>. Returns every item seen, at the latest state
    /// seen, by its <paramref name="key"/> property, and how many pages it took. The caller awaits the writers for their faults.
    /// </summary>
    public static async Task<(Dictionary<string, JsonElement> Seen, int Pages)> WhileWritingAsync(
        Task writers, Func<string?, int, Task<JsonElement>> page, string key, string? cursor = null)
    {
        var seen = new Dictionary<string, JsonElement>();
        var pages = 0;
        while (true)
        {
            var finished = writers.IsCompleted;
            var current = await page(cursor, pages);
            foreach (var item in current.GetProperty("items").EnumerateArray())
            {
                seen[item.GetProperty(key).GetString()!] = item.Clone();
            }

            cursor = current.GetProperty("nextCursor").GetString();
            pages++;
            if (finished && !current.GetProperty("hasMore").GetBoolean())
            {
                return (seen, pages);
            }
        }
    }
}
