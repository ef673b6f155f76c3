using Iqts.Api.Assessments;
using Iqts.Api.Placements;
using Iqts.Api.Quality;
using Iqts.Api.Tests.Infrastructure;

namespace Iqts.Api.Tests.Rules;

/// <summary>Moderation exercises and mentor records (issue 20) as pure rules, case by case.</summary>
public sealed class QualityRulesTests
{
    private static readonly DateOnly Today = new(2026, 3, 16);
    private static readonly Guid School = Guid.NewGuid();
    private static readonly Guid OtherSchool = Guid.NewGuid();
    private static readonly Guid Trainee = Guid.NewGuid();
    private static readonly Guid AtRisk = Guid.NewGuid();

    private static Moderator Internal(Guid? school) => new()
    {
        ModeratorId = Guid.NewGuid(), Kind = ModeratorKind.Internal, Name = "M", Partner = school is null ? ModeratorPartner.Provider : ModeratorPartner.School,
        SchoolId = school, Role = "R",
    };

    private static readonly Moderator FromProvider = Internal(null);
    private static readonly Moderator SecondFromProvider = Internal(null);
    private static readonly Moderator FromSchool = Internal(School);
    private static readonly Moderator FromOtherSchool = Internal(OtherSchool);
    private static readonly Moderator External = new() { ModeratorId = Guid.NewGuid(), Kind = ModeratorKind.External, Name = "E" };

    private static readonly Assessment First = new(Fixtures.Assessment().As<AssessmentRequest>()) { AssessmentId = Guid.NewGuid(), TraineeId = Trainee };
    private static readonly Assessment Correction = new(Fixtures.Assessment().As<AssessmentRequest>())
    {
        AssessmentId = Guid.NewGuid(), TraineeId = Trainee, Supersedes = First.AssessmentId.ToString(),
    };

    private static ModerationContext Context(bool earlierAtRisk) => new(
        new[] { FromProvider, SecondFromProvider, FromSchool, FromOtherSchool, External }.ToDictionary(m => m.ModeratorId),
        new[] { First, Correction }.ToLookup(a => a.TraineeId),
        new HashSet<Guid> { Trainee, AtRisk },
        earlierAtRisk ? [(Guid.NewGuid(), new SampledTrainee(AtRisk, [SampleReason.LikelyToFail], []))] : []);

    /// <summary>Each case changes one thing in an internal exercise by the provider and a school that agreed with the first assessment.</summary>
    [Theory]
    [InlineData("", null)]
    [InlineData("two_of_the_provider", "moderation.partners_too_few")]
    [InlineData("two_schools", null)]
    [InlineData("external_in_internal", "moderatorIds[1]")]
    [InlineData("unknown_moderator", "moderatorIds[0]")]
    [InlineData("repeated_moderator", "moderatorIds[1]")]
    [InlineData("unknown_trainee", "sample[0].traineeId")]
    [InlineData("no_reason", "sample[0].reasons")]
    [InlineData("unknown_assessment", "sample[0].assessments[0].assessmentId")]
    [InlineData("adjusted_without_successor", "sample[0].assessments[0].adjustedBy")]
    [InlineData("adjusted_to_the_correction", null)]
    [InlineData("agreed_naming_a_successor", "sample[0].assessments[0].adjustedBy")]
    [InlineData("report_on_internal", "report")]
    [InlineData("external_missing_one_at_risk", "moderation.sample_incomplete")]
    [InlineData("external_with_everyone_at_risk", null)]
    [InlineData("external_without_external_moderator", "moderatorIds")]
    [InlineData("held_in_future", "heldOn")]
    public void An_exercise_is_checked_against_the_seeds_rules(string change, string? refusal)
    {
        var outcome = new ModeratedAssessment(First.AssessmentId, SampleOutcome.Agreed, null);
        var sample = new List<SampledTrainee> { new(Trainee, [SampleReason.Borderline], [outcome]) };
        var exercise = new ModerationExerciseDetails
        {
            Kind = ModeratorKind.Internal, HeldOn = new DateOnly(2026, 3, 9), ModeratorIds = [FromProvider.ModeratorId, FromSchool.ModeratorId], Sample = sample,
        };
        exercise = change switch
        {
            "two_of_the_provider" => exercise with { ModeratorIds = [FromProvider.ModeratorId, SecondFromProvider.ModeratorId] },
            "two_schools" => exercise with { ModeratorIds = [FromSchool.ModeratorId, FromOtherSchool.ModeratorId] },
            "external_in_internal" => exercise with { ModeratorIds = [FromProvider.ModeratorId, External.ModeratorId] },
            "unknown_moderator" => exercise with { ModeratorIds = [Guid.NewGuid(), FromSchool.ModeratorId] },
            "repeated_moderator" => exercise with { ModeratorIds = [FromSchool.ModeratorId, FromSchool.ModeratorId] },
            "unknown_trainee" => exercise with { Sample = [sample[0] with { TraineeId = Guid.NewGuid() }] },
            "no_reason" => exercise with { Sample = [sample[0] with { Reasons = [] }] },
            "unknown_assessment" => exercise with { Sample = [sample[0] with { Assessments = [outcome with { AssessmentId = Guid.NewGuid() }] }] },
            "adjusted_without_successor" => exercise with { Sample = [sample[0] with { Assessments = [outcome with { Outcome = SampleOutcome.Adjusted }] }] },
            "adjusted_to_the_correction" => exercise with
            {
                Sample = [sample[0] with { Assessments = [outcome with { Outcome = SampleOutcome.Adjusted, AdjustedBy = Correction.AssessmentId }] }],
            },
            "agreed_naming_a_successor" => exercise with { Sample = [sample[0] with { Assessments = [outcome with { AdjustedBy = Correction.AssessmentId }] }] },
            "report_on_internal" => exercise with { Report = new ModerationReport(new DateOnly(2026, 3, 10), "R", AssessmentAccuracy.Accurate, "S", []) },
            "external_missing_one_at_risk" => exercise with { Kind = ModeratorKind.External, ModeratorIds = [External.ModeratorId] },
            "external_with_everyone_at_risk" => exercise with
            {
                Kind = ModeratorKind.External, ModeratorIds = [External.ModeratorId], Sample = [.. sample, new SampledTrainee(AtRisk, [SampleReason.Representative], [])],
            },
            "external_without_external_moderator" => exercise with { Kind = ModeratorKind.External },
            "held_in_future" => exercise with { HeldOn = Today.AddDays(1) },
            _ => exercise,
        };

        var checkedExercise = ModerationRules.Exercise(exercise, Context(earlierAtRisk: true), Today);
        Assert.Equal(refusal is null, !checkedExercise.Failed);
        if (refusal is not null)
        {
            Assert.Contains(refusal, checkedExercise.Error!.Code.StartsWith("moderation.", StringComparison.Ordinal) ? [checkedExercise.Error.Code] : checkedExercise.Error.Errors!.Keys);
        }
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void A_mentor_is_at_one_of_the_providers_schools_with_dates_not_in_the_future(bool known, bool refused)
    {
        var school = known ? new School(Fixtures.School().As<SchoolDetails>()) { SchoolId = School } : null;
        var details = new SchoolMentorDetails { SchoolId = School, Name = " M ", TrainingCompletedOn = new DateOnly(2025, 9, 1) };
        var outcome = MentorRules.Mentor(details, school, Today);
        Assert.Equal(refused, outcome.Failed);
        Assert.Equal(refused ? ["schoolId"] : null, outcome.Failed ? outcome.Error.Errors!.Keys : null);
        Assert.True(MentorRules.Mentor(details with { TrainingCompletedOn = Today.AddDays(1) }, school, Today).Failed);
    }
}
