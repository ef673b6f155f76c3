using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Iqts.Api.Tests.Infrastructure;

namespace Iqts.Api.Tests.Eligibility;

/// <summary>The entry criteria through the real pipeline: evidence recorded, the verdict kept on the trainee, the applicant check.</summary>
public sealed class EligibilityTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static string Path(JsonElement trainee, string suffix = "") => $"/api/v1/trainees/{trainee.Id()}{suffix}";

    private static async Task<JsonElement> AddAsync(HttpClient client, JsonElement trainee, JsonObject qualification)
    {
        var response = await client.PostJsonAsync(Path(trainee, "/qualifications"), qualification);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    private static async Task<HttpResponseMessage> PutChecksAsync(HttpClient client, JsonElement trainee, JsonObject checks, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, Path(trainee, "/suitability-checks")) { Content = Requests.JsonBody(checks.ToJsonString()) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await client.SendAsync(request);
    }

    private static async Task<JsonElement> EligibilityAsync(HttpClient client, JsonElement trainee) =>
        await (await client.GetAsync(Path(trainee, "/eligibility"))).ReadJsonAsync();

    private static JsonElement Criterion(JsonElement eligibility, string criterion) =>
        eligibility.GetProperty("criteria").EnumerateArray().Single(c => c.GetProperty("criterion").GetString() == criterion);

    private static IEnumerable<string> Codes(JsonElement criterion) => criterion.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("code").GetString()!);

    [Fact]
    public async Task A_new_trainee_becomes_eligible_as_its_evidence_arrives_and_moves_forward_in_the_sync_feed()
    {
        var client = await api.NewProviderClientAsync();
        var trainee = await client.CreateTraineeAsync();
        Assert.Equal("incomplete", trainee.GetProperty("eligibility").GetString());
        var feed = await (await client.GetAsync("/api/v1/trainees")).ReadJsonAsync();
        var cursor = feed.GetProperty("nextCursor").GetString();

        var maths = await AddAsync(client, trainee, Fixtures.Qualification("gcse_maths"));
        await AddAsync(client, trainee, Fixtures.Qualification("degree"));
        await AddAsync(client, trainee, Fixtures.Qualification("english_language"));
        var afterQualifications = await EligibilityAsync(client, trainee);
        Assert.Equal("incomplete", afterQualifications.GetProperty("result").GetString());
        Assert.Equal("met", Criterion(afterQualifications, "C1.1").GetProperty("result").GetString());
        Assert.Equal([maths.GetProperty("qualificationId").GetString()], Criterion(afterQualifications, "C1.1").GetProperty("evidence").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("evidence_missing", Criterion(afterQualifications, "C1.4").GetProperty("result").GetString());

        var put = await PutChecksAsync(client, trainee, Fixtures.SuitabilityChecks());
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var eligibility = await EligibilityAsync(client, trainee);
        Assert.Equal("eligible", eligibility.GetProperty("result").GetString());
        Assert.All(eligibility.GetProperty("criteria").EnumerateArray(), c => Assert.Equal("met", c.GetProperty("result").GetString()));

        var read = await (await client.GetAsync(Path(trainee))).ReadJsonAsync();
        Assert.Equal("eligible", read.GetProperty("eligibility").GetString());
        var changed = await (await client.GetAsync($"/api/v1/trainees?cursor={cursor}")).ReadJsonAsync();
        Assert.Equal([trainee.Id()], changed.GetProperty("items").EnumerateArray().Select(t => t.Id()));
        Assert.Equal([trainee.Id()], (await (await client.GetAsync("/api/v1/trainees?eligibility=eligible")).ReadJsonAsync())
            .GetProperty("items").EnumerateArray().Select(t => t.Id()));
    }

    public static TheoryData<string, JsonObject, string, string> CriterionCases => new()
    {
        { "C1.1", Fixtures.Qualification("gcse_maths"), "met", "C1.1.maths_met" },
        { "C1.1", Fixtures.Qualification("gcse_maths", q => q["gcse"]!["grade"] = "D"), "not_met", "C1.1.maths_below_grade_4" },
        { "C1.1", Fixtures.Qualification("degree"), "evidence_missing", "C1.1.maths_evidence_missing" },
        { "C1.2", Fixtures.Qualification("degree"), "met", "C1.2.uk_degree_met" },
        { "C1.2", Fixtures.Qualification("degree", q => q["degree"]!["degreeType"] = "foundation_degree"), "not_met", "C1.2.uk_degree_below_bachelors" },
        { "C1.2", NonUkDegree(), "evidence_missing", "C1.2.enic_statement_missing" },
        { "C1.3", Fixtures.Qualification("english_language"), "met", "C1.3.ielts_met" },
        { "C1.3", Fixtures.Qualification("english_language", q => q["englishLanguage"]!["overallBand"] = 6.0), "not_met", "C1.3.ielts_below_6_5" },
        { "C1.3", Fixtures.Qualification("gcse_maths"), "evidence_missing", "C1.3.evidence_missing" },
    };

    private static JsonObject NonUkDegree() => Fixtures.Qualification("degree", q =>
    {
        var d = q["degree"]!.AsObject();
        d["origin"] = "non_uk";
        d.Remove("institution");
        d["country"] = "NG";
        d["taughtInEnglish"] = false;
    });

    [Theory]
    [MemberData(nameof(CriterionCases))]
    public async Task Each_criterion_is_met_not_met_or_missing_with_its_reason(string criterion, JsonObject qualification, string result, string reason)
    {
        var client = await api.NewProviderClientAsync();
        var trainee = await client.CreateTraineeAsync();
        await AddAsync(client, trainee, qualification);
        var outcome = Criterion(await EligibilityAsync(client, trainee), criterion);
        Assert.Equal(result, outcome.GetProperty("result").GetString());
        Assert.Contains(reason, Codes(outcome));
        var expected = result == "not_met" ? "not_eligible" : "incomplete";
        Assert.Equal(expected, (await (await client.GetAsync(Path(trainee))).ReadJsonAsync()).GetProperty("eligibility").GetString());
    }

    [Theory]
    [InlineData("identity", "passed", null, "evidence_missing")]
    [InlineData("identity", "failed", null, "not_met")]
    [InlineData("icpc", "not_available", "not_eligible_for_icpc", "met")]
    public async Task C1_4_follows_the_checks(string check, string outcome, string? reason, string result)
    {
        var client = await api.NewProviderClientAsync();
        var trainee = await client.CreateTraineeAsync();
        var checks = Fixtures.SuitabilityChecks(c =>
        {
            c[check] = new JsonObject { ["outcome"] = outcome, ["date"] = "2025-06-02", ["notAvailableReason"] = reason };
            if (result == "evidence_missing")
            {
                c.Remove("healthAndCapacity");
            }
        });
        Assert.Equal(HttpStatusCode.OK, (await PutChecksAsync(client, trainee, checks)).StatusCode);
        Assert.Equal(result, Criterion(await EligibilityAsync(client, trainee), "C1.4").GetProperty("result").GetString());
    }

    [Fact]
    public async Task Science_follows_the_age_range_and_a_change_of_range_moves_the_verdict()
    {
        var client = await api.NewProviderClientAsync();
        var trainee = await client.CreateTraineeAsync();
        foreach (var kind in new[] { "gcse_maths", "degree", "english_language" })
        {
            await AddAsync(client, trainee, Fixtures.Qualification(kind));
        }

        await PutChecksAsync(client, trainee, Fixtures.SuitabilityChecks());
        Assert.Equal("eligible", (await EligibilityAsync(client, trainee)).GetProperty("result").GetString());

        // To 3-11: C1.1 ii now asks for a science too.
        var patched = await client.SendAsync(Fixtures.Patch(Path(trainee), """{"ageRange":"3-11","subjects":["100511"]}"""));
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal("incomplete", (await patched.ReadJsonAsync()).GetProperty("eligibility").GetString());
        Assert.Contains("C1.1.science_evidence_missing", Codes(Criterion(await EligibilityAsync(client, trainee), "C1.1")));

        await AddAsync(client, trainee, Fixtures.Qualification("gcse_science"));
        Assert.Equal("eligible", (await (await client.GetAsync(Path(trainee))).ReadJsonAsync()).GetProperty("eligibility").GetString());

        // A range whose nearest phase is primary asks for it as well; 7-14 (middle) does not.
        var middle = await client.CreateTraineeAsync(Fixtures.Trainee(change: b => b["ageRange"] = "7-14"));
        await AddAsync(client, middle, Fixtures.Qualification("gcse_maths"));
        Assert.Equal("met", Criterion(await EligibilityAsync(client, middle), "C1.1").GetProperty("result").GetString());
        var nearPrimary = await client.CreateTraineeAsync(Fixtures.Trainee(change: b => { b["ageRange"] = "5-11"; b["ageRangePhase"] = "primary"; b["subjects"] = new JsonArray("100511"); }));
        await AddAsync(client, nearPrimary, Fixtures.Qualification("gcse_maths"));
        Assert.Equal("evidence_missing", Criterion(await EligibilityAsync(client, nearPrimary), "C1.1").GetProperty("result").GetString());
    }

    [Fact]
    public async Task Adding_and_removing_evidence_is_in_the_history_and_a_degree_others_rest_on_stays()
    {
        var client = await api.NewProviderClientAsync();
        var trainee = await client.CreateTraineeAsync();
        var degree = await AddAsync(client, trainee, Fixtures.Qualification("degree"));
        var degreeId = degree.GetProperty("qualificationId").GetString()!;
        var english = await AddAsync(client, trainee, Fixtures.Qualification("english_language", q => q["englishLanguage"] = new JsonObject
        {
            ["evidence"] = "education_in_english", ["description"] = "BA studied in English", ["country"] = "XF", ["degreeQualificationId"] = degreeId,
        }));
        var englishId = english.GetProperty("qualificationId").GetString()!;

        await (await client.DeleteAsync(Path(trainee, $"/qualifications/{degreeId}"))).AssertProblemAsync(HttpStatusCode.Conflict, "qualification.in_use");
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync(Path(trainee, $"/qualifications/{englishId}"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(Path(trainee, $"/qualifications/{englishId}"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Path(trainee, $"/qualifications/{degreeId}"))).StatusCode);
        await PutChecksAsync(client, trainee, Fixtures.SuitabilityChecks(c => c.Remove("icpc")));

        var history = (await (await client.GetAsync(Path(trainee, "/history"))).ReadJsonAsync()).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["created", "qualification_added", "qualification_added", "qualification_removed", "suitability_checks_updated"],
            history.Select(h => h.GetProperty("action").GetString()));
        var removed = history[3].GetProperty("changes").EnumerateArray().Single(c => c.GetProperty("field").GetString() == $"qualifications[{englishId}]");
        Assert.Contains("education_in_english", removed.GetProperty("before").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, removed.GetProperty("after").ValueKind);
        var checks = history[4].GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("field").GetString()).ToList();
        Assert.Contains("suitabilityChecks.interview", checks);
        Assert.DoesNotContain("suitabilityChecks.icpc", checks);

        // A degree taught in English that is not the trainee's, or not a degree, is refused.
        var other = await AddAsync(client, trainee, Fixtures.Qualification("gcse_maths"));
        var pointing = Fixtures.Qualification("english_language", q => q["englishLanguage"] = new JsonObject
        {
            ["evidence"] = "education_in_english", ["description"] = "x", ["country"] = "XF", ["degreeQualificationId"] = other.GetProperty("qualificationId").GetString(),
        });
        var problem = await (await client.PostJsonAsync(Path(trainee, "/qualifications"), pointing)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        Assert.Equal(["englishLanguage.degreeQualificationId"], problem.ErrorFields());
    }

    [Fact]
    public async Task Suitability_checks_carry_an_etag_and_honour_if_match_and_a_repeat_writes_nothing()
    {
        var client = await api.NewProviderClientAsync();
        var trainee = await client.CreateTraineeAsync();
        var empty = await client.GetAsync(Path(trainee, "/suitability-checks"));
        Assert.Equal("\"0\"", empty.Headers.ETag?.ToString());
        Assert.Equal(JsonValueKind.Null, (await empty.ReadJsonAsync()).GetProperty("icpc").ValueKind);

        var first = await PutChecksAsync(client, trainee, Fixtures.SuitabilityChecks(), "\"0\"");
        Assert.Equal("\"1\"", first.Headers.ETag?.ToString());
        await (await PutChecksAsync(client, trainee, Fixtures.SuitabilityChecks(), "\"0\"")).AssertProblemAsync(HttpStatusCode.PreconditionFailed, "resource.precondition_failed");
        var same = await PutChecksAsync(client, trainee, Fixtures.SuitabilityChecks(), "\"1\"");
        Assert.Equal("\"1\"", same.Headers.ETag?.ToString());
        Assert.Equal(2, (await (await client.GetAsync(Path(trainee, "/history"))).ReadJsonAsync()).GetProperty("items").GetArrayLength());

        var bad = Fixtures.SuitabilityChecks(c => c["icpc"] = new JsonObject { ["outcome"] = "not_available", ["date"] = "2025-01-01" });
        var problem = await (await PutChecksAsync(client, trainee, bad)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        Assert.Equal(["icpc.notAvailableReason"], problem.ErrorFields());
        var findings = Fixtures.SuitabilityChecks(c => c["icpc"]!["findings"] = "a conviction for …");
        Assert.Equal(["icpc.findings"], (await (await PutChecksAsync(client, trainee, findings)).AssertProblemAsync(HttpStatusCode.BadRequest, "request.unknown_property")).ErrorFields());
    }

    [Fact]
    public async Task A_trainee_holds_at_most_30_qualifications()
    {
        var ukprn = await api.CreateProviderAsync();
        var trainee = (await api.SeedTraineesAsync(ukprn, 1))[0];
        for (var i = 0; i < 30; i++)
        {
            await api.AddQualificationAsync(ukprn, trainee.TraineeId, Fixtures.Qualification("gcse_maths"));
        }

        var client = await api.ClientForAsync("provider", ukprn);
        await (await client.PostJsonAsync($"/api/v1/trainees/{trainee.TraineeId}/qualifications", Fixtures.Qualification("degree")))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "qualification.limit_reached");
        Assert.Equal(30, (await (await client.GetAsync($"/api/v1/trainees/{trainee.TraineeId}/qualifications")).ReadJsonAsync()).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Another_providers_trainee_answers_exactly_like_an_unknown_id_on_every_route()
    {
        var mine = await api.NewProviderClientAsync();
        var theirs = await api.NewProviderClientAsync();
        var trainee = await theirs.CreateTraineeAsync();
        var qualification = await AddAsync(theirs, trainee, Fixtures.Qualification("degree"));
        var qid = qualification.GetProperty("qualificationId").GetString();
        var unknown = Guid.NewGuid();
        var routes = new (HttpMethod Method, string Suffix, JsonNode? Body)[]
        {
            (HttpMethod.Get, "/qualifications", null), (HttpMethod.Post, "/qualifications", Fixtures.Qualification("gcse_maths")),
            (HttpMethod.Get, $"/qualifications/{qid}", null), (HttpMethod.Delete, $"/qualifications/{qid}", null),
            (HttpMethod.Get, "/suitability-checks", null), (HttpMethod.Put, "/suitability-checks", Fixtures.SuitabilityChecks()),
            (HttpMethod.Get, "/eligibility", null),
        };
        foreach (var (method, suffix, body) in routes)
        {
            async Task<string> SendAsync(string traineeId)
            {
                var request = new HttpRequestMessage(method, $"/api/v1/trainees/{traineeId}{suffix}");
                if (body is not null)
                {
                    request.Content = Requests.JsonBody(body.ToJsonString());
                }

                var response = await mine.SendAsync(request);
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                var problem = await response.ReadJsonAsync();
                return $"{problem.GetProperty("errorCode")}|{problem.GetProperty("title")}|{problem.GetProperty("detail")}";
            }

            Assert.Equal(await SendAsync(unknown.ToString()), await SendAsync(trainee.Id()));
        }

        // Nothing of theirs changed, and their evidence is still there.
        Assert.Single((await (await theirs.GetAsync(Path(trainee, "/qualifications"))).ReadJsonAsync()).GetProperty("items").EnumerateArray());
        Assert.Single((await (await theirs.GetAsync(Path(trainee, "/history"))).ReadJsonAsync()).GetProperty("items").EnumerateArray(),
            h => h.GetProperty("action").GetString() == "qualification_added");
    }

    [Fact]
    public async Task An_applicant_check_evaluates_the_same_rules_and_stores_and_logs_nothing()
    {
        var client = await api.NewProviderClientAsync();
        var fingerprint = await FingerprintAsync();
        var marker = "ENIC-" + Guid.NewGuid().ToString("N")[..10];
        var applicant = Fixtures.Applicant(a =>
        {
            a["ageRange"] = "3-11";
            a["qualifications"]!.AsArray().Add(Fixtures.Qualification("degree", q =>
            {
                var d = q["degree"]!.AsObject();
                d["origin"] = "non_uk";
                d["institution"] = "Lagos " + marker;
                d["country"] = "NG";
                d["enicReference"] = marker;
                d["comparableTo"] = "bachelors_degree";
            }));
        });
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/eligibility-checks") { Content = Requests.JsonBody(applicant.ToJsonString()) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var eligibility = await response.ReadJsonAsync();
        Assert.Equal("incomplete", eligibility.GetProperty("result").GetString());
        Assert.Contains("C1.1.science_evidence_missing", Codes(Criterion(eligibility, "C1.1")));
        Assert.Equal(["qualifications[1]", "qualifications[3]"], Criterion(eligibility, "C1.2").GetProperty("evidence").EnumerateArray().Select(e => e.GetString()));

        Assert.Equal(fingerprint, await FingerprintAsync());
        Assert.DoesNotContain(api.Logs.Lines, l => l.Contains(marker, StringComparison.Ordinal));

        var bad = Fixtures.Applicant(a => a["qualifications"]![0]!["gcse"]!["grade"] = "Z");
        var problem = await (await client.PostJsonAsync("/api/v1/eligibility-checks", bad)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        Assert.Equal(["qualifications[0].gcse.grade"], problem.ErrorFields());
        Assert.Equal(fingerprint, await FingerprintAsync());
    }

    [Theory]
    [InlineData("""{"ageRange":"11-19"}""")]
    [InlineData("""{"ageRange":"11-19","qualifications":null}""")]
    public async Task An_applicants_check_without_qualifications_is_refused_as_the_contract_says(string body)
    {
        var client = await api.NewProviderClientAsync();
        var problem = await (await client.PostAsync("/api/v1/eligibility-checks", Requests.JsonBody(body))).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        Assert.Equal(["qualifications"], problem.ErrorFields());
        var none = await client.PostAsync("/api/v1/eligibility-checks", Requests.JsonBody("""{"ageRange":"11-19","qualifications":[]}"""));
        Assert.Equal("incomplete", (await none.ReadJsonAsync()).GetProperty("result").GetString());
    }

    /// <summary>Every table's row count, the idempotency store included.</summary>
    private async Task<string> FingerprintAsync()
    {
        await using var connection = await api.Db.OpenAsync(CancellationToken.None);
        var counts = new List<string>();
        foreach (var table in new[] { "trainees", "trainee_history", "qualifications", "suitability_checks", "idempotency_keys", "providers", "change_counters" })
        {
            counts.Add($"{table}:{await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, $"SELECT COUNT(*) FROM {table}")}");
        }

        return string.Join(" ", counts);
    }
}
