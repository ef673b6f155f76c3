using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Iqts.Api.Http;

/// <summary>
/// A query parameter holding one of an enum's snake_case values (<c>?status=full_time</c>), the same
/// spelling as in JSON bodies. Minimal APIs would bind enums by their C# names, so such parameters
/// are strings parsed here; the attribute puts the enum's schema in the contract.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class EnumQueryAttribute(Type enumType) : Attribute
{
    public Type EnumType { get; } = enumType;
}

public static class EnumQuery
{
    /// <summary>Parses a snake_case enum value; an unknown one adds an error listing the allowed values.</summary>
    public static T? Parse<T>(ValidationErrors errors, string field, string? value)
        where T : struct, Enum
    {
        if (value is null)
        {
            return null;
        }

        if (EnumText.TryParse<T>(value, out var parsed))
        {
            return parsed;
        }

        errors.Add(field, $"must be one of: {string.Join(", ", EnumText.AllNames<T>())}.");
        return null;
    }

    public sealed class ParameterFilter : IParameterFilter
    {
        public void Apply(IOpenApiParameter parameter, ParameterFilterContext context)
        {
            if (parameter is OpenApiParameter concrete
                && context.ParameterInfo?.GetCustomAttributes(typeof(EnumQueryAttribute), false).FirstOrDefault() is EnumQueryAttribute attribute)
            {
                concrete.Schema = context.SchemaGenerator.GenerateSchema(attribute.EnumType, context.SchemaRepository);
            }
        }
    }
}
