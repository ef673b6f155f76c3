namespace Iqts.Api.Http;

/// <summary>What endpoints say of themselves for the contract (its document is built in Composition/ContractDocument.cs).</summary>
public static class OpenApi
{
    public const string ProblemJson = "application/problem+json";

    /// <summary>
    /// Turns each handler's <see cref="ProblemsAttribute"/> into the response metadata the API explorer reads (one per
    /// status, <typeparamref name="TProblem"/>, the contract's problem document, as application/problem+json). Added once, to the versioned group, as a "finally"
    /// convention: a group's ordinary conventions run before the handler's attributes are added to its metadata.
    /// </summary>
    public static TBuilder DescribeProblems<TBuilder, TProblem>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Finally(endpoint =>
        {
            foreach (var status in endpoint.Metadata.OfType<ProblemsAttribute>().SelectMany(p => p.StatusCodes).ToList())
            {
                endpoint.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(TProblem), [ProblemJson]));
            }
        });
        return builder;
    }
}

/// <summary>
/// Properties a response type always fills although the shared type they come from declares them nullable
/// (e.g. a trainee's age phase, resolved on registration): required and non-null in the contract.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class AlwaysPresentAttribute(params string[] properties) : Attribute
{
    public IReadOnlyList<string> Properties { get; } = properties;
}

// What a handler says of itself, beside [EndpointName], [EndpointSummary] and [EndpointDescription]: read by the
// contract's filters, so the contract is complete enough that SDKs generated from it need no hand edits.

/// <summary>The problem responses an operation can return, beside the ones every secured operation has.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ProblemsAttribute(params int[] statusCodes) : Attribute
{
    public IReadOnlyList<int> StatusCodes { get; } = statusCodes;
}

/// <summary>
/// An example request body for the contract, one the API accepts as it stands (a test sends every example in the committed
/// contract and expects 2xx). Several on one operation are named examples (one per kind of qualification).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ExampleAttribute(string name, string summary, string json) : Attribute
{
    public string Name { get; } = name;

    public string Summary { get; } = summary;

    public string Json { get; } = json;
}

/// <summary>The operation's success response carries an ETag.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ETagAttribute : Attribute;

/// <summary>
/// A public read any cache may keep: its answer carries a strong ETag and <c>Cache-Control</c>, and a request whose
/// <c>If-None-Match</c> names the current ETag is answered 304 without a body.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class CacheableAttribute : Attribute;

/// <summary>The operation honours If-Match (412 when stale).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class IfMatchAttribute : Attribute;

/// <summary>The operation answers CSV (<c>text/csv</c>, a header row) when asked with Accept, beside JSON.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class CsvAttribute : Attribute;

/// <summary>
/// The body of a JSON merge patch of <paramref name="editable"/>: the contract gets a schema <paramref name="schemaName"/>
/// with the same properties, every one optional and nullable (null clears), derived from the editable type so no field is
/// written twice.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class MergePatchAttribute(Type editable, string schemaName, string description) : Attribute
{
    public Type Editable { get; } = editable;

    public string SchemaName { get; } = schemaName;

    public string Description { get; } = description;
}

/// <summary>
/// The body of a batch, read by its handler as a stream: a JSON array of <paramref name="rowType"/>, and where
/// a CSV example is given also text/csv. The contract documents both.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BatchBodyAttribute(Type rowType, string? csvExample = null) : Attribute
{
    public Type RowType { get; } = rowType;

    /// <summary>An example CSV body when the batch also takes text/csv; null when it takes JSON only.</summary>
    public string? CsvExample { get; } = csvExample;
}
