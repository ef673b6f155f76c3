using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Iqts.Api.Assessments;
using Iqts.Api.Audit;
using Iqts.Api.Awards;
using Iqts.Api.Data;
using Iqts.Api.Eligibility;
using Iqts.Api.Errors;
using Iqts.Api.Http;
using Iqts.Api.Placements;
using Iqts.Api.Quality;
using Iqts.Api.Tokens;
using Iqts.Api.Trainees;
using Iqts.Api.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Iqts.Api.Tests.Infrastructure;

/// <summary>
/// The builders of valid requests, one per resource, so a test states only what it changes. Each builds the JSON a
/// client sends; <see cref="As{T}"/> reads it as the SDK's model or the API's own, so raw-HTTP tests, SDK tests and
/// rule tests start from the same trainee.
/// </summary>
public static class Fixtures
{
    private static int _ukprn = 10_200_000;
    private static int _trainee;

    public static string NewUkprn() => Interlocked.Increment(ref _ukprn).ToString(CultureInfo.InvariantCulture);

    public static string NewProviderTraineeId() => "SRS-" + Interlocked.Increment(ref _trainee).ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>A valid trainee: a secondary maths trainee in India starting in September 2025.</summary>
    public static JsonObject Trainee(string? providerTraineeId = null, Action<JsonObject>? change = null)
    {
        var id = providerTraineeId ?? NewProviderTraineeId();
        var body = new JsonObject
        {
            ["providerTraineeId"] = id,
            ["firstNames"] = "Asha " + id,
            ["lastName"] = "Verma",
            ["previousLastName"] = "Rao",
            ["dateOfBirth"] = "1994-05-17",
            ["email"] = $"asha.{id.ToLowerInvariant()}@example.org",
            ["sex"] = "female",
            ["nationality"] = "IN",
            ["trainingCountry"] = "IN",
            ["countryOfBirth"] = "IN",
            ["countryOfResidence"] = "AE",
            ["firstLanguage"] = "hi",
            ["teachingLanguage"] = "en",
            ["yearsOfTeachingExperience"] = 4,
            ["reasonForIqts"] = "career_progression",
            ["highestQualificationLevel"] = "masters_degree",
            ["ageRange"] = "11-19",
            ["subjects"] = new JsonArray("100403"),
            ["studyMode"] = "part_time",
            ["startDate"] = "2025-09-01",
            ["expectedEndDate"] = "2026-07-31",
        };
        change?.Invoke(body);
        return body;
    }

    /// <summary>A valid provider: graded 1 (3 when not approved), inspected in January 2024.</summary>
    public static JsonObject Provider(string? ukprn = null, string status = "approved", bool mayExceedCap = false, Action<JsonObject>? change = null)
    {
        ukprn ??= NewUkprn();
        var body = new JsonObject
        {
            ["ukprn"] = ukprn,
            ["name"] = "Provider " + ukprn,
            ["approvalStatus"] = status,
            ["inspectionGrade"] = status == "approved" ? 1 : 3,
            ["inspectionDate"] = "2024-01-10",
            ["mayExceedTraineeCap"] = mayExceedCap,
        };
        change?.Invoke(body);
        return body;
    }

    /// <summary>
    /// A qualification that meets its criterion: <c>gcse_maths</c> or <c>gcse_science</c> (a UK GCSE at grade 5),
    /// <c>degree</c> (a UK BA, taught in English) or <c>english_language</c> (IELTS 7.0).
    /// </summary>
    /// <summary>DfE suspends a provider at once (the most serious case), as of the test clock's date.</summary>
    public static JsonObject Suspension() => JsonNode.Parse("""
        {"approvalStatus":"suspended","step":"serious_non_compliance","reason":"Serious non-compliance.","effectiveOn":"2026-03-16"}
        """)!.AsObject();

    public static JsonObject Qualification(string kind = "degree", Action<JsonObject>? change = null)
    {
        var body = kind switch
        {
            "gcse_maths" or "gcse_science" => new JsonObject
            {
                ["kind"] = kind,
                ["gcse"] = new JsonObject { ["evidence"] = "uk_gcse", ["grade"] = "5", ["country"] = "XF", ["year"] = 2010 },
            },
            "degree" => new JsonObject
            {
                ["kind"] = "degree",
                ["degree"] = new JsonObject
                {
                    ["origin"] = "uk", ["degreeType"] = "051", ["subject"] = "100104", ["institution"] = "University of Example",
                    ["graduationYear"] = 2016, ["grade"] = "02", ["taughtInEnglish"] = true,
                },
            },
            "english_language" => new JsonObject
            {
                ["kind"] = "english_language",
                ["englishLanguage"] = new JsonObject { ["evidence"] = "ielts", ["overallBand"] = 7.0, ["takenOn"] = "2024-11-02" },
            },
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a qualification kind."),
        };
        change?.Invoke(body);
        return body;
    }

    /// <summary>Every C1.4 check passed in 2025 (or with another outcome for the named ones).</summary>
    public static JsonObject SuitabilityChecks(Action<JsonObject>? change = null)
    {
        var body = new JsonObject();
        foreach (var check in new[] { "interview", "identity", "employmentHistory", "icpc", "localCriminalRecord", "employerReference1", "employerReference2", "healthAndCapacity" })
        {
            body[check] = new JsonObject { ["outcome"] = "passed", ["date"] = "2025-06-02" };
        }

        change?.Invoke(body);
        return body;
    }

    /// <summary>An applicant with the evidence of an eligible secondary trainee (C1.1–C1.4 all met).</summary>
    public static JsonObject Applicant(Action<JsonObject>? change = null)
    {
        var body = new JsonObject
        {
            ["ageRange"] = "11-19",
            ["qualifications"] = new JsonArray(Qualification("gcse_maths"), Qualification("degree"), Qualification("english_language")),
            ["suitabilityChecks"] = SuitabilityChecks(),
        };
        change?.Invoke(body);
        return body;
    }

    private static readonly string[] AllPartnershipItems =
        ["quality_assurance", "programme_content", "safeguarding_checks", "equality_of_opportunity", "partnership_management", "trainee_workload", "trainee_wellbeing", "mentor_training"];

    /// <summary>A placement school in Dubai, risk-assessed suitable in January 2025, with an agreement covering all of C3.2 v.</summary>
    public static JsonObject School(Action<JsonObject>? change = null)
    {
        var body = new JsonObject
        {
            ["name"] = "Jumeirah British School " + Interlocked.Increment(ref _trainee),
            ["country"] = "AE",
            ["city"] = "Dubai",
            ["schoolType"] = "british_international",
            ["riskAssessment"] = new JsonObject
            {
                ["assessedOn"] = "2025-01-10", ["safeguarding"] = true, ["supportStructures"] = true, ["mentorSupport"] = true, ["mentorWillingToTrain"] = true,
                ["outcome"] = "suitable",
            },
            ["partnershipAgreement"] = new JsonObject
            {
                ["signedOn"] = "2025-01-15", ["signedByProvider"] = "Director of ITT", ["signedBySchool"] = "Principal",
                ["covers"] = new JsonArray([.. AllPartnershipItems.Select(i => (JsonNode)i)]),
            },
        };
        change?.Invoke(body);
        return body;
    }

    /// <summary>A placement of 60 days from 15 September to 19 December 2025, with a mentor trained on 1 September.</summary>
    public static JsonObject Placement(string schoolId, Action<JsonObject>? change = null)
    {
        var body = new JsonObject
        {
            ["schoolId"] = schoolId,
            ["startDate"] = "2025-09-15",
            ["endDate"] = "2025-12-19",
            ["days"] = 60,
            ["mentor"] = new JsonObject { ["name"] = "Fatima Al Mansoori", ["trainingCompletedOn"] = "2025-09-01" },
        };
        change?.Invoke(body);
        return body;
    }

    /// <summary>A plan of 120 days, with a second school planned.</summary>
    public static JsonObject PlacementPlan(Action<JsonObject>? change = null)
    {
        var body = new JsonObject
        {
            ["requiredDays"] = 120,
            ["reason"] = "Four years of teaching experience; the standard minimum suffices.",
            ["secondSchool"] = new JsonObject { ["status"] = "planned" },
        };
        change?.Invoke(body);
        return body;
    }

    private static readonly string[] Standards = ["ts1", "ts2", "ts3", "ts4", "ts5", "ts6", "ts7", "ts8", "part_two"];

    /// <summary>
    /// A final assessment of 1 June 2026 that judges every standard met, internally moderated, with English and mathematics
    /// assured: what the award needs (C2.5 i, C2.1 v, C3.4).
    /// </summary>
    public static JsonObject Assessment(Action<JsonObject>? change = null)
    {
        var body = new JsonObject
        {
            ["assessedOn"] = "2026-03-02",
            ["stage"] = "final",
            ["assessor"] = new JsonObject { ["role"] = "provider_tutor", ["name"] = "Dr Helen Okafor" },
            ["judgements"] = new JsonArray([.. Standards.Select(s => (JsonNode)new JsonObject { ["standard"] = s, ["outcome"] = "met" })]),
            ["moderation"] = new JsonObject { ["kind"] = "internal", ["moderatedOn"] = "2026-03-09" },
            ["englishAssured"] = true,
            ["mathsAssured"] = true,
        };
        change?.Invoke(body);
        return body;
    }

    /// <summary>The builder's JSON as a model: the SDK's (<c>Iqts.Client.*</c>) or the API's own.</summary>
    public static T As<T>(this JsonObject body) => body.Deserialize<T>(Json.Options)!;

    public static async Task<string> CreateProviderAsync(this ApiFactory api, string? ukprn = null, string status = "approved", bool mayExceedCap = false)
    {
        var body = Provider(ukprn, status, mayExceedCap);
        var dfe = await api.ClientForAsync("dfe");
        var response = await dfe.PostJsonAsync("/api/v1/providers", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return body["ukprn"]!.GetValue<string>();
    }

    private static readonly Actor Seed = new(Guid.Empty, "seed");

    public static T Operation<T>(this ApiFactory api)
        where T : notnull => api.Services.GetRequiredService<T>();

    /// <summary>The value of an operation a test needs as a precondition; its refusal fails the test with the problem.</summary>
    private static T Done<T>(Outcome<T> outcome) =>
        outcome.Failed ? throw new Xunit.Sdk.XunitException($"A precondition was refused: {outcome.Error.Code}: {outcome.Error.Detail} "
            + System.Text.Json.JsonSerializer.Serialize(outcome.Error.Errors)) : outcome.Value;

    /// <summary>
    /// Trainees a test needs as a precondition, registered through the same operation as <c>POST /trainees</c> (its rules and
    /// transaction, without an HTTP call each). <paramref name="change"/> gets the builder's JSON and the trainee's index.
    /// </summary>
    public static async Task<IReadOnlyList<Trainee>> SeedTraineesAsync(this ApiFactory api, string ukprn, int count, Action<JsonObject, int>? change = null)
    {
        var register = api.Operation<RegisterTrainee>();
        var created = new List<Trainee>();
        for (var i = 0; i < count; i++)
        {
            var body = Trainee(change: b => change?.Invoke(b, i));
            created.Add(Done(await register.RunAsync(ukprn, body.As<TraineeRegistration>(), confirmNotDuplicate: true, Seed, CancellationToken.None)));
        }

        return created;
    }

    /// <summary>A school of the provider's added through the operation (a precondition); returns its id.</summary>
    public static async Task<string> CreateSchoolAsync(this ApiFactory api, string ukprn, JsonObject? school = null) =>
        Done(await api.Operation<CreateSchool>().RunAsync(ukprn, (school ?? School()).As<SchoolDetails>(), CancellationToken.None)).SchoolId.ToString();

    /// <summary>
    /// Makes <paramref name="trainee"/> meet every award rule, its preconditions written through the operations;
    /// <paramref name="fail"/> names the one rule to break instead ("status" is the caller's: it defers the trainee).
    /// </summary>
    public static async Task PrepareForAwardAsync(this ApiFactory api, string ukprn, Guid trainee, string? fail = null, (string First, string Second)? schools = null,
        bool endingInFebruary = false)
    {
        await api.AddQualificationAsync(ukprn, trainee, Qualification("gcse_maths", q => { if (fail == "C1.1") { q["gcse"]!["grade"] = "3"; } }));
        await api.AddQualificationAsync(ukprn, trainee, Qualification("degree", q =>
        {
            if (fail == "C1.2") { q["degree"]!["degreeType"] = "foundation_degree"; }
            if (fail == "C1.3") { q["degree"]!["taughtInEnglish"] = false; }
        }));
        await api.AddQualificationAsync(ukprn, trainee, Qualification("english_language", q => { if (fail == "C1.3") { q["englishLanguage"]!["overallBand"] = 6.0; } }));
        var checks = SuitabilityChecks(c => { if (fail == "C1.4") { c["identity"]!["outcome"] = "failed"; } }).As<SuitabilityChecks>();
        Done(await api.Operation<PutSuitabilityChecks>().RunAsync(ukprn, trainee, VersionCheck.Any, checks, Seed, CancellationToken.None));

        // Schools may be shared by a provider's trainees; a rule about the school itself gets a school of its own.
        var first = schools is { } shared && fail is not ("C3.2" or "C2.4 v") ? shared.First : await api.CreateSchoolAsync(ukprn, School(s =>
        {
            if (fail == "C3.2") { s["partnershipAgreement"]!["signedOn"] = "2025-09-20"; }
        }));
        var second = fail == "C2.4 iii–iv" ? first : schools?.Second ?? await api.CreateSchoolAsync(ukprn);
        // 70 + 50 days, the second ending on 13 March 2026: the award (on or after the end of every placement and the final
        // assessment) can be dated then, three days before the fake clock's today. Ending in February: 80 + 40 days, the
        // second and the final assessment ending on 27 February.
        await api.AddPlacementAsync(ukprn, trainee, Placement(first, p =>
        {
            p["startDate"] = endingInFebruary ? "2025-09-01" : "2025-09-15";
            p["days"] = endingInFebruary ? 80 : 70;
            if (fail == "C2.2") { p["mentor"]!["trainingCompletedOn"] = "2025-10-01"; }
        }));
        await api.AddPlacementAsync(ukprn, trainee, Placement(second, p =>
        {
            p["startDate"] = "2026-01-05";
            p["endDate"] = endingInFebruary ? "2026-02-27" : "2026-03-13";
            p["days"] = (endingInFebruary ? 40 : 50) - (fail == "C2.4 i" ? 1 : 0);
        }));
        var plan = PlacementPlan(p => { if (fail == "C2.4 ii") { p["requiredDays"] = 130; } }).As<PlacementPlan>();
        Done(await api.Operation<PutPlacementPlan>().RunAsync(ukprn, trainee, VersionCheck.Any, plan, Seed, CancellationToken.None));
        if (fail == "C2.4 v")
        {
            // The school is found unsuitable after the placements were made: they stay, and C2.4 v is not met.
            var unsuitable = new JsonObject { ["riskAssessment"] = new JsonObject { ["mentorSupport"] = false, ["outcome"] = "unsuitable" } };
            Done(await api.Operation<UpdateSchool>().RunAsync(ukprn, Guid.Parse(first), VersionCheck.Any, unsuitable, CancellationToken.None));
        }

        var final = await api.RecordAssessmentAsync(ukprn, trainee, Assessment(a =>
        {
            if (endingInFebruary) { a["assessedOn"] = "2026-02-27"; }
            if (fail == "C2.5 i") { a["judgements"]![2]!["outcome"] = "not_yet_met"; }
            if (fail == "C2.1 v") { a["mathsAssured"] = false; }
            if (fail == "C3.4") { a["moderation"] = new JsonObject { ["kind"] = "none" }; }
        }));
        if (fail != "C3.4")
        {
            await api.ModerateAsync(ukprn, first, (trainee, final));
        }
    }

    /// <summary>
    /// An internal moderation exercise (C3.4) by two new moderators, of the provider and of <paramref name="school"/>,
    /// agreeing with each of <paramref name="sample"/>'s assessments; through the operations. Returns its id.
    /// </summary>
    public static async Task<Guid> ModerateAsync(this ApiFactory api, string ukprn, string school, params (Guid Trainee, string? Assessment)[] sample)
    {
        var add = api.Operation<AddModerator>();
        var fromProvider = Done(await add.RunAsync(ukprn, Moderator().As<ModeratorDetails>(), Seed, CancellationToken.None));
        var fromSchool = Done(await add.RunAsync(ukprn, Moderator(school).As<ModeratorDetails>(), Seed, CancellationToken.None));
        var exercise = Moderation([fromProvider.ModeratorId.ToString(), fromSchool.ModeratorId.ToString()],
            sample.Select(s => s.Assessment is null ? SampledTrainee(s.Trainee.ToString(), "representative")
                : SampledTrainee(s.Trainee.ToString(), "representative", (s.Assessment, "agreed"))).ToArray());
        return Done(await api.Operation<RecordModeration>().RunAsync(ukprn, exercise.As<ModerationExerciseDetails>(), Seed, CancellationToken.None)).ModerationId;
    }

    /// <summary>A mentor at <paramref name="school"/>, assessed, pre-trained and trained in summer 2025, through the operation; its id.</summary>
    public static async Task<string> AddMentorAsync(this ApiFactory api, string ukprn, string school) =>
        Done(await api.Operation<AddMentor>().RunAsync(ukprn, SchoolMentor(school).As<SchoolMentorDetails>(), Seed, CancellationToken.None)).MentorId.ToString();

    /// <summary>A one-to-one meeting with the mentor on 10 October 2025, through the operation; its id.</summary>
    public static async Task<string> RecordMentorMeetingAsync(this ApiFactory api, string ukprn, string mentor) =>
        Done(await api.Operation<RecordMentorMeeting>().RunAsync(ukprn, Guid.Parse(mentor), new MentorMeetingRequest(new DateOnly(2025, 10, 10), []), Seed,
            CancellationToken.None)).MeetingId.ToString();

    /// <summary>A mentor at <paramref name="school"/>, assessed, pre-trained and trained before 15 September 2025.</summary>
    public static JsonObject SchoolMentor(string school, string name = "Fatima Al Mansoori") => new()
    {
        ["schoolId"] = school, ["name"] = name, ["needsAssessedOn"] = "2025-06-20", ["standardsPretrainingOn"] = "2025-07-04",
        ["frameworkPretrainingOn"] = "2025-07-11", ["trainingCompletedOn"] = "2025-09-01",
    };

    /// <summary>An internal moderator of the provider, or of <paramref name="school"/>.</summary>
    public static JsonObject Moderator(string? school = null) => school is null
        ? new JsonObject { ["kind"] = "internal", ["name"] = "A. Moderator", ["partner"] = "provider", ["role"] = "Programme lead" }
        : new JsonObject { ["kind"] = "internal", ["name"] = "B. Moderator", ["partner"] = "school", ["schoolId"] = school, ["role"] = "Head of English" };

    /// <summary>An external moderator, appointed and declared independent.</summary>
    public static JsonObject ExternalModerator() => new()
    {
        ["kind"] = "external", ["name"] = "Prof. C. Moderator", ["institution"] = "University of Elsewhere", ["expertise"] = "ITT assessment.",
        ["appointedOn"] = "2025-09-01", ["noRelationshipDeclaredOn"] = "2025-08-20",
    };

    /// <summary>A sampled trainee with one reason and its assessments' outcomes.</summary>
    public static JsonObject SampledTrainee(string trainee, string reason, params (string Assessment, string Outcome)[] outcomes) => new()
    {
        ["traineeId"] = trainee,
        ["reasons"] = new JsonArray(reason),
        ["assessments"] = new JsonArray([.. outcomes.Select(o => (JsonNode)new JsonObject { ["assessmentId"] = o.Assessment, ["outcome"] = o.Outcome })]),
    };

    /// <summary>A moderation exercise of 9 March 2026: internal unless <paramref name="kind"/> says otherwise.</summary>
    public static JsonObject Moderation(string[] moderators, JsonObject[] sample, string kind = "internal") => new()
    {
        ["kind"] = kind,
        ["heldOn"] = "2026-03-09",
        ["moderatorIds"] = new JsonArray([.. moderators.Select(m => (JsonNode)m)]),
        ["sample"] = new JsonArray([.. sample.Select(s => s.DeepClone())]),
    };

    /// <summary>A trainee made ready (<see cref="PrepareForAwardAsync"/>) and awarded through the operation; returns the award's id.</summary>
    public static async Task<Guid> AwardTraineeAsync(this ApiFactory api, string ukprn, Guid trainee, (string First, string Second)? schools = null, string awardedOn = "2026-03-13")
    {
        await api.PrepareForAwardAsync(ukprn, trainee, schools: schools, endingInFebruary: string.CompareOrdinal(awardedOn, "2026-03-13") < 0);
        return Done(await api.Operation<AwardIqts>().RunAsync(ukprn, trainee, DateOnly.Parse(awardedOn, CultureInfo.InvariantCulture), Seed, CancellationToken.None)).Id;
    }

    /// <summary>A placement added through the operation (a precondition, its rules applied); returns its id.</summary>
    public static async Task<string> AddPlacementAsync(this ApiFactory api, string ukprn, Guid traineeId, JsonObject placement) =>
        Done(await api.Operation<AddPlacement>().RunAsync(ukprn, traineeId, placement.As<PlacementDetails>(), Seed, CancellationToken.None)).PlacementId.ToString();

    /// <summary>An assessment recorded through the operation (a precondition, its rules applied); returns its id.</summary>
    public static async Task<string> RecordAssessmentAsync(this ApiFactory api, string ukprn, Guid traineeId, JsonObject assessment) =>
        Done(await api.Operation<RecordAssessment>().RunAsync(ukprn, traineeId, assessment.As<AssessmentRequest>(), Seed, CancellationToken.None)).AssessmentId.ToString();

    /// <summary>A qualification added through the operation (a precondition, its rules applied: nothing the API would refuse); returns its id.</summary>
    public static async Task<string> AddQualificationAsync(this ApiFactory api, string ukprn, Guid traineeId, JsonObject qualification) =>
        Done(await api.Operation<AddQualification>().RunAsync(ukprn, traineeId, qualification.As<QualificationRequest>(), Seed, CancellationToken.None)).QualificationId.ToString();

    /// <summary>
    /// A webhook subscription of <paramref name="stream"/> written straight to its table (no limit of ten, no address
    /// check: a precondition, not the use case); its id.
    /// </summary>
    public static async Task<Guid> SubscriptionAsync(this ApiFactory api, string stream, string url = "http://127.0.0.1:9/hook", IReadOnlyList<string>? types = null,
        SubscriptionState state = SubscriptionState.Active)
    {
        var now = api.Clock.GetUtcNow();
        var subscription = new Subscription { Id = Guid.CreateVersion7(now), Stream = stream, Url = url, Types = types ?? [], State = state, CreatedAt = now, UpdatedAt = now, RowVersion = 1 };
        await using var work = await UnitOfWork.BeginWriteAsync(api.Db, CancellationToken.None);
        await SubscriptionRepository.InsertAsync(work, subscription, CancellationToken.None);
        await work.CommitAsync(CancellationToken.None);
        return subscription.Id;
    }

    /// <summary>A ping queued to the subscription through the operation; the delivery's id.</summary>
    public static async Task<string> PingAsync(this ApiFactory api, string stream, Guid subscription) =>
        Done(await api.Operation<ManageSubscription>().PingAsync(stream, subscription, CancellationToken.None)).Id.ToString();

    /// <summary>A client for a new, approved provider.</summary>
    private static int _inspectorates;

    /// <summary>A DfE-approved inspectorate (1 September 2025 to 31 August 2028), registered through the API; its id.</summary>
    public static async Task<string> CreateInspectorateAsync(this ApiFactory api)
    {
        var name = $"Inspectorate {Interlocked.Increment(ref _inspectorates)} {Guid.NewGuid():N}";
        var response = await (await api.ClientForAsync("dfe")).PostJsonAsync("/api/v1/inspectorates",
            new JsonObject { ["name"] = name, ["approvedFrom"] = "2025-09-01", ["approvedTo"] = "2028-08-31" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("inspectorateId").GetString()!;
    }

    /// <summary>An inspectorate token for <paramref name="inspectorateId"/>, as <c>tokens create --role inspectorate</c> makes one.</summary>
    public static async Task<HttpClient> InspectorClientAsync(this ApiFactory api, string inspectorateId)
    {
        var (_, secret) = await api.Services.GetRequiredService<TokenIssuer>()
            .CreateAsync("inspectorate", null, "Inspection team", null, CancellationToken.None, Guid.Parse(inspectorateId));
        return api.ClientWith(secret);
    }

    /// <summary>DfE allocates the provider an inspection in <paramref name="term"/> by a new inspectorate; its id, and a client of that inspectorate.</summary>
    public static async Task<(string InspectionId, HttpClient Inspector)> BookInspectionAsync(this ApiFactory api, string ukprn, string term)
    {
        var inspectorate = await api.CreateInspectorateAsync();
        var response = await (await api.ClientForAsync("dfe")).PostJsonAsync("/api/v1/inspections",
            new JsonObject { ["ukprn"] = ukprn, ["inspectorateId"] = inspectorate, ["term"] = term });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return ((await response.ReadJsonAsync()).GetProperty("inspectionId").GetString()!, await api.InspectorClientAsync(inspectorate));
    }

    /// <summary>The provider notifies DfE of a new accounting officer; the change's id.</summary>
    public static async Task<string> NotifyGovernanceChangeAsync(this ApiFactory api, string ukprn)
    {
        var response = await (await api.ClientForAsync("provider", ukprn)).PostJsonAsync("/api/v1/providers/me/governance-changes",
            new JsonObject { ["kind"] = "accounting_officer", ["effectiveOn"] = "2026-03-01", ["description"] = "A new accounting officer." });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("governanceChangeId").GetString()!;
    }

    /// <summary>An internal moderator of the provider's own staff; its id.</summary>
    public static async Task<string> AddModeratorAsync(this ApiFactory api, string ukprn)
    {
        var response = await (await api.ClientForAsync("provider", ukprn)).PostJsonAsync("/api/v1/moderators",
            new JsonObject { ["kind"] = "internal", ["name"] = "A. Moderator", ["partner"] = "provider", ["role"] = "Programme lead" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("moderatorId").GetString()!;
    }

    /// <summary>DfE's feedback recorded as an evaluation with no actions; its id.</summary>
    public static async Task<string> RecordEvaluationAsync(this ApiFactory api, string ukprn)
    {
        var response = await (await api.ClientForAsync("provider", ukprn)).PostJsonAsync("/api/v1/evaluations",
            new JsonObject { ["source"] = "dfe", ["periodFrom"] = "2025-09-01", ["periodTo"] = "2026-01-31", ["findings"] = "DfE's feedback on the first term." });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("evaluationId").GetString()!;
    }

    public static async Task<HttpClient> NewProviderClientAsync(this ApiFactory api) =>
        await api.ClientForAsync("provider", await api.CreateProviderAsync());

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, JsonNode body) =>
        client.PostAsync(path, Requests.JsonBody(body.ToJsonString()));

    public static async Task<JsonElement> CreateTraineeAsync(this HttpClient client, JsonObject? body = null)
    {
        var response = await client.PostJsonAsync("/api/v1/trainees", body ?? Trainee());
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create failed: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    public static HttpRequestMessage Patch(string path, string json, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, path) { Content = Requests.JsonBody(json, "application/merge-patch+json") };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return request;
    }

    public static string Id(this JsonElement trainee) => trainee.GetProperty("traineeId").GetString()!;
}
