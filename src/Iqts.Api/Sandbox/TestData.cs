using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Iqts.Api.Assessments;
using Iqts.Api.Quality;
using Iqts.Api.Bulk;
using Iqts.Api.Placements;

namespace Iqts.Api.Sandbox;

/// <summary>
/// Made-up trainees, realistic enough to build against: names, dates of birth, countries and courses vary with the index;
/// every value is one the API accepts, and the evidence is written as a client would send it (JSON read by the API's own
/// options). The seed command and the sandbox's <c>POST /test-data/generate</c> both use it.
/// </summary>
public static class TestData
{
    private static readonly string[] FirstNames = ["Ananya", "Wei", "Chidi", "Lucía", "Aisha", "Mateus", "Mei Ling", "Thabo", "Priya", "Omar", "Nur", "Daniela"];
    private static readonly string[] LastNames = ["Rao", "Tan", "Okafor", "García", "Khan", "Silva", "Lim", "Nkosi", "Iyer", "Haddad", "Abdullah", "Costa"];
    private static readonly string[] Countries = ["IN", "AE", "NG", "ES", "MY", "CN", "ZA", "BR"];
    private static readonly string[] Standards = ["ts1", "ts2", "ts3", "ts4", "ts5", "ts6", "ts7", "ts8", "part_two"];

    /// <summary>Trainee <paramref name="i"/> (its key <paramref name="key"/>) starting on <paramref name="start"/>; with evidence when schools are given.</summary>
    public static CreateTraineeRequest Trainee(int i, string key, DateOnly start, IReadOnlyList<Guid>? schools = null)
    {
        var body = new JsonObject
        {
            ["providerTraineeId"] = key,
            ["firstNames"] = FirstNames[i % FirstNames.Length],
            ["lastName"] = LastNames[(i / FirstNames.Length) % LastNames.Length] + (i >= 144 ? string.Create(CultureInfo.InvariantCulture, $"-{i / 144}") : ""),
            ["dateOfBirth"] = Date(new DateOnly(1975, 1, 1).AddDays(i * 37 % 7300)),
            ["email"] = key.ToLowerInvariant() + "@example.org",
            ["sex"] = (i % 3) switch { 0 => "female", 1 => "male", _ => "prefer_not_to_say" },
            ["nationality"] = Countries[i % Countries.Length],
            ["trainingCountry"] = Countries[(i + 1) % Countries.Length],
            ["firstLanguage"] = "en",
            ["teachingLanguage"] = "en",
            ["yearsOfTeachingExperience"] = i % 15,
            ["reasonForIqts"] = "career_progression",
            ["highestQualificationLevel"] = "bachelors_degree",
            ["ageRange"] = "11-19",
            ["subjects"] = new JsonArray("100403"),
            ["studyMode"] = i % 4 == 0 ? "part_time" : "full_time",
            ["startDate"] = Date(start),
            ["expectedEndDate"] = Date(start.AddMonths(11)),
        };
        if (schools is { Count: >= 2 })
        {
            body["qualifications"] = new JsonArray(
                new JsonObject { ["kind"] = "gcse_maths", ["gcse"] = new JsonObject { ["evidence"] = "uk_gcse", ["grade"] = "6", ["country"] = "XF", ["year"] = 2008 } },
                new JsonObject
                {
                    ["kind"] = "degree",
                    ["degree"] = new JsonObject
                    {
                        ["origin"] = "uk", ["degreeType"] = "051", ["subject"] = "100104", ["institution"] = "University of Example",
                        ["graduationYear"] = 2014, ["grade"] = "02", ["taughtInEnglish"] = true,
                    },
                },
                new JsonObject { ["kind"] = "english_language", ["englishLanguage"] = new JsonObject { ["evidence"] = "ielts", ["overallBand"] = 7.5, ["takenOn"] = Date(start.AddMonths(-6)) } });
            var checks = new JsonObject();
            foreach (var check in new[] { "interview", "identity", "employmentHistory", "icpc", "localCriminalRecord", "employerReference1", "employerReference2", "healthAndCapacity" })
            {
                checks[check] = new JsonObject { ["outcome"] = "passed", ["date"] = Date(start.AddMonths(-3)) };
            }

            body["suitabilityChecks"] = checks;
            // 70 days in the first school, 50 in the second, both ended three weeks before the final assessment.
            body["placements"] = new JsonArray(
                Placement(schools[0], start.AddDays(14), start.AddDays(14 + 125), 70, i),
                Placement(schools[1], start.AddDays(150), start.AddDays(150 + 90), 50, i + 1));
            body["placementPlan"] = new JsonObject
            {
                ["requiredDays"] = 120, ["reason"] = "Teaching experience meets the standard minimum.", ["secondSchool"] = new JsonObject { ["status"] = "planned" },
            };
        }

        return body.Deserialize<CreateTraineeRequest>(Json.Options)!;
    }

    /// <summary>A final assessment that judges every standard met, moderated a week later: what the award needs (C2.5 i, C2.1 v, C3.4).</summary>
    public static AssessmentRequest FinalAssessment(DateOnly on) => new JsonObject
    {
        ["assessedOn"] = Date(on),
        ["stage"] = "final",
        ["assessor"] = new JsonObject { ["role"] = "provider_tutor", ["name"] = "Dr Helen Okafor" },
        ["judgements"] = new JsonArray([.. Standards.Select(s => (JsonNode)new JsonObject { ["standard"] = s, ["outcome"] = "met" })]),
        ["moderation"] = new JsonObject { ["kind"] = "internal", ["moderatedOn"] = Date(on) },
        ["englishAssured"] = true,
        ["mathsAssured"] = true,
    }.Deserialize<AssessmentRequest>(Json.Options)!;

    /// <summary>The moderators' agreement with a final assessment, the trainee sampled as part of a representative cross-section.</summary>
    public static SampledTrainee Agreed(Assessment final) =>
        new(final.TraineeId, [SampleReason.Representative], [new ModeratedAssessment(final.AssessmentId, SampleOutcome.Agreed, null)]);

    /// <summary>A made-up internal moderator: of the provider, or of <paramref name="school"/>.</summary>
    public static ModeratorDetails Moderator(Guid? school) => new()
    {
        Kind = ModeratorKind.Internal,
        Name = school is null ? "Sandbox Moderator (provider)" : "Sandbox Moderator (school)",
        Partner = school is null ? ModeratorPartner.Provider : ModeratorPartner.School,
        SchoolId = school,
        Role = school is null ? "Programme lead" : "Head of department",
    };

    /// <summary>A placement school in Dubai, risk-assessed suitable and under a partnership agreement covering all of C3.2 v before <paramref name="before"/>.</summary>
    public static SchoolDetails School(int k, DateOnly before) => new JsonObject
    {
        ["name"] = string.Create(CultureInfo.InvariantCulture, $"Test school {k + 1}"),
        ["country"] = "AE",
        ["city"] = "Dubai",
        ["schoolType"] = "british_international",
        ["riskAssessment"] = new JsonObject
        {
            ["assessedOn"] = Date(before.AddMonths(-2)), ["safeguarding"] = true, ["supportStructures"] = true, ["mentorSupport"] = true, ["mentorWillingToTrain"] = true,
            ["outcome"] = "suitable",
        },
        ["partnershipAgreement"] = new JsonObject
        {
            ["signedOn"] = Date(before.AddMonths(-1)), ["signedByProvider"] = "Director of ITT", ["signedBySchool"] = "Principal",
            ["covers"] = new JsonArray("quality_assurance", "programme_content", "safeguarding_checks", "equality_of_opportunity", "partnership_management",
                "trainee_workload", "trainee_wellbeing", "mentor_training"),
        },
    }.Deserialize<SchoolDetails>(Json.Options)!;

    private static JsonObject Placement(Guid school, DateOnly from, DateOnly to, int days, int mentor) => new()
    {
        ["schoolId"] = school.ToString(),
        ["startDate"] = Date(from),
        ["endDate"] = Date(to),
        ["days"] = days,
        ["mentor"] = new JsonObject { ["name"] = FirstNames[mentor % FirstNames.Length] + " " + LastNames[(mentor + 5) % LastNames.Length], ["trainingCompletedOn"] = Date(from.AddDays(-14)) },
    };

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
