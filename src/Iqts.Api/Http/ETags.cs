using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace Iqts.Api.Http;

/// <summary>Strong ETags from a row version; <c>If-Match</c> is honoured when sent.</summary>
public static class ETags
{
    public static string For(long rowVersion) => string.Create(CultureInfo.InvariantCulture, $"\"{rowVersion}\"");

    public static void Set(HttpResponse response, long rowVersion) => response.Headers.ETag = For(rowVersion);

    /// <summary>200 with the body and its ETag.</summary>
    public static Ok<T> Ok<T>(HttpResponse response, long rowVersion, T body)
    {
        Set(response, rowVersion);
        return TypedResults.Ok(body);
    }

    /// <summary>The outcome as 200 with its ETag, or its problem.</summary>
    public static Results<Ok<TBody>, ProblemHttpResult> Ok<T, TBody>(HttpResponse response, Outcome<T> outcome, Func<T, long> version, Func<T, TBody> body) =>
        outcome.Failed ? outcome.Error.ToResult() : Ok(response, version(outcome.Value), body(outcome.Value));

    /// <summary>A resource that may not exist: 200 with its ETag, or 404 naming <paramref name="what"/>.</summary>
    public static Results<Ok<TBody>, ProblemHttpResult> OkOrNotFound<T, TBody>(HttpResponse response, T? found, string what, Func<T, long> version, Func<T, TBody> body)
        where T : class =>
        found is null ? ApiErrors.NotFound(what).ToResult() : Ok(response, version(found), body(found));

    /// <summary>The outcome as 201 at <paramref name="location"/> with its ETag, or its problem.</summary>
    public static Results<Created<TBody>, ProblemHttpResult> Created<T, TBody>(HttpResponse response, Outcome<T> outcome, Func<T, long> version,
        Func<T, string> location, Func<T, TBody> body)
    {
        if (outcome.Failed)
        {
            return outcome.Error.ToResult();
        }

        Set(response, version(outcome.Value));
        return TypedResults.Created(location(outcome.Value), body(outcome.Value));
    }

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
