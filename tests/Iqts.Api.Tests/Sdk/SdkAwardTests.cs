using Iqts.Api.Tests.Infrastructure;
using Iqts.Client;

namespace Iqts.Api.Tests.Sdk;

/// <summary>Assessments and the award through the generated C# SDK.</summary>
public sealed class SdkAwardTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task The_award_is_refused_with_every_unmet_rule_and_an_assessment_is_recorded_and_listed()
    {
        var sdk = await api.NewProviderSdkAsync();
        var trainee = (await sdk.CreateTraineeAsync(SdkFixtures.Trainee())).Result;
        var recorded = await sdk.RecordAssessmentAsync(trainee.TraineeId, Fixtures.Assessment(a => a["assessedOn"] = "2026-03-02").As<AssessmentRequest>());
        Assert.Equal(AssessmentStage.Final, recorded.Stage);
        Assert.Equal(9, recorded.Judgements.Count);
        Assert.Null(recorded.SupersededBy);
        Assert.Single((await sdk.ListAssessmentsAsync(trainee.TraineeId)).Items);

        var check = await sdk.GetAwardCheckAsync(trainee.TraineeId);
        Assert.Equal(AwardRuleResult.Not_met, check.Result);
        var problem = await SdkFixtures.ProblemAsync(() => sdk.AwardIqtsAsync(trainee.TraineeId, new AwardRequest { AwardedOn = new DateOnly(2026, 3, 13) }),
            422, "award.rules_not_met");
        Assert.Equal(check.Criteria.Where(c => c.Result == AwardRuleResult.Not_met).Select(c => c.Criterion),
            problem.Rules!.Select(r => r.Criterion).Distinct());
        Assert.Contains(problem.Rules!, r => r.Code == "C1.1.science_evidence_missing");
        Assert.DoesNotContain(problem.Rules!, r => r.Criterion is "C2.5 i" or "C2.1 v");
        // C3.4: the assessment says it was moderated, but no recorded moderation exercise covers it.
        Assert.Contains(problem.Rules!, r => r.Code == "C3.4.no_moderation_exercise");
    }
}
