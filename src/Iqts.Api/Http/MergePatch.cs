using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Iqts.Api.Http;

/// <summary>
/// JSON merge patch (RFC 7396): members in the patch replace the current ones, <c>null</c>
/// removes (clears) a member, nested objects merge. The merged document is then read with
/// the same strict options as a create, so unknown properties and wrong types are refused
/// by name, and validated by the same rules.
/// </summary>
public static class MergePatch
{
    public const string MediaType = "application/merge-patch+json";

    private static readonly string[] ImmutableMessage = ["cannot be changed once set."];

    /// <summary>Reads the patch document: merge-patch+json or plain JSON, a JSON object.</summary>
    public static async Task<ProblemHttpResultOr<JsonObject>> ReadAsync(HttpRequest request)
    {
        var mediaType = request.ContentType?.Split(';', 2)[0].Trim();
        if (!string.Equals(mediaType, MediaType, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Of(StatusCodes.Status415UnsupportedMediaType, ErrorCodes.UnsupportedMediaType, "Unsupported media type.",
                $"Send the patch as {MediaType} (or application/json).");
        }

        JsonNode? node;
        try
        {
            node = await JsonNode.ParseAsync(request.Body, documentOptions: new JsonDocumentOptions { MaxDepth = 16 }, cancellationToken: request.HttpContext.RequestAborted);
        }
        catch (JsonException ex)
        {
            var problem = ProblemExceptionHandler.FromJson(ex);
            return TypedResults.Problem(problem);
        }

        return node is JsonObject patch
            ? patch
            : Problems.Validation("$", "A merge patch must be a JSON object.");
    }

    /// <summary>Returns the names of the immutable members the patch tries to set, as a 400, or null.</summary>
    public static ProblemHttpResult? RefuseImmutable(JsonObject patch, params string[] immutable)
    {
        var touched = immutable.Where(patch.ContainsKey).ToList();
        if (touched.Count == 0)
        {
            return null;
        }

        return Problems.Validation(
            touched.ToDictionary(f => f, _ => ImmutableMessage),
            ErrorCodes.ImmutableField,
            $"{string.Join(", ", touched)} cannot be changed by PATCH.");
    }

    /// <summary>Applies <paramref name="patch"/> to <paramref name="current"/> and reads the result as <typeparamref name="T"/>.</summary>
    public static ProblemHttpResultOr<T> Apply<T>(T current, JsonObject patch, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
        where T : class
    {
        var options = json.Value.SerializerOptions;
        var target = JsonSerializer.SerializeToNode(current, options)!.AsObject();
        Merge(target, patch);
        try
        {
            var merged = target.Deserialize<T>(options);
            return merged is null ? Problems.Validation("$", "A merge patch must be a JSON object.") : merged;
        }
        catch (JsonException ex)
        {
            return TypedResults.Problem(ProblemExceptionHandler.FromJson(ex));
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
}
