using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Iqts.Api.Http;

/// <summary>
/// JSON merge patch (RFC 7396): members in the patch replace the current ones, <c>null</c> removes (clears) a member,
/// nested objects merge. Before merging, every member the patch names must be a field of the resource (checked at
/// every depth, so an unknown member is refused even with a null value) and not an immutable one. The merged document
/// is then read with the same strict options as a create, so wrong types are refused by name, and validated by the
/// same rules.
/// </summary>
public static class MergePatch
{
    public const string MediaType = "application/merge-patch+json";

    /// <summary>Reads the patch document: merge-patch+json or plain JSON, a JSON object. The body gate has checked the text.</summary>
    public static async Task<Outcome<JsonObject>> ReadAsync(HttpRequest request)
    {
        var mediaType = request.ContentType?.Split(';', 2)[0].Trim();
        if (!string.Equals(mediaType, MediaType, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            return ApiErrors.UnsupportedMediaType($"{MediaType} (or application/json)");
        }

        try
        {
            var node = await JsonNode.ParseAsync(request.Body, documentOptions: new JsonDocumentOptions { MaxDepth = JsonBodyGate.MaxDepth },
                cancellationToken: request.HttpContext.RequestAborted);
            return node is JsonObject patch ? patch : ApiErrors.Validation("$", "A merge patch must be a JSON object.");
        }
        catch (JsonException ex)
        {
            return ProblemExceptionHandler.FromJson(ex);
        }
    }

    /// <summary>
    /// The JSON names of <typeparamref name="TResource"/> that are not fields of <typeparamref name="TEditable"/>: what a
    /// PATCH of the resource refuses by name (ids, status, timestamps). Derived, so a new system field is immutable at once.
    /// </summary>
    public static IReadOnlyList<string> ImmutableFields<TResource, TEditable>(JsonSerializerOptions options) =>
        Names(options.GetTypeInfo(typeof(TResource))).Except(Names(options.GetTypeInfo(typeof(TEditable)))).ToList();

    /// <summary>Applies <paramref name="patch"/> to <paramref name="current"/> and reads the result as <typeparamref name="T"/>.</summary>
    public static Outcome<T> Apply<T>(T current, JsonObject patch, JsonSerializerOptions options, IReadOnlyList<string> immutable)
        where T : class
    {
        var touched = immutable.Where(patch.ContainsKey).ToList();
        if (touched.Count > 0)
        {
            return ApiErrors.Immutable(touched);
        }

        if (UnknownMember(patch, options.GetTypeInfo(typeof(T)), "") is { } unknown)
        {
            return ApiErrors.UnknownProperty(unknown);
        }

        var target = JsonSerializer.SerializeToNode(current, options)!.AsObject();
        Merge(target, patch);
        try
        {
            return target.Deserialize<T>(options)!;
        }
        catch (JsonException ex)
        {
            return ProblemExceptionHandler.FromJson(ex);
        }
    }

    /// <summary>RFC 7396 section 2, MergePatch(Target, Patch).</summary>
    internal static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (name, value) in patch.ToList())
        {
            if (value is null)
            {
                target.Remove(name);
            }
            else if (value is JsonObject patchObject)
            {
                if (target[name] is not JsonObject targetObject)
                {
                    targetObject = [];
                    target[name] = targetObject;
                }

                Merge(targetObject, patchObject);
            }
            else
            {
                target[name] = value.DeepClone();
            }
        }
    }

    /// <summary>The path of the first member the type does not have, looking into nested objects.</summary>
    private static string? UnknownMember(JsonObject patch, JsonTypeInfo type, string path)
    {
        foreach (var (name, value) in patch)
        {
            var child = path.Length == 0 ? name : $"{path}.{name}";
            var property = type.Properties.FirstOrDefault(p => p.Name == name);
            if (property is null)
            {
                return child;
            }

            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (value is JsonObject nested && type.Options.GetTypeInfo(propertyType) is { Kind: JsonTypeInfoKind.Object } nestedType
                && UnknownMember(nested, nestedType, child) is { } unknown)
            {
                return unknown;
            }
        }

        return null;
    }

    private static IEnumerable<string> Names(JsonTypeInfo type) => type.Properties.Select(p => p.Name);
}
