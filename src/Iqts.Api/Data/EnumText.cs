using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Iqts.Api.Data;

/// <summary>
/// The one spelling of an enum value outside C#: snake_case, the same in JSON bodies, query strings, reference data
/// and database columns (<c>PreferNotToSay</c> is <c>prefer_not_to_say</c> everywhere). A member that needs another
/// spelling says so with <c>[JsonStringEnumMemberName]</c>, which the JSON converter honours too.
/// </summary>
public static class EnumText
{
    public static string Name<T>(T value)
        where T : struct, Enum => Names<T>.ByValue[value];

    public static bool TryParse<T>(string? text, out T value)
        where T : struct, Enum => Names<T>.ByName.TryGetValue(text ?? "", out value);

    /// <summary>A value read back from storage, where only valid names are ever written.</summary>
    public static T Parse<T>(string text)
        where T : struct, Enum =>
        TryParse<T>(text, out var value) ? value : throw new InvalidDataException($"'{text}' is not a {typeof(T).Name}.");

    public static T? ParseOrNull<T>(string? text)
        where T : struct, Enum => text is null ? null : Parse<T>(text);

    public static string? NameOrNull<T>(T? value)
        where T : struct, Enum => value is { } v ? Name(v) : null;

    public static IReadOnlyList<string> AllNames<T>()
        where T : struct, Enum => Names<T>.InOrder;

    private static class Names<T>
        where T : struct, Enum
    {
        public static readonly FrozenDictionary<T, string> ByValue =
            Enum.GetValues<T>().ToFrozenDictionary(v => v, v =>
                typeof(T).GetField(v.ToString())!.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
                ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString()));

        public static readonly FrozenDictionary<string, T> ByName = ByValue.ToFrozenDictionary(kv => kv.Value, kv => kv.Key, StringComparer.Ordinal);

        public static readonly IReadOnlyList<string> InOrder = Enum.GetValues<T>().Select(v => ByValue[v]).ToList();
    }
}
