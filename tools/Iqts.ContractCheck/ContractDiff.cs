using System.Text.Json.Nodes;

namespace Iqts.ContractCheck;

/// <summary>
/// The breaking changes between two OpenAPI 3.0 documents, as the compatibility policy defines them:
/// a removed path, operation, parameter, success response, schema or property; a parameter or request
/// property made required (or added as required); a narrowed enum; a changed type or format.
/// Additions are allowed. Pure: two documents in, a list of sentences out.
/// </summary>
public static class ContractDiff
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    public static IReadOnlyList<string> Breaks(JsonNode released, JsonNode current)
    {
        var breaks = new List<string>();
        var requestSchemas = RequestSideSchemas(current);
        ComparePaths(released["paths"] as JsonObject ?? [], current["paths"] as JsonObject ?? [], breaks);
        CompareSchemas(released["components"]?["schemas"] as JsonObject ?? [], current["components"]?["schemas"] as JsonObject ?? [], requestSchemas, breaks);
        return breaks;
    }

    private static void ComparePaths(JsonObject released, JsonObject current, List<string> breaks)
    {
        foreach (var (path, releasedItem) in released)
        {
            if (current[path] is not JsonObject currentItem)
            {
                breaks.Add($"removed path {path}");
                continue;
            }

            foreach (var method in Methods.Where(m => releasedItem?[m] is not null))
            {
                var operation = $"{method.ToUpperInvariant()} {path}";
                if (currentItem[method] is not JsonObject currentOp)
                {
                    breaks.Add($"removed operation {operation}");
                    continue;
                }

                CompareOperation(operation, releasedItem![method]!.AsObject(), currentOp, breaks);
            }
        }
    }

    private static void CompareOperation(string operation, JsonObject released, JsonObject current, List<string> breaks)
    {
        var releasedParams = Parameters(released);
        var currentParams = Parameters(current);
        foreach (var (key, parameter) in releasedParams)
        {
            if (!currentParams.TryGetValue(key, out var now))
            {
                breaks.Add($"removed parameter {key} of {operation}");
                continue;
            }

            if (IsTrue(now["required"]) && !IsTrue(parameter["required"]))
            {
                breaks.Add($"parameter {key} of {operation} made required");
            }

            CompareValue($"parameter {key} of {operation}", parameter["schema"], now["schema"], breaks);
        }

        foreach (var (key, parameter) in currentParams.Where(p => !releasedParams.ContainsKey(p.Key) && IsTrue(p.Value["required"])))
        {
            breaks.Add($"new required parameter {key} of {operation}");
        }

        if (IsTrue(current["requestBody"]?["required"]) && released["requestBody"] is null)
        {
            breaks.Add($"request body of {operation} made required");
        }

        foreach (var (status, _) in released["responses"] as JsonObject ?? [])
        {
            if (status.StartsWith('2') && current["responses"]?[status] is null)
            {
                breaks.Add($"removed response {status} of {operation}");
            }
        }
    }

    private static Dictionary<string, JsonObject> Parameters(JsonObject operation) =>
        (operation["parameters"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .ToDictionary(p => $"{p["in"]} '{p["name"]}'", p => p, StringComparer.Ordinal);

    private static void CompareSchemas(JsonObject released, JsonObject current, HashSet<string> requestSchemas, List<string> breaks)
    {
        foreach (var (name, releasedSchema) in released)
        {
            if (current[name] is not JsonObject currentSchema)
            {
                breaks.Add($"removed schema {name}");
                continue;
            }

            CompareValue($"schema {name}", releasedSchema, currentSchema, breaks);
            var releasedProps = releasedSchema?["properties"] as JsonObject ?? [];
            var currentProps = currentSchema["properties"] as JsonObject ?? [];
            var releasedRequired = Required(releasedSchema);
            var currentRequired = Required(currentSchema);
            foreach (var (property, releasedProperty) in releasedProps)
            {
                if (currentProps[property] is not { } currentProperty)
                {
                    breaks.Add($"removed property {name}.{property}");
                    continue;
                }

                CompareValue($"property {name}.{property}", releasedProperty, currentProperty, breaks);
                if (requestSchemas.Contains(name) && currentRequired.Contains(property) && !releasedRequired.Contains(property))
                {
                    breaks.Add($"property {name}.{property} made required");
                }
            }

            if (requestSchemas.Contains(name))
            {
                foreach (var property in currentRequired.Where(p => releasedProps[p] is null && currentProps[p] is not null))
                {
                    breaks.Add($"new required property {name}.{property}");
                }
            }
        }
    }

    /// <summary>Type, format, reference and enum of one value's schema.</summary>
    private static void CompareValue(string what, JsonNode? released, JsonNode? current, List<string> breaks)
    {
        if (released is null || current is null)
        {
            return;
        }

        var (releasedType, currentType) = (TypeOf(released), TypeOf(current));
        if (releasedType != currentType)
        {
            breaks.Add($"changed type of {what} from {releasedType} to {currentType}");
        }

        var currentEnum = (current["enum"] as JsonArray)?.Select(v => v?.ToJsonString()).ToHashSet();
        foreach (var value in (released["enum"] as JsonArray ?? []).Select(v => v?.ToJsonString()))
        {
            if (currentEnum is not null && !currentEnum.Contains(value))
            {
                breaks.Add($"narrowed enum of {what}: removed {value}");
            }
        }
    }

    /// <summary>A readable type: <c>string/date</c>, <c>array of ref Foo</c>, <c>ref Foo</c>.</summary>
    private static string TypeOf(JsonNode schema)
    {
        if (schema["$ref"] is { } reference)
        {
            return "ref " + reference.GetValue<string>().Split('/')[^1];
        }

        if (schema["allOf"] is JsonArray { Count: 1 } allOf && allOf[0] is { } single)
        {
            return TypeOf(single);
        }

        var type = schema["type"]?.GetValue<string>() ?? "any";
        return type switch
        {
            "array" => "array of " + (schema["items"] is { } items ? TypeOf(items) : "any"),
            _ when schema["format"] is { } format => $"{type}/{format.GetValue<string>()}",
            _ => type,
        };
    }

    private static HashSet<string> Required(JsonNode? schema) =>
        (schema?["required"] as JsonArray ?? []).Select(r => r!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);

    private static bool IsTrue(JsonNode? node) => node is JsonValue value && value.TryGetValue<bool>(out var b) && b;

    /// <summary>Schemas a client sends: those reachable from request bodies, where "made required" breaks callers.</summary>
    private static HashSet<string> RequestSideSchemas(JsonNode document)
    {
        var schemas = document["components"]?["schemas"] as JsonObject ?? [];
        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<JsonNode>();
        foreach (var (_, item) in document["paths"] as JsonObject ?? [])
        {
            foreach (var method in Methods)
            {
                if (item?[method]?["requestBody"] is { } body)
                {
                    pending.Push(body);
                }
            }
        }

        while (pending.Count > 0)
        {
            foreach (var reference in References(pending.Pop()))
            {
                if (found.Add(reference) && schemas[reference] is { } target)
                {
                    pending.Push(target);
                }
            }
        }

        return found;
    }

    private static IEnumerable<string> References(JsonNode node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => p.Key == "$ref" && p.Value is JsonValue v
            ? [v.GetValue<string>().Split('/')[^1]]
            : p.Value is null ? [] : References(p.Value)),
        JsonArray array => array.Where(n => n is not null).SelectMany(n => References(n!)),
        _ => [],
    };
}
