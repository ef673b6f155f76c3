using System.Text.RegularExpressions;

namespace Iqts.Api.Providers;

/// <summary>Pure rules for a provider record.</summary>
public static partial class ProviderRules
{
    public const int NameMaxLength = 200;

    [GeneratedRegex("^1[0-9]{7}$")]
    private static partial Regex UkprnPattern();

    /// <summary>A UKPRN: 8 digits starting with 1. The one UKPRN rule, used by the API and the CLI.</summary>
    public static bool IsUkprn(string? value) => value is not null && UkprnPattern().IsMatch(value);

    public const string UkprnRule = "must be a string of 8 digits starting with 1.";

    /// <summary>The state a provider must be in, whether created or patched.</summary>
    public static void Validate(ValidationErrors errors, ProviderDetails details, DateOnly today)
    {
        errors.RequireText("name", details.Name, NameMaxLength);
        errors.Require("approvalStatus", details.ApprovalStatus);
        errors.Require("mayExceedTraineeCap", details.MayExceedTraineeCap);
        var grade = details.InspectionGrade;
        if (errors.Require("inspectionGrade", grade) && grade is < 1 or > 4)
        {
            errors.Add("inspectionGrade", "must be 1 (outstanding), 2 (good), 3 (requires improvement) or 4 (inadequate).");
        }

        if (errors.Require("inspectionDate", details.InspectionDate) && details.InspectionDate > today)
        {
            errors.Add("inspectionDate", "must not be in the future.");
        }

        // Seed 000: only providers with a latest inspection grade of 1 or 2 are approved for iQTS;
        // a provider graded 3 or 4 must be suspended or withdrawn.
        if (details.ApprovalStatus == ApprovalStatus.Approved && grade is 3 or 4)
        {
            errors.Add("approvalStatus", "cannot be approved with an inspection grade of 3 or 4: iQTS approval needs grade 1 or 2 (DfE iQTS guidance).");
        }
    }

    /// <summary>A registration: the UKPRN and the details, with approval defaulting to approved and the cap permission to false.</summary>
    public static Outcome<ProviderDetails> Register(CreateProviderRequest request, DateOnly today)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrEmpty(request.Ukprn))
        {
            errors.Add("ukprn", "is required.");
        }
        else if (!IsUkprn(request.Ukprn))
        {
            errors.Add("ukprn", UkprnRule);
        }

        var details = new ProviderDetails
        {
            Name = request.Name?.Trim() ?? "",
            ApprovalStatus = request.ApprovalStatus ?? ApprovalStatus.Approved,
            InspectionGrade = request.InspectionGrade,
            InspectionDate = request.InspectionDate,
            MayExceedTraineeCap = request.MayExceedTraineeCap ?? false,
        };
        Validate(errors, details, today);
        return errors.IsEmpty ? details : errors.ToError();
    }

    /// <summary>A change of the details (a merge patch already applied to them).</summary>
    public static Outcome<Provider> Correct(Provider current, ProviderDetails details, DateOnly today)
    {
        var errors = new ValidationErrors();
        Validate(errors, details, today);
        return errors.IsEmpty ? current.WithDetails(details with { Name = details.Name.Trim() }) : errors.ToError();
    }
}
