namespace Iqts.Api.Trainees;

/// <summary>The contract's example request bodies for trainees (each one the API accepts; a test sends them all).</summary>
public static class TraineeExamples
{
    public const string Create = """
        {
          "providerTraineeId": "SRS-004211",
          "firstNames": "Asha Priya",
          "lastName": "Verma",
          "previousLastName": "Rao",
          "dateOfBirth": "1994-05-17",
          "email": "asha.verma@example.org",
          "sex": "female",
          "nationality": "IN",
          "trainingCountry": "IN",
          "countryOfBirth": "IN",
          "countryOfResidence": "AE",
          "firstLanguage": "hi",
          "teachingLanguage": "en",
          "yearsOfTeachingExperience": 4,
          "reasonForIqts": "career_progression",
          "highestQualificationLevel": "masters_degree",
          "ageRange": "11-19",
          "subjects": ["100403"],
          "studyMode": "part_time",
          "startDate": "2025-09-01",
          "expectedEndDate": "2026-07-31"
        }
        """;

    public const string Patch = """{ "lastName": "Verma-Shah", "yearsOfTeachingExperience": 5 }""";

    public const string Defer = """{ "date": "2026-01-10", "reason": "Illness" }""";

    public const string Reinstate = """{ "date": "2026-03-02" }""";

    public const string Withdraw = """{ "date": "2026-02-20", "trigger": "trainee", "reasons": ["got_a_job"], "safeguardingConcern": false }""";
}
