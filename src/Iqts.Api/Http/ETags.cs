using System.Globalization;
using Iqts.Api.Data;
using Microsoft.Net.Http.Headers;

namespace Iqts.Api.Http;

/// <summary>Strong ETags from a row version; <c>If-Match</c> is honoured when sent.</summary>
public static class ETags
{
    public static string For(long rowVersion) => string.Create(CultureInfo.InvariantCulture, $"\"{rowVersion}\"");

    public static void Set(HttpResponse response, long rowVersion) => response.Headers.ETag = For(rowVersion);

    /// <summary>
    /// The versions <c>If-Match</c> accepts: any when it is absent or <c>*</c>; the strong ETags it lists otherwise.
    /// An unreadable header matches nothing (412), as RFC 9110 asks of a precondition the server cannot evaluate.
    /// </summary>
    public static VersionCheck IfMatch(HttpRequest request)
    {
        var header = request.Headers.IfMatch;
        if (header.Count == 0)
        {
            return VersionCheck.Any;
        }

        if (!EntityTagHeaderValue.TryParseList(header, out var tags))
        {
            return VersionCheck.None;
        }

        if (tags.Any(t => t.Equals(EntityTagHeaderValue.Any)))
        {
            return VersionCheck.Any;
        }

        var versions = new List<long>();
        foreach (var tag in tags.Where(t => !t.IsWeak))
        {
            // Strong comparison is character by character (RFC 9110 §8.8.3.2): "01" is not the "1" this API issued.
            var text = tag.Tag.AsSpan().Trim('"');
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && tag.Tag.AsSpan().SequenceEqual(For(version)))
            {
                versions.Add(version);
            }
        }

        return versions.Count == 0 ? VersionCheck.None : new VersionCheck(versions);
    }
}
