using Iqts.Api.Trainees;

namespace Iqts.Api.Assessments;

/// <summary>
/// Assessments against the iQTS Teachers' Standards as pure rules: what a valid assessment is, and that a correction
/// names an assessment of the same trainee that nothing has corrected yet (C3.4: append-only, nothing rewritten).
/// </summary>
public static class AssessmentRules
{
    /// <summary>Interim assessments come and go over a programme; a few dozen is plenty, a hundred a bound.</summary>
    public const int MaxAssessments = 100;

    public const int NameMaxLength = 100;

    public static readonly IReadOnlyList<TeachersStandard> AllStandards = Enum.GetValues<TeachersStandard>();

    public static Outcome<AssessmentRequest> Record(AssessmentRequest a, Trainee trainee, IReadOnlyList<Assessment> existing, DateOnly today)
    {
        var errors = new ValidationErrors();
        if (errors.PastDate("assessedOn", a.AssessedOn, today) && a.AssessedOn < trainee.StartDate)
        {
            errors.Add("assessedOn", $"must not be before the trainee's start date ({trainee.StartDate:yyyy-MM-dd}).");
        }

        errors.Require("stage", a.Stage);
        if (errors.Present("assessor", a.Assessor))
        {
            errors.Require("assessor.role", a.Assessor!.Role);
            errors.RequireText("assessor.name", a.Assessor.Name, NameMaxLength);
        }

        var judgements = a.Judgements ?? [];
        if (judgements.Count is 0 or > 9)
        {
            errors.Add("judgements", "must judge one to nine standards (set teachers-standards).");
        }
        else
        {
            for (var i = 0; i < judgements.Count; i++)
            {
                if (judgements[i] is not { } j)
                {
                    errors.Add($"judgements[{i}]", "must be a judgement.");
                    continue;
                }

                errors.Require($"judgements[{i}].standard", j.Standard);
                errors.Require($"judgements[{i}].outcome", j.Outcome);
                if (j.Standard is { } standard && judgements.Take(i).Any(o => o?.Standard == standard))
                {
                    errors.Add($"judgements[{i}].standard", "judges a standard already judged in this assessment.");
                }
            }

            var missing = AllStandards.Except(judgements.Where(j => j?.Standard is not null).Select(j => j.Standard!.Value)).ToList();
            if (a.Stage == AssessmentStage.Final && missing.Count > 0)
            {
                errors.Add("judgements", $"must judge every standard in a final assessment (C2.5 i); missing: {string.Join(", ", missing.Select(Data.EnumText.Name))}.");
            }
        }

        if (errors.Present("moderation", a.Moderation) && errors.Require("moderation.kind", a.Moderation!.Kind))
        {
            if (a.Moderation.Kind == ModerationKind.None)
            {
                errors.Forbid("moderation.moderatedOn", a.Moderation.ModeratedOn, "internal or external moderation");
            }
            else if (errors.PastDate("moderation.moderatedOn", a.Moderation.ModeratedOn, today) && a.Moderation.ModeratedOn < a.AssessedOn)
            {
                errors.Add("moderation.moderatedOn", "must not be before the assessment.");
            }
        }

        errors.Require("englishAssured", a.EnglishAssured);
        errors.Require("mathsAssured", a.MathsAssured);
        if (a.Supersedes is not null && !Guid.TryParse(a.Supersedes, out _))
        {
            errors.Add("supersedes", "must be the assessmentId of one of the trainee's assessments.");
        }

        if (!errors.IsEmpty)
        {
            return errors.ToError();
        }

        if (existing.Count >= MaxAssessments)
        {
            return ApiErrors.AssessmentLimitReached(MaxAssessments);
        }

        if (a.Supersedes is { } supersedes)
        {
            var replaced = existing.FirstOrDefault(e => e.AssessmentId == Guid.Parse(supersedes));
            if (replaced is null)
            {
                return ApiErrors.NotFound("assessment");
            }

            if (!replaced.IsCurrent)
            {
                return ApiErrors.AssessmentAlreadySuperseded(supersedes, replaced.SupersededBy!.Value.ToString());
            }
        }

        return a with { Assessor = a.Assessor! with { Name = a.Assessor.Name.Trim() }, Supersedes = a.Supersedes is null ? null : Guid.Parse(a.Supersedes).ToString() };
    }

    /// <summary>The assessment the award rests on: the latest final one that nothing has superseded (by date, then as recorded).</summary>
    public static Assessment? LatestFinal(IReadOnlyList<Assessment> assessments) =>
        assessments.Where(a => a.Stage == AssessmentStage.Final && a.IsCurrent)
            .OrderBy(a => a.AssessedOn).ThenBy(a => a.RecordedAt).LastOrDefault();
}
