using System.Net;
using Iqts.Api.Tests.Infrastructure;

namespace Iqts.Api.Tests.Trainees;

/// <summary>Seed 001: without DfE's permission, at most 200 trainees starting in one academic year.</summary>
public sealed class TraineeCapTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task The_201st_trainee_of_an_academic_year_is_refused_until_DfE_permits_more()
    {
        var ukprn = await api.CreateProviderAsync();
        var client = await api.ClientForAsync("provider", ukprn);

        // 200 starting across 2025/26 (1 August 2025 – 31 July 2026), in parallel as an SRS bulk load would.
        var starts = new[] { "2025-08-01", "2025-09-01", "2026-01-05", "2026-07-31" };
        await Parallel.ForEachAsync(Enumerable.Range(0, 200), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
            await client.CreateTraineeAsync(Fixtures.Trainee(change: b => { b["startDate"] = starts[i % 4]; b["expectedEndDate"] = "2027-07-31"; })));

        var extra = Fixtures.Trainee(change: b => b["startDate"] = "2026-03-01");
        var refused = await client.PostJsonAsync("/api/v1/trainees", extra);
        await refused.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "provider.trainee_cap_reached");

        // The next academic year has its own 200.
        await client.CreateTraineeAsync(Fixtures.Trainee(change: b => { b["startDate"] = "2026-08-01"; b["expectedEndDate"] = "2027-07-31"; }));

        // A trainee cannot be moved into the full year either.
        var later = await client.CreateTraineeAsync(Fixtures.Trainee(change: b => { b["startDate"] = "2026-09-01"; b["expectedEndDate"] = "2027-07-31"; }));
        await (await client.SendAsync(Fixtures.Patch($"/api/v1/trainees/{later.Id()}", """{"startDate":"2026-02-01"}""")))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "provider.trainee_cap_reached");

        var dfe = await api.ClientForAsync("dfe");
        Assert.Equal(HttpStatusCode.OK, (await dfe.SendAsync(Fixtures.Patch($"/api/v1/providers/{ukprn}", """{"mayExceedTraineeCap":true}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostJsonAsync("/api/v1/trainees", extra)).StatusCode);
    }
}
