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
}
