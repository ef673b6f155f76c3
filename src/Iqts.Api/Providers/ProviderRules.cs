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

    public const int ReasonMaxLength = 1000;

    /// <summary>
    /// The state a provider must be in, whether created or patched. The grade rule of approval (1 or 2) holds when a provider
    /// joins and whenever DfE records a grade; a later iQTS inspection's grade 3 or 4 leaves approval to DfE's process.
    /// </summary>
    public static void Validate(ValidationErrors errors, ProviderDetails details, DateOnly today, bool gradeChanged = true)
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
        if (gradeChanged && details.ApprovalStatus is ApprovalStatus.Approved or ApprovalStatus.ConcernRaised && grade is 3 or 4)
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

        if (request.ApprovalStatus == ApprovalStatus.ConcernRaised)
        {
            errors.Add("approvalStatus", "cannot be concern_raised for a new provider: raise a concern with POST /providers/{ukprn}/approval-history.");
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

    /// <summary>
    /// A change of the details (a merge patch already applied to them). Approval changes only with its step, reason and
    /// date (<see cref="ChangeApproval"/>); a grade DfE records is an Ofsted grade.
    /// </summary>
    public static Outcome<Provider> Correct(Provider current, ProviderDetails details, DateOnly today)
    {
        if (details.ApprovalStatus is not null && details.ApprovalStatus != current.ApprovalStatus)
        {
            return ApiErrors.ApprovalNeedsItsStep();
        }

        var errors = new ValidationErrors();
        var gradeChanged = details.InspectionGrade != current.InspectionGrade || details.InspectionDate != current.InspectionDate;
        Validate(errors, details, today, gradeChanged);
        // DfE records an Ofsted grade from before iQTS; it does not displace a later iQTS inspection's grade.
        if (gradeChanged && current.InspectionSource == InspectionSource.IqtsInspection && details.InspectionDate <= current.InspectionDate)
        {
            errors.Add("inspectionDate", $"must be after {current.InspectionDate:yyyy-MM-dd}, the latest iQTS inspection's, whose grade stands.");
        }

        return errors.IsEmpty
            ? current.WithDetails(details with { Name = details.Name.Trim() }) with { InspectionSource = gradeChanged ? InspectionSource.Ofsted : current.InspectionSource }
            : errors.ToError();
    }

    /// <summary>Which step moves an approval from where to where (seed 000). Everything else is refused.</summary>
    public static readonly IReadOnlyDictionary<ApprovalStep, (ApprovalStatus[] From, ApprovalStatus[] To)> Steps = new Dictionary<ApprovalStep, (ApprovalStatus[], ApprovalStatus[])>
    {
        // "In all but the most serious cases of non-compliance" the provider has the opportunity to address the problem first.
        [ApprovalStep.ConcernRaised] = ([ApprovalStatus.Approved], [ApprovalStatus.ConcernRaised]),
        [ApprovalStep.Remedied] = ([ApprovalStatus.ConcernRaised], [ApprovalStatus.Approved]),
        // The formal process of withdrawing approval follows a concern not remedied, and may pass through a suspension.
        [ApprovalStep.FormalProcess] = ([ApprovalStatus.ConcernRaised, ApprovalStatus.Suspended], [ApprovalStatus.Suspended, ApprovalStatus.Withdrawn]),
        // The most serious cases: at once.
        [ApprovalStep.SeriousNonCompliance] = ([ApprovalStatus.Approved, ApprovalStatus.ConcernRaised, ApprovalStatus.Suspended], [ApprovalStatus.Suspended, ApprovalStatus.Withdrawn]),
        [ApprovalStep.Reinstated] = ([ApprovalStatus.Suspended, ApprovalStatus.Withdrawn], [ApprovalStatus.Approved]),
    };

    /// <summary>
    /// A change of approval: the step must lead from the current status to the new one, the date must not be in the future or
    /// before the last change, a concern names its remedy and date, and approval restored needs a grade of 1 or 2.
    /// </summary>
    public static Outcome<ApprovalEntry> ChangeApproval(Provider current, ApprovalEntry? last, ApprovalChangeRequest request, DateOnly today,
        DateTimeOffset now, string recordedBy)
    {
        var errors = new ValidationErrors();
        errors.Require("approvalStatus", request.ApprovalStatus);
        errors.Require("step", request.Step);
        errors.RequireText("reason", request.Reason, ReasonMaxLength);
        if (errors.Require("effectiveOn", request.EffectiveOn))
        {
            if (request.EffectiveOn > today)
            {
                errors.Add("effectiveOn", "must not be in the future: record the change when it takes effect.");
            }
            else if (last is { Step: not ApprovalStep.Registered } && request.EffectiveOn < last.EffectiveOn)
            {
                errors.Add("effectiveOn", $"must not be before the previous change's date, {last.EffectiveOn:yyyy-MM-dd}.");
            }
        }

        var concern = request.Step == ApprovalStep.ConcernRaised;
        if (concern)
        {
            errors.RequireText("remedy", request.Remedy, ReasonMaxLength);
            if (errors.Require("remedyBy", request.RemedyBy) && request.RemedyBy <= request.EffectiveOn)
            {
                errors.Add("remedyBy", "must be after effectiveOn.");
            }
        }
        else
        {
            errors.Forbid("remedy", request.Remedy, "step concern_raised.");
            errors.Forbid("remedyBy", request.RemedyBy, "step concern_raised.");
        }

        if (request.Step == ApprovalStep.Registered)
        {
            errors.Add("step", "registered is the first entry, written when the provider is registered.");
        }

        if (!errors.IsEmpty)
        {
            return errors.ToError();
        }

        var (from, to) = Steps[request.Step!.Value];
        var status = request.ApprovalStatus!.Value;
        if (!from.Contains(current.ApprovalStatus!.Value) || !to.Contains(status))
        {
            return ApiErrors.ApprovalStepInvalid(EnumText.Name(request.Step.Value), EnumText.Name(current.ApprovalStatus.Value), EnumText.Name(status),
                Steps.Where(s => s.Value.From.Contains(current.ApprovalStatus.Value)).SelectMany(s => s.Value.To.Select(t => $"{EnumText.Name(s.Key)} → {EnumText.Name(t)}")));
        }

        if (status == ApprovalStatus.Approved && current.InspectionGrade is 3 or 4)
        {
            return ApiErrors.Validation("approvalStatus", "cannot be approved with an inspection grade of 3 or 4: iQTS approval needs grade 1 or 2 (DfE iQTS guidance).");
        }

        return new ApprovalEntry(status, current.ApprovalStatus, request.Step.Value, request.Reason.Trim(), request.EffectiveOn!.Value,
            concern ? request.Remedy!.Trim() : null, concern ? request.RemedyBy : null, now, recordedBy);
    }

    /// <summary>What a provider in each approval may do for trainees it registered (ADR 0011): register only while approved
    /// (a concern raised included), award likewise; evidence, placements, assessments and status changes in every status.</summary>
    public static bool MayRegisterOrAward(ApprovalStatus? status) => status is ApprovalStatus.Approved or ApprovalStatus.ConcernRaised;
}
