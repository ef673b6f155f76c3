using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsvHelper;
using Iqts.Api.Tests.Infrastructure;
using Iqts.Api.Tests.Sdk;

namespace Iqts.Api.Tests.Reports;

/// <summary>
/// A fixture of known providers, trainees, status changes, placements, awards and returns, and the figures DfE's reports
/// must produce from it (February 2026, the 2025/26 academic year; the clock stands at 16 March 2026).
/// Provider A: a1 registered (IN, 4 years, a placement at a British international school over February); a2 deferred
/// on 10 January (AE, born in PK, 12 years, a placement that ended in January); a3 started on 2 February (IN, experience
/// not recorded); a4 withdrawn on 20 February; a5 deferred on 1 December and reinstated on 2 March (so deferred at the
/// end of February, registered now); a6 starting in April; a7 awarded on 27 February. Its February return came in on
/// 16 March (late), its March return too (on time). Provider B: b1 registered (QA), b2 awarded on 13 March (registered at
/// the end of February), no return. Provider C: nothing at all.
/// </summary>
public sealed class ReportTests(ReportTests.KnownData data) : IClassFixture<ReportTests.KnownData>
{
    public sealed class KnownData : ApiFactory
    {
        public string A { get; private set; } = "";

        public string B { get; private set; } = "";

        public string C { get; private set; } = "";

        /// <summary>Every name, date of birth and email written, and the mentors' and assessors' names: none may appear in a report.</summary>
        public List<string> PersonalData { get; } = ["Fatima Al Mansoori", "Dr Helen Okafor", "1994-05-17", "1988-02-29"];

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            (A, B, C) = (await this.CreateProviderAsync(), await this.CreateProviderAsync(), await this.CreateProviderAsync());
            var a = await SeedAsync(A,
                t => { },
                t => { t["trainingCountry"] = "AE"; t["countryOfBirth"] = "PK"; t["yearsOfTeachingExperience"] = 12; t["dateOfBirth"] = "1988-02-29"; },
                t => { t["startDate"] = "2026-02-02"; t.Remove("yearsOfTeachingExperience"); },
                t => { },
                t => { },
                t => { t["startDate"] = "2026-04-01"; t["expectedEndDate"] = "2027-03-31"; },
                t => { });
            var b = await SeedAsync(B, t => t["trainingCountry"] = "QA", t => { });

            var provider = await ClientForAsync("provider", A);
            await ChangeAsync(provider, a[1], "defer", """{"date":"2026-01-10","reason":"Illness"}""");
            await ChangeAsync(provider, a[3], "withdraw", """{"date":"2026-02-20","trigger":"trainee","reasons":["got_a_job"],"safeguardingConcern":false}""");
            await ChangeAsync(provider, a[4], "defer", """{"date":"2025-12-01","reason":"Family"}""");
            await ChangeAsync(provider, a[4], "reinstate", """{"date":"2026-03-02"}""");

            var british = await this.CreateSchoolAsync(A);
            var state = await this.CreateSchoolAsync(A, Fixtures.School(s => s["schoolType"] = "local_state"));
            await this.AddPlacementAsync(A, a[0], Fixtures.Placement(british, p => { p["startDate"] = "2026-01-05"; p["endDate"] = "2026-03-27"; }));
            await this.AddPlacementAsync(A, a[1], Fixtures.Placement(state, p => { p["startDate"] = "2025-11-03"; p["endDate"] = "2026-01-09"; p["days"] = 40; }));
            await this.AwardTraineeAsync(A, a[6], awardedOn: "2026-02-27");
            await this.AwardTraineeAsync(B, b[1], awardedOn: "2026-03-13");

            Assert.Equal(HttpStatusCode.Created, (await provider.PutAsync("/api/v1/returns/2026-02", Requests.JsonBody(ReturnBody(40, 12, courses: ["PGCE International"])))).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await provider.PutAsync("/api/v1/returns/2026-03", Requests.JsonBody(ReturnBody(30, 7)))).StatusCode);
        }

        private async Task<List<Guid>> SeedAsync(string ukprn, params Action<JsonObject>[] changes)
        {
            var trainees = await this.SeedTraineesAsync(ukprn, changes.Length, (t, i) => changes[i](t));
            foreach (var t in trainees)
            {
                PersonalData.AddRange([t.FirstNames, t.LastName, t.Email]);
            }

            return trainees.Select(t => t.TraineeId).ToList();
        }

        private static async Task ChangeAsync(HttpClient client, Guid trainee, string action, string body) =>
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/trainees/{trainee}/{action}", Requests.JsonBody(body))).StatusCode);
    }

    public static string ReturnBody(int interest, int applications, string[]? courses = null) =>
        new JsonObject
        {
            ["expressionsOfInterest"] = interest,
            ["applications"] = applications,
            ["candidatesInterviewed"] = 8,
            ["placedOnReserveList"] = 1,
            ["offeredDeferredPlace"] = 1,
            ["offeredAlternativeCourse"] = courses?.Length ?? 0,
            ["alternativeCourses"] = new JsonArray([.. (courses ?? []).Select(c => (JsonNode)c)]),
            ["traineeFeedback"] = new JsonObject { ["responses"] = 10, ["positiveResponses"] = 9 },
            ["courseDevelopment"] = "Two new remote seminars on behaviour management.",
        }.ToJsonString();

    private static Dictionary<string, int> Counts(JsonElement list) =>
        list.EnumerateArray().ToDictionary(c => c.GetProperty("code").GetString()!, c => c.GetProperty("count").GetInt32());

    private static (int, int, int, int) Statuses(JsonElement figures)
    {
        var s = figures.GetProperty("traineesByStatus");
        return (s.GetProperty("registered").GetInt32(), s.GetProperty("deferred").GetInt32(), s.GetProperty("withdrawn").GetInt32(), s.GetProperty("awarded").GetInt32());
    }

    private static async Task<JsonElement> MonthlyAsync(HttpClient client, string month = "2026-02")
    {
        var response = await client.GetAsync($"/api/v1/reports/monthly?month={month}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    [Fact]
    public async Task The_monthly_report_gives_dfe_the_known_figures_of_every_provider_and_the_totals()
    {
        var report = await MonthlyAsync(await data.ClientForAsync("dfe"));
        Assert.Equal(("2026-02", "2026-02-28", "2026-03-15"),
            (report.GetProperty("month").GetString(), report.GetProperty("monthEnd").GetString(), report.GetProperty("returnsDueOn").GetString()));
        var providers = report.GetProperty("providers").EnumerateArray().ToDictionary(p => p.GetProperty("ukprn").GetString()!);
        Assert.Equal(new[] { data.A, data.B, data.C }.Order(), providers.Keys.Order());

        var a = providers[data.A].GetProperty("figures");
        Assert.Equal((2, 2, 1, 1), Statuses(a));
        Assert.Equal((4, 1, 1), (a.GetProperty("onProgramme").GetInt32(), a.GetProperty("starters").GetInt32(), a.GetProperty("awards").GetInt32()));
        Assert.Equal(2, a.GetProperty("hostCountries").GetProperty("count").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["IN"] = 3, ["AE"] = 1 }, Counts(a.GetProperty("hostCountries").GetProperty("countries")));
        var schoolTypes = Counts(a.GetProperty("schoolTypes"));
        Assert.Equal(6, schoolTypes.Count);
        Assert.Equal((1, 0), (schoolTypes["british_international"], schoolTypes["local_state"]));
        var breakdowns = a.GetProperty("breakdowns");
        Assert.Equal(new Dictionary<string, int> { ["IN"] = 3, ["PK"] = 1 }, Counts(breakdowns.GetProperty("countryOfBirth")));
        Assert.Equal(new Dictionary<string, int> { ["AE"] = 4 }, Counts(breakdowns.GetProperty("countryOfResidence")));
        Assert.Equal(new Dictionary<string, int> { ["2_to_4_years"] = 2, ["10_to_19_years"] = 1, ["not_recorded"] = 1 }, Counts(breakdowns.GetProperty("teachingExperience")));
        Assert.Equal(new Dictionary<string, int> { ["hi"] = 4 }, Counts(breakdowns.GetProperty("firstLanguage")));
        Assert.Equal(new Dictionary<string, int> { ["career_progression"] = 4 }, Counts(breakdowns.GetProperty("reasonForIqts")));

        var aReturn = providers[data.A].GetProperty("return");
        Assert.Equal(("late", 12, 0.9m), (aReturn.GetProperty("status").GetString(), aReturn.GetProperty("figures").GetProperty("applications").GetInt32(),
            aReturn.GetProperty("positiveFeedbackRate").GetDecimal()));
        Assert.Equal(["PGCE International"], aReturn.GetProperty("figures").GetProperty("alternativeCourses").EnumerateArray().Select(c => c.GetString()));

        var b = providers[data.B].GetProperty("figures");
        Assert.Equal((2, 0, 0, 0), Statuses(b));
        Assert.Equal((2, 0, 0), (b.GetProperty("onProgramme").GetInt32(), b.GetProperty("starters").GetInt32(), b.GetProperty("awards").GetInt32()));
        Assert.Equal(new Dictionary<string, int> { ["QA"] = 1, ["IN"] = 1 }, Counts(b.GetProperty("hostCountries").GetProperty("countries")));
        // b2's award placements: the second (January to April, a British international school) spans February.
        Assert.Equal(1, Counts(b.GetProperty("schoolTypes"))["british_international"]);
        Assert.Equal(("overdue", JsonValueKind.Null), (providers[data.B].GetProperty("return").GetProperty("status").GetString(),
            providers[data.B].GetProperty("return").GetProperty("figures").ValueKind));

        var c = providers[data.C];
        Assert.Equal((0, 0, 0, 0), Statuses(c.GetProperty("figures")));
        Assert.Equal(0, c.GetProperty("figures").GetProperty("hostCountries").GetProperty("count").GetInt32());
        Assert.Equal("overdue", c.GetProperty("return").GetProperty("status").GetString());

        var totals = report.GetProperty("totals");
        Assert.Equal(3, totals.GetProperty("providers").GetInt32());
        Assert.Equal((4, 2, 1, 1), Statuses(totals.GetProperty("figures")));
        Assert.Equal(new Dictionary<string, int> { ["IN"] = 4, ["AE"] = 1, ["QA"] = 1 }, Counts(totals.GetProperty("figures").GetProperty("hostCountries").GetProperty("countries")));
        var returns = totals.GetProperty("returns");
        Assert.Equal(new Dictionary<string, int> { ["on_time"] = 0, ["late"] = 1, ["overdue"] = 2, ["not_due"] = 0 }, Counts(returns.GetProperty("byStatus")));
        Assert.Equal((40, 12, 10, 9), (returns.GetProperty("expressionsOfInterest").GetInt32(), returns.GetProperty("applications").GetInt32(),
            returns.GetProperty("feedbackResponses").GetInt32(), returns.GetProperty("positiveFeedbackResponses").GetInt32()));
    }

    [Fact]
    public async Task A_month_whose_return_is_not_yet_due_and_one_returned_on_time_say_so()
    {
        var report = await MonthlyAsync(await data.ClientForAsync("dfe"), "2026-03");
        var statuses = report.GetProperty("providers").EnumerateArray()
            .ToDictionary(p => p.GetProperty("ukprn").GetString()!, p => p.GetProperty("return").GetProperty("status").GetString());
        Assert.Equal(("on_time", "not_due", "not_due"), (statuses[data.A], statuses[data.B], statuses[data.C]));
        // In March b2 is awarded, and a5 registered again.
        var providers = report.GetProperty("providers").EnumerateArray().ToDictionary(p => p.GetProperty("ukprn").GetString()!, p => p.GetProperty("figures"));
        Assert.Equal((3, 1, 1, 1), Statuses(providers[data.A]));
        Assert.Equal((1, 0, 0, 1), Statuses(providers[data.B]));
    }

    [Fact]
    public async Task A_provider_sees_only_its_own_figures_and_return()
    {
        var report = await MonthlyAsync(await data.ClientForAsync("provider", data.B));
        var only = Assert.Single(report.GetProperty("providers").EnumerateArray());
        Assert.Equal(data.B, only.GetProperty("ukprn").GetString());
        var totals = report.GetProperty("totals");
        Assert.Equal((1, (2, 0, 0, 0)), (totals.GetProperty("providers").GetInt32(), Statuses(totals.GetProperty("figures"))));
        Assert.Equal(0, totals.GetProperty("returns").GetProperty("applications").GetInt32());
        Assert.DoesNotContain(data.A, report.GetRawText(), StringComparison.Ordinal);

        var annual = await (await (await data.ClientForAsync("provider", data.B)).GetAsync("/api/v1/reports/annual?academicYear=2025")).ReadJsonAsync();
        Assert.Equal([data.B], annual.GetProperty("providers").EnumerateArray().Select(p => p.GetProperty("ukprn").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, (await (await data.ClientForAsync("tra")).GetAsync("/api/v1/reports/monthly?month=2026-02")).StatusCode);
    }

    [Fact]
    public async Task The_annual_candidate_data_adds_up_applications_starters_and_awards()
    {
        var report = await (await (await data.ClientForAsync("dfe")).GetAsync("/api/v1/reports/annual?academicYear=2025")).ReadJsonAsync();
        Assert.Equal(("2025-08-01", "2026-07-31"), (report.GetProperty("from").GetString(), report.GetProperty("to").GetString()));
        var providers = report.GetProperty("providers").EnumerateArray().ToDictionary(p => p.GetProperty("ukprn").GetString()!);
        static (int, int, int, int) Year(JsonElement p) => (p.GetProperty("applications").GetInt32(), p.GetProperty("starters").GetInt32(),
            p.GetProperty("awards").GetInt32(), p.GetProperty("returnsSubmitted").GetInt32());
        Assert.Equal((19, 7, 1, 2), Year(providers[data.A]));
        Assert.Equal((0, 2, 1, 0), Year(providers[data.B]));
        Assert.Equal((0, 0, 0, 0), Year(providers[data.C]));
        var totals = report.GetProperty("totals");
        Assert.Equal((3, 19, 9, 2), (totals.GetProperty("providers").GetInt32(), totals.GetProperty("applications").GetInt32(), totals.GetProperty("starters").GetInt32(),
            totals.GetProperty("awards").GetInt32()));

        // The year before holds nothing.
        var before = await (await (await data.ClientForAsync("dfe")).GetAsync("/api/v1/reports/annual?academicYear=2024")).ReadJsonAsync();
        Assert.Equal(0, before.GetProperty("totals").GetProperty("starters").GetInt32());
    }

    [Fact]
    public async Task The_reports_come_as_csv_with_a_header_row_that_parses_back_to_the_same_figures()
    {
        var dfe = await data.ClientForAsync("dfe");
        var json = await MonthlyAsync(dfe);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/reports/monthly?month=2026-02");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var response = await dfe.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var text = await response.Content.ReadAsStringAsync();

        using var csv = CsvReader.FromText(text, CsvReaderOptions.Default with { Separator = ',' });
        var rows = new List<(string Month, string Ukprn, string Measure, string Category, string Value)>();
        while (csv.Read())
        {
            rows.Add((csv.GetString("month"), csv.GetString("ukprn"), csv.GetString("measure"), csv.GetString("category"), csv.GetString("value")));
        }

        Assert.Equal(["month", "ukprn", "provider", "measure", "category", "value"], csv.Headers);
        Assert.All(rows, r => Assert.Equal("2026-02", r.Month));
        string Value(string ukprn, string measure, string category = "") => rows.Single(r => r.Ukprn == ukprn && r.Measure == measure && r.Category == category).Value;
        Assert.Equal(("2", "2", "1", "1"), (Value(data.A, "trainees_by_status", "registered"), Value(data.A, "trainees_by_status", "deferred"),
            Value(data.A, "trainees_by_status", "withdrawn"), Value(data.A, "trainees_by_status", "awarded")));
        Assert.Equal(("3", "1", "2"), (Value(data.A, "host_country", "IN"), Value(data.A, "host_country", "AE"), Value(data.A, "host_countries")));
        Assert.Equal(("1", "12", "0.9"), (Value(data.A, "return_status", "late"), Value(data.A, "applications"), Value(data.A, "positive_feedback_rate")));
        Assert.Equal("1", Value(data.A, "alternative_course", "PGCE International"));
        Assert.Equal(("1", "2"), (Value(data.A, "teaching_experience", "10_to_19_years"), Value(data.A, "teaching_experience", "2_to_4_years")));
        Assert.Equal(("4", "2", "1", "1"), (Value("total", "trainees_by_status", "registered"), Value("total", "trainees_by_status", "deferred"),
            Value("total", "trainees_by_status", "withdrawn"), Value("total", "trainees_by_status", "awarded")));
        Assert.Equal(("2", "1"), (Value("total", "return_status", "overdue"), Value("total", "return_status", "late")));
        Assert.Equal("overdue", rows.Single(r => r.Ukprn == data.C && r.Measure == "return_status").Category);

        // Every count of the JSON is in the CSV: the host countries and the breakdowns, provider by provider.
        foreach (var provider in json.GetProperty("providers").EnumerateArray())
        {
            var ukprn = provider.GetProperty("ukprn").GetString()!;
            var figures = provider.GetProperty("figures");
            foreach (var (measure, list) in new[] { ("host_country", figures.GetProperty("hostCountries").GetProperty("countries")), ("school_type", figures.GetProperty("schoolTypes")),
                ("country_of_birth", figures.GetProperty("breakdowns").GetProperty("countryOfBirth")), ("first_language", figures.GetProperty("breakdowns").GetProperty("firstLanguage")) })
            {
                Assert.Equal(Counts(list).OrderBy(c => c.Key).Select(c => (c.Key, c.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))),
                    rows.Where(r => r.Ukprn == ukprn && r.Measure == measure).Select(r => (r.Category, r.Value)).OrderBy(c => c.Category));
            }
        }

        using var annualRequest = new HttpRequestMessage(HttpMethod.Get, "/api/v1/reports/annual?academicYear=2025");
        annualRequest.Headers.Accept.ParseAdd("application/json;q=0.5, text/csv");
        var annual = await (await dfe.SendAsync(annualRequest)).Content.ReadAsStringAsync();
        using var annualCsv = CsvReader.FromText(annual, CsvReaderOptions.Default with { Separator = ',' });
        var annualRows = new Dictionary<string, (string Applications, string Starters, string Awards)>();
        while (annualCsv.Read())
        {
            annualRows[annualCsv.GetString("ukprn")] = (annualCsv.GetString("applications"), annualCsv.GetString("starters"), annualCsv.GetString("awards"));
        }

        Assert.Equal(["academic_year", "ukprn", "provider", "applications", "starters", "awards", "returns_submitted"], annualCsv.Headers);
        Assert.Equal([("19", "7", "1"), ("0", "2", "1"), ("19", "9", "2")], new[] { annualRows[data.A], annualRows[data.B], annualRows["total"] });

        // JSON is preferred when the client says so, and is the default.
        using var prefersJson = new HttpRequestMessage(HttpMethod.Get, "/api/v1/reports/annual?academicYear=2025");
        prefersJson.Headers.Accept.ParseAdd("text/csv;q=0.4, application/json");
        Assert.Equal("application/json", (await dfe.SendAsync(prefersJson)).Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task No_report_holds_personal_data_in_json_or_csv()
    {
        var dfe = await data.ClientForAsync("dfe");
        var texts = new List<string>();
        foreach (var path in new[] { "/api/v1/reports/monthly?month=2026-02", "/api/v1/reports/monthly?month=2026-03", "/api/v1/reports/annual?academicYear=2025" })
        {
            foreach (var accept in new[] { "application/json", "text/csv" })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Headers.Accept.ParseAdd(accept);
                var response = await dfe.SendAsync(request);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                texts.Add(await response.Content.ReadAsStringAsync());
            }
        }

        Assert.True(data.PersonalData.Count > 30);
        foreach (var value in data.PersonalData)
        {
            Assert.All(texts, t => Assert.DoesNotContain(value, t, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Theory]
    [InlineData("/api/v1/reports/monthly", "month")]
    [InlineData("/api/v1/reports/monthly?month=2026-13", "month")]
    [InlineData("/api/v1/reports/monthly?month=2026-2", "month")]
    [InlineData("/api/v1/reports/monthly?month=2026-04", "month")]
    [InlineData("/api/v1/reports/monthly?month=2020-12", "month")]
    [InlineData("/api/v1/reports/annual", "academicYear")]
    [InlineData("/api/v1/reports/annual?academicYear=twenty", "academicYear")]
    [InlineData("/api/v1/reports/annual?academicYear=2026", "academicYear")]
    public async Task A_month_or_year_that_is_not_one_or_still_to_come_is_refused_naming_it(string path, string field)
    {
        var problem = await (await (await data.ClientForAsync("dfe")).GetAsync(path)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        Assert.Equal([field], problem.ErrorFields());
    }

    [Fact]
    public async Task The_sdk_reads_both_reports()
    {
        var sdk = data.Sdk(await data.TokenAsync("dfe"));
        var monthly = await sdk.GetMonthlyReportAsync("2026-02");
        Assert.Equal(3, monthly.Totals.Providers);
        Assert.Equal(Iqts.Client.ReturnStatus.Late, monthly.Providers.Single(p => p.Ukprn == data.A).Return.Status);
        var annual = await sdk.GetAnnualReportAsync("2025");
        Assert.Equal(19, annual.Totals.Applications);
        await SdkFixtures.ProblemAsync(() => sdk.GetMonthlyReportAsync("June"), 400, "validation.failed");
    }
}
