using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Iqts.Api.Data;

/// <summary>
/// A setting's TimeSpan bounds, parsed once when the attribute is made. It replaces <c>[Range(typeof(TimeSpan), …)]</c>,
/// whose first use converts its bounds in place and is not thread-safe (dotnet/runtime#1143): test hosts validating
/// their options side by side met its InvalidCastException.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class TimeSpanRangeAttribute(string minimum, string maximum) : ValidationAttribute
{
    public TimeSpan Minimum { get; } = TimeSpan.Parse(minimum, CultureInfo.InvariantCulture);

    public TimeSpan Maximum { get; } = TimeSpan.Parse(maximum, CultureInfo.InvariantCulture);

    public override bool IsValid(object? value) => value is not TimeSpan span || (span >= Minimum && span <= Maximum);

    public override string FormatErrorMessage(string name) =>
        string.Format(CultureInfo.InvariantCulture, "The field {0} must be between {1} and {2}.", name, Minimum, Maximum);
}
