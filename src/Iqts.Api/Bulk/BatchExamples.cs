namespace Iqts.Api.Bulk;

/// <summary>Example batches for the contract; a test sends each and expects it to be accepted.</summary>
public static class BatchExamples
{
    public const string Trainees = """
        [
          {
            "providerTraineeId": "SITS-2026-0101",
            "firstNames": "Ananya",
            "lastName": "Rao",
            "dateOfBirth": "1994-05-12",
            "email": "ananya.rao@example.com",
            "sex": "female",
            "nationality": "IN",
            "trainingCountry": "IN",
            "ageRange": "11-19",
            "subjects": ["100403"],
            "studyMode": "part_time",
            "startDate": "2026-09-01",
            "expectedEndDate": "2027-07-31"
          },
          {
            "providerTraineeId": "SITS-2026-0102",
            "firstNames": "Wei",
            "lastName": "Tan",
            "dateOfBirth": "1990-11-02",
            "email": "wei.tan@example.com",
            "sex": "male",
            "nationality": "MY",
            "trainingCountry": "MY",
            "ageRange": "3-11",
            "subjects": ["100511"],
            "studyMode": "full_time",
            "startDate": "2026-09-01",
            "expectedEndDate": "2027-07-31"
          }
        ]
        """;

    /// <summary>The trainees the awards example names (placeholders a test replaces with trainees ready for the award).</summary>
    public const string FirstTraineeId = "0199a1b2-0000-7000-8000-000000000001";

    public const string SecondTraineeId = "0199a1b2-0000-7000-8000-000000000002";

    public const string Awards = $$"""
        [
          { "traineeId": "{{FirstTraineeId}}", "awardedOn": "2026-03-13" },
          { "traineeId": "{{SecondTraineeId}}", "awardedOn": "2026-03-13" }
        ]
        """;

    /// <summary>The same cohort as CSV: the template's header (required columns and one optional), one trainee a line.</summary>
    public const string TraineesCsv =
        "providerTraineeId,firstNames,lastName,dateOfBirth,email,sex,nationality,trainingCountry,ageRange,subjects,studyMode,startDate,expectedEndDate,yearsOfTeachingExperience\r\n"
        + "SITS-2026-0201,Ananya,Rao,1994-05-12,ananya.rao@example.com,female,IN,IN,11-19,100403,part_time,2026-09-01,2027-07-31,4\r\n"
        + "SITS-2026-0202,\"Wei, Jun\",Tan,1990-11-02,wei.tan@example.com,male,MY,MY,3-11,100511;100425,full_time,2026-09-01,2027-07-31,\r\n";
}
