using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Iqts.Api.Http;

/// <summary>The one place an <see cref="ApiError"/> becomes RFC 9457 problem+json.</summary>
public static class Problems
{
    public const string TypeBase = "https://iqts.education.gov.uk/problems/";

    public static ProblemDetails ToProblemDetails(this ApiError error)
    {
        ProblemDetails problem = error.Errors is { } errors
            ? new HttpValidationProblemDetails(errors.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal))
            : new ProblemDetails();
        problem.Status = error.Status;
        problem.Title = error.Title;
        problem.Detail = error.Detail;
        problem.Type = TypeBase + error.Code;
        problem.Extensions["errorCode"] = error.Code;
        foreach (var (name, value) in error.Data)
        {
            problem.Extensions[name] = value;
        }

        return problem;
    }

    /// <summary>For endpoint handlers: the error as a typed result.</summary>
    public static ProblemHttpResult ToResult(this ApiError error) => TypedResults.Problem(error.ToProblemDetails());

    /// <summary>For middleware and auth handlers, which write the response themselves.</summary>
    public static async Task WriteAsync(this ApiError error, HttpContext context)
    {
        context.Response.StatusCode = error.Status;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = error.ToProblemDetails() });
    }

    /// <summary>
    /// Adds traceId and instance to every problem the app writes, and gives a problem the framework wrote itself
    /// (an unknown route, a wrong verb) the catalogue's code and title for its status.
    /// </summary>
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        // The trace's id, which the operator's tracing backend finds the request's spans by (W3C trace context).
        problem.Extensions["traceId"] = Activity.Current is { } activity ? activity.TraceId.ToHexString() : context.HttpContext.TraceIdentifier;
        if (!problem.Extensions.ContainsKey("errorCode"))
        {
            var status = problem.Status ?? StatusCodes.Status500InternalServerError;
            var kind = ApiErrors.ForStatus(status);
            var code = kind?.Code ?? "http." + status;
            problem.Extensions["errorCode"] = code;
            problem.Title = kind?.Title ?? problem.Title;
            problem.Type = TypeBase + code;
        }

        problem.Instance ??= context.HttpContext.Request.Path;
        if (problem.Extensions.TryGetValue("errorCode", out var errorCode))
        {
            Activity.Current?.SetTag("iqts.error_code", errorCode);
        }
    }
}

/// <summary>
/// Writes every problem as application/problem+json whatever the request's Accept header says (RFC 9457 §3; GOV.UK's API
/// standard answers errors in the API's own format). The framework's own writer declines a request whose Accept names no
/// JSON type, and then an auth handler's or a limiter's 401 or 429 became a 500 with an empty body, a binding failure a
/// bare 400, and an endpoint's problem came out without its traceId. Registered before AddProblemDetails, so it is asked first.
/// </summary>
public sealed class ProblemJsonWriter(
    Microsoft.Extensions.Options.IOptions<ProblemDetailsOptions> options,
    Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : IProblemDetailsWriter
{
    public const string MediaType = "application/problem+json";

    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        problem.Status ??= context.HttpContext.Response.StatusCode;
        options.Value.CustomizeProblemDetails?.Invoke(context);
        return new ValueTask(context.HttpContext.Response.WriteAsJsonAsync(problem, problem.GetType(), json.Value.SerializerOptions, MediaType));
    }
}
