using Microsoft.Net.Http.Headers;

namespace Iqts.Api.Http;

/// <summary>Strong ETags from a row version; <c>If-Match</c> is honoured when sent.</summary>
public static class ETags
{
    public static string For(long rowVersion) => $"\"{rowVersion}\"";

    public static void Set(HttpResponse response, long rowVersion) => response.Headers.ETag = For(rowVersion);

    /// <summary>True when there is no If-Match, it is <c>*</c>, or it lists the current ETag.</summary>
    public static bool IfMatchAllows(HttpRequest request, long rowVersion)
    {
        var header = request.Headers.IfMatch;
        if (header.Count == 0)
        {
            return true;
        }

        var current = For(rowVersion);
        return EntityTagHeaderValue.TryParseList(header, out var tags)
            && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || (!t.IsWeak && t.Tag.Equals(current, StringComparison.Ordinal)));
    }
}
