namespace Iqts.Api.Placements;

/// <summary>The contract's example request bodies for schools, placements and the plan.</summary>
public static class PlacementExamples
{
    /// <summary>The school a placement example names: stands for one of the provider's own (a test puts a real one in its place).</summary>
    public const string SchoolId = "0193b5a4-2f6e-7c1d-8a9b-3e4f5a6b7c8d";

    public const string School = """
        {
          "name": "Jumeirah British School",
          "country": "AE",
          "city": "Dubai",
          "schoolType": "british_international",
          "riskAssessment": {
            "assessedOn": "2025-01-10", "safeguarding": true, "supportStructures": true, "mentorSupport": true,
            "mentorWillingToTrain": true, "outcome": "suitable"
          },
          "partnershipAgreement": {
            "signedOn": "2025-01-15", "signedByProvider": "Director of ITT", "signedBySchool": "Principal",
            "covers": ["quality_assurance", "programme_content", "safeguarding_checks", "equality_of_opportunity",
                       "partnership_management", "trainee_workload", "trainee_wellbeing", "mentor_training"]
          }
        }
        """;

    public const string SchoolPatch = """{ "city": "Abu Dhabi" }""";

    public const string Placement = """
        {
          "schoolId": "0193b5a4-2f6e-7c1d-8a9b-3e4f5a6b7c8d",
          "startDate": "2025-09-15",
          "endDate": "2025-12-19",
          "days": 60,
          "mentor": { "name": "Fatima Al Mansoori", "trainingCompletedOn": "2025-09-01" }
        }
        """;

    public const string PlacementPatch = """{ "days": 55 }""";

    public const string Plan = """
        {
          "requiredDays": 120,
          "reason": "Four years of teaching experience; the standard minimum suffices.",
          "secondSchool": { "status": "planned" }
        }
        """;

    public const string SchoolMentor = """
        {
          "schoolId": "0193b5a4-2f6e-7c1d-8a9b-3e4f5a6b7c8d",
          "name": "Fatima Al Mansoori",
          "needsAssessedOn": "2025-06-20",
          "standardsPretrainingOn": "2025-07-04",
          "frameworkPretrainingOn": "2025-07-11",
          "trainingCompletedOn": "2025-09-01"
        }
        """;

    public const string SchoolMentorPatch = """{ "trainingCompletedOn": "2025-09-05" }""";

    public const string MentorMeeting = """{ "heldOn": "2025-11-20", "traineeIds": [] }""";
}
