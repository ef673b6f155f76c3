namespace Iqts.Api.Reports;

/// <summary>The contract's example request body for a monthly return.</summary>
public static class ReturnExamples
{
    public const string Return = """
        {
          "expressionsOfInterest": 40,
          "applications": 12,
          "candidatesInterviewed": 8,
          "placedOnReserveList": 1,
          "offeredDeferredPlace": 1,
          "offeredAlternativeCourse": 1,
          "alternativeCourses": ["PGCE International"],
          "traineeFeedback": { "responses": 10, "positiveResponses": 9 },
          "courseDevelopment": "Two new remote seminars on behaviour management."
        }
        """;
}
