using Iqts.Api.Governance;
using Iqts.Api.Reports;

namespace Iqts.Api.Compliance;

[Tags("Governance")]
public static class EvidenceEndpoints
{
    /// <summary>A provider's evidence of compliance, criterion by criterion, in one snapshot (C3.1 i): JSON, or CSV with Accept: text/csv</summary>
    /// <remarks>The provider reads its own, DfE any provider's, an inspectorate the provider it is inspecting, from the notification to the report (logged).</remarks>
    [Get("/providers/{ukprn}/evidence"), Authorize(Roles = Roles.Dfe + "," + Roles.Provider + "," + Roles.Inspectorate), EndpointName("GetProviderEvidence"), Csv]
    [Problems(404)]
    private static async Task<Results<Ok<ProviderEvidence>, ContentHttpResult, ProblemHttpResult>> Evidence(string ukprn, HttpRequest request, [AsParameters] Caller caller,
        InspectorateWindow window, IDbConnectionFactory db, ReadEvidence read, CancellationToken ct)
    {
        var (visible, inspection) = await GovernanceEndpoints.VisibleAsync(caller, ukprn, window, db, ct);
        if ((visible ? await read.RunAsync(ukprn, ct) : null) is not { } evidence)
        {
            return ApiErrors.NotFound("provider").ToResult();
        }

        await (inspection is null ? Task.CompletedTask : window.RecordAsync(inspection, caller, ct));
        return ReportEndpoints.WantsCsv(request) ? TypedResults.Text(EvidenceCsv.Write(evidence), ReportCsv.MediaType, System.Text.Encoding.UTF8) : TypedResults.Ok(evidence);
    }
}
