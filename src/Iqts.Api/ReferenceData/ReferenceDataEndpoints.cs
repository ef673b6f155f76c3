
namespace Iqts.Api.ReferenceData;

/// <summary>A set's name and purpose, as listed by <c>GET /reference-data</c>.</summary>
public sealed record ReferenceSetSummary(string Set, string Description, int Count);

public static class ReferenceDataEndpoints
{
    public static IEndpointRouteBuilder MapReferenceData(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/reference-data").WithTags("Reference data");

        group.MapGet("/", (ReferenceDataSets sets) => TypedResults.Ok(sets.All.Select(s => new ReferenceSetSummary(s.Set, s.Description, s.Entries.Count)).ToList()))
            .WithName("ListReferenceDataSets")
            .WithSummary("The code lists the API validates against");

        group.MapGet("/{set}", Get);

        return routes;
    }

    /// <summary>One code list, e.g. countries, nationalities, languages, subjects, age-ranges, withdrawal-reasons</summary>
    [EndpointName("GetReferenceDataSet"), Problems(404)]
    private static Results<Ok<ReferenceSet>, ProblemHttpResult> Get(string set, ReferenceDataSets sets) =>
        sets.TryGet(set, out var found)
            ? TypedResults.Ok(found!)
            : ApiErrors.ReferenceSetNotFound(sets.All.Select(s => s.Set)).ToResult();
}
