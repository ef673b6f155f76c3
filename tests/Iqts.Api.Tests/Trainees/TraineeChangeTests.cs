using System.Net;
using System.Text.Json;
using Iqts.Api.Tests.Infrastructure;

namespace Iqts.Api.Tests.Trainees;

public sealed class TraineeChangeTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static string Path(JsonElement trainee, string suffix = "") => $"/api/v1/trainees/{trainee.Id()}{suffix}";

    [Fact]
    public async Task Merge_patch_changes_sent_fields_and_null_clears_optional_ones()
    {
        var client = await api.NewProviderClientAsync();
        var trainee = await client.CreateTraineeAsync();
        var response = await client.SendAsync(Fixtures.Patch(Path(trainee), """{"lastName":"Sharma","previousLastName":null,"subjects":["100403","100425"]}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var patched = await response.ReadJsonAsync();
        Assert.Equal("Sharma", patched.GetProperty("lastName").GetString());
        Assert.Equal(JsonValueKind.Null, patched.GetProperty("previousLastName").ValueKind);
        Assert.Equal(2, patched.GetProperty("subjects").GetArrayLength());
        Assert.Equal(trainee.GetProperty("email").GetString(), patched.GetProperty("email").GetString());
        Assert.NotEqual(trainee.GetProperty("updatedAt").GetString(), patched.GetProperty("updatedAt").GetString());
    }

    [Fact]
    public async Task History_is_paged_oldest_first_with_a_gap_free_cursor()
    {
        var client = await api.NewProviderClientAsync();
        var trainee = await client.CreateTraineeAsync();
        // 1 created + 2 × 60 add/remove cycles of a qualification: 121 entries, more than one default page.
        for (var i = 0; i < 60; i++)
        {
            var added = await (await client.PostJsonAsync(Path(trainee, "/qualifications"), Fixtures.Qualification("gcse_maths"))).ReadJsonAsync();
            Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync(Path(trainee, $"/qualifications/{added.GetProperty("qualificationId").GetString()}"))).StatusCode);
        }

        var first = await (await client.GetAsync(Path(trainee, "/history"))).ReadJsonAsync();
        Assert.Equal((50, true), (first.GetProperty("items").GetArrayLength(), first.GetProperty("hasMore").GetBoolean()));

        var actions = new List<string>();
        string? cursor = null;
        var pages = 0;
        bool hasMore;
        do
        {
            var page = await (await client.GetAsync(Path(trainee, $"/history?limit=7{(cursor is null ? "" : "&cursor=" + cursor)}"))).ReadJsonAsync();
            actions.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("action").GetString()!));
            (cursor, hasMore) = (page.GetProperty("nextCursor").GetString(), page.GetProperty("hasMore").GetBoolean());
            pages++;
        }
        while (hasMore);

        Assert.Equal(["created", .. Enumerable.Repeat<string[]>(["qualification_added", "qualification_removed"], 60).SelectMany(a => a)], actions);
        Assert.Equal(18, pages);

        // A write after the last page shows up from the cursor kept; nothing before it is read again.
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Fixtures.Patch(Path(trainee), """{"lastName":"Sharma"}"""))).StatusCode);
        var more = await (await client.GetAsync(Path(trainee, $"/history?cursor={cursor}"))).ReadJsonAsync();
        Assert.Equal(["updated"], more.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("action").GetString()));

        await (await client.GetAsync(Path(trainee, "/history?limit=101"))).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        await (await client.GetAsync(Path(trainee, "/history?cursor=bogus"))).AssertProblemAsync(HttpStatusCode.BadRequest, "pagination.invalid_cursor");
        // Past the end of an existing trainee's history is an empty page; an unknown trainee is 404 whatever the cursor.
        Assert.Equal(0, (await (await client.GetAsync(Path(trainee, $"/history?cursor={more.GetProperty("nextCursor").GetString()}"))).ReadJsonAsync()).GetProperty("items").GetArrayLength());
        await (await client.GetAsync($"/api/v1/trainees/{Guid.NewGuid()}/history?cursor={cursor}")).AssertProblemAsync(HttpStatusCode.NotFound, "resource.not_found");
    }

    [Fact]
    public async Task A_patch_that_changes_nothing_writes_nothing()
    {
        var client = await api.NewProviderClientAsync();
        var created = await client.PostJsonAsync("/api/v1/trainees", Fixtures.Trainee());
        var trainee = await created.ReadJsonAsync();
        var same = await client.SendAsync(Fixtures.Patch(Path(trainee), """{"lastName":"Verma","subjects":["100403"]}""", created.Headers.ETag!.ToString()));
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Equal(created.Headers.ETag, same.Headers.ETag);
        Assert.Equal(trainee.GetProperty("updatedAt").GetString(), (await same.ReadJsonAsync()).GetProperty("updatedAt").GetString());
        var history = await (await client.GetAsync(Path(trainee, "/history"))).ReadJsonAsync();
        Assert.Equal(1, history.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Patch_cannot_clear_a_required_field_and_leaves_the_record_untouched()
    {
        var client = await api.NewProviderClientAsync();
        var trainee = await client.CreateTraineeAsync();
        var problem = await (await client.SendAsync(Fixtures.Patch(Path(trainee), """{"lastName":"Sharma","trainingCountry":null,"subjects":null}""")))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        Assert.Equal(["subjects", "trainingCountry"], problem.ErrorFields().Order());
        var current = await (await client.GetAsync(Path(trainee))).ReadJsonAsync();
        Assert.Equal("Verma", current.GetProperty("lastName").GetString());
    }

    [Theory]
    [InlineData("providerTraineeId")]
    [InlineData("traineeId")]
    [InlineData("status")]
    [InlineData("trn")]
    public async Task Patch_refuses_immutable_fields_by_name(string field)
    {
        var client = await api.NewProviderClientAsync();
        var trainee = await client.CreateTraineeAsync();
        var problem = await (await client.SendAsync(Fixtures.Patch(Path(trainee), $$"""{"{{field}}":"x"}"""))).AssertProblemAsync(HttpStatusCode.BadRequest, "request.immutable_field");
        Assert.Equal([field], problem.ErrorFields());
    }

    [Fact]
    public async Task Patch_refuses_unknown_fields_and_bad_codes_by_name()
    {
        var client = await api.NewProviderClientAsync();
        var trainee = await client.CreateTraineeAsync();
        Assert.Equal(["favouriteColour"], (await (await client.SendAsync(Fixtures.Patch(Path(trainee), """{"favouriteColour":"red"}""")))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "request.unknown_property")).ErrorFields());
        Assert.Equal(["nationality"], (await (await client.SendAsync(Fixtures.Patch(Path(trainee), """{"nationality":"XX"}""")))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed")).ErrorFields());
        Assert.Equal(["studyMode"], (await (await client.SendAsync(Fixtures.Patch(Path(trainee), """{"studyMode":"never"}""")))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "request.invalid_value")).ErrorFields());
    }

    [Fact]
    public async Task A_stale_etag_is_412_and_the_current_one_succeeds()
    {
        var client = await api.NewProviderClientAsync();
        var created = await client.PostJsonAsync("/api/v1/trainees", Fixtures.Trainee());
        var trainee = await created.ReadJsonAsync();
        var etag = created.Headers.ETag!.ToString();

        var first = await client.SendAsync(Fixtures.Patch(Path(trainee), """{"lastName":"One"}""", etag));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await (await client.SendAsync(Fixtures.Patch(Path(trainee), """{"lastName":"Two"}""", etag))).AssertProblemAsync(HttpStatusCode.PreconditionFailed, "resource.precondition_failed");

        var deferStale = new HttpRequestMessage(HttpMethod.Post, Path(trainee, "/defer")) { Content = Requests.JsonBody("""{"date":"2025-10-01","reason":"Illness"}""") };
        deferStale.Headers.TryAddWithoutValidation("If-Match", etag);
        await (await client.SendAsync(deferStale)).AssertProblemAsync(HttpStatusCode.PreconditionFailed, "resource.precondition_failed");

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Fixtures.Patch(Path(trainee), """{"lastName":"Two"}""", first.Headers.ETag!.ToString()))).StatusCode);
    }

    [Theory]
    [InlineData("\"01\"", false)]
    [InlineData("\"+1\"", false)]
    [InlineData("\"1 \"", false)]
    [InlineData("W/\"1\"", false)]
    [InlineData("\"1\", W/\"2\"", true)]
    [InlineData("\"7\",\"1\"", true)]
    [InlineData("\"1\"", true)]
    public async Task If_match_is_a_strong_character_by_character_comparison(string ifMatch, bool matches)
    {
        // Issue 18, fault 5: "01" matched the ETag "1". RFC 9110 §8.8.3.2: strong comparison, a weak validator never matches If-Match.
        var client = await api.NewProviderClientAsync();
        var created = await client.PostJsonAsync("/api/v1/trainees", Fixtures.Trainee());
        Assert.Equal("\"1\"", created.Headers.ETag!.ToString());
        var patched = await client.SendAsync(Fixtures.Patch(Path(await created.ReadJsonAsync()), """{"lastName":"Strong"}""", ifMatch));
        if (matches)
        {
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        }
        else
        {
            await patched.AssertProblemAsync(HttpStatusCode.PreconditionFailed, "resource.precondition_failed");
        }
    }

    private static Task<HttpResponseMessage> Defer(HttpClient client, JsonElement trainee, string date = "2025-10-01") =>
        client.PostAsync(Path(trainee, "/defer"), Requests.JsonBody($$"""{"date":"{{date}}","reason":"Family illness"}"""));

    private static Task<HttpResponseMessage> Reinstate(HttpClient client, JsonElement trainee, string date = "2025-11-01") =>
        client.PostAsync(Path(trainee, "/reinstate"), Requests.JsonBody($$"""{"date":"{{date}}"}"""));

    private static Task<HttpResponseMessage> Withdraw(HttpClient client, JsonElement trainee, string? body = null) =>
        client.PostAsync(Path(trainee, "/withdraw"), Requests.JsonBody(body ??
            """{"date":"2025-12-01","trigger":"trainee","reasons":["financial_problems"],"safeguardingConcern":false}"""));

    [Fact]
    public async Task Allowed_transitions_move_the_status_and_record_their_details()
    {
        var client = await api.NewProviderClientAsync();
        var trainee = await client.CreateTraineeAsync();

        var deferred = await (await Defer(client, trainee)).ReadJsonAsync();
        Assert.Equal("deferred", deferred.GetProperty("status").GetString());
        Assert.Equal("2025-10-01", deferred.GetProperty("deferral").GetProperty("date").GetString());

        var reinstated = await (await Reinstate(client, trainee)).ReadJsonAsync();
        Assert.Equal("registered", reinstated.GetProperty("status").GetString());
        Assert.Equal("2025-11-01", reinstated.GetProperty("reinstatedOn").GetString());
        Assert.Equal(JsonValueKind.Null, reinstated.GetProperty("deferral").ValueKind);

        var withdrawn = await (await Withdraw(client, trainee)).ReadJsonAsync();
        Assert.Equal("withdrawn", withdrawn.GetProperty("status").GetString());
        var withdrawal = withdrawn.GetProperty("withdrawal");
        Assert.Equal("trainee", withdrawal.GetProperty("trigger").GetString());
        Assert.Equal("financial_problems", withdrawal.GetProperty("reasons")[0].GetString());
        Assert.False(withdrawal.GetProperty("safeguardingConcern").GetBoolean());

        // A deferred trainee can be withdrawn too.
        var second = await client.CreateTraineeAsync();
        await Defer(client, second);
        Assert.Equal(HttpStatusCode.OK, (await Withdraw(client, second)).StatusCode);
    }

    [Fact]
    public async Task Impossible_transitions_are_409_naming_the_current_status()
    {
        var client = await api.NewProviderClientAsync();
        var registered = await client.CreateTraineeAsync();
        var problem = await (await Reinstate(client, registered)).AssertProblemAsync(HttpStatusCode.Conflict, "trainee.invalid_transition");
        Assert.Equal("registered", problem.GetProperty("currentStatus").GetString());

        var deferred = await client.CreateTraineeAsync();
        await Defer(client, deferred);
        Assert.Equal("deferred", (await (await Defer(client, deferred)).AssertProblemAsync(HttpStatusCode.Conflict, "trainee.invalid_transition"))
            .GetProperty("currentStatus").GetString());

        var withdrawn = await client.CreateTraineeAsync();
        await Withdraw(client, withdrawn);
        foreach (var attempt in new[] { Defer(client, withdrawn), Reinstate(client, withdrawn), Withdraw(client, withdrawn) })
        {
            var refused = await (await attempt).AssertProblemAsync(HttpStatusCode.Conflict, "trainee.invalid_transition");
            Assert.Equal("withdrawn", refused.GetProperty("currentStatus").GetString());
        }
    }

    [Theory]
    [InlineData("""{"date":"2025-12-01","trigger":"trainee","reasons":[],"safeguardingConcern":false}""", "reasons")]
    [InlineData("""{"date":"2025-12-01","trigger":"trainee","reasons":["no_such_reason"],"safeguardingConcern":false}""", "reasons[0]")]
    [InlineData("""{"date":"2025-12-01","trigger":"trainee","reasons":["unacceptable_behaviour"],"safeguardingConcern":false}""", "reasons[0]")]
    [InlineData("""{"date":"2025-12-01","trigger":"trainee","reasons":["trainee_chose_to_withdraw_another_reason"],"safeguardingConcern":false}""", "anotherReason")]
    [InlineData("""{"date":"2025-12-01","trigger":"provider","reasons":["safeguarding_concerns"],"safeguardingConcern":true}""", "safeguardingConcernDetails")]
    [InlineData("""{"date":"2025-12-01","trigger":"provider","reasons":["safeguarding_concerns"],"safeguardingConcern":false,"safeguardingConcernDetails":"x"}""", "safeguardingConcern")]
    [InlineData("""{"date":"2025-08-01","trigger":"trainee","reasons":["got_a_job"],"safeguardingConcern":false}""", "date")]
    [InlineData("""{"date":"2999-01-01","trigger":"trainee","reasons":["got_a_job"],"safeguardingConcern":false}""", "date")]
    [InlineData("""{"date":"2025-12-01","reasons":["got_a_job"],"safeguardingConcern":false}""", "trigger")]
    public async Task Withdrawal_rules_name_the_field(string body, string field)
    {
        var client = await api.NewProviderClientAsync();
        var trainee = await client.CreateTraineeAsync();
        var problem = await (await Withdraw(client, trainee, body)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        Assert.Contains(field, problem.ErrorFields());
        Assert.Equal("registered", (await (await client.GetAsync(Path(trainee))).ReadJsonAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_withdrawal_with_another_reason_and_safeguarding_details_is_recorded()
    {
        var client = await api.NewProviderClientAsync();
        var trainee = await client.CreateTraineeAsync();
        var response = await Withdraw(client, trainee,
            """{"date":"2025-12-01","trigger":"provider","reasons":["safeguarding_concerns","had_to_withdraw_trainee_another_reason"],"anotherReason":"Visa refused","safeguardingConcern":true,"safeguardingConcernDetails":"Referred to the DSL"}""");
        var withdrawal = (await response.ReadJsonAsync()).GetProperty("withdrawal");
        Assert.Equal("Visa refused", withdrawal.GetProperty("anotherReason").GetString());
        Assert.Equal("Referred to the DSL", withdrawal.GetProperty("safeguardingConcernDetails").GetString());
        Assert.Equal(2, withdrawal.GetProperty("reasons").GetArrayLength());
    }

    [Fact]
    public async Task Deferral_and_reinstatement_dates_are_checked()
    {
        var client = await api.NewProviderClientAsync();
        var trainee = await client.CreateTraineeAsync();
        Assert.Equal(["date"], (await (await Defer(client, trainee, "2999-01-01")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed")).ErrorFields());
        await Defer(client, trainee, "2025-10-01");
        Assert.Equal(["date"], (await (await Reinstate(client, trainee, "2025-09-15")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed")).ErrorFields());
    }

    [Fact]
    public async Task History_records_every_change_with_token_fields_before_and_after()
    {
        var ukprn = await api.CreateProviderAsync();
        var client = api.ClientWith(await api.TokenAsync("provider", ukprn, name: "SITS live"));
        var trainee = await client.CreateTraineeAsync();
        await client.SendAsync(Fixtures.Patch(Path(trainee), """{"lastName":"Sharma","yearsOfTeachingExperience":5}"""));
        await Defer(client, trainee);

        var history = await (await client.GetAsync(Path(trainee, "/history"))).ReadJsonAsync();
        var items = history.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["created", "updated", "deferred"], items.Select(i => i.GetProperty("action").GetString()));
        Assert.All(items, i => Assert.Equal("SITS live", i.GetProperty("tokenName").GetString()));

        var update = items[1].GetProperty("changes").EnumerateArray().ToDictionary(c => c.GetProperty("field").GetString()!);
        Assert.Equal(["lastName", "yearsOfTeachingExperience"], update.Keys.Order());
        Assert.Equal("\"Verma\"", update["lastName"].GetProperty("before").GetString());
        Assert.Equal("\"Sharma\"", update["lastName"].GetProperty("after").GetString());
        Assert.Equal("4", update["yearsOfTeachingExperience"].GetProperty("before").GetString());

        var deferral = items[2].GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("field").GetString()).ToList();
        Assert.Contains("status", deferral);
        Assert.Contains("deferral", deferral);
        var created = items[0].GetProperty("changes").EnumerateArray().ToList();
        Assert.Contains(created, c => c.GetProperty("field").GetString() == "firstNames" && c.GetProperty("before").ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public async Task Moving_the_start_into_a_full_year_is_refused_by_the_cap()
    {
        // The cap is checked on PATCH too: covered fully in TraineeCapTests; here the rule's wiring on PATCH.
        var client = await api.NewProviderClientAsync();
        var trainee = await client.CreateTraineeAsync();
        var moved = await client.SendAsync(Fixtures.Patch(Path(trainee), """{"startDate":"2026-09-01","expectedEndDate":"2027-07-31"}"""));
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal("2026/27", (await moved.ReadJsonAsync()).GetProperty("academicYear").GetString());
    }
}
