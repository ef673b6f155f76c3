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
}
