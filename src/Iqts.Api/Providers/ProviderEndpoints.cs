using System.Security.Claims;
using Iqts.Api.Data;
using Iqts.Api.Errors;
using Iqts.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Iqts.Api.Providers;

public static class ProviderEndpoints
{
    public static IEndpointRouteBuilder MapProviders(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/providers").WithTags("Providers");

        group.MapGet("/me", GetMine)
            .RequireAuthorization(Roles.Provider)
            .WithName("GetMyProvider")
            .ProducesETag()
            .WithSummary("The provider the calling token belongs to")
            .ProducesProblems(StatusCodes.Status404NotFound);

        group.MapGet("/", List)
            .RequireAuthorization(Roles.Dfe)
            .WithName("ListProviders")
            .WithSummary("List providers in change order (cursor pagination)")
            .ProducesProblems(StatusCodes.Status400BadRequest);

        group.MapPost("/", Create)
            .RequireAuthorization(Roles.Dfe)
            .WithName("CreateProvider")
            .ProducesETag()
            .WithSummary("Register an accredited ITT provider for iQTS")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);

        group.MapGet("/{ukprn}", Get)
            .RequireAuthorization(Roles.Dfe)
            .WithName("GetProvider")
            .ProducesETag()
            .WithSummary("Get one provider")
            .ProducesProblems(StatusCodes.Status404NotFound);

        group.MapPatch("/{ukprn}", Patch)
            .RequireAuthorization(Roles.Dfe)
            .WithName("UpdateProvider")
            .ProducesETag()
            .AcceptsIfMatch()
            .WithSummary("Change a provider's name, approval, inspection or trainee-cap permission (JSON merge patch)")
            .AcceptsMergePatch<ProviderDetails>("ProviderPatch", "The fields of a provider that PATCH may change (JSON merge patch, RFC 7396). Send only\nwhat changes; `ukprn` cannot change.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status412PreconditionFailed,
                StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);

        return routes;
    }

    /// <summary>What a PATCH refuses by name: every response field that is not one of the details.</summary>
    public static readonly IReadOnlyList<string> Immutable = MergePatch.ImmutableFields<ProviderResponse, ProviderDetails>(Json.Options);

    private static async Task<Results<Ok<ProviderResponse>, ProblemHttpResult>> GetMine(ClaimsPrincipal user, ProviderRepository providers, HttpResponse response, CancellationToken ct)
    {
        var provider = await providers.FindAsync(user.ProviderUkprn(), ct);
        return provider is null ? NotFound() : WithETag(response, provider);
    }

    private static async Task<Results<Ok<ProviderResponse>, ProblemHttpResult>> Get(string ukprn, ProviderRepository providers, HttpResponse response, CancellationToken ct)
    {
        var provider = ProviderRules.IsUkprn(ukprn) ? await providers.FindAsync(ukprn, ct) : null;
        return provider is null ? NotFound() : WithETag(response, provider);
    }

    /// <param name="limit">Page size, 1–100 (default 50).</param>
    /// <param name="cursor">nextCursor from the previous page.</param>
    /// <param name="approvalStatus">Only providers with this approval status.</param>
    /// <param name="updatedSince">Only providers changed at or after this time (RFC 3339).</param>
    /// <param name="providers">The repository.</param>
    /// <param name="ct">Cancellation.</param>
    private static async Task<Results<Ok<Page<ProviderResponse>>, ProblemHttpResult>> List(
        int? limit, string? cursor, [EnumQuery(typeof(ApprovalStatus))] string? approvalStatus, DateTimeOffset? updatedSince, ProviderRepository providers, CancellationToken ct)
    {
        var paging = Cursor.Parse(limit, cursor);
        if (paging.Failed)
        {
            return paging.Error!.ToResult();
        }

        var errors = new ValidationErrors();
        var status = EnumQuery.Parse<ApprovalStatus>(errors, "approvalStatus", approvalStatus);
        if (!errors.IsEmpty)
        {
            return errors.ToError(ApiErrors.QueryValue).ToResult();
        }

        var (take, after) = paging.Value;
        var rows = await providers.ListAsync(after, take, status, updatedSince, ct);
        return TypedResults.Ok(Cursor.ToPage(rows, take, after, r => r.ChangeSeq, r => new ProviderResponse(r)));
    }

    private static async Task<Results<Created<ProviderResponse>, ProblemHttpResult>> Create(
        CreateProviderRequest request, ProviderRepository providers, TimeProvider time, HttpResponse response, CancellationToken ct)
    {
        var registration = ProviderRules.Register(request, time.Today());
        var created = registration.Failed ? registration.Error! : await providers.CreateAsync(request.Ukprn, registration.Value, ct);
        if (created.Failed)
        {
            return created.Error!.ToResult();
        }

        ETags.Set(response, created.Value.RowVersion);
        return TypedResults.Created($"/api/v1/providers/{created.Value.Ukprn}", new ProviderResponse(created.Value));
    }

    private static async Task<Results<Ok<ProviderResponse>, ProblemHttpResult>> Patch(
        string ukprn, HttpRequest request, ProviderRepository providers, TimeProvider time, CancellationToken ct)
    {
        var patch = await MergePatch.ReadAsync(request);
        if (patch.Failed)
        {
            return patch.Error!.ToResult();
        }

        if (!ProviderRules.IsUkprn(ukprn))
        {
            return NotFound();
        }

        var changed = await providers.ChangeAsync(ukprn, ETags.IfMatch(request), current =>
            MergePatch.Apply<ProviderDetails>(current, patch.Value, Json.Options, Immutable)
                .Then(details => ProviderRules.Correct(current, details, time.Today())), ct);
        return changed.Failed ? changed.Error!.ToResult() : WithETag(request.HttpContext.Response, changed.Value);
    }

    private static ProblemHttpResult NotFound() => ApiErrors.NotFound("provider").ToResult();

    private static Ok<ProviderResponse> WithETag(HttpResponse response, Provider provider)
    {
        ETags.Set(response, provider.RowVersion);
        return TypedResults.Ok(new ProviderResponse(provider));
    }
}
