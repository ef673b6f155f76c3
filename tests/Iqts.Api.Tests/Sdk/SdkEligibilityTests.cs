using Iqts.Api.Tests.Infrastructure;
using Iqts.Client;

namespace Iqts.Api.Tests.Sdk;

/// <summary>The entry criteria through the generated C# SDK, as an SRS would record a candidate's evidence.</summary>
public sealed class SdkEligibilityTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Evidence_recorded_through_the_sdk_makes_a_trainee_eligible()
    {
        var sdk = await api.NewProviderSdkAsync();
        var trainee = (await sdk.CreateTraineeAsync(SdkFixtures.Trainee())).Result;
        Assert.Equal(EligibilityResult.Incomplete, trainee.Eligibility);

        foreach (var kind in new[] { "gcse_maths", "gcse_science", "degree", "english_language" })
        {
            var added = await sdk.AddQualificationAsync(trainee.TraineeId, Fixtures.Qualification(kind).As<QualificationRequest>());
            Assert.Equal(trainee.TraineeId, added.TraineeId);
        }

        var degree = (await sdk.ListQualificationsAsync(trainee.TraineeId)).Items.Single(q => q.Kind == QualificationKind.Degree);
        Assert.Equal(DegreeOrigin.Uk, degree.Degree!.Origin);
        Assert.Equal("051", degree.Degree.DegreeType);

        var empty = await sdk.GetSuitabilityChecksAsync(trainee.TraineeId);
        var put = await sdk.PutSuitabilityChecksAsync(trainee.TraineeId, Fixtures.SuitabilityChecks().As<SuitabilityChecks>(), if_Match: empty.ETag());
        Assert.Equal(CheckOutcome.Passed, put.Result.Icpc!.Outcome);
        await SdkFixtures.ProblemAsync(() => sdk.PutSuitabilityChecksAsync(trainee.TraineeId, new SuitabilityChecks(), if_Match: empty.ETag()),
            412, "resource.precondition_failed");

        var eligibility = await sdk.GetTraineeEligibilityAsync(trainee.TraineeId);
        Assert.Equal(EligibilityResult.Eligible, eligibility.Result);
        Assert.Equal(["C1.1", "C1.2", "C1.3", "C1.4"], eligibility.Criteria.Select(c => c.Criterion));
        Assert.Equal(EligibilityResult.Eligible, (await sdk.GetTraineeAsync(trainee.TraineeId)).Result.Eligibility);
        Assert.Contains((await sdk.ListTraineesAsync(eligibility: EligibilityResult.Eligible)).Items, t => t.TraineeId == trainee.TraineeId);
    }

    [Fact]
    public async Task An_applicant_is_checked_and_bad_evidence_is_named()
    {
        var sdk = await api.NewProviderSdkAsync();
        var applicant = Fixtures.Applicant().As<EligibilityCheckRequest>();
        var verdict = await sdk.CheckEligibilityAsync(applicant);
        Assert.Equal(EligibilityResult.Eligible, verdict.Result);

        applicant.Qualifications.First().Gcse!.Grade = "3";
        var notMet = await sdk.CheckEligibilityAsync(applicant);
        Assert.Equal(EligibilityResult.Not_eligible, notMet.Result);
        Assert.Contains(notMet.Criteria.Single(c => c.Criterion == "C1.1").Reasons, r => r.Code == "C1.1.maths_below_grade_4");

        applicant.AgeRange = "3-12";
        var problem = await SdkFixtures.ProblemAsync(() => sdk.CheckEligibilityAsync(applicant), 400, "validation.failed");
        Assert.Equal(["ageRange"], problem.Errors!.Keys);
    }
}
