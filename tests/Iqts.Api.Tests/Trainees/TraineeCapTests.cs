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

        // 196 starting across 2025/26 (1 August 2025 – 31 July 2026), written through the repository as a precondition;
        // then the last places raced for over HTTP, as an SRS bulk load would: exactly 4 of 8 get in.
        var starts = new[] { "2025-08-01", "2025-09-01", "2026-01-05", "2026-07-31" };
        await api.SeedTraineesAsync(ukprn, 196, (b, i) => { b["startDate"] = starts[i % 4]; b["expectedEndDate"] = "2027-07-31"; });
        var race = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            client.PostJsonAsync("/api/v1/trainees", Fixtures.Trainee(change: b => { b["startDate"] = starts[i % 4]; b["expectedEndDate"] = "2027-07-31"; }))));
        Assert.Equal(4, race.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(4, race.Count(r => r.StatusCode == HttpStatusCode.UnprocessableEntity));

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

    [Fact]
    public async Task Registrations_racing_with_one_SRS_id_or_one_person_admit_exactly_one()
    {
        // On PostgreSQL a registration is queued behind the provider's others only at commit (a provisional change number,
        // ADR 0007), where its admission rules are checked again: racing duplicates must still get exactly one 201, and the
        // rest the answer they would get one after another, never a 500 from the unique key.
        var client = await api.NewProviderClientAsync();
        var sameId = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            client.PostJsonAsync("/api/v1/trainees", Fixtures.Trainee("RACE-ID", b => b["firstNames"] = $"Person {i}"))));
        Assert.Single(sameId, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var refused in sameId.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            await refused.AssertProblemAsync(HttpStatusCode.Conflict, "trainee.already_exists");
        }

        var samePerson = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            client.PostJsonAsync("/api/v1/trainees", Fixtures.Trainee($"RACE-P{i}", b => { b["firstNames"] = "Ravi"; b["email"] = "ravi.race@example.org"; }))));
        Assert.Single(samePerson, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var refused in samePerson.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            await refused.AssertProblemAsync(HttpStatusCode.Conflict, "trainee.possible_duplicate");
        }

        var list = await (await client.GetAsync("/api/v1/trainees?limit=100")).ReadJsonAsync();
        Assert.Equal(2, list.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Corrections_racing_for_the_last_places_of_a_year_take_only_those_places()
    {
        // A correction takes the provider's change number before it counts (TraineeChanges.SerialiseAsync): without it,
        // corrections of different trainees, which lock different rows, would all count 197 and all get in.
        var ukprn = await api.CreateProviderAsync();
        var client = await api.ClientForAsync("provider", ukprn);
        await api.SeedTraineesAsync(ukprn, 197, (b, _) => { b["startDate"] = "2025-09-01"; b["expectedEndDate"] = "2026-07-31"; });
        var movers = await api.SeedTraineesAsync(ukprn, 8, (b, _) => { b["startDate"] = "2026-09-01"; b["expectedEndDate"] = "2027-07-31"; });

        var race = await Task.WhenAll(movers.Select(t =>
            client.SendAsync(Fixtures.Patch($"/api/v1/trainees/{t.TraineeId}", """{"startDate":"2025-10-01","expectedEndDate":"2026-07-31"}"""))));

        Assert.Equal(3, race.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(5, race.Count(r => r.StatusCode == HttpStatusCode.UnprocessableEntity));
    }
}
