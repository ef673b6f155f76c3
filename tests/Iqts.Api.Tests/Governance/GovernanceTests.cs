using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Iqts.Api.Tests.Infrastructure;

namespace Iqts.Api.Tests.Governance;

/// <summary>
/// Provider governance through HTTP on the test's engine (issue 19). The clock stands at 2026-03-16, in the spring term of
/// 2026: inspections of that term can be notified, held and reported "in the past", so the inspectorate's window is tested
/// before, during and after without moving the clock. Each test uses its own providers.
/// </summary>
public sealed class GovernanceTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static int _names;

    private async Task<string> InspectorateAsync(string from = "2025-09-01", string to = "2028-08-31")
    {
        var dfe = await api.ClientForAsync("dfe");
        var name = $"Inspectorate {Interlocked.Increment(ref _names)}";
        var response = await dfe.PostJsonAsync("/api/v1/inspectorates", JsonNode.Parse($$"""{"name":"{{name}}","approvedFrom":"{{from}}","approvedTo":"{{to}}"}""")!);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("inspectorateId").GetString()!;
    }

    private Task<HttpClient> InspectorClientAsync(string inspectorateId) => api.InspectorClientAsync(inspectorateId);

    private static async Task<JsonElement> BookAsync(HttpClient client, string? ukprn, string inspectorateId, string term, HttpStatusCode expected = HttpStatusCode.Created)
    {
        var body = ukprn is null
            ? $$"""{"inspectorateId":"{{inspectorateId}}","term":"{{term}}"}"""
            : $$"""{"ukprn":"{{ukprn}}","inspectorateId":"{{inspectorateId}}","term":"{{term}}"}""";
        var response = await client.PostAsync("/api/v1/inspections", Requests.JsonBody(body));
        Assert.True(expected == response.StatusCode, await response.Content.ReadAsStringAsync());
        return await response.ReadJsonAsync();
    }

    private static Task<HttpResponseMessage> PatchAsync(HttpClient client, string inspectionId, string json) =>
        client.SendAsync(Fixtures.Patch($"/api/v1/inspections/{inspectionId}", json));

    private static async Task<JsonElement> PatchOkAsync(HttpClient client, string inspectionId, string json)
    {
        var response = await PatchAsync(client, inspectionId, json);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.ReadJsonAsync();
    }

    /// <summary>A provider with a trainee and an overseas school, and a DfE-allocated spring 2026 inspection by a fresh inspectorate.</summary>
    private async Task<(string Ukprn, HttpClient Provider, string TraineeId, string SchoolId, string InspectorateId, HttpClient Inspector, string InspectionId)> InspectedAsync()
    {
        var ukprn = await api.CreateProviderAsync();
        var provider = await api.ClientForAsync("provider", ukprn);
        var trainee = (await provider.CreateTraineeAsync()).Id();
        var school = await api.CreateSchoolAsync(ukprn);
        var inspectorate = await InspectorateAsync();
        var inspection = (await BookAsync(await api.ClientForAsync("dfe"), ukprn, inspectorate, "2026-spring")).GetProperty("inspectionId").GetString()!;
        return (ukprn, provider, trainee, school, inspectorate, await InspectorClientAsync(inspectorate), inspection);
    }

    [Fact]
    public async Task The_approval_steps_follow_the_process_and_each_allows_what_the_adr_says()
    {
        var dfe = await api.ClientForAsync("dfe");
        var ukprn = await api.CreateProviderAsync();
        var provider = await api.ClientForAsync("provider", ukprn);
        var trainee = (await provider.CreateTraineeAsync()).Id();
        async Task<HttpResponseMessage> Change(string json) => await dfe.PostAsync($"/api/v1/providers/{ukprn}/approval-history", Requests.JsonBody(json));

        // Approval changes only with its step: a PATCH is refused.
        await (await dfe.SendAsync(Fixtures.Patch($"/api/v1/providers/{ukprn}", """{"approvalStatus":"suspended"}"""))).AssertProblemAsync((HttpStatusCode)422, "provider.approval_needs_step");
        // The formal process needs a concern first; a concern needs its remedy and date.
        await (await Change("""{"approvalStatus":"suspended","step":"formal_process","reason":"Returns late.","effectiveOn":"2026-03-10"}""")).AssertProblemAsync(HttpStatusCode.Conflict, "provider.approval_step_invalid");
        var missing = await (await Change("""{"approvalStatus":"concern_raised","step":"concern_raised","reason":"Returns late.","effectiveOn":"2026-03-10"}""")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        Assert.Equal(["remedy", "remedyBy"], missing.ErrorFields().Order());
        Assert.Equal(HttpStatusCode.Created, (await Change("""{"approvalStatus":"concern_raised","step":"concern_raised","reason":"Returns late.","effectiveOn":"2026-03-10","remedy":"Submit the returns.","remedyBy":"2026-04-30"}""")).StatusCode);

        // A concern raised: the provider still registers trainees and records evidence.
        await provider.CreateTraineeAsync();
        Assert.Equal(HttpStatusCode.Created, (await provider.PostJsonAsync($"/api/v1/trainees/{trainee}/qualifications", Fixtures.Qualification())).StatusCode);

        // Remedied, then (the most serious case) suspended at once.
        Assert.Equal(HttpStatusCode.Created, (await Change("""{"approvalStatus":"approved","step":"remedied","reason":"Returns in.","effectiveOn":"2026-03-12"}""")).StatusCode);
        await (await Change("""{"approvalStatus":"suspended","step":"serious_non_compliance","reason":"Safeguarding failure.","effectiveOn":"2026-03-11"}""")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        Assert.Equal(HttpStatusCode.Created, (await Change("""{"approvalStatus":"suspended","step":"serious_non_compliance","reason":"Safeguarding failure.","effectiveOn":"2026-03-13"}""")).StatusCode);

        // Suspended: no registration, no award; the records of trainees already registered are still kept.
        await (await provider.PostJsonAsync("/api/v1/trainees", Fixtures.Trainee())).AssertProblemAsync((HttpStatusCode)422, "provider.not_approved");
        Assert.Equal(HttpStatusCode.Created, (await provider.PostJsonAsync($"/api/v1/trainees/{trainee}/qualifications", Fixtures.Qualification("gcse_science"))).StatusCode);
        await api.PrepareForAwardAsync(ukprn, Guid.Parse(trainee));
        await (await provider.PostAsync($"/api/v1/trainees/{trainee}/award", Requests.JsonBody("""{"awardedOn":"2026-03-13"}""")))
            .AssertProblemAsync((HttpStatusCode)422, "provider.may_not_award");

        // The history, oldest first, for DfE and the provider; another provider's answers as an unknown one.
        var history = await (await provider.GetAsync($"/api/v1/providers/{ukprn}/approval-history")).ReadJsonAsync();
        Assert.Equal(["registered", "concern_raised", "remedied", "serious_non_compliance"], history.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("step").GetString()!));
        Assert.Equal("2026-04-30", history.GetProperty("items")[1].GetProperty("remedyBy").GetString());
        Assert.Equal("suspended", history.GetProperty("approvalStatus").GetString());
        var other = await api.NewProviderClientAsync();
        var hidden = await (await other.GetAsync($"/api/v1/providers/{ukprn}/approval-history")).AssertProblemAsync(HttpStatusCode.NotFound, "resource.not_found");
        var unknown = await (await other.GetAsync("/api/v1/providers/19999999/approval-history")).AssertProblemAsync(HttpStatusCode.NotFound, "resource.not_found");
        Assert.Equal(unknown.GetProperty("detail").GetString(), hidden.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Bookings_need_dfe_first_two_terms_notice_and_an_approved_inspectorate()
    {
        var ukprn = await api.CreateProviderAsync();
        var provider = await api.ClientForAsync("provider", ukprn);
        var dfe = await api.ClientForAsync("dfe");
        var inspectorate = await InspectorateAsync(to: "2028-08-31");

        (await (await provider.PostAsync("/api/v1/inspections", Requests.JsonBody($$"""{"inspectorateId":"{{inspectorate}}","term":"2027-spring"}""")))
            .AssertProblemAsync((HttpStatusCode)422, "inspection.first_allocated_by_dfe")).GetProperty("detail");
        var first = await BookAsync(dfe, ukprn, inspectorate, "2026-spring");
        Assert.Equal("dfe", first.GetProperty("allocatedBy").GetString());

        // Today is in spring 2026: summer is one term ahead, autumn two.
        var late = await (await provider.PostAsync("/api/v1/inspections", Requests.JsonBody($$"""{"inspectorateId":"{{inspectorate}}","term":"2026-summer"}""")))
            .AssertProblemAsync((HttpStatusCode)422, "inspection.booking_too_late");
        Assert.Contains("2026-autumn", late.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var booked = await BookAsync(provider, null, inspectorate, "2026-autumn");
        Assert.Equal("provider", booked.GetProperty("allocatedBy").GetString());
        Assert.Equal(ukprn, booked.GetProperty("ukprn").GetString());

        // The inspectorate's approval ends in August 2028.
        await (await provider.PostAsync("/api/v1/inspections", Requests.JsonBody($$"""{"inspectorateId":"{{inspectorate}}","term":"2028-autumn"}""")))
            .AssertProblemAsync((HttpStatusCode)422, "inspection.inspectorate_not_approved");
        var badTerm = await (await provider.PostAsync("/api/v1/inspections", Requests.JsonBody($$"""{"inspectorateId":"{{inspectorate}}","term":"2027-winter"}""")))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        Assert.Equal(["term"], badTerm.ErrorFields());
    }

    [Fact]
    public async Task The_inspectorate_records_notice_dates_grades_and_report_and_the_provider_takes_the_grade()
    {
        var (ukprn, provider, _, school, _, inspector, inspection) = await InspectedAsync();
        var dfe = await api.ClientForAsync("dfe");

        await (await PatchAsync(inspector, inspection, """{"notifiedOn":"2026-02-20","startsOn":"2026-03-02","endsOn":"2026-03-06"}"""))
            .AssertProblemAsync((HttpStatusCode)422, "inspection.notice_too_short");
        await (await PatchAsync(inspector, inspection, """{"notifiedOn":"2026-03-01","startsOn":"2026-04-06","endsOn":"2026-04-10"}"""))
            .AssertProblemAsync((HttpStatusCode)422, "inspection.outside_term");
        var other = await (await PatchAsync(provider, inspection, """{"notifiedOn":"2026-02-02"}""")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        Assert.Equal(["notifiedOn"], other.ErrorFields());
        await (await PatchAsync(inspector, inspection, """{"finalGrade":2}""")).AssertProblemAsync(HttpStatusCode.Conflict, "inspection.out_of_order");

        await PatchOkAsync(inspector, inspection, $$"""{"notifiedOn":"2026-02-02","startsOn":"2026-03-02","endsOn":"2026-03-06","schoolVisitedId":"{{school}}","provisionalGrade":4}""");
        await (await PatchAsync(dfe, inspection, """{"dfeMeetings":[{"heldOn":"2026-03-10","notes":"First meeting."}]}""")).AssertProblemAsync(HttpStatusCode.Conflict, "inspection.out_of_order");
        var graded = await PatchOkAsync(inspector, inspection, """{"finalGrade":4,"reportOn":"2026-03-12","reportUrl":"https://inspectorate.example/reports/1"}""");
        Assert.Equal("2027-03-06", graded.GetProperty("reinspectionDueBy").GetString());
        Assert.Equal("2027-spring", graded.GetProperty("nextInspectionDue").GetString());
        await (await PatchAsync(inspector, inspection, """{"endsOn":"2026-03-05"}""")).AssertProblemAsync(HttpStatusCode.Conflict, "inspection.report_agreed");

        var meetings = await PatchOkAsync(dfe, inspection, """{"dfeMeetings":[{"heldOn":"2026-03-13","notes":"Improvement plan agreed."}]}""");
        Assert.Equal("2026-03-13", meetings.GetProperty("dfeMeetings")[0].GetProperty("heldOn").GetString());
        var nulls = await (await PatchAsync(provider, inspection, """{"actionPlan":[null]}""")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        Assert.Equal(["actionPlan[0]"], nulls.ErrorFields());
        var plan = await PatchOkAsync(provider, inspection, """{"actionPlan":[{"action":"Train every mentor in the CCF.","ownerRole":"Head of partnerships","dueOn":"2026-06-30","progress":"in_progress"}]}""");
        Assert.Equal("in_progress", plan.GetProperty("actionPlan")[0].GetProperty("progress").GetString());

        var mine = await (await provider.GetAsync("/api/v1/providers/me")).ReadJsonAsync();
        Assert.Equal(4, mine.GetProperty("inspectionGrade").GetInt32());
        Assert.Equal("2026-03-06", mine.GetProperty("inspectionDate").GetString());
        Assert.Equal("iqts_inspection", mine.GetProperty("inspectionSource").GetString());
        // An Ofsted grade from before iQTS does not displace the inspection's.
        var ofsted = await (await dfe.SendAsync(Fixtures.Patch($"/api/v1/providers/{ukprn}", """{"inspectionGrade":1,"inspectionDate":"2025-06-01"}""")))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        Assert.Equal(["inspectionDate"], ofsted.ErrorFields());

        var history = await (await dfe.GetAsync($"/api/v1/inspections/{inspection}/history")).ReadJsonAsync();
        Assert.Equal(["inspection_booked", "inspection_updated", "inspection_updated", "inspection_updated", "inspection_updated"],
            history.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("action").GetString()!));
        Assert.Equal("Inspection team", history.GetProperty("items")[1].GetProperty("tokenName").GetString());
    }

    [Fact]
    public async Task The_inspectorate_must_be_approved_on_every_day_of_the_inspection()
    {
        var ukprn = await api.CreateProviderAsync();
        var inspectorate = await InspectorateAsync(from: "2026-03-04", to: "2029-03-03");
        var inspection = (await BookAsync(await api.ClientForAsync("dfe"), ukprn, inspectorate, "2026-spring")).GetProperty("inspectionId").GetString()!;
        var inspector = await InspectorClientAsync(inspectorate);
        await (await PatchAsync(inspector, inspection, """{"notifiedOn":"2026-02-02","startsOn":"2026-03-02","endsOn":"2026-03-06"}"""))
            .AssertProblemAsync((HttpStatusCode)422, "inspection.inspectorate_not_approved");
        await PatchOkAsync(inspector, inspection, """{"notifiedOn":"2026-02-02","startsOn":"2026-03-09","endsOn":"2026-03-13"}""");
    }

    [Fact]
    public async Task A_grade_of_1_to_3_brings_the_next_inspection_three_years_later_in_the_same_term()
    {
        var (_, _, _, _, _, inspector, inspection) = await InspectedAsync();
        await PatchOkAsync(inspector, inspection, """{"notifiedOn":"2026-02-02","startsOn":"2026-03-02","endsOn":"2026-03-06","provisionalGrade":2}""");
        var graded = await PatchOkAsync(inspector, inspection, """{"finalGrade":2,"reportOn":"2026-03-12","reportUrl":"https://inspectorate.example/reports/2"}""");
        Assert.Equal("2029-spring", graded.GetProperty("nextInspectionDue").GetString());
        Assert.Equal(JsonValueKind.Null, graded.GetProperty("reinspectionDueBy").ValueKind);
    }

    [Fact]
    public async Task The_inspectorate_reads_only_inside_its_window_and_every_read_is_logged()
    {
        var (ukprn, provider, trainee, _, _, inspector, inspection) = await InspectedAsync();
        var reads = new[]
        {
            $"/api/v1/trainees/{trainee}/eligibility", $"/api/v1/trainees/{trainee}/placements", $"/api/v1/trainees/{trainee}/placement-summary",
            $"/api/v1/trainees/{trainee}/assessments", $"/api/v1/trainees/{trainee}/award-check", $"/api/v1/trainees/{trainee}/history",
        };

        // Before the notification: exactly as an unknown id.
        foreach (var path in reads)
        {
            await AssertLikeUnknownAsync(inspector, path, path.Replace(trainee, Guid.NewGuid().ToString(), StringComparison.Ordinal));
        }

        await AssertLikeUnknownAsync(inspector, $"/api/v1/providers/{ukprn}/evidence", "/api/v1/providers/19999998/evidence");
        Assert.Equal(HttpStatusCode.Forbidden, (await inspector.GetAsync($"/api/v1/trainees/{trainee}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await inspector.PostJsonAsync($"/api/v1/trainees/{trainee}/qualifications", Fixtures.Qualification())).StatusCode);

        // Notified: the window is open until the report.
        await PatchOkAsync(inspector, inspection, """{"notifiedOn":"2026-02-20","startsOn":"2026-03-23","endsOn":"2026-03-27"}""");
        foreach (var path in reads)
        {
            Assert.Equal(HttpStatusCode.OK, (await inspector.GetAsync(path)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await inspector.GetAsync($"/api/v1/providers/{ukprn}/evidence")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await inspector.GetAsync($"/api/v1/providers/{ukprn}/governance-changes")).StatusCode);

        // Another provider's trainee stays hidden from this inspectorate.
        var stranger = (await (await api.NewProviderClientAsync()).CreateTraineeAsync()).Id();
        await AssertLikeUnknownAsync(inspector, $"/api/v1/trainees/{stranger}/eligibility", $"/api/v1/trainees/{Guid.NewGuid()}/eligibility");

        var log = await (await provider.GetAsync($"/api/v1/inspections/{inspection}/access-log?limit=100")).ReadJsonAsync();
        var entries = log.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(reads.Length + 2, entries.Count);
        Assert.Equal(reads.Concat([$"/api/v1/providers/{ukprn}/evidence", $"/api/v1/providers/{ukprn}/governance-changes"]), entries.Select(e => e.GetProperty("path").GetString()!));
        Assert.Equal("GetTraineeEligibility", entries[0].GetProperty("operation").GetString());
        Assert.All(entries, e => Assert.Equal("Inspection team", e.GetProperty("tokenName").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await (await api.ClientForAsync("dfe")).GetAsync($"/api/v1/inspections/{inspection}/access-log")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await inspector.GetAsync($"/api/v1/inspections/{inspection}/access-log")).StatusCode);

        // Personal data the inspector read is not in the logs.
        var person = await (await provider.GetAsync($"/api/v1/trainees/{trainee}")).ReadJsonAsync();
        Assert.DoesNotContain(api.Logs.Lines, m => m.Contains(person.GetProperty("lastName").GetString()!, StringComparison.Ordinal)
            || m.Contains(person.GetProperty("email").GetString()!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task After_the_report_the_inspectorate_reads_nothing()
    {
        var (ukprn, _, trainee, _, _, inspector, inspection) = await InspectedAsync();
        await PatchOkAsync(inspector, inspection, """{"notifiedOn":"2026-02-02","startsOn":"2026-03-02","endsOn":"2026-03-06","provisionalGrade":1}""");
        Assert.Equal(HttpStatusCode.OK, (await inspector.GetAsync($"/api/v1/trainees/{trainee}/eligibility")).StatusCode);
        await PatchOkAsync(inspector, inspection, """{"finalGrade":1,"reportOn":"2026-03-13","reportUrl":"https://inspectorate.example/reports/3"}""");
        await AssertLikeUnknownAsync(inspector, $"/api/v1/trainees/{trainee}/eligibility", $"/api/v1/trainees/{Guid.NewGuid()}/eligibility");
        await AssertLikeUnknownAsync(inspector, $"/api/v1/providers/{ukprn}/evidence", "/api/v1/providers/19999998/evidence");
    }

    [Fact]
    public async Task Another_providers_inspection_and_governance_change_answer_as_unknown_ids()
    {
        var (ukprn, provider, _, _, _, inspector, inspection) = await InspectedAsync();
        var other = await api.NewProviderClientAsync();
        var change = (await (await provider.PostAsync("/api/v1/providers/me/governance-changes",
            Requests.JsonBody("""{"kind":"accounting_officer","effectiveOn":"2026-03-01","description":"A new accounting officer."}""")))
            .ReadJsonAsync()).GetProperty("governanceChangeId").GetString()!;

        await AssertLikeUnknownAsync(other, $"/api/v1/inspections/{inspection}", $"/api/v1/inspections/{Guid.NewGuid()}");
        await AssertLikeUnknownAsync(other, $"/api/v1/inspections/{inspection}/access-log", $"/api/v1/inspections/{Guid.NewGuid()}/access-log");
        await AssertLikeUnknownAsync(other, $"/api/v1/inspections/{inspection}/history", $"/api/v1/inspections/{Guid.NewGuid()}/history");
        await AssertLikeUnknownAsync(other, $"/api/v1/providers/{ukprn}/governance-changes", "/api/v1/providers/19999997/governance-changes");
        await AssertLikeUnknownAsync(other, $"/api/v1/providers/{ukprn}/governance-changes/{change}", $"/api/v1/providers/{ukprn}/governance-changes/{Guid.NewGuid()}");
        await AssertLikeUnknownAsync(other, $"/api/v1/providers/{ukprn}/governance-changes/{change}/history",
            $"/api/v1/providers/{ukprn}/governance-changes/{Guid.NewGuid()}/history");
        await AssertLikeUnknownAsync(other, $"/api/v1/providers/{ukprn}/evidence", "/api/v1/providers/19999997/evidence");
        var patched = await other.SendAsync(Fixtures.Patch($"/api/v1/inspections/{inspection}", """{"actionPlan":[]}"""));
        var unknownPatch = await other.SendAsync(Fixtures.Patch($"/api/v1/inspections/{Guid.NewGuid()}", """{"actionPlan":[]}"""));
        Assert.Equal(Strip(await unknownPatch.Content.ReadAsStringAsync()), Strip(await patched.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.NotFound, patched.StatusCode);

        // An inspectorate sees only the inspections it carries out.
        var stranger = await InspectorClientAsync(await InspectorateAsync());
        await AssertLikeUnknownAsync(stranger, $"/api/v1/inspections/{inspection}", $"/api/v1/inspections/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.OK, (await inspector.GetAsync($"/api/v1/inspections/{inspection}")).StatusCode);
        Assert.Empty((await (await stranger.GetAsync("/api/v1/inspections")).ReadJsonAsync()).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Governance_changes_are_notified_answered_and_audited()
    {
        var ukprn = await api.CreateProviderAsync();
        var provider = await api.ClientForAsync("provider", ukprn);
        var dfe = await api.ClientForAsync("dfe");
        var bad = await (await provider.PostAsync("/api/v1/providers/me/governance-changes", Requests.JsonBody("""{"kind":"merger","description":""}""")))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "request.invalid_value");
        Assert.Contains("kind", bad.ErrorFields());
        var created = await provider.PostAsync("/api/v1/providers/me/governance-changes",
            Requests.JsonBody("""{"kind":"ownership_or_merger","effectiveOn":"2026-04-01","description":"Merger with a neighbouring trust."}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.ReadJsonAsync()).GetProperty("governanceChangeId").GetString()!;
        var located = await provider.GetAsync(created.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, located.StatusCode);
        Assert.Equal(created.Headers.ETag, located.Headers.ETag);

        var answer = await dfe.PutAsync($"/api/v1/providers/{ukprn}/governance-changes/{id}/response",
            Requests.JsonBody("""{"response":"information_requested","note":"Send the new scheme of delegation.","respondedOn":"2026-03-16"}"""));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var listed = await (await provider.GetAsync("/api/v1/providers/me/governance-changes")).ReadJsonAsync();
        Assert.Equal("information_requested", listed.GetProperty("items")[0].GetProperty("dfeResponse").GetProperty("response").GetString());
        var history = await (await provider.GetAsync($"/api/v1/providers/{ukprn}/governance-changes/{id}/history")).ReadJsonAsync();
        Assert.Equal(["governance_change_notified", "governance_change_answered"], history.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("action").GetString()!));
        await (await dfe.PutAsync($"/api/v1/providers/{ukprn}/governance-changes/{id}/response",
            Requests.JsonBody("""{"response":"acknowledged","note":"Thanks.","respondedOn":"2027-01-01"}"""))).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
    }

    [Fact]
    public async Task The_evidence_read_gathers_each_criterion_over_the_trainees_in_json_and_csv()
    {
        var ukprn = await api.CreateProviderAsync();
        var provider = await api.ClientForAsync("provider", ukprn);
        var ready = (await provider.CreateTraineeAsync()).Id();
        var bare = (await provider.CreateTraineeAsync()).Id();
        await api.PrepareForAwardAsync(ukprn, Guid.Parse(ready));

        var evidence = await (await provider.GetAsync($"/api/v1/providers/{ukprn}/evidence")).ReadJsonAsync();
        Assert.Equal(2, evidence.GetProperty("trainees").GetProperty("total").GetInt32());
        var criteria = evidence.GetProperty("criteria").EnumerateArray().ToDictionary(c => c.GetProperty("criterion").GetString()!);
        Assert.Contains("C1.1", criteria.Keys);
        Assert.Contains("C2.4 i", criteria.Keys);
        Assert.Contains("C3.4", criteria.Keys);
        Assert.Equal([ready], criteria["C1.2"].GetProperty("met").EnumerateArray().Select(i => i.GetString()!));
        Assert.Equal([bare], criteria["C1.2"].GetProperty("evidenceMissing").EnumerateArray().Select(i => i.GetString()!));
        Assert.Equal("evidence_missing", criteria["C1.2"].GetProperty("result").GetString());
        Assert.Equal([ready], evidence.GetProperty("awards").GetProperty("readyToAward").EnumerateArray().Select(i => i.GetString()!));
        Assert.Equal(bare, evidence.GetProperty("awards").GetProperty("notReady")[0].GetProperty("traineeId").GetString());
        Assert.Equal(0, evidence.GetProperty("returns").GetArrayLength()); // registered this month: no month it owed a return yet
        Assert.NotEqual(0, evidence.GetProperty("schools").GetProperty("total").GetInt32());

        var dfe = await api.ClientForAsync("dfe");
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/providers/{ukprn}/evidence");
        request.Headers.Accept.ParseAdd("text/csv");
        var csv = await dfe.SendAsync(request);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("ukprn,section,item,result,subject,detail", lines[0].TrimEnd('\r'));
        Assert.Contains(lines, l => l.StartsWith($"{ukprn},criterion,C1.2,evidence_missing,{bare}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_public_register_lists_approved_providers_with_their_inspection_and_nothing_more()
    {
        var (ukprn, _, _, _, _, inspector, inspection) = await InspectedAsync();
        await PatchOkAsync(inspector, inspection, """{"notifiedOn":"2026-02-02","startsOn":"2026-03-02","endsOn":"2026-03-06","provisionalGrade":2}""");
        await PatchOkAsync(inspector, inspection, """{"finalGrade":2,"reportOn":"2026-03-12","reportUrl":"https://inspectorate.example/reports/9"}""");
        var suspended = await api.CreateProviderAsync(status: "suspended");

        var anonymous = api.ClientWith(null);
        var response = await anonymous.GetAsync("/api/v1/public/providers");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("public", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        var register = await response.ReadJsonAsync();
        var items = register.GetProperty("items").EnumerateArray().ToList();
        Assert.DoesNotContain(items, i => i.GetProperty("ukprn").GetString() == suspended);
        var entry = Assert.Single(items, i => i.GetProperty("ukprn").GetString() == ukprn);
        Assert.Equal(["latestInspection", "name", "nextInspectionTerm", "ukprn"], entry.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(["date", "grade", "reportUrl"], entry.GetProperty("latestInspection").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(2, entry.GetProperty("latestInspection").GetProperty("grade").GetInt32());
        Assert.Equal("2029-spring", entry.GetProperty("nextInspectionTerm").GetString());
        Assert.Equal(["items"], register.EnumerateObject().Select(p => p.Name));

        var again = new HttpRequestMessage(HttpMethod.Get, "/api/v1/public/providers");
        again.Headers.TryAddWithoutValidation("If-None-Match", response.Headers.ETag!.ToString());
        Assert.Equal(HttpStatusCode.NotModified, (await anonymous.SendAsync(again)).StatusCode);
    }

    [Fact]
    public async Task The_seed_command_makes_an_inspectorate_and_the_providers_first_inspection_once()
    {
        var ukprn = Fixtures.NewUkprn();
        for (var run = 0; run < 2; run++)
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            Assert.Equal(0, await Iqts.Api.Cli.Commands.RunAsync(api.Services, ["seed", "--ukprn", ukprn, "--trainees", "2"], output, error));
        }

        var dfe = await api.ClientForAsync("dfe");
        var inspections = (await (await dfe.GetAsync($"/api/v1/inspections?ukprn={ukprn}")).ReadJsonAsync()).GetProperty("items");
        var inspection = Assert.Single(inspections.EnumerateArray());
        Assert.Equal("2026-spring", inspection.GetProperty("term").GetString());
        Assert.Equal("dfe", inspection.GetProperty("allocatedBy").GetString());
        var inspectorate = await (await dfe.GetAsync($"/api/v1/inspectorates/{inspection.GetProperty("inspectorateId").GetString()}")).ReadJsonAsync();
        Assert.Equal("Seeded inspectorate", inspectorate.GetProperty("name").GetString());
    }

    private static async Task AssertLikeUnknownAsync(HttpClient client, string path, string unknownPath)
    {
        var hidden = await client.GetAsync(path);
        var unknown = await client.GetAsync(unknownPath);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(unknown.StatusCode, hidden.StatusCode);
        Assert.Equal(Strip(await unknown.Content.ReadAsStringAsync()), Strip(await hidden.Content.ReadAsStringAsync()));
    }

    /// <summary>A problem body without its trace id and its path (<c>instance</c>), which differ per request.</summary>
    private static string Strip(string body)
    {
        var json = JsonNode.Parse(body)!.AsObject();
        json.Remove("traceId");
        json.Remove("instance");
        return json.ToJsonString();
    }
}
