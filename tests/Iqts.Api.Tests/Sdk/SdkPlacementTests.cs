using Iqts.Api.Tests.Infrastructure;
using Iqts.Client;

namespace Iqts.Api.Tests.Sdk;

/// <summary>Schools, placements and the plan through the generated C# SDK.</summary>
public sealed class SdkPlacementTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task A_trainee_placed_in_two_schools_meets_the_training_in_schools_criteria()
    {
        var sdk = await api.NewProviderSdkAsync();
        var trainee = (await sdk.CreateTraineeAsync(SdkFixtures.Trainee())).Result;
        var first = await sdk.CreateSchoolAsync(Fixtures.School().As<SchoolDetails>());
        var second = await sdk.CreateSchoolAsync(Fixtures.School(s => s["schoolType"] = "local_state").As<SchoolDetails>());
        Assert.Equal(SchoolType.British_international, first.Result.SchoolType);
        Assert.Equal(RiskOutcome.Suitable, first.Result.RiskAssessment!.Outcome);

        var placed = await sdk.AddPlacementAsync(trainee.TraineeId, Fixtures.Placement(first.Result.SchoolId).As<PlacementDetails>());
        await sdk.AddPlacementAsync(trainee.TraineeId, Fixtures.Placement(second.Result.SchoolId, p => { p["startDate"] = "2026-01-05"; p["endDate"] = "2026-04-30"; }).As<PlacementDetails>());
        await sdk.PutPlacementPlanAsync(trainee.TraineeId, Fixtures.PlacementPlan().As<PlacementPlan>());

        var summary = await sdk.GetPlacementSummaryAsync(trainee.TraineeId);
        Assert.Equal(PlacementResult.Met, summary.Result);
        Assert.Equal(120, summary.Days);
        Assert.Equal(2, summary.Schools.Count);

        var changed = await sdk.UpdatePlacementAsync(trainee.TraineeId, placed.Result.PlacementId, new PlacementPatch { Days = 59 }, if_Match: placed.ETag());
        Assert.Equal(59, changed.Result.Days);
        Assert.Equal(PlacementResult.Not_met, (await sdk.GetPlacementSummaryAsync(trainee.TraineeId)).Result);
        await SdkFixtures.ProblemAsync(() => sdk.UpdatePlacementAsync(trainee.TraineeId, placed.Result.PlacementId, new PlacementPatch { Days = 60 }, if_Match: placed.ETag()),
            412, "resource.precondition_failed");
    }
}
