using System.Text.RegularExpressions;
using Iqts.Api.Http;

namespace Iqts.Api.Providers;

/// <summary>Pure rules for a provider record.</summary>
public static partial class ProviderRules
{
    public const int NameMaxLength = 200;

    [GeneratedRegex("^1[0-9]{7}$")]
    public static partial Regex UkprnPattern();

    public static bool IsUkprn(string? value) => value is not null && UkprnPattern().IsMatch(value);

    /// <summary>The state a provider must be in, whether created or patched.</summary>
    public static void Validate(ValidationErrors errors, string? name, ApprovalStatus? status, int? grade, DateOnly? inspectionDate, DateOnly today)
    {
        errors.RequireText("name", name, NameMaxLength);
        if (errors.Require("inspectionGrade", grade) && grade is < 1 or > 4)
        {
            errors.Add("inspectionGrade", "must be 1 (outstanding), 2 (good), 3 (requires improvement) or 4 (inadequate).");
        }

        if (errors.Require("inspectionDate", inspectionDate) && inspectionDate > today)
        {
            errors.Add("inspectionDate", "must not be in the future.");
        }

        // Seed 000: only providers with a latest inspection grade of 1 or 2 are approved for iQTS;
        // a provider graded 3 or 4 must be suspended or withdrawn.
        if (status == ApprovalStatus.Approved && grade is 3 or 4)
        {
            errors.Add("approvalStatus", "cannot be approved with an inspection grade of 3 or 4: iQTS approval needs grade 1 or 2 (DfE iQTS guidance).");
        }
    }

    public static ValidationErrors ValidateCreate(CreateProviderRequest request, DateOnly today)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrEmpty(request.Ukprn))
        {
            errors.Add("ukprn", "is required.");
        }
        else if (!IsUkprn(request.Ukprn))
        {
            errors.Add("ukprn", "must be a string of 8 digits starting with 1.");
        }

        Validate(errors, request.Name, request.ApprovalStatus ?? ApprovalStatus.Approved, request.InspectionGrade, request.InspectionDate, today);
        return errors;
    }
}
