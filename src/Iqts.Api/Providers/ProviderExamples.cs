namespace Iqts.Api.Providers;

/// <summary>The contract's example request bodies for providers.</summary>
public static class ProviderExamples
{
    public const string Create = """
        {
          "ukprn": "10012345",
          "name": "Example Teaching School Alliance",
          "approvalStatus": "approved",
          "inspectionGrade": 1,
          "inspectionDate": "2024-01-10",
          "mayExceedTraineeCap": false
        }
        """;

    public const string Patch = """{ "inspectionGrade": 2, "inspectionDate": "2025-11-20" }""";

    public const string Concern = """
        {
          "approvalStatus": "concern_raised",
          "step": "concern_raised",
          "reason": "Two monthly returns were late and the partnership agreements lack C3.2 v (g).",
          "effectiveOn": "2026-03-02",
          "remedy": "Submit the missing returns and sign agreements covering every C3.2 v item.",
          "remedyBy": "2026-05-29"
        }
        """;
}
