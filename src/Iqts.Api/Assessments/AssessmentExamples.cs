namespace Iqts.Api.Assessments;

/// <summary>The contract's example request body for an assessment.</summary>
public static class AssessmentExamples
{
    public const string Final = """
        {
          "assessedOn": "2026-03-02",
          "stage": "final",
          "assessor": { "role": "provider_tutor", "name": "Dr Helen Okafor" },
          "judgements": [
            { "standard": "ts1", "outcome": "met" }, { "standard": "ts2", "outcome": "met" }, { "standard": "ts3", "outcome": "met" },
            { "standard": "ts4", "outcome": "met" }, { "standard": "ts5", "outcome": "met" }, { "standard": "ts6", "outcome": "met" },
            { "standard": "ts7", "outcome": "met" }, { "standard": "ts8", "outcome": "met" }, { "standard": "part_two", "outcome": "met" }
          ],
          "moderation": { "kind": "internal", "moderatedOn": "2026-03-09" },
          "englishAssured": true,
          "mathsAssured": true
        }
        """;
}
