namespace Iqts.Api.ReferenceData;

/// <summary>The check of a field against a reference set, beside the other rules of <see cref="ValidationErrors"/>.</summary>
public static class ReferenceSetRules
{
    /// <summary>
    /// Checks a code against its set; the message names the set so the client can look the codes up. Only null means
    /// absent: an empty string is in no set, so an optional field sent as "" is refused like any other unknown code.
    /// </summary>
    public static bool Code(this ValidationErrors errors, string field, string? value, ReferenceSet set, bool required)
    {
        if (value is null || (required && value.Length == 0))
        {
            if (required)
            {
                errors.Add(field, "is required.");
            }

            return false;
        }

        if (!set.Contains(value))
        {
            errors.Add(field, $"'{ValidationErrors.Truncate(value)}' is not a code of the reference set '{set.Set}' (GET /api/v1/reference-data/{set.Set}).");
            return false;
        }

        return true;
    }
}
