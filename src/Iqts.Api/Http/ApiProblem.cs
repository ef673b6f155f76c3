using Microsoft.AspNetCore.Mvc;
using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Iqts.Api.Http;

/// <summary>
/// The RFC 9457 problem document every error uses. This record documents the shape in the
/// contract; at run time the framework's ProblemDetails is written with the same members.
/// </summary>
public sealed record ApiProblem
{
    /// <summary>A URI naming the problem type.</summary>
    public string? Type { get; init; }

    public required string Title { get; init; }

    public required int Status { get; init; }

    public string? Detail { get; init; }

    public string? Instance { get; init; }

    /// <summary>A stable, machine-readable code, e.g. <c>validation.failed</c> or <c>provider.trainee_cap_reached</c>.</summary>
    public required string ErrorCode { get; init; }

    /// <summary>The correlation id of the request; quote it when reporting a problem.</summary>
    public required string TraceId { get; init; }

    /// <summary>For validation problems: messages keyed by the JSON path of the field, e.g. <c>ukprn</c> or <c>subjects[1]</c>.</summary>
    public IDictionary<string, string[]>? Errors { get; init; }

    /// <summary>For <c>trainee.already_exists</c> and <c>trainee.possible_duplicate</c>: the trainees this one matches.</summary>
    public IReadOnlyList<Trainees.DuplicateMatch>? Matches { get; init; }

    /// <summary>For <c>trainee.invalid_transition</c>: the trainee's status now.</summary>
    public Trainees.TraineeStatus? CurrentStatus { get; init; }
}

/// <summary>Errors are values: handlers return one of these rather than throwing.</summary>
public static class Problems
{
    public const string TypeBase = "https://iqts.education.gov.uk/problems/";

    /// <summary>The one place a problem with its errorCode is built.</summary>
    public static ProblemDetails Details(int status, string errorCode, string title, string? detail = null)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Title = title,
            Detail = detail,
            Type = TypeBase + errorCode,
        };
        problem.Extensions["errorCode"] = errorCode;
        return problem;
    }

    public static ProblemHttpResult Of(int status, string errorCode, string title, string? detail = null) =>
        TypedResults.Problem(Details(status, errorCode, title, detail));

    /// <summary>For middleware and auth handlers, which write the response themselves.</summary>
    public static async Task WriteAsync(HttpContext context, int status, string errorCode, string title, string? detail = null)
    {
        context.Response.StatusCode = status;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = Details(status, errorCode, title, detail) });
    }

    public static ProblemHttpResult Validation(IDictionary<string, string[]> errors, string errorCode = ErrorCodes.ValidationFailed, string? detail = null)
    {
        var problem = new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is not valid.",
            Detail = detail ?? "See errors: each key is the JSON path of a field, each message the rule it broke.",
            Type = TypeBase + errorCode,
        };
        problem.Extensions["errorCode"] = errorCode;
        return TypedResults.Problem(problem);
    }

    public static ProblemHttpResult Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static ProblemHttpResult NotFound(string what) =>
        Of(StatusCodes.Status404NotFound, ErrorCodes.NotFound, "Not found.", $"No {what} with that id exists for this caller.");

    public static ProblemHttpResult PreconditionFailed() =>
        Of(StatusCodes.Status412PreconditionFailed, ErrorCodes.PreconditionFailed, "The resource has changed.",
            "If-Match does not match the current ETag: read the resource again and reapply the change.");

    /// <summary>Adds traceId and a default errorCode to every problem the app writes, whoever wrote it.</summary>
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        problem.Extensions["traceId"] = Activity.Current?.Id ?? context.HttpContext.TraceIdentifier;
        if (!problem.Extensions.ContainsKey("errorCode"))
        {
            var code = ErrorCodes.ForStatus(problem.Status ?? StatusCodes.Status500InternalServerError);
            problem.Extensions["errorCode"] = code;
            problem.Type ??= TypeBase + code;
        }

        problem.Type = problem.Type is null || problem.Type.StartsWith("https://tools.ietf.org", StringComparison.Ordinal)
            ? TypeBase + problem.Extensions["errorCode"]
            : problem.Type;
        problem.Instance ??= context.HttpContext.Request.Path;
    }
}

/// <summary>The stable error codes. Clients may switch on them; they are never renamed.</summary>
public static class ErrorCodes
{
    public const string ValidationFailed = "validation.failed";
    public const string MalformedJson = "request.malformed_json";
    public const string UnknownProperty = "request.unknown_property";
    public const string WrongType = "request.invalid_value";
    public const string BodyMissing = "request.body_missing";
    public const string BodyTooLarge = "request.body_too_large";
    public const string UnsupportedMediaType = "request.unsupported_media_type";
    public const string ImmutableField = "request.immutable_field";
    public const string BadRequest = "request.bad_request";
    public const string InvalidCursor = "pagination.invalid_cursor";
    public const string NotFound = "resource.not_found";
    public const string RouteNotFound = "route.not_found";
    public const string MethodNotAllowed = "route.method_not_allowed";
    public const string PreconditionFailed = "resource.precondition_failed";
    public const string MissingToken = "auth.missing_token";
    public const string InvalidToken = "auth.invalid_token";
    public const string Forbidden = "auth.forbidden";
    public const string RateLimited = "rate_limit.exceeded";
    public const string ServerError = "server.error";
    public const string ProviderExists = "provider.already_exists";
    public const string IdempotencyKeyReused = "idempotency.key_reused";
    public const string IdempotencyInFlight = "idempotency.request_in_flight";
    public const string IdempotencyKeyInvalid = "idempotency.key_invalid";
    public const string TraineeExists = "trainee.already_exists";
    public const string PossibleDuplicate = "trainee.possible_duplicate";
    public const string InvalidTransition = "trainee.invalid_transition";
    public const string ProviderNotApproved = "provider.not_approved";
    public const string TraineeCapReached = "provider.trainee_cap_reached";

    public static string ForStatus(int status) => status switch
    {
        StatusCodes.Status400BadRequest => BadRequest,
        StatusCodes.Status401Unauthorized => MissingToken,
        StatusCodes.Status403Forbidden => Forbidden,
        StatusCodes.Status404NotFound => RouteNotFound,
        StatusCodes.Status405MethodNotAllowed => MethodNotAllowed,
        StatusCodes.Status412PreconditionFailed => PreconditionFailed,
        StatusCodes.Status413PayloadTooLarge => BodyTooLarge,
        StatusCodes.Status415UnsupportedMediaType => UnsupportedMediaType,
        StatusCodes.Status429TooManyRequests => RateLimited,
        _ when status >= 500 => ServerError,
        _ => "http." + status,
    };
}
