using Iqts.Api.Assessments;
using Iqts.Api.Placements;
using Iqts.Api.Quality;
using Iqts.Api.Trainees;

namespace Iqts.Api.Awards;

/// <summary>
/// The award of iQTS as a pure rule over everything the API knows of a trainee: providers award iQTS to trainees who
/// meet the iQTS Teachers' Standards at the end of the programme (C2.5 i), after assuring their English and mathematics
/// (C2.1 v), on moderated assessment evidence (C3.4), having met the entry criteria (C1.1–C1.4) and trained in schools
/// as C2.2, C2.4 and C3.2 require. Every rule is evaluated, so a refusal lists every one not met.
/// </summary>
public static class AwardRules
{
    /// <summary>
    /// Every rule over what the API holds of the trainee now; with <paramref name="awardedOn"/>, the award date's rule too.
    /// A criterion that is incomplete is not met for the award. <paramref name="covers"/> are the moderation exercises'
    /// outcomes for the trainee's assessments (C3.4).
    /// </summary>
    public static Evaluation Check(Trainee trainee, Evaluation eligibility, PlacementEvaluation placements, IReadOnlyList<Assessment> assessments,
        IReadOnlyList<ModerationCover> covers, DateOnly? awardedOn = null, DateOnly? today = null)
    {
        var rules = new List<CriterionCheck> { Status(trainee) };
        rules.AddRange(eligibility.Criteria);
        rules.AddRange(placements.Criteria.Criteria);
        var final = AssessmentRules.LatestFinal(assessments);
        rules.AddRange(Assessment(final, trainee, covers));
        if (awardedOn is { } date)
        {
            rules.Add(AwardDate(trainee, date, today!.Value, final, placements.LastDay));
        }

        return Evaluation.Of(rules);
    }

    /// <summary>The check if every rule holds, else <c>award.rules_not_met</c> listing each unmet rule with its reasons.</summary>
    public static Outcome<Evaluation> Award(Evaluation check)
    {
        var unmet = check.Criteria.Where(r => r.Verdict != Verdict.Met)
            .SelectMany(r => r.Reasons.Select(reason => new UnmetRule(r.Criterion, reason.Code, reason.Message))).ToList();
        return unmet.Count == 0 ? check : ApiErrors.AwardRulesNotMet(unmet.Select(r => r.Code).ToList()).WithData("rules", unmet);
    }

    private static CriterionCheck Rule(string criterion, bool met, string code, string message, params string[] evidence) =>
        CriterionCheck.Of(criterion, met ? Verdict.Met : Verdict.NotMet, code, message, evidence);

    private static CriterionCheck Status(Trainee trainee) => trainee.Status == TraineeStatus.Registered
        ? Rule("status", true, "status.registered", "The trainee is registered: not deferred, withdrawn or already awarded.")
        : Rule("status", false, $"status.{EnumText.Name(trainee.Status)}", $"The trainee is {EnumText.Name(trainee.Status)}; only a registered trainee can be awarded iQTS.");

    private static IEnumerable<CriterionCheck> Assessment(Assessment? final, Trainee trainee, IReadOnlyList<ModerationCover> covers)
    {
        if (final is null)
        {
            const string message = "No final assessment is recorded (one that nothing has superseded).";
            yield return Rule("C2.5 i", false, "C2.5i.no_final_assessment", message);
            yield return Rule("C2.1 v", false, "C2.1v.no_final_assessment", message);
            yield return Rule("C3.4", false, "C3.4.no_final_assessment", message);
            yield break;
        }

        var id = final.AssessmentId.ToString();
        var notMet = AssessmentRules.AllStandards.Where(s => final.Judgements.FirstOrDefault(j => j.Standard == s)?.Outcome != JudgementOutcome.Met).ToList();
        // C2.5 i: the standards are met "at the end of the programme"; an assessment dated before the start, as the
        // trainee's dates are now, cannot be that (the start may have moved after the assessment was recorded).
        yield return final.AssessedOn < trainee.StartDate
            ? Rule("C2.5 i", false, "C2.5i.assessed_before_start",
                $"The final assessment ({final.AssessedOn:yyyy-MM-dd}) is dated before the trainee's start date ({trainee.StartDate:yyyy-MM-dd}); correct the assessment or the trainee's dates.", id)
            : notMet.Count == 0
            ? Rule("C2.5 i", true, "C2.5i.standards_met", "The final assessment judges every iQTS Teachers' Standard met.", id)
            : Rule("C2.5 i", false, "C2.5i.standards_not_met", $"The final assessment does not judge every standard met: {string.Join(", ", notMet.Select(EnumText.Name))}.", id);

        var unassured = new[] { final.EnglishAssured == true ? null : "English", final.MathsAssured == true ? null : "mathematics" }.OfType<string>().ToList();
        yield return unassured.Count == 0
            ? Rule("C2.1 v", true, "C2.1v.english_and_maths_assured", "The provider has assured the trainee's proficiency in English and mathematics.", id)
            : Rule("C2.1 v", false, "C2.1v.not_assured", $"The provider has not assured the trainee's proficiency in {string.Join(" and ", unassured)}.", id);

        yield return Moderated(final, covers);
    }

    /// <summary>
    /// C3.4: the final assessment counts as moderated when a recorded moderation exercise covers it (agreed with it, or
    /// adjusted to it). One recorded before exercises existed is judged, as it was then, on its <c>moderation.kind</c> (ADR 0012).
    /// </summary>
    private static CriterionCheck Moderated(Assessment final, IReadOnlyList<ModerationCover> covers)
    {
        var id = final.AssessmentId.ToString();
        var kind = final.Moderation!.Kind!.Value;
        if (ModerationRules.Covering(final, covers) is { } cover)
        {
            var how = cover.Outcome.Outcome == SampleOutcome.Agreed ? "agreed with it" : "adjusted the judgement to it";
            return Rule("C3.4", true, "C3.4.moderated",
                $"The {EnumText.Name(cover.Kind)} moderation exercise {cover.ModerationId} of {cover.HeldOn:yyyy-MM-dd} {how}.", id, cover.ModerationId.ToString());
        }

        return final.ModerationJudgedOnKind && kind is ModerationKind.Internal or ModerationKind.External
            ? Rule("C3.4", true, "C3.4.moderated_as_recorded",
                $"The final assessment was recorded as moderated ({EnumText.Name(kind)}) before moderation exercises were recorded; it is judged as it was then.", id)
            : kind is ModerationKind.Internal or ModerationKind.External
            ? Rule("C3.4", false, "C3.4.no_moderation_exercise",
                $"The final assessment says it was moderated ({EnumText.Name(kind)}), but no recorded moderation exercise covers it: record the exercise with POST /moderations.", id)
            : Rule("C3.4", false, "C3.4.not_moderated", "The final assessment was not moderated, internally or externally, and no recorded moderation exercise covers it.", id);
    }

    /// <summary>
    /// The award rests on the final assessment and the placements counted, so it is dated on or after each of them, on
    /// or after the start, and not in the future.
    /// </summary>
    private static CriterionCheck AwardDate(Trainee trainee, DateOnly awardedOn, DateOnly today, Assessment? final, DateOnly? lastPlacementDay) =>
        awardedOn > today
            ? Rule("awardedOn", false, "award.awarded_on_in_future", "The award date is in the future.")
            : awardedOn < trainee.StartDate
                ? Rule("awardedOn", false, "award.awarded_on_before_start", $"The award date is before the trainee's start date ({trainee.StartDate:yyyy-MM-dd}).")
                : awardedOn < final?.AssessedOn
                    ? Rule("awardedOn", false, "award.awarded_on_before_final_assessment", $"The award date is before the final assessment it rests on ({final.AssessedOn:yyyy-MM-dd}).")
                    : awardedOn < lastPlacementDay
                        ? Rule("awardedOn", false, "award.awarded_on_before_placement_end", $"The award date is before the end of a placement counted ({lastPlacementDay:yyyy-MM-dd}).")
                        : Rule("awardedOn", true, "award.awarded_on_valid",
                            "The award date is on or after the start, the final assessment and the end of every placement counted, and not in the future.");
}
