namespace Iqts.Api.Governance;

/// <summary>The contract's example request bodies for governance.</summary>
public static class GovernanceExamples
{
    public const string Inspectorate = """{ "name": "Penta International", "approvedFrom": "2026-09-01", "approvedTo": "2029-08-31" }""";

    public const string InspectoratePatch = """{ "approvedTo": "2028-08-31" }""";

    /// <summary>The provider and inspectorate the booking example names (the contract-example test puts real ones in their place).</summary>
    public const string ExampleUkprn = "10012345";

    public const string ExampleInspectorateId = "0193c1d2-7a4b-7c3d-9e8f-1a2b3c4d5e6f";

    public const string Booking = $$"""{ "ukprn": "{{ExampleUkprn}}", "inspectorateId": "{{ExampleInspectorateId}}", "term": "2027-spring" }""";

    public const string InspectionDates = """{ "notifiedOn": "2026-02-20", "startsOn": "2026-03-23", "endsOn": "2026-03-27" }""";

    public const string GovernanceChange = """
        { "kind": "accounting_officer", "effectiveOn": "2026-04-01", "description": "A new accounting officer was appointed by the governing board." }
        """;

    public const string GovernanceResponse = """
        { "response": "acknowledged", "note": "Noted; no further information needed.", "respondedOn": "2026-03-16" }
        """;
}
