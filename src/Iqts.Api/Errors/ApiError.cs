namespace Iqts.Api.Errors;

/// <summary>
/// One kind of error in the catalogue (<see cref="ApiErrors"/>): its stable code, its HTTP status, its title and what
/// it means. The README's table of error codes is this list; a test keeps the two equal.
/// </summary>
public sealed record ErrorKind(string Code, int Status, string Title, string Meaning)
{
    public ApiError With(string? detail) => new(this, detail);
}

/// <summary>
/// An error as a value: its kind, the detail of this occurrence and the data a client acts on (the fields of a
/// validation error, the matching trainees of a duplicate). Rules and repositories return these; only
/// <c>Http/Problems.cs</c> turns one into problem+json.
/// </summary>
public sealed record ApiError(ErrorKind Kind, string? Detail)
{
    private static readonly IReadOnlyDictionary<string, object?> NoData = new Dictionary<string, object?>();

    public string Code => Kind.Code;

    public int Status => Kind.Status;

    public string Title => Kind.Title;

    /// <summary>For validation errors: messages keyed by the JSON path of the field.</summary>
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }

    /// <summary>Extension members of the problem document, e.g. <c>matches</c> or <c>currentStatus</c>.</summary>
    public IReadOnlyDictionary<string, object?> Data { get; init; } = NoData;

    public ApiError WithData(string name, object? value) =>
        this with { Data = new Dictionary<string, object?>(Data) { [name] = value } };
}
