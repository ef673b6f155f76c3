
namespace Iqts.Api.Http;

/// <summary>How a handler maps what an operation or a read returned to HTTP, for answers without an ETag.</summary>
public static class Answers
{
    /// <summary>200 with the body, or 404 naming <paramref name="what"/> when there is nothing (an unknown id and another provider's alike).</summary>
    public static Results<Ok<TBody>, ProblemHttpResult> OkOrNotFound<T, TBody>(T? found, string what, Func<T, TBody> body)
        where T : class =>
        found is null ? ApiErrors.NotFound(what).ToResult() : TypedResults.Ok(body(found));

    /// <summary>The outcome as 200, or its problem.</summary>
    public static Results<Ok<TBody>, ProblemHttpResult> Ok<T, TBody>(Outcome<T> outcome, Func<T, TBody> body) =>
        outcome.Failed ? outcome.Error.ToResult() : TypedResults.Ok(body(outcome.Value));

    /// <summary>The outcome as 201 at <paramref name="location"/>, or its problem.</summary>
    public static Results<Created<TBody>, ProblemHttpResult> Created<T, TBody>(Outcome<T> outcome, Func<T, string> location, Func<T, TBody> body) =>
        outcome.Failed ? outcome.Error.ToResult() : TypedResults.Created(location(outcome.Value), body(outcome.Value));

    /// <summary>The outcome as 204, or its problem.</summary>
    public static Results<NoContent, ProblemHttpResult> NoContent<T>(Outcome<T> outcome) =>
        outcome.Failed ? outcome.Error.ToResult() : TypedResults.NoContent();
}
