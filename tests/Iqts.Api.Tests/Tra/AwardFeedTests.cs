using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Dapper;
using Iqts.Api.Tests.Infrastructure;

namespace Iqts.Api.Tests.Tra;

/// <summary>
/// The TRA's pull feed (<c>GET /awards</c>) and its acknowledgement, in pull-only mode: what the TRA reads of an award,
/// who may read what, the acknowledgement's rules, and the gap-free walk while awards are being made.
/// </summary>
public sealed class AwardFeedTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private sealed record Awarded(string Ukprn, Guid TraineeId, string AwardId);

    private async Task<Awarded> AwardedAsync(string? ukprn = null)
    {
        ukprn ??= await api.CreateProviderAsync();
        var trainee = (await api.SeedTraineesAsync(ukprn, 1))[0].TraineeId;
        return new Awarded(ukprn, trainee, (await api.AwardTraineeAsync(ukprn, trainee)).ToString());
    }

    private static async Task<(List<JsonElement> Items, string? Cursor)> WalkAsync(HttpClient client, string? cursor = null, int limit = 100)
    {
        var items = new List<JsonElement>();
        bool hasMore;
        do
        {
            var page = await (await client.GetAsync($"/api/v1/awards?limit={limit}{(cursor is null ? "" : "&cursor=" + cursor)}")).ReadJsonAsync();
            items.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.Clone()));
            cursor = page.GetProperty("nextCursor").GetString();
            hasMore = page.GetProperty("hasMore").GetBoolean();
        }
        while (hasMore);
        return (items, cursor);
    }

    private static Task<HttpResponseMessage> AcknowledgeAsync(HttpClient client, string awardId, string trn, string qtsDate) =>
        client.PutAsync($"/api/v1/awards/{awardId}/acknowledgement", Requests.JsonBody($$"""{"trn":"{{trn}}","qtsDate":"{{qtsDate}}"}"""));

    [Fact]
    public async Task A_providers_cursor_says_nothing_of_other_providers_awards()
    {
        // Both of A's trainees are made ready first, so between its two awards A itself changes nothing else.
        var ukprn = await api.CreateProviderAsync();
        var trainees = (await api.SeedTraineesAsync(ukprn, 2)).Select(t => t.TraineeId).ToList();
        await api.PrepareForAwardAsync(ukprn, trainees[1]);
        await api.AwardTraineeAsync(ukprn, trainees[0]);
        var mine = await api.ClientForAsync("provider", ukprn);
        var (_, before) = await WalkAsync(mine);

        // Another provider's three awards and the TRA's acknowledgement of one.
        var tra = await api.ClientForAsync("tra");
        var others = new List<Awarded>();
        for (var i = 0; i < 3; i++)
        {
            others.Add(await AwardedAsync());
        }

        Assert.Equal(HttpStatusCode.OK, (await AcknowledgeAsync(tra, others[0].AwardId, "3000001", "2026-03-16")).StatusCode);

        Assert.Equal(HttpStatusCode.Created, (await mine.PostAsync($"/api/v1/trainees/{trainees[1]}/award", Requests.JsonBody("""{"awardedOn":"2026-03-13"}"""))).StatusCode);
        var (items, after) = await WalkAsync(mine, before);
        Assert.Equal([trainees[1].ToString()], items.Select(i => i.GetProperty("traineeId").GetString()));
        // The cursor moved by A's one change (its second award), not by the other provider's four (three awards, one acknowledgement).
        Assert.Equal(Position(before!) + 1, Position(after!));
    }

    private static long Position(string cursor) =>
        long.Parse(System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(cursor.Replace('-', '+').Replace('_', '/').PadRight((cursor.Length + 3) / 4 * 4, '='))).Split(':')[1],
            System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task The_tra_reads_every_providers_awards_with_what_it_records_and_a_provider_reads_only_its_own()
    {
        var a = await AwardedAsync();
        var b = await AwardedAsync();
        var tra = await api.ClientForAsync("tra");

        var (items, _) = await WalkAsync(tra, limit: 1);
        Assert.Contains(items, i => i.GetProperty("awardId").GetString() == a.AwardId);
        Assert.Contains(items, i => i.GetProperty("awardId").GetString() == b.AwardId);

        var record = await (await tra.GetAsync($"/api/v1/awards/{a.AwardId}")).ReadJsonAsync();
        var builder = Fixtures.Trainee();
        Assert.Equal(
            (a.TraineeId.ToString(), a.Ukprn, "Verma", "1994-05-17", "IN", "11-19", "100403", "2025-09-01", "2026-07-31", "2026-03-13"),
            (record.GetProperty("traineeId").GetString(), record.GetProperty("ukprn").GetString(), record.GetProperty("lastName").GetString(),
             record.GetProperty("dateOfBirth").GetString(), record.GetProperty("trainingCountry").GetString(), record.GetProperty("ageRange").GetString(),
             record.GetProperty("subjects")[0].GetString(), record.GetProperty("startDate").GetString(), record.GetProperty("expectedEndDate").GetString(),
             record.GetProperty("awardedOn").GetString()));
        Assert.StartsWith("Asha ", record.GetProperty("firstNames").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, record.GetProperty("trn").ValueKind);
        Assert.Equal(JsonValueKind.Null, record.GetProperty("qtsDate").ValueKind);
        Assert.Equal(builder["lastName"]!.GetValue<string>(), record.GetProperty("lastName").GetString());

        // A provider sees its own awards only; another provider's award answers exactly as an unknown one.
        var providerA = await api.ClientForAsync("provider", a.Ukprn);
        var (own, _) = await WalkAsync(providerA);
        Assert.Equal([a.AwardId], own.Select(i => i.GetProperty("awardId").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await providerA.GetAsync($"/api/v1/awards/{a.AwardId}")).StatusCode);
        var other = await providerA.GetAsync($"/api/v1/awards/{b.AwardId}");
        var unknown = await providerA.GetAsync($"/api/v1/awards/{Guid.CreateVersion7()}");
        var (x, y) = (await other.AssertProblemAsync(HttpStatusCode.NotFound, "resource.not_found"), await unknown.AssertProblemAsync(HttpStatusCode.NotFound, "resource.not_found"));
        Assert.Equal(x.GetProperty("detail").GetString(), y.GetProperty("detail").GetString());
        await (await providerA.GetAsync("/api/v1/awards/not-an-id")).AssertProblemAsync(HttpStatusCode.NotFound, "resource.not_found");

        // DfE's token reads no personal data: the feed is not for it.
        Assert.Equal(HttpStatusCode.Forbidden, (await (await api.ClientForAsync("dfe")).GetAsync("/api/v1/awards")).StatusCode);
        await (await tra.GetAsync("/api/v1/awards?cursor=bogus")).AssertProblemAsync(HttpStatusCode.BadRequest, "pagination.invalid_cursor");
    }

    [Fact]
    public async Task The_acknowledgement_is_recorded_once_idempotently_and_the_provider_sees_the_trn_and_qts_date()
    {
        var a = await AwardedAsync();
        var tra = await api.ClientForAsync("tra");
        var provider = await api.ClientForAsync("provider", a.Ukprn);
        var (_, cursor) = await WalkAsync(tra);

        // Refused: a TRN that is not 7 digits, a QTS date before the award or in the future, a provider's token, an unknown award.
        var invalid = await (await AcknowledgeAsync(tra, a.AwardId, "12345", "2026-03-01")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        Assert.Equal(["qtsDate", "trn"], invalid.ErrorFields().Order());
        await (await AcknowledgeAsync(tra, a.AwardId, "3000123", "2027-01-01")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        Assert.Equal(HttpStatusCode.Forbidden, (await AcknowledgeAsync(provider, a.AwardId, "3000123", "2026-03-14")).StatusCode);
        await (await AcknowledgeAsync(tra, Guid.CreateVersion7().ToString(), "3000123", "2026-03-14")).AssertProblemAsync(HttpStatusCode.NotFound, "resource.not_found");

        var first = await AcknowledgeAsync(tra, a.AwardId, "3000123", "2026-03-14");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var acknowledged = await first.ReadJsonAsync();
        Assert.Equal(("3000123", "2026-03-14"), (acknowledged.GetProperty("trn").GetString(), acknowledged.GetProperty("qtsDate").GetString()));

        // The same again changes nothing; other values are refused with what is recorded.
        var again = await AcknowledgeAsync(tra, a.AwardId, "3000123", "2026-03-14");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(acknowledged.GetProperty("updatedAt").GetString(), (await again.ReadJsonAsync()).GetProperty("updatedAt").GetString());
        var conflict = await (await AcknowledgeAsync(tra, a.AwardId, "3000999", "2026-03-14")).AssertProblemAsync(HttpStatusCode.Conflict, "award.already_acknowledged");
        Assert.Equal("3000123", conflict.GetProperty("trn").GetString());

        // The provider sees both on the trainee's award, and the TRN on the trainee; the history says the TRA recorded it.
        var award = await (await provider.GetAsync($"/api/v1/trainees/{a.TraineeId}/award")).ReadJsonAsync();
        Assert.Equal(("3000123", "2026-03-14"), (award.GetProperty("trn").GetString(), award.GetProperty("qtsDate").GetString()));
        Assert.Equal("3000123", (await (await provider.GetAsync($"/api/v1/trainees/{a.TraineeId}")).ReadJsonAsync()).GetProperty("trn").GetString());
        var history = (await (await provider.GetAsync($"/api/v1/trainees/{a.TraineeId}/history")).ReadJsonAsync()).GetProperty("items").EnumerateArray().ToList();
        var entry = Assert.Single(history, h => h.GetProperty("action").GetString() == "award_acknowledged");
        Assert.Equal(["award.qtsDate", "award.trn", "trn"], entry.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("field").GetString()).Order());

        // The award moved forward in the feed: a reader holding its cursor sees it again, acknowledged, once.
        var (changed, _) = await WalkAsync(tra, cursor);
        var moved = Assert.Single(changed);
        Assert.Equal((a.AwardId, "3000123"), (moved.GetProperty("awardId").GetString(), moved.GetProperty("trn").GetString()));
    }

    [Fact]
    public async Task An_acknowledgement_naming_another_trn_than_the_trainees_is_refused()
    {
        var a = await AwardedAsync();
        await using (var connection = await api.Db.OpenAsync(CancellationToken.None))
        {
            // As if the TRN request had completed before the award.
            await connection.ExecuteAsync("UPDATE trainees SET trn = '3000555' WHERE id = @id", new { id = a.TraineeId });
        }

        var tra = await api.ClientForAsync("tra");
        var refused = await (await AcknowledgeAsync(tra, a.AwardId, "3000556", "2026-03-14")).AssertProblemAsync(HttpStatusCode.Conflict, "award.trn_mismatch");
        Assert.Equal("3000555", refused.GetProperty("trn").GetString());
        Assert.Equal(HttpStatusCode.OK, (await AcknowledgeAsync(tra, a.AwardId, "3000555", "2026-03-14")).StatusCode);
        // Before acknowledgement the feed already shows the trainee's TRN.
        Assert.Equal("3000555", (await (await tra.GetAsync($"/api/v1/awards/{a.AwardId}")).ReadJsonAsync()).GetProperty("trn").GetString());
    }

    /// <summary>
    /// The pull promise: the TRA walking the feed while providers award trainees and the TRA acknowledges them, side by
    /// side, ends up with every award at its latest. On PostgreSQL the awards really commit in parallel.
    /// </summary>
    [Fact]
    public async Task The_feed_pages_without_gaps_while_awards_are_being_made_and_acknowledged()
    {
        var providers = new List<(string Ukprn, List<Guid> Trainees)>();
        for (var p = 0; p < 3; p++)
        {
            var ukprn = await api.CreateProviderAsync();
            var schools = (await api.CreateSchoolAsync(ukprn), await api.CreateSchoolAsync(ukprn));
            var trainees = (await api.SeedTraineesAsync(ukprn, 8)).Select(t => t.TraineeId).ToList();
            foreach (var t in trainees)
            {
                await api.PrepareForAwardAsync(ukprn, t, schools: schools);
            }

            providers.Add((ukprn, trainees));
        }

        var tra = await api.ClientForAsync("tra");
        var (_, start) = await WalkAsync(tra);
        var awarded = new ConcurrentBag<string>();
        var writers = providers.Select(p => Task.Run(async () =>
        {
            var client = await api.ClientForAsync("provider", p.Ukprn);
            var ack = await api.ClientForAsync("tra");
            for (var i = 0; i < p.Trainees.Count; i++)
            {
                var response = await client.PostJsonAsync($"/api/v1/trainees/{p.Trainees[i]}/award", new System.Text.Json.Nodes.JsonObject { ["awardedOn"] = "2026-03-13" });
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                var awardId = (await response.ReadJsonAsync()).GetProperty("awardId").GetString()!;
                awarded.Add(awardId);
                if (i % 2 == 0)
                {
                    Assert.Equal(HttpStatusCode.OK, (await AcknowledgeAsync(ack, awardId, $"40{p.Ukprn[^3..]}{i:D2}", "2026-03-14")).StatusCode);
                }
            }
        })).ToList();
        var (seen, pages) = await CursorWalk.WhileWritingAsync(Task.WhenAll(writers),
            async (cursor, _) => await (await tra.GetAsync($"/api/v1/awards?limit=3&cursor={cursor}")).ReadJsonAsync(), "awardId", start);
        await Task.WhenAll(writers);
        Assert.True(pages > 3, "the walk should span several pages");
        Assert.Equal(awarded.Order(), seen.Keys.Order());

        // Each at its latest: the acknowledged ones with their TRN.
        await using var connection = await api.Db.OpenAsync(CancellationToken.None);
        var stored = (await connection.QueryAsync<(string Id, string? Trn)>("SELECT CAST(id AS TEXT), trn FROM awards")).ToDictionary(r => r.Id, r => r.Trn);
        Assert.All(seen, s => Assert.Equal(stored[s.Key], s.Value.GetProperty("trn").GetString()));
        Assert.Equal(12, seen.Values.Count(s => s.GetProperty("trn").ValueKind == JsonValueKind.String));
    }

    [Fact]
    public async Task Without_a_tra_address_the_api_says_it_is_pull_only_at_start_up_and_in_readiness()
    {
        var ready = await (await api.ClientWith(null).GetAsync("/health/ready")).ReadJsonAsync();
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        Assert.StartsWith("pull-only: ", ready.GetProperty("details").GetProperty("tra").GetString(), StringComparison.Ordinal);
        Assert.Contains(api.Logs.Lines, l => l.Contains("TRA: pull-only mode", StringComparison.Ordinal));
    }
}
