using System.Security.Claims;
using Iqts.Api.Data;
using Iqts.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

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
            .Accepts<ProviderPatch>(MergePatch.MediaType, "application/json")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status412PreconditionFailed,
                StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);

        return routes;
    }

    private static async Task<Results<Ok<ProviderResponse>, ProblemHttpResult>> GetMine(ClaimsPrincipal user, ProviderRepository providers, HttpResponse response, CancellationToken ct)
    {
        var row = await providers.FindAsync(user.ProviderUkprn(), ct);
        return row is null ? Problems.NotFound("provider") : WithETag(response, row);
    }

    private static async Task<Results<Ok<ProviderResponse>, ProblemHttpResult>> Get(string ukprn, ProviderRepository providers, HttpResponse response, CancellationToken ct)
    {
        var row = ProviderRules.IsUkprn(ukprn) ? await providers.FindAsync(ukprn, ct) : null;
        return row is null ? Problems.NotFound("provider") : WithETag(response, row);
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
        if (paging.Problem is not null)
        {
            return paging.Problem;
        }

        var errors = new ValidationErrors();
        var status = EnumQuery.Parse<ApprovalStatus>(errors, "approvalStatus", approvalStatus);
        if (!errors.IsEmpty)
        {
            return Problems.Validation(errors.ToDictionary(), ErrorCodes.WrongType);
        }

        var (take, after) = paging.Value;
        var rows = await providers.ListAsync(after, take, status, updatedSince, ct);
        return TypedResults.Ok(Cursor.ToPage(rows, take, after, r => r.ChangeSeq, r => r.ToResponse()));
    }

    private static async Task<Results<Created<ProviderResponse>, ProblemHttpResult>> Create(
        CreateProviderRequest request, ProviderRepository providers, TimeProvider time, HttpResponse response, CancellationToken ct)
    {
        var errors = ProviderRules.ValidateCreate(request, time.Today());
        if (!errors.IsEmpty)
        {
            return Problems.Validation(errors.ToDictionary());
        }

        var values = new ProviderValues(request.Name.Trim(), request.ApprovalStatus ?? ApprovalStatus.Approved, request.InspectionGrade!.Value,
            request.InspectionDate!.Value, request.MayExceedTraineeCap ?? false);
        var (outcome, row) = await providers.CreateAsync(request.Ukprn, values, ct);
        if (outcome == ProviderWriteOutcome.AlreadyExists)
        {
            return Problems.Of(StatusCodes.Status409Conflict, ErrorCodes.ProviderExists, "The provider already exists.",
                $"A provider with UKPRN {request.Ukprn} is already registered; change it with PATCH /api/v1/providers/{request.Ukprn}.");
        }

        ETags.Set(response, row!.RowVersion);
        return TypedResults.Created($"/api/v1/providers/{row.Ukprn}", row.ToResponse());
    }

    private static async Task<Results<Ok<ProviderResponse>, ProblemHttpResult>> Patch(
        string ukprn, HttpRequest request, ProviderRepository providers, TimeProvider time, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        var read = await MergePatch.ReadAsync(request);
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        var current = ProviderRules.IsUkprn(ukprn) ? await providers.FindAsync(ukprn, ct) : null;
        if (current is null)
        {
            return Problems.NotFound("provider");
        }

        if (MergePatch.RefuseImmutable(read.Value, "ukprn", "createdAt", "updatedAt") is { } immutable)
        {
            return immutable;
        }

        if (!ETags.IfMatchAllows(request, current.RowVersion))
        {
            return Problems.PreconditionFailed();
        }

        var state = new ProviderPatch(current.Name, current.Status, current.InspectionGrade, current.InspectionDate, current.MayExceedTraineeCap);
        var merged = MergePatch.Apply(state, read.Value, json);
        if (merged.Problem is not null)
        {
            return merged.Problem;
        }

        var next = merged.Value;
        var errors = new ValidationErrors();
        errors.Require("approvalStatus", next.ApprovalStatus);
        errors.Require("mayExceedTraineeCap", next.MayExceedTraineeCap);
        ProviderRules.Validate(errors, next.Name, next.ApprovalStatus, next.InspectionGrade, next.InspectionDate, time.Today());
        if (!errors.IsEmpty)
        {
            return Problems.Validation(errors.ToDictionary());
        }

        var values = new ProviderValues(next.Name!.Trim(), next.ApprovalStatus!.Value, next.InspectionGrade!.Value, next.InspectionDate!.Value, next.MayExceedTraineeCap!.Value);
        var (outcome, row) = await providers.UpdateAsync(ukprn, current.RowVersion, values, ct);
        return outcome switch
        {
            ProviderWriteOutcome.Done => WithETag(request.HttpContext.Response, row!),
            ProviderWriteOutcome.Stale => Problems.PreconditionFailed(),
            _ => Problems.NotFound("provider"),
        };
    }

    private static Ok<ProviderResponse> WithETag(HttpResponse response, ProviderRow row)
    {
        ETags.Set(response, row.RowVersion);
        return TypedResults.Ok(row.ToResponse());
    }
}
