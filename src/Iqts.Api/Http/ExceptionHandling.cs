using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace Iqts.Api.Http;

/// <summary>
/// Turns exceptions into problem+json. Client mistakes found while binding the request (BadHttpRequestException:
/// wrong types, unknown properties, missing body, wrong content type, body too large) keep their 4xx status and name
/// the field; anything else is a 500 without internals, logged with the trace id the caller receives.
/// Malformed JSON and bad text never get here: <see cref="JsonBodyGate"/> refuses them before binding.
/// </summary>
public sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger, IHostEnvironment environment)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var error = exception switch
        {
            BadHttpRequestException bad => FromBadRequest(bad),
            JsonException json => FromJson(json),
            _ => null,
        };

        if (error is null)
        {
            LogUnhandled(logger, exception, httpContext.TraceIdentifier);
            error = ApiErrors.ServerError(environment.IsDevelopment() ? exception.ToString() : null);
        }

        httpContext.Response.StatusCode = error.Status;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = error.ToProblemDetails(), Exception = exception });
    }

    private static ApiError FromBadRequest(BadHttpRequestException bad)
    {
        if (bad.InnerException is JsonException json)
        {
            return FromJson(json);
        }

        return bad.StatusCode switch
        {
            StatusCodes.Status413PayloadTooLarge => ApiErrors.BodyTooLarge(RequestLimits.MaxBodyBytes),
            StatusCodes.Status415UnsupportedMediaType => ApiErrors.UnsupportedMediaType("application/json"),
            _ when FrameworkMessages.IsNoBody(bad.Message) => ApiErrors.BodyMissing(),
            _ when FrameworkMessages.FailedToBind(bad.Message) is { } name => ApiErrors.InvalidValue(name,
                FrameworkMessages.FailedToBindType(bad.Message) == nameof(Timestamp) ? Timestamp.Rule : "has a value of the wrong form (see the contract)."),
            _ => ApiErrors.BadRequest(),
        };
    }

    /// <summary>
    /// A body that is well-formed JSON (the gate checked) but does not fit the type: an unknown property or a value of
    /// the wrong type, named by its JSON path without .NET type names.
    /// </summary>
    internal static ApiError FromJson(JsonException json)
    {
        var field = JsonPaths.ToField(json.Path);
        if (FrameworkMessages.UnmappedMember(json.Message) is { } property)
        {
            // The path points at the object; the property is the unknown one inside it.
            // STJ's path may or may not end with the property already (it does inside a nested object).
            return ApiErrors.UnknownProperty(string.IsNullOrEmpty(field) || field == property ? property
                : field.EndsWith("." + property, StringComparison.Ordinal) ? field : $"{field}.{property}");
        }

        if (json.Path is null && json.LineNumber is { } line)
        {
            return ApiErrors.MalformedJson("$", $"The body is not well-formed JSON (line {line + 1}, byte {json.BytePositionInLine + 1}).");
        }

        // Our own date converter's message (not the framework's): say the date rule rather than "wrong type".
        return json.Message.StartsWith(Json.DateRule, StringComparison.Ordinal) ? ApiErrors.InvalidValue(field, Json.DateRule) : ApiErrors.InvalidValue(field);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception for trace {TraceId}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string traceId);
}

public static class JsonPaths
{
    /// <summary><c>$.subjects[1]</c> → <c>subjects[1]</c>; <c>$['a b']</c> stays readable.</summary>
    public static string ToField(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
}
