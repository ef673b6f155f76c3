using Iqts.Api.Assessments;
using Iqts.Api.Awards;
using Iqts.Api.Composition;
using Iqts.Api.Criteria;
using Iqts.Api.Data;
using Iqts.Api.Eligibility;
using Iqts.Api.Placements;
using Iqts.Api.Quality;
using Iqts.Api.ReferenceData;
using Iqts.Api.Tests.Infrastructure;
using Iqts.Api.Trainees;

namespace Iqts.Api.Tests.Rules;

/// <summary>The award rule over everything known of a trainee, without HTTP or a database.</summary>
public sealed class AwardRulesTests
{
    private static readonly ReferenceDataSets Reference = new();
    private static readonly DateOnly Today = DateOnly.FromDateTime(ApiFactory.Start.UtcDateTime);

    private static readonly Trainee Registered = new(Fixtures.Trainee().As<TraineeRegistration>() with { AgeRangePhase = AgePhase.Secondary }) { Status = TraineeStatus.Registered };

    private static Evaluation Eligible()
    {
        var applicant = Fixtures.Applicant().As<EligibilityCheckRequest>();
        return EligibilityRules.Evaluate(AgePhase.Secondary, applicant.Qualifications.Select((q, i) => ($"q{i}", q)).ToList(), applicant.SuitabilityChecks!, Reference);
    }

    private static PlacementEvaluation Placed()
    {
        School School() => new(Fixtures.School().As<SchoolDetails>()) { SchoolId = Guid.NewGuid() };
        (Placement, School) At(School s, string start, string end) =>
            (new Placement(Fixtures.Placement(s.SchoolId.ToString(), p => { p["startDate"] = start; p["endDate"] = end; }).As<PlacementDetails>()) { PlacementId = Guid.NewGuid() }, s);
        return PlacementRules.Summarise([At(School(), "2025-09-15", "2025-12-19"), At(School(), "2026-01-05", "2026-03-13")], Fixtures.PlacementPlan().As<PlacementPlan>());
    }

    private static Assessment Final(Action<System.Text.Json.Nodes.JsonObject>? change = null, DateTimeOffset? recorded = null) =>
        new(Fixtures.Assessment(change).As<AssessmentRequest>()) { AssessmentId = Guid.NewGuid(), RecordedAt = recorded ?? ApiFactory.Start };

    private static readonly Guid Exercise = Guid.NewGuid();

    /// <summary>An internal exercise of 9 March 2026 that agreed with each of <paramref name="assessments"/>.</summary>
    private static List<ModerationCover> Agreed(params Assessment[] assessments) =>
        assessments.Select(a => new ModerationCover(Exercise, ModeratorKind.Internal, new DateOnly(2026, 3, 9), a.TraineeId,
            new ModeratedAssessment(a.AssessmentId, SampleOutcome.Agreed, null))).ToList();

    [Fact]
    public void Every_rule_met_is_met_and_the_teachers_standards_set_matches_the_enum()
    {
        var final = Final();
        var check = AwardRules.Check(Registered, Eligible(), Placed(), [final], Agreed(final), new DateOnly(2026, 3, 13), Today);
        Assert.Equal(Verdict.Met, check.Verdict);
        Assert.False(AwardRules.Award(check).Failed);
        Assert.Equal(EnumText.AllNames<TeachersStandard>(), CodeLists.All.Single(s => s.Set == "teachers-standards").Entries.Select(e => e.Code));
    }

    [Fact]
    public void Without_a_final_assessment_three_rules_fail_with_their_criteria()
    {
        var interim = Final(a => a["stage"] = "interim");
        var refused = AwardRules.Award(AwardRules.Check(Registered, Eligible(), Placed(), [interim], Agreed(interim)));
        var rules = (IReadOnlyList<UnmetRule>)refused.Error!.Data["rules"]!;
        Assert.Equal(["C2.5 i", "C2.1 v", "C3.4"], rules.Select(r => r.Criterion));
        Assert.Equal(["C2.5i.no_final_assessment", "C2.1v.no_final_assessment", "C3.4.no_final_assessment"], rules.Select(r => r.Code));
    }

    [Fact]
    public void A_superseded_final_assessment_no_longer_counts_and_the_latest_current_one_does()
    {
        var failing = Final(a => a["judgements"]![0]!["outcome"] = "not_met");
        var correction = Final(recorded: ApiFactory.Start.AddMinutes(1)) with { Supersedes = failing.AssessmentId.ToString() };
        var superseded = failing with { SupersededBy = correction.AssessmentId };
        Assert.Equal(correction, AssessmentRules.LatestFinal([superseded, correction]));
        Assert.Equal(Verdict.Met, AwardRules.Check(Registered, Eligible(), Placed(), [superseded, correction], Agreed(correction)).Verdict);
        Assert.Equal(Verdict.NotMet, AwardRules.Check(Registered, Eligible(), Placed(), [failing], Agreed(failing)).Verdict);
    }

    [Theory]
    [InlineData(TraineeStatus.Deferred, "status.deferred")]
    [InlineData(TraineeStatus.Withdrawn, "status.withdrawn")]
    [InlineData(TraineeStatus.Awarded, "status.awarded")]
    public void Only_a_registered_trainee_can_be_awarded(TraineeStatus status, string code)
    {
        var rule = AwardRules.Check(Registered with { Status = status }, Eligible(), Placed(), [Final()], []).Criteria.Single(c => c.Criterion == "status");
        Assert.Equal((Verdict.NotMet, code), (rule.Verdict, rule.Reasons.Single().Code));
    }

    /// <summary>C3.4 (issue 20): what counts as a moderated final assessment.</summary>
    /// <param name="kind">The final assessment's <c>moderation.kind</c>.</param>
    /// <param name="recordedBefore">Recorded before moderation exercises existed (ADR 0012).</param>
    /// <param name="cover">none; agreed (with the final); adjusted (to the final, from the one it supersedes); stale (agreed with the assessment the final corrects).</param>
    /// <param name="code">The reason expected.</param>
    [Theory]
    [InlineData("internal", false, "agreed", "C3.4.moderated")]
    [InlineData("none", false, "agreed", "C3.4.moderated")]
    [InlineData("internal", false, "adjusted", "C3.4.moderated")]
    [InlineData("internal", false, "stale", "C3.4.no_moderation_exercise")]
    [InlineData("external", false, "none", "C3.4.no_moderation_exercise")]
    [InlineData("none", false, "none", "C3.4.not_moderated")]
    [InlineData("internal", true, "none", "C3.4.moderated_as_recorded")]
    [InlineData("none", true, "none", "C3.4.not_moderated")]
    public void A_final_assessment_is_moderated_when_a_recorded_exercise_covers_it(string kind, bool recordedBefore, string cover, string code)
    {
        var earlier = Final();
        var final = Final(a => a["moderation"] = new System.Text.Json.Nodes.JsonObject { ["kind"] = kind }) with
        {
            Supersedes = earlier.AssessmentId.ToString(),
            ModerationJudgedOnKind = recordedBefore,
        };
        var covers = cover switch
        {
            "agreed" => Agreed(final),
            "stale" => Agreed(earlier),
            "adjusted" => [new ModerationCover(Exercise, ModeratorKind.External, new DateOnly(2026, 3, 9), final.TraineeId,
                new ModeratedAssessment(earlier.AssessmentId, SampleOutcome.Adjusted, final.AssessmentId))],
            _ => [],
        };
        var rule = AwardRules.Check(Registered, Eligible(), Placed(), [earlier with { SupersededBy = final.AssessmentId }, final], covers)
            .Criteria.Single(c => c.Criterion == "C3.4");
        Assert.Equal(code, rule.Reasons.Single().Code);
        Assert.Equal(code is "C3.4.moderated" or "C3.4.moderated_as_recorded" ? Verdict.Met : Verdict.NotMet, rule.Verdict);
        Assert.Equal(cover is "agreed" or "adjusted", rule.Evidence.Contains(Exercise.ToString()));
    }
}
