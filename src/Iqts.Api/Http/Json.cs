using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Iqts.Api.Http;

public static class Json
{
    /// <summary>The earliest and latest dates any field accepts, so no rule's date arithmetic can overflow.</summary>
    public static readonly DateOnly EarliestDate = new(1900, 1, 1);

    public static readonly DateOnly LatestDate = new(2999, 12, 31);

    /// <summary>What a date outside the range, or not a date, is told.</summary>
    public const string DateRule = "must be a date, YYYY-MM-DD, between 1900-01-01 and 2999-12-31.";

    /// <summary>The API's options, for code outside a request (merge patch, immutable-field lists, tests).</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>
    /// Strict input: unknown properties are refused, numbers must be numbers (the web default
    /// would accept "2" for 2), enums are snake_case strings and never integers, dates are
    /// <c>YYYY-MM-DD</c> between 1900 and 2999.
    /// </summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.MaxDepth = JsonBodyGate.MaxDepth;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.Converters.Add(new UtcTimestampConverter());
        options.Converters.Add(new BoundedDateConverter());
        options.Converters.Add(new ComposedStringConverter());
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
        Configure(options);
        options.MakeReadOnly();
        return options;
    }

    /// <summary>
    /// Every string read is stored composed (Unicode NFC): "José" typed with a combining accent is then the same text as
    /// "José" typed precomposed, for duplicates, comparisons and what the TRA receives (issue 18). The gate has already
    /// refused invalid Unicode, so normalising cannot throw.
    /// </summary>
    private sealed class ComposedStringConverter : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var value = reader.GetString();
            return value is null || value.IsNormalized(System.Text.NormalizationForm.FormC) ? value : value.Normalize(System.Text.NormalizationForm.FormC);
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }

    /// <summary>Timestamps go out as RFC 3339 in UTC with a Z, at the microsecond precision they are stored with.</summary>
    private sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.GetDateTimeOffset();

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Data.TypeHandlers.FormatTimestamp(value));
    }

    /// <summary><c>YYYY-MM-DD</c> only, and within <see cref="EarliestDate"/>–<see cref="LatestDate"/> (a date of birth of 9999-12-31 is refused here, before any rule adds years to it).</summary>
    private sealed class BoundedDateConverter : JsonConverter<DateOnly>
    {
        public override DateOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String
                && DateOnly.TryParseExact(reader.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                && date >= EarliestDate && date <= LatestDate)
            {
                return date;
            }

            throw new JsonException(DateRule);
        }

        public override void Write(Utf8JsonWriter writer, DateOnly value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }
}
