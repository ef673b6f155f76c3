using System.Text.Json;
using System.Text.Json.Serialization;

namespace Iqts.Api.Data;

/// <summary>
/// How records stored as JSON text (a qualification's details, a trainee's checks, history values) are written: camelCase
/// names and snake_case enums, as the API spells them, but with options of their own, so a change to the HTTP layer
/// cannot change what is stored or what history says.
/// </summary>
public static class StoredJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)!;

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

/// <summary>A row that holds one JSON document with its version (a trainee's suitability checks, its placement plan), as read.</summary>
public sealed record StoredDocument
{
    public string Document { get; init; } = "";

    public long RowVersion { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}
