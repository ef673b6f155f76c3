using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Iqts.Api.Tests.Infrastructure;

namespace Iqts.Api.Tests.Bulk;

/// <summary>Issue 22: a trainee with its evidence in one call, and batches of registrations and awards, all rows or none.</summary>
public sealed class BatchTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string Header =
        "providerTraineeId,firstNames,lastName,dateOfBirth,email,sex,nationality,trainingCountry,ageRange,subjects,studyMode,startDate,expectedEndDate";

    [Fact]
    public async Task A_trainee_comes_with_its_evidence_in_one_call_and_a_refused_piece_stores_none_of_it()
    {
        var ukprn = await api.CreateProviderAsync();
        var client = await api.ClientForAsync("provider", ukprn);
        var school = await api.CreateSchoolAsync(ukprn);
        var trainee = WithEvidence(school);

        var created = await client.PostJsonAsync("/api/v1/trainees", trainee);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.ReadJsonAsync();
        var made = body.GetProperty("created");
        Assert.Equal(3, made.GetProperty("qualificationIds").GetArrayLength());
        Assert.Equal(2, made.GetProperty("placementIds").GetArrayLength());
        Assert.True(made.GetProperty("suitabilityChecks").GetBoolean());
        Assert.True(made.GetProperty("placementPlan").GetBoolean());
        // Every entry criterion met by the evidence that came with it (English rests on the degree sent before it).
        Assert.Equal("eligible", body.GetProperty("eligibility").GetString());
        var id = body.Id();
        var qualifications = await (await client.GetAsync($"/api/v1/trainees/{id}/qualifications")).ReadJsonAsync();
        Assert.Equal(3, qualifications.GetProperty("items").GetArrayLength());
        Assert.False((await (await client.GetAsync($"/api/v1/trainees/{id}")).ReadJsonAsync()).TryGetProperty("created", out _));

        // A GCSE grade that is not a grade, in the third qualification: the path names it, and nothing of the trainee is kept.
        var refused = WithEvidence(school);
        refused["qualifications"]![2] = Fixtures.Qualification("gcse_maths", q => q["gcse"]!["grade"] = "Z");
        var problem = await (await client.PostJsonAsync("/api/v1/trainees", refused)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        Assert.Contains("qualifications[2].gcse.grade", problem.ErrorFields());
        var school404 = WithEvidence(Guid.NewGuid().ToString());
        problem = await (await client.PostJsonAsync("/api/v1/trainees", school404)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        Assert.Equal(["placements[0].schoolId"], problem.ErrorFields());
        Assert.Equal(1, await CountAsync(client));
    }

    [Fact]
    public async Task A_batch_with_bad_rows_stores_nothing_and_names_every_bad_row_and_field_and_its_dry_run_says_the_same()
    {
        var ukprn = await api.CreateProviderAsync();
        var client = await api.ClientForAsync("provider", ukprn);
        var stored = await client.CreateTraineeAsync();
        var twin = Fixtures.Trainee();
        var rows = new JsonArray(
            Fixtures.Trainee(),
            Fixtures.Trainee(change: t => { t["email"] = "not an email"; t["sex"] = "unknown"; }),
            Fixtures.Trainee(stored.GetProperty("providerTraineeId").GetString()),
            twin,
            Fixtures.Trainee(twin["providerTraineeId"]!.GetValue<string>()),
            Fixtures.Trainee(change: t => t["dateOfBirth"] = "2015-01-01"),
            Fixtures.Trainee("SRS-SET-ASIDE", t => t["yearsOfTeachingExperience"] = "four"),
            Fixtures.Trainee("SRS-SET-ASIDE"));

        foreach (var dryRun in new[] { true, false })
        {
            var answer = await client.PostAsync($"/api/v1/trainee-batches?dryRun={dryRun}", Requests.JsonBody(rows.ToJsonString()));
            Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
            var batch = await answer.ReadJsonAsync();
            Assert.Equal("failed", batch.GetProperty("status").GetString());
            Assert.Equal(dryRun, batch.GetProperty("dryRun").GetBoolean());
            Assert.Equal(8, batch.GetProperty("rowsDone").GetInt32());
            var errors = batch.GetProperty("errors").EnumerateArray()
                .Select(e => (e.GetProperty("row").GetInt32(), e.GetProperty("field").GetString(), e.GetProperty("errorCode").GetString())).ToList();
            // Both of row 2's fields: the wrong type is set aside so the row's rules still run and find the email.
            Assert.True(errors.Contains((2, "email", "validation.failed")), batch.ToString());
            Assert.Contains((2, "sex", "request.invalid_value"), errors);
            Assert.Contains((3, null, "trainee.already_exists"), errors);
            Assert.Contains((5, null, "trainee.already_exists"), errors);   // a duplicate of row 4, inside the batch
            Assert.Contains((6, "dateOfBirth", "validation.failed"), errors);
            // Row 7 is refused for its years of experience alone (an optional field); it leaves nothing behind, so row 8, its key again, is no duplicate of it.
            Assert.Equal([(7, "yearsOfTeachingExperience", "request.invalid_value")], errors.Where(e => e.Item1 == 7));
            Assert.DoesNotContain(errors, e => e.Item1 is 1 or 4 or 8);
            Assert.Empty(batch.GetProperty("results").EnumerateArray());
            Assert.Equal(1, await CountAsync(client));
        }
    }

    [Fact]
    public async Task A_likely_duplicate_of_a_stored_trainee_or_of_an_earlier_row_is_refused_unless_the_batch_confirms_it_is_not()
    {
        var ukprn = await api.CreateProviderAsync();
        var client = await api.ClientForAsync("provider", ukprn);
        JsonObject Person(string firstNames, string email, string born = "1990-04-12") => Fixtures.Trainee(change: t =>
        {
            (t["firstNames"], t["lastName"], t["email"], t["dateOfBirth"]) = (firstNames, "Verma", email, born);
        });
        var stored = await client.CreateTraineeAsync(Person("Ravi", "ravi@example.org"));
        var rows = new JsonArray(
            Person("RAVI", "other@example.org"),              // 1: the stored trainee again, by name
            Person("Meera", "meera@example.org"),             // 2: someone new
            Person(" meera", "meera.verma@example.org"),      // 3: row 2 again
            Person("Ravi", "ravi@example.org", "1990-04-13"), // 4: born the next day, so nobody's duplicate
            Person("Anil", "meera@example.org"));             // 5: row 2 again, by email

        foreach (var dryRun in new[] { true, false })
        {
            var batch = await PostBatchAsync(client, rows, dryRun: dryRun);
            Assert.Equal("failed", batch.GetProperty("status").GetString());
            var errors = batch.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("row").GetInt32(), e.GetProperty("errorCode").GetString())).ToList();
            Assert.Equal([(1, "trainee.possible_duplicate"), (3, "trainee.possible_duplicate"), (5, "trainee.possible_duplicate")], errors);
            Assert.Equal(1, await CountAsync(client));
        }

        var confirmed = await client.PostAsync("/api/v1/trainee-batches?confirmNotDuplicate=true", Requests.JsonBody(rows.ToJsonString()));
        Assert.Equal("succeeded", (await confirmed.ReadJsonAsync()).GetProperty("status").GetString());
        Assert.Equal(6, await CountAsync(client));
        Assert.Equal(stored.Id(), (await (await client.GetAsync($"/api/v1/trainees/{stored.Id()}")).ReadJsonAsync()).Id());
    }

    [Fact]
    public async Task A_good_batch_stores_every_row_with_its_history_and_the_cap_counts_the_batch_itself()
    {
        var ukprn = await api.CreateProviderAsync();
        var client = await api.ClientForAsync("provider", ukprn);
        var ok = await PostBatchAsync(client, new JsonArray(Fixtures.Trainee(), Fixtures.Trainee(), Fixtures.Trainee()));
        Assert.Equal("succeeded", ok.GetProperty("status").GetString());
        var ids = ok.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("traineeId").GetString()!).ToList();
        Assert.Equal([1, 2, 3], ok.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("row").GetInt32()));
        Assert.Equal(3, await CountAsync(client));
        var history = await (await client.GetAsync($"/api/v1/trainees/{ids[2]}/history")).ReadJsonAsync();
        Assert.Equal("created", history.GetProperty("items")[0].GetProperty("action").GetString());
        Assert.Equal(ok, await (await client.GetAsync($"/api/v1/trainee-batches/{ok.GetProperty("batchId").GetString()}")).ReadJsonAsync(), JsonElementComparer);

        // 195 + 3 stored: a batch of 3 more finds its third over the cap of 200, and stores none of them.
        await api.SeedTraineesAsync(ukprn, 195);
        var capped = await PostBatchAsync(client, new JsonArray(Fixtures.Trainee(), Fixtures.Trainee(), Fixtures.Trainee()));
        Assert.Equal("failed", capped.GetProperty("status").GetString());
        var error = Assert.Single(capped.GetProperty("errors").EnumerateArray());
        Assert.Equal(3, error.GetProperty("row").GetInt32());
        Assert.Equal("provider.trainee_cap_reached", error.GetProperty("errorCode").GetString());
        Assert.Equal(198, await CountAsync(client));
    }

    [Fact]
    public async Task A_CSV_with_a_BOM_CRLF_and_quoted_commas_and_newlines_registers_its_rows()
    {
        var ukprn = await api.CreateProviderAsync();
        var client = await api.ClientForAsync("provider", ukprn);
        var template = await client.GetAsync("/api/v1/trainee-batches/template.csv");
        Assert.Equal("text/csv", template.Content.Headers.ContentType?.MediaType);
        var columns = (await template.Content.ReadAsStringAsync()).TrimEnd().Split(',');
        Assert.Equal("providerTraineeId", columns[0]);
        Assert.Contains("trn", columns);
        Assert.Contains("yearsOfTeachingExperience", columns);

        var csv = Header + ",yearsOfTeachingExperience\r\n"
            + Line("CSV-1", "\"Asha, Priya\"") + ",4\r\n"
            + Line("CSV-2", "Mei") + ",\"2\"\r\n";
        var batch = await PostCsvAsync(client, [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv)]);
        Assert.True(batch.GetProperty("status").GetString() == "succeeded", batch.ToString());
        var first = await (await client.GetAsync($"/api/v1/trainees/{batch.GetProperty("results")[0].GetProperty("traineeId").GetString()}")).ReadJsonAsync();
        Assert.Equal("Asha, Priya", first.GetProperty("firstNames").GetString());
        Assert.Equal(4, first.GetProperty("yearsOfTeachingExperience").GetInt32());
        Assert.Equal(["100403", "100425"], first.GetProperty("subjects").EnumerateArray().Select(s => s.GetString()));

        // A newline inside a quoted cell is part of the cell (the row is one record, not two), and the name's own rule
        // then refuses it, for that row and field alone.
        var multiline = await PostCsvAsync(client, Encoding.UTF8.GetBytes(Header + "\n" + Line("CSV-3", "\"Mei\nLing\"") + "\n" + Line("CSV-4", "Wei") + "\n"));
        Assert.Equal(2, multiline.GetProperty("rows").GetInt32());
        var error = Assert.Single(multiline.GetProperty("errors").EnumerateArray());
        Assert.Equal((1, "firstNames", "request.invalid_text"), (error.GetProperty("row").GetInt32(), error.GetProperty("field").GetString(), error.GetProperty("errorCode").GetString()));
        Assert.Equal(2, await CountAsync(client));
    }

    [Fact]
    public async Task A_CSV_with_a_wrong_header_not_UTF8_or_formula_text_is_refused_and_stores_nothing()
    {
        var ukprn = await api.CreateProviderAsync();
        var client = await api.ClientForAsync("provider", ukprn);

        var wrong = await client.PostAsync("/api/v1/trainee-batches", Csv(Header.Replace("lastName", "surname", StringComparison.Ordinal) + "\r\n" + Line("H-1", "Asha")));
        var problem = await wrong.AssertProblemAsync(HttpStatusCode.BadRequest, "batch.csv_header");
        Assert.Contains("'surname'", problem.GetProperty("detail").GetString());
        Assert.Contains("lastName", problem.GetProperty("detail").GetString());

        var latin1 = Encoding.Latin1.GetBytes(Header + "\r\n" + Line("L-1", "Zoë") + "\r\n");
        await (await client.PostAsync("/api/v1/trainee-batches", Csv(latin1))).AssertProblemAsync(HttpStatusCode.BadRequest, "batch.csv_encoding");
        await (await client.PostAsync("/api/v1/trainee-batches", Csv([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(Header + "\r\n")])))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "batch.csv_encoding");

        // An unclosed quote after 300 good lines: refused whole, and the rows staged before it are gone with the batch.
        var good = string.Concat(Enumerable.Range(0, 300).Select(i => Line($"M-{i}", "Asha") + "\r\n"));
        await (await client.PostAsync("/api/v1/trainee-batches", Csv(Header + "\r\n" + good + Line("M-X", "\"Unclosed") + "\r\n")))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "batch.csv_malformed");
        await using (var connection = await api.Db.OpenAsync(CancellationToken.None))
        {
            Assert.Equal(0, await Dapper.SqlMapper.ExecuteScalarAsync<int>(connection, "SELECT COUNT(*) FROM batches WHERE ukprn = @ukprn", new { ukprn }));
            Assert.Equal(0, await Dapper.SqlMapper.ExecuteScalarAsync<int>(connection, "SELECT COUNT(*) FROM batch_rows"));
        }

        var formula = await PostCsvAsync(client, Encoding.UTF8.GetBytes(Header + "\r\n" + Line("F-1", "\"=HYPERLINK(\"\"http://evil\"\")\"") + "\r\n" + Line("F-2", "@SUM(A1)") + "\r\n"));
        Assert.Equal("failed", formula.GetProperty("status").GetString());
        Assert.Equal([(1, "firstNames", "batch.formula_text"), (2, "firstNames", "batch.formula_text")],
            formula.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("row").GetInt32(), e.GetProperty("field").GetString(), e.GetProperty("errorCode").GetString())));
        Assert.Equal(0, await CountAsync(client));
    }

    [Fact]
    public async Task A_batch_of_awards_awards_all_or_none_listing_every_unmet_rule()
    {
        var ukprn = await api.CreateProviderAsync();
        var client = await api.ClientForAsync("provider", ukprn);
        var ready = Guid.Parse((await client.CreateTraineeAsync()).Id());
        await api.PrepareForAwardAsync(ukprn, ready);
        var notReady = Guid.Parse((await client.CreateTraineeAsync()).Id());

        // Another provider's trainee, ready for its award, is named exactly as an unknown one would be.
        var otherUkprn = await api.CreateProviderAsync();
        var theirs = (await api.SeedTraineesAsync(otherUkprn, 1))[0].TraineeId;
        await api.PrepareForAwardAsync(otherUkprn, theirs);
        var rows = new JsonArray(Award(ready), Award(notReady), new JsonObject { ["traineeId"] = Guid.NewGuid().ToString(), ["awardedOn"] = "2026-03-13" }, Award(theirs));
        var failed = await PostBatchAsync(client, rows, "award-batches");
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        var errors = failed.GetProperty("errors").EnumerateArray().ToList();
        Assert.DoesNotContain(errors, e => e.GetProperty("row").GetInt32() == 1);
        Assert.True(errors.Count(e => e.GetProperty("row").GetInt32() == 2) >= 4);
        Assert.Contains(errors, e => e.GetProperty("row").GetInt32() == 2 && e.GetProperty("errorCode").GetString()!.StartsWith("C1.1", StringComparison.Ordinal));
        var unknown = errors.Single(e => e.GetProperty("row").GetInt32() == 3);
        var foreign = errors.Single(e => e.GetProperty("row").GetInt32() == 4);
        Assert.Equal("traineeId", unknown.GetProperty("field").GetString());
        Assert.Equal((unknown.GetProperty("errorCode").GetString(), unknown.GetProperty("message").GetString()),
            (foreign.GetProperty("errorCode").GetString(), foreign.GetProperty("message").GetString()));
        Assert.Equal("registered", (await (await client.GetAsync($"/api/v1/trainees/{ready}")).ReadJsonAsync()).GetProperty("status").GetString());

        var dry = await PostBatchAsync(client, new JsonArray(Award(ready)), "award-batches", dryRun: true);
        Assert.Equal("succeeded", dry.GetProperty("status").GetString());
        Assert.Equal("registered", (await (await client.GetAsync($"/api/v1/trainees/{ready}")).ReadJsonAsync()).GetProperty("status").GetString());
        var done = await PostBatchAsync(client, new JsonArray(Award(ready)), "award-batches");
        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        Assert.Equal("awarded", (await (await client.GetAsync($"/api/v1/trainees/{ready}")).ReadJsonAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Another_providers_batch_answers_as_an_unknown_one_and_a_trainee_batch_is_not_an_award_batch()
    {
        var ukprn = await api.CreateProviderAsync();
        var client = await api.ClientForAsync("provider", ukprn);
        var batch = await PostBatchAsync(client, new JsonArray(Fixtures.Trainee()));
        var id = batch.GetProperty("batchId").GetString();
        var other = await api.NewProviderClientAsync();
        var theirs = await (await other.GetAsync($"/api/v1/trainee-batches/{id}")).AssertProblemAsync(HttpStatusCode.NotFound, "resource.not_found");
        var unknown = await (await other.GetAsync($"/api/v1/trainee-batches/{Guid.NewGuid()}")).AssertProblemAsync(HttpStatusCode.NotFound, "resource.not_found");
        Assert.Equal(unknown.GetProperty("detail").GetString(), theirs.GetProperty("detail").GetString());
        await (await client.GetAsync($"/api/v1/award-batches/{id}")).AssertProblemAsync(HttpStatusCode.NotFound, "resource.not_found");
        await (await client.GetAsync("/api/v1/trainee-batches/not-a-guid")).AssertProblemAsync(HttpStatusCode.NotFound, "resource.not_found");
        var dfe = await api.ClientForAsync("dfe");
        Assert.Equal(HttpStatusCode.Forbidden, (await dfe.GetAsync($"/api/v1/trainee-batches/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_batch_body_that_is_not_an_array_or_of_another_type_is_refused_before_anything_is_staged()
    {
        var client = await api.NewProviderClientAsync();
        await (await client.PostAsync("/api/v1/trainee-batches", Requests.JsonBody("""{"providerTraineeId":"x"}""")))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        await (await client.PostAsync("/api/v1/trainee-batches", Requests.JsonBody("[]"))).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        await (await client.PostAsync("/api/v1/trainee-batches", new StringContent("<x/>", Encoding.UTF8, "application/xml")))
            .AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "request.unsupported_media_type");
        await (await client.PostAsync("/api/v1/award-batches", Csv(Header + "\r\n"))).AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "request.unsupported_media_type");
    }

    private static JsonObject Award(Guid trainee) => new() { ["traineeId"] = trainee.ToString(), ["awardedOn"] = "2026-03-13" };

    private static string Line(string id, string firstNames) =>
        $"{id},{firstNames},Verma,1994-05-17,{id.ToLowerInvariant()}@example.org,female,IN,IN,11-19,100403;100425,part_time,2025-09-01,2026-07-31";

    private static ByteArrayContent Csv(string text) => Csv(Encoding.UTF8.GetBytes(text));

    private static ByteArrayContent Csv(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return content;
    }

    private static async Task<JsonElement> PostCsvAsync(HttpClient client, byte[] csv)
    {
        var answer = await client.PostAsync("/api/v1/trainee-batches", Csv(csv));
        Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
        return await answer.ReadJsonAsync();
    }

    private static async Task<JsonElement> PostBatchAsync(HttpClient client, JsonArray rows, string path = "trainee-batches", bool dryRun = false)
    {
        var answer = await client.PostAsync($"/api/v1/{path}?dryRun={dryRun}", Requests.JsonBody(rows.ToJsonString()));
        Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
        var batch = await answer.ReadJsonAsync();
        Assert.Equal($"/api/v1/{path}/{batch.GetProperty("batchId").GetString()}", answer.Headers.Location?.ToString());
        return batch;
    }

    /// <summary>The provider's trainees, every page walked.</summary>
    private static async Task<int> CountAsync(HttpClient client)
    {
        var (count, cursor) = (0, "");
        do
        {
            var page = await (await client.GetAsync($"/api/v1/trainees?limit=100{(cursor.Length > 0 ? "&cursor=" + cursor : "")}")).ReadJsonAsync();
            count += page.GetProperty("items").GetArrayLength();
            cursor = page.GetProperty("hasMore").GetBoolean() ? page.GetProperty("nextCursor").GetString()! : "";
        }
        while (cursor.Length > 0);
        return count;
    }

    /// <summary>A trainee with three qualifications (English resting on the degree before it), checks, two placements and a plan.</summary>
    private static JsonObject WithEvidence(string schoolId)
    {
        var trainee = Fixtures.Trainee();
        trainee["qualifications"] = new JsonArray(
            Fixtures.Qualification("degree"),
            Fixtures.Qualification("english_language", q => q["englishLanguage"] = new JsonObject
            {
                ["evidence"] = "education_in_english", ["description"] = "BA taught in English", ["country"] = "IN", ["degreeQualificationId"] = "qualifications[0]",
            }),
            Fixtures.Qualification("gcse_maths"));
        trainee["suitabilityChecks"] = Fixtures.SuitabilityChecks();
        trainee["placements"] = new JsonArray(
            Fixtures.Placement(schoolId, p => p["days"] = 70),
            Fixtures.Placement(schoolId, p => { p["startDate"] = "2026-01-05"; p["endDate"] = "2026-03-13"; p["days"] = 50; }));
        trainee["placementPlan"] = Fixtures.PlacementPlan();
        return trainee;
    }

    private static readonly IEqualityComparer<JsonElement> JsonElementComparer = EqualityComparer<JsonElement>.Create((a, b) => JsonElement.DeepEquals(a, b));
}
