namespace Iqts.Api.Composition;

/// <summary>
/// The RFC 9457 problem document every error uses. This record documents the shape in the
/// contract; at run time <c>Http/Problems.cs</c> writes an <see cref="ApiError"/> with the same members.
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
    public IReadOnlyList<DuplicateMatch>? Matches { get; init; }

    /// <summary>For <c>trainee.invalid_transition</c>: the trainee's status now.</summary>
    public Trainees.TraineeStatus? CurrentStatus { get; init; }

    /// <summary>For <c>placement.overlaps</c>: the placement this one overlaps.</summary>
    public string? PlacementId { get; init; }

    /// <summary>For <c>assessment.already_superseded</c>: the assessment that corrected it.</summary>
    public string? SupersededBy { get; init; }

    /// <summary>For <c>award.rules_not_met</c>: every rule not met.</summary>
    public IReadOnlyList<Awards.UnmetRule>? Rules { get; init; }
}
