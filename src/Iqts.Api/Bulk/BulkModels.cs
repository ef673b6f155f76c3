using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Iqts.Api.Eligibility;
using Iqts.Api.Placements;
using Iqts.Api.Trainees;

namespace Iqts.Api.Bulk;

/// <summary>
/// A trainee as the provider's student-record system sends it, optionally with its evidence, all stored in one
/// transaction or none of it (DfE's Register nests degrees and placements in its create the same way). Codes come from
/// <c>GET /api/v1/reference-data/{set}</c>; the set is named on each field.
/// </summary>
public sealed record CreateTraineeRequest : TraineeRegistration
{
    /// <summary>
    /// Entry qualifications (C1.1–C1.3), as <c>POST …/qualifications</c> takes them, in order. English evidence may name a
    /// degree sent before it here as <c>qualifications[i]</c> in <c>degreeQualificationId</c>.
    /// </summary>
    [JsonPropertyOrder(3)]
    public IReadOnlyList<QualificationRequest>? Qualifications { get; init; }

    /// <summary>The suitability checks (C1.4), as <c>PUT …/suitability-checks</c> takes them.</summary>
    [JsonPropertyOrder(3)]
    public SuitabilityChecks? SuitabilityChecks { get; init; }

    /// <summary>Placements in the provider's schools (named by id), as <c>POST …/placements</c> takes them.</summary>
    [JsonPropertyOrder(3)]
    public IReadOnlyList<PlacementDetails>? Placements { get; init; }

    /// <summary>The placement plan (C2.4 ii–iv), as <c>PUT …/placement-plan</c> takes it.</summary>
    [JsonPropertyOrder(3)]
    public PlacementPlan? PlacementPlan { get; init; }

    [JsonIgnore]
    public bool HasEvidence => Qualifications is { Count: > 0 } || SuitabilityChecks is not null || Placements is { Count: > 0 } || PlacementPlan is not null;
}

/// <summary>One award of a batch (DfE Register's bulk recommend-for-award).</summary>
/// <param name="TraineeId">One of the provider's trainees.</param>
/// <param name="AwardedOn">The date of the award, as <c>POST …/award</c> takes it.</param>
public sealed record AwardBatchRow([property: Required] string? TraineeId, [property: Required] DateOnly? AwardedOn);

public enum BatchKind
{
    Trainees,
    Awards,
}

public enum BatchStatus
{
    /// <summary>Its rows are still arriving (never seen by a client: the POST answers once they are in).</summary>
    Receiving,
    Queued,
    Running,
    /// <summary>Every row passed; unless it was a dry run, every row is stored.</summary>
    Succeeded,
    /// <summary>At least one row failed (errors lists every one); nothing is stored.</summary>
    Failed,
}

/// <summary>One thing wrong with one row of a batch.</summary>
/// <param name="Row">The row, from 1: the first trainee of the array, or the line after a CSV's header.</param>
/// <param name="Field">The JSON path of the field in the row (<c>qualifications[2].gcse.grade</c>), the CSV column, or null for the row as a whole.</param>
/// <param name="ErrorCode">The errorCode the same request alone would have been answered with (the catalogue's), or an award rule's code.</param>
/// <param name="Message">The rule it broke.</param>
public sealed record BatchRowError(int Row, string? Field, string ErrorCode, string Message);

/// <summary>What one row of a batch stored (or, in a dry run, would store).</summary>
/// <param name="Row">The row, from 1.</param>
/// <param name="TraineeId">The trainee registered or awarded; null in a dry run of registrations (nothing was kept).</param>
public sealed record BatchRowResult(int Row, string? TraineeId);

/// <summary>A batch and, once it has run, what it found: every row stored, or none and every row's errors.</summary>
public sealed record BatchResponse
{
    public string BatchId { get; init; } = "";

    public BatchKind Kind { get; init; }

    /// <summary>queued or running while it works; succeeded (every row stored, or in a dry run every row would be) or failed (nothing stored).</summary>
    public BatchStatus Status { get; init; }

    /// <summary>True when the batch only checked its rows and stored nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>How many rows it has.</summary>
    public int Rows { get; init; }

    /// <summary>How many rows have been checked so far: the progress of a running batch.</summary>
    public int RowsDone { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Every row and field that failed, in row order: empty unless the batch failed.</summary>
    public IReadOnlyList<BatchRowError> Errors { get; init; } = [];

    /// <summary>What each row stored (its trainee), in row order: empty unless the batch succeeded.</summary>
    public IReadOnlyList<BatchRowResult> Results { get; init; } = [];
}
