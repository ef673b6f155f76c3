using System.Text.RegularExpressions;

namespace Iqts.Api.Errors;

/// <summary>
/// Collects every broken rule of a request, keyed by the JSON path of the field, so a client
/// learns all its mistakes in one answer. Rule functions take one of these and add to it.
/// </summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    public ValidationErrors Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
        return this;
    }

    public bool Has(string field) => _errors.ContainsKey(field);

    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>The collected errors as one <c>validation.failed</c> error (or another kind of field error).</summary>
    public ApiError ToError(ErrorKind? kind = null) => ApiErrors.Validation(ToDictionary(), kind);

    /// <summary>A required, trimmed, bounded string; returns whether it is present and within bounds.</summary>
    /// <summary>Present and visible: a value of only spaces, zero-width or other invisible characters is not there.</summary>
    public bool RequireText(string field, string? value, int maxLength)
    {
        if (VisibleText.IsBlank(value))
        {
            Add(field, "is required.");
            return false;
        }

        return MaxLength(field, value, maxLength);
    }

    public bool MaxLength(string field, string? value, int maxLength)
    {
        if (value is not null && value.Length > maxLength)
        {
            Add(field, $"must be at most {maxLength} characters.");
            return false;
        }

        return true;
    }

    public bool Require<T>(string field, T? value)
        where T : struct
    {
        if (value is null)
        {
            Add(field, "is required.");
            return false;
        }

        return true;
    }

    /// <summary>A value the rule does not take for this kind of record, named with what it is for.</summary>
    public void Forbid(string field, object? value, string onlyFor)
    {
        if (value is not null)
        {
            Add(field, $"is only for {onlyFor}.");
        }
    }

    /// <summary>A date that is required and not in the future.</summary>
    public bool PastDate(string field, DateOnly? value, DateOnly today, bool required = true)
    {
        if (value is null)
        {
            if (required)
            {
                Add(field, "is required.");
            }

            return false;
        }

        if (value > today)
        {
            Add(field, "must not be in the future.");
            return false;
        }

        return true;
    }

    public static string Truncate(string value) => value.Length > 20 ? value[..20] + "…" : value;

    /// <summary>A required object (a nested record); returns whether it is there.</summary>
    public bool Present(string field, object? value)
    {
        if (value is null)
        {
            Add(field, "is required.");
            return false;
        }

        return true;
    }

    public void Matches(string field, string? value, Regex pattern, string rule)
    {
        if (value is not null && !pattern.IsMatch(value))
        {
            Add(field, rule);
        }
    }
}
