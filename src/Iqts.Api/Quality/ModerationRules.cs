using Iqts.Api.Assessments;

namespace Iqts.Api.Quality;

/// <summary>What a moderation exercise is checked against, read by the operation: the provider's records it names.</summary>
/// <param name="Moderators">The provider's moderators among those named.</param>
/// <param name="Assessments">The assessments of the provider's trainees among those sampled (a trainee with none is still the provider's).</param>
/// <param name="Trainees">The provider's trainees among those sampled.</param>
/// <param name="EarlierInternal">
/// The samples of the provider's internal exercises held in the year up to this one, of trainees not yet awarded or
/// withdrawn: an external exercise must include everyone they found borderline or likely to fail.
/// </param>
public sealed record ModerationContext(IReadOnlyDictionary<Guid, Moderator> Moderators, ILookup<Guid, Assessment> Assessments, IReadOnlySet<Guid> Trainees,
    IReadOnlyList<(Guid ModerationId, SampledTrainee Sample)> EarlierInternal);

/// <summary>Pure rules of moderation exercises (C3.4, seed 003) and of what they cover for the award.</summary>
public static class ModerationRules
{
    public const int MaxModerators = 20;
    public const int MaxSample = 500;
    public const int MaxAssessmentsPerTrainee = 20;

    /// <summary>An external exercise includes every trainee internal moderation found borderline or likely to fail in the year before it (ADR 0012).</summary>
    public static readonly TimeSpan LookBack = TimeSpan.FromDays(366);

    private static readonly SampleReason[] AtRisk = [SampleReason.Borderline, SampleReason.LikelyToFail];

    /// <summary>
    /// An exercise: its moderators are the provider's (internal ones only, from two or more partners, for an internal
    /// exercise; at least one external one for an external exercise); its sample names the provider's trainees with their
    /// reasons and their own assessments, an adjusted outcome naming the assessment that supersedes the one moderated; an
    /// external sample includes every trainee internal moderation found at risk; the report and response only on an
    /// external exercise, in order.
    /// </summary>
    public static Outcome<ModerationExerciseDetails> Exercise(ModerationExerciseDetails d, ModerationContext ctx, DateOnly today)
    {
        var errors = new ValidationErrors();
        errors.Require("kind", d.Kind);
        errors.PastDate("heldOn", d.HeldOn, today);
        Moderators(errors, d, ctx);
        Sample(errors, d, ctx);
        ReportAndResponse(errors, d, today);
        if (!errors.IsEmpty)
        {
            return errors.ToError();
        }

        // Seed 003: internal moderation involves staff from two or more partners (the provider and a school, or several schools).
        var partners = d.ModeratorIds.Select(id => ctx.Moderators[id]).Select(m => m.Partner == ModeratorPartner.School ? m.SchoolId.ToString() : "provider").Distinct().Count();
        if (d.Kind == ModeratorKind.Internal && partners < 2)
        {
            return ApiErrors.ModerationPartnersTooFew(partners);
        }

        // Seed 003: external moderators scrutinise every trainee internal moderators regard as borderline or possible failures.
        var sampled = d.Sample.Select(s => s.TraineeId!.Value).ToHashSet();
        var missing = d.Kind == ModeratorKind.External
            ? ctx.EarlierInternal.Where(e => e.Sample.Reasons!.Intersect(AtRisk).Any() && !sampled.Contains(e.Sample.TraineeId!.Value))
                .Select(e => e.Sample.TraineeId!.Value).Distinct().Order().ToList()
            : [];
        if (missing.Count > 0)
        {
            return ApiErrors.ModerationSampleIncomplete(missing);
        }

        return d with
        {
            Report = d.Report is { } r ? r with { Reference = r.Reference.Trim(), Summary = r.Summary.Trim(), Standards = r.Standards ?? [] } : null,
            Response = d.Response is { } p ? p with { Changes = p.Changes.Trim() } : null,
            Sample = d.Sample.Select(s => s with { Assessments = s.Assessments ?? [] }).ToList(),
        };
    }

    private static void Moderators(ValidationErrors errors, ModerationExerciseDetails d, ModerationContext ctx)
    {
        if (d.ModeratorIds.Count is 0 or > MaxModerators)
        {
            errors.Add("moderatorIds", $"must name 1 to {MaxModerators} of the provider's moderators.");
            return;
        }

        for (var i = 0; i < d.ModeratorIds.Count; i++)
        {
            var field = $"moderatorIds[{i}]";
            if (!ctx.Moderators.TryGetValue(d.ModeratorIds[i], out var moderator))
            {
                errors.Add(field, "must be one of the provider's moderators.");
            }
            else if (d.ModeratorIds.Take(i).Contains(d.ModeratorIds[i]))
            {
                errors.Add(field, "names a moderator already named.");
            }
            else if (d.Kind == ModeratorKind.Internal && moderator.Kind != ModeratorKind.Internal)
            {
                errors.Add(field, "must be an internal moderator: an internal exercise is moderated by the partnership's own staff.");
            }
        }

        if (d.Kind == ModeratorKind.External && !errors.Has("moderatorIds[0]")
            && !d.ModeratorIds.Any(id => ctx.Moderators.GetValueOrDefault(id)?.Kind == ModeratorKind.External))
        {
            errors.Add("moderatorIds", "must include an external moderator for an external exercise.");
        }
    }

    private static void Sample(ValidationErrors errors, ModerationExerciseDetails d, ModerationContext ctx)
    {
        if (d.Sample.Count is 0 or > MaxSample)
        {
            errors.Add("sample", $"must have 1 to {MaxSample} trainees.");
            return;
        }

        for (var i = 0; i < d.Sample.Count; i++)
        {
            var at = $"sample[{i}]";
            if (!errors.Present(at, d.Sample[i]) || !errors.Require($"{at}.traineeId", d.Sample[i].TraineeId))
            {
                continue;
            }

            var (trainee, reasons, assessments) = (d.Sample[i].TraineeId!.Value, d.Sample[i].Reasons ?? [], d.Sample[i].Assessments ?? []);
            if (!ctx.Trainees.Contains(trainee))
            {
                errors.Add($"{at}.traineeId", "must be one of the provider's trainees.");
                continue;
            }

            if (d.Sample.Take(i).Any(s => s?.TraineeId == trainee))
            {
                errors.Add($"{at}.traineeId", "names a trainee already in the sample.");
            }

            if (reasons.Count is 0 or > 4 || reasons.Distinct().Count() != reasons.Count)
            {
                errors.Add($"{at}.reasons", "must give 1 to 4 reasons of sample-reasons, each once.");
            }

            if (assessments.Count > MaxAssessmentsPerTrainee)
            {
                errors.Add($"{at}.assessments", $"must have at most {MaxAssessmentsPerTrainee} items.");
                continue;
            }

            var own = ctx.Assessments[trainee].ToDictionary(a => a.AssessmentId);
            for (var j = 0; j < assessments.Count; j++)
            {
                Outcome(errors, $"{at}.assessments[{j}]", assessments[j], assessments.Take(j), own);
            }
        }
    }

    private static void Outcome(ValidationErrors errors, string at, ModeratedAssessment? outcome, IEnumerable<ModeratedAssessment?> before,
        Dictionary<Guid, Assessment> own)
    {
        if (!errors.Present(at, outcome) || !errors.Require($"{at}.assessmentId", outcome!.AssessmentId) | !errors.Require($"{at}.outcome", outcome.Outcome))
        {
            return;
        }

        var id = outcome.AssessmentId!.Value;
        if (!own.ContainsKey(id))
        {
            errors.Add($"{at}.assessmentId", "must be one of this trainee's assessments.");
        }
        else if (before.Any(b => b?.AssessmentId == id))
        {
            errors.Add($"{at}.assessmentId", "names an assessment already moderated in this exercise.");
        }
        else if (outcome.Outcome == SampleOutcome.Agreed)
        {
            errors.Forbid($"{at}.adjustedBy", outcome.AdjustedBy, "an adjusted outcome");
        }
        else if (outcome.AdjustedBy is not { } by || !own.TryGetValue(by, out var adjusted) || adjusted.Supersedes != id.ToString())
        {
            // The adjusted judgement is an assessment of its own (assessments are append-only): record it first, superseding this one.
            errors.Add($"{at}.adjustedBy", $"must name this trainee's assessment that supersedes {id} and records the adjusted judgement; record it first.");
        }
    }

    private static void ReportAndResponse(ValidationErrors errors, ModerationExerciseDetails d, DateOnly today)
    {
        if (d.Kind == ModeratorKind.Internal)
        {
            errors.Forbid("report", d.Report, "an external exercise");
            errors.Forbid("response", d.Response, "an external exercise");
            return;
        }

        if (d.Report is { } report)
        {
            if (errors.PastDate("report.receivedOn", report.ReceivedOn, today) && report.ReceivedOn < d.HeldOn)
            {
                errors.Add("report.receivedOn", "must be on or after heldOn.");
            }

            errors.RequireText("report.reference", report.Reference, 500);
            errors.Require("report.assessmentAccuracy", report.AssessmentAccuracy);
            errors.RequireText("report.summary", report.Summary, QualityRules.FindingsMaxLength);
            var standards = report.Standards ?? [];
            for (var i = 0; i < standards.Count; i++)
            {
                var at = $"report.standards[{i}]";
                if (!errors.Present(at, standards[i]) || !errors.Require($"{at}.standard", standards[i].Standard))
                {
                    continue;
                }

                if (standards.Take(i).Any(s => s?.Standard == standards[i].Standard))
                {
                    errors.Add($"{at}.standard", "names a standard already given.");
                }

                errors.MaxLength($"{at}.strengths", standards[i].Strengths, 1000);
                errors.MaxLength($"{at}.weaknesses", standards[i].Weaknesses, 1000);
            }
        }

        if (d.Response is { } response)
        {
            if (d.Report is null)
            {
                errors.Add("response", "needs the report it responds to.");
            }
            else if (errors.PastDate("response.changedOn", response.ChangedOn, today) && response.ChangedOn < d.Report.ReceivedOn)
            {
                errors.Add("response.changedOn", "must be on or after report.receivedOn.");
            }

            errors.RequireText("response.changes", response.Changes, QualityRules.FindingsMaxLength);
        }
    }

    /// <summary>
    /// What covers <paramref name="final"/> for C3.4: an exercise that agreed with it, or one whose adjusted outcome it
    /// records; the latest such exercise when several do.
    /// </summary>
    public static ModerationCover? Covering(Assessment final, IEnumerable<ModerationCover> covers) =>
        covers.Where(c => c.Outcome.AssessmentId == final.AssessmentId && c.Outcome.Outcome == SampleOutcome.Agreed
                || c.Outcome.Outcome == SampleOutcome.Adjusted && c.Outcome.AdjustedBy == final.AssessmentId)
            .OrderBy(c => c.HeldOn).ThenBy(c => c.ModerationId).LastOrDefault();
}
