using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace Iqts.Api.Http;

/// <summary>
/// The one gate every request to the API passes before an endpoint reads it: query values and every string of a
/// JSON body (names and values) must pass <see cref="TextRule"/>, and a JSON body must be strict UTF-8 and
/// well-formed. So malformed input is refused the same way whichever endpoint, binder or merge patch would read it,
/// and nothing a database would choke on (a NUL, an unpaired surrogate) reaches a repository.
/// </summary>
public sealed class JsonBodyGate(RequestDelegate next)
{
    public const int MaxDepth = 16;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth };

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) || context.GetEndpoint() is null)
        {
            // Health probes read nothing; unknown routes answer 404 whatever they were sent.
            await next(context);
            return;
        }

        var error = CheckQuery(context.Request.Query) ?? await CheckBodyAsync(context.Request);
        if (error is not null)
        {
            await error.WriteAsync(context);
            return;
        }

        await next(context);
    }

    private static ApiError? CheckQuery(IQueryCollection query)
    {
        foreach (var (name, values) in query)
        {
            if (TextRule.Problem(name) is { } nameProblem)
            {
                return ApiErrors.InvalidText("$query", nameProblem);
            }

            foreach (var value in values)
            {
                if (value is not null && TextRule.Problem(value) is { } problem)
                {
                    return ApiErrors.InvalidText(name, problem);
                }
            }
        }

        return null;
    }

    private static async Task<ApiError?> CheckBodyAsync(HttpRequest request)
    {
        if (!IsJson(request.ContentType) || !(HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method)))
        {
            return null;
        }

        // Buffered so the endpoint can read the body again; the server's limit still caps it (413).
        request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: RequestLimits.For(request.HttpContext));
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        request.Body.Position = 0;
        if (buffer.Length == 0)
        {
            return null; // The binder answers request.body_missing where a body is needed.
        }

        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (bytes.Span.StartsWith(Encoding.UTF8.Preamble))
        {
            bytes = bytes[Encoding.UTF8.Preamble.Length..];
        }

        if (!System.Text.Unicode.Utf8.IsValid(bytes.Span))
        {
            return ApiErrors.MalformedJson("$", "The body is not valid UTF-8.");
        }

        try
        {
            using var document = JsonDocument.Parse(bytes, DocumentOptions);
            return CheckStrings(document.RootElement, "");
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line
                ? string.Create(CultureInfo.InvariantCulture, $" (line {line + 1}, byte {ex.BytePositionInLine + 1})")
                : "";
            return ApiErrors.MalformedJson("$", $"The body is not well-formed JSON{where}, or is nested more than {MaxDepth} levels deep.");
        }
    }

    /// <summary>Every property name and string value, with its JSON path (<c>subjects[1]</c>, <c>mentor.name</c>).</summary>
    private static ApiError? CheckStrings(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        return ApiErrors.InvalidText(path, TextRule.UnpairedSurrogate);
                    }

                    var child = path.Length == 0 ? name : $"{path}.{name}";
                    if (!seen.Add(name))
                    {
                        // RFC 8259 leaves duplicates to the reader: a binder would keep the last, a merge patch fail. Refuse them.
                        return ApiErrors.MalformedJson(child, $"The member '{name}' appears twice in one object.");
                    }

                    if ((TextRule.Problem(name) is { } problem ? ApiErrors.InvalidText(child, problem) : CheckStrings(property.Value, child)) is { } error)
                    {
                        return error;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (CheckStrings(item, string.Create(CultureInfo.InvariantCulture, $"{path}[{index++}]")) is { } error)
                    {
                        return error;
                    }
                }

                return null;
            case JsonValueKind.String:
                string value;
                try
                {
                    value = element.GetString()!;
                }
                catch (InvalidOperationException)
                {
                    return ApiErrors.InvalidText(path, TextRule.UnpairedSurrogate);
                }

                return TextRule.Problem(value) is { } valueProblem ? ApiErrors.InvalidText(path, valueProblem) : null;
            default:
                return null;
        }
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.MediaType.Equals(MergePatch.MediaType, StringComparison.OrdinalIgnoreCase)
            || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// The text rule every string the API accepts must pass, in bodies and query strings alike: valid Unicode, no control
/// characters (a NUL included: PostgreSQL refuses it and SQLite would store it), no bidirectional override, embedding or
/// isolate controls (U+202A–U+202E, U+2066–U+2069: they make a name display as something else, issue 18), at most 10,000
/// characters. Fields have their own, shorter limits on top.
/// </summary>
public static class TextRule
{
    public const int MaxLength = 10_000;

    public const string UnpairedSurrogate = "must be valid Unicode: it holds an unpaired surrogate.";

    public static string? Problem(string value)
    {
        if (value.Length > MaxLength)
        {
            return string.Create(CultureInfo.InvariantCulture, $"must be at most {MaxLength} characters.");
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsControl(c))
            {
                return string.Create(CultureInfo.InvariantCulture, $"must not contain control characters (U+{(int)c:X4} at position {i}).");
            }

            if (c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069')
            {
                return string.Create(CultureInfo.InvariantCulture, $"must not contain bidirectional control characters (U+{(int)c:X4} at position {i}).");
            }

            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return UnpairedSurrogate;
            }
        }

        return null;
    }
}
