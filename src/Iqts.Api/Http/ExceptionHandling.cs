using Microsoft.AspNetCore.Mvc;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;

namespace Iqts.Api.Http;

/// <summary>
/// Turns exceptions into problem+json. Client mistakes found while binding the request
/// (BadHttpRequestException: malformed JSON, wrong types, unknown properties, missing body,
/// wrong content type, body too large) keep their 4xx status and name the field; anything
/// else is a 500 without internals, logged with the trace id the caller receives.
/// </summary>
public sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger, IHostEnvironment environment)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            BadHttpRequestException bad => FromBadRequest(bad),
            JsonException json => FromJson(json),
            _ => null,
        };

        if (problem is null)
        {
            LogUnhandled(logger, exception, httpContext.TraceIdentifier);
            problem = Problems.Details(StatusCodes.Status500InternalServerError, ErrorCodes.ServerError, "An unexpected error occurred.",
                environment.IsDevelopment() ? exception.ToString() : "The error has been logged; quote the traceId when reporting it.");
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    private static ProblemDetails FromBadRequest(BadHttpRequestException bad)
    {
        if (bad.InnerException is JsonException json)
        {
            return FromJson(json);
        }

        return bad.StatusCode switch
        {
            StatusCodes.Status413PayloadTooLarge => Problems.Details(413, ErrorCodes.BodyTooLarge, "The request body is too large.",
                $"Bodies are limited to {RequestLimits.MaxBodyBytes / 1024} KiB."),
            StatusCodes.Status415UnsupportedMediaType => Problems.Details(415, ErrorCodes.UnsupportedMediaType, "Unsupported media type.",
                "Send the body as application/json."),
            _ when bad.Message.Contains("no body was provided", StringComparison.OrdinalIgnoreCase) =>
                Problems.Details(400, ErrorCodes.BodyMissing, "The request body is missing.", "This operation needs a JSON body."),
            _ when BindingFailure().Match(bad.Message) is { Success: true } m => QueryValueProblem(m.Groups["name"].Value),
            _ => Problems.Details(bad.StatusCode, ErrorCodes.BadRequest, "The request is not valid.", "The request could not be read."),
        };
    }

    /// <summary>Names the field from the JSON path, without exposing .NET type names.</summary>
    internal static ProblemDetails FromJson(JsonException json)
    {
        var field = JsonPaths.ToField(json.Path);
        var message = json.Message;
        var (code, rule) =
            message.StartsWith("The JSON property", StringComparison.Ordinal) && message.Contains("could not be mapped", StringComparison.Ordinal)
                ? (ErrorCodes.UnknownProperty, "is not a property of this resource.")
            : message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal)
                ? (ErrorCodes.WrongType, "has the wrong type or a value outside the allowed list (see the contract).")
            : (ErrorCodes.MalformedJson, "The body is not well-formed JSON" + (json.LineNumber is { } line ? $" (line {line + 1}, byte {json.BytePositionInLine + 1})." : "."));

        if (code == ErrorCodes.UnknownProperty)
        {
            // The path points at the object; the property name is in the message between quotes.
            var start = message.IndexOf('\'', StringComparison.Ordinal) + 1;
            var end = message.IndexOf('\'', start);
            var property = end > start ? message[start..end] : "";
            field = string.IsNullOrEmpty(field) || field == property ? property : $"{field}.{property}";
        }

        var key = string.IsNullOrEmpty(field) ? "$" : field;
        var problem = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [key] = [rule] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = code == ErrorCodes.MalformedJson ? "The body is not valid JSON." : "The request is not valid.",
            Detail = code == ErrorCodes.MalformedJson ? rule : $"'{key}' {rule}",
            Type = Problems.TypeBase + code,
        };
        problem.Extensions["errorCode"] = code;
        return problem;
    }

    /// <summary>A route or query value of the wrong form (e.g. <c>limit=abc</c>), named without .NET type names.</summary>
    private static HttpValidationProblemDetails QueryValueProblem(string name)
    {
        var problem = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [name] = ["has a value of the wrong form (see the contract)."] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is not valid.",
            Detail = $"'{name}' has a value of the wrong form.",
            Type = Problems.TypeBase + ErrorCodes.WrongType,
        };
        problem.Extensions["errorCode"] = ErrorCodes.WrongType;
        return problem;
    }

    [GeneratedRegex("""^Failed to bind parameter "(?:[^"]* )?(?<name>[A-Za-z0-9_]+)" from""")]
    private static partial Regex BindingFailure();

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception for trace {TraceId}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string traceId);
}

public static class JsonPaths
{
    /// <summary><c>$.subjects[1]</c> → <c>subjects[1]</c>; <c>$['a b']</c> stays readable.</summary>
    public static string ToField(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
}
