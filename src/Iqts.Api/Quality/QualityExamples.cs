namespace Iqts.Api.Quality;

/// <summary>The contract's example request bodies for quality assurance.</summary>
public static class QualityExamples
{
    public const string Internal = """{ "kind": "internal", "name": "Dr A. Example", "partner": "provider", "role": "Programme lead" }""";

    public const string External = """
        {
          "kind": "external",
          "name": "Prof. B. Example",
          "institution": "University of Elsewhere",
          "expertise": "Twenty years moderating ITT assessment against the Teachers' Standards.",
          "appointedOn": "2025-09-01",
          "noRelationshipDeclaredOn": "2025-08-20"
        }
        """;

    public const string ModeratorPatch = """{ "role": "Head of assessment" }""";

    public const string Evaluation = """
        {
          "source": "trainees",
          "periodFrom": "2025-09-01",
          "periodTo": "2026-01-31",
          "responses": 42,
          "findings": "Trainees rated mentor feedback highly and asked for earlier guidance on the final assessment.",
          "actions": [{ "action": "Final assessment briefing moved to the first term.", "takenOn": "2026-02-10" }]
        }
        """;

    /// <summary>The ids the moderation example names; the contract's example test puts real ones in their place.</summary>
    public const string FirstModeratorId = "01970000-0000-7000-8000-000000000001";

    public const string SecondModeratorId = "01970000-0000-7000-8000-000000000002";

    public const string TraineeId = "01970000-0000-7000-8000-000000000010";

    public const string AssessmentId = "01970000-0000-7000-8000-000000000020";

    public const string InternalModeration = """
        {
          "kind": "internal",
          "heldOn": "2026-03-09",
          "moderatorIds": ["01970000-0000-7000-8000-000000000001", "01970000-0000-7000-8000-000000000002"],
          "sample": [
            {
              "traineeId": "01970000-0000-7000-8000-000000000010",
              "reasons": ["borderline"],
              "assessments": [{ "assessmentId": "01970000-0000-7000-8000-000000000020", "outcome": "agreed" }]
            }
          ]
        }
        """;

    public const string ModerationReport = """
        {
          "report": {
            "receivedOn": "2026-03-12",
            "reference": "https://provider.example/qa/external-moderation-2026.pdf",
            "assessmentAccuracy": "mostly_accurate",
            "summary": "Judgements are secure; evidence for TS5 is thin in two of six files.",
            "standards": [{ "standard": "ts5", "strengths": "Clear targets.", "weaknesses": "Little evidence of adaptive teaching." }]
          },
          "response": { "changes": "Assessment guidance for TS5 rewritten; mentors briefed.", "changedOn": "2026-03-14" }
        }
        """;
}
