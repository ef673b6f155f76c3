using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Iqts.Api.Assessments;

namespace Iqts.Api.Quality;

/// <summary>Why a trainee is in a moderation exercise's sample (seed 003).</summary>
public enum SampleReason
{
    /// <summary>Judged on the pass/fail borderline.</summary>
    Borderline,

    /// <summary>Judged likely to fail.</summary>
    LikelyToFail,

    /// <summary>Part of a representative cross-section.</summary>
    Representative,

    /// <summary>In the designated sample whose teaching the moderators observe.</summary>
    DesignatedObservation,
}

/// <summary>What the moderators made of a sampled assessment.</summary>
public enum SampleOutcome
{
    /// <summary>They agreed with the judgement.</summary>
    Agreed,

    /// <summary>They adjusted it: the adjusted judgement is a new assessment that supersedes the one moderated.</summary>
    Adjusted,
}

/// <summary>How accurately, in the external moderator's view, the partnership assesses trainees against the iQTS Teachers' Standards.</summary>
public enum AssessmentAccuracy
{
    Accurate,
    MostlyAccurate,
    Inaccurate,
}

/// <summary>A sampled assessment and its outcome.</summary>
/// <param name="AssessmentId">One of the trainee's assessments.</param>
/// <param name="Outcome"><c>agreed</c>, or <c>adjusted</c> with <c>adjustedBy</c>.</param>
/// <param name="AdjustedBy">Adjusted: the trainee's assessment that supersedes this one and records the adjusted judgement; it must exist.</param>
public sealed record ModeratedAssessment([property: Required] Guid? AssessmentId, [property: Required] SampleOutcome? Outcome, Guid? AdjustedBy);

/// <summary>A trainee in the sample: why, and the outcome for each of its assessments the moderators scrutinised.</summary>
/// <param name="TraineeId">One of the provider's trainees.</param>
/// <param name="Reasons">Why the trainee is in the sample (1–4, each once).</param>
/// <param name="Assessments">The trainee's assessments moderated, each once (at most 20); none for a trainee only observed.</param>
public sealed record SampledTrainee([property: Required] Guid? TraineeId, IReadOnlyList<SampleReason>? Reasons, IReadOnlyList<ModeratedAssessment>? Assessments);

/// <summary>The external moderator's findings on one standard.</summary>
/// <param name="Standard">A standard of <c>teachers-standards</c>, each once.</param>
/// <param name="Strengths">At most 1,000 characters.</param>
/// <param name="Weaknesses">At most 1,000 characters.</param>
public sealed record StandardFindings([property: Required] TeachersStandard? Standard, string? Strengths, string? Weaknesses);

/// <summary>
/// The external moderator's report (seed 003): when it was received, where it is (an address or a reference), its
/// evaluation of the provision's strengths and weaknesses by standard and of the accuracy of assessment.
/// </summary>
/// <param name="ReceivedOn">On or after the exercise, not in the future.</param>
/// <param name="Reference">The report's address or reference, at most 500 characters.</param>
/// <param name="AssessmentAccuracy">The accuracy of the partnership's assessments against the iQTS Teachers' Standards.</param>
/// <param name="Summary">The report's summary judgements, at most 2,000 characters.</param>
/// <param name="Standards">Strengths and weaknesses by standard (at most one entry per standard).</param>
public sealed record ModerationReport([property: Required] DateOnly? ReceivedOn, string Reference, [property: Required] AssessmentAccuracy? AssessmentAccuracy,
    string Summary, IReadOnlyList<StandardFindings>? Standards);

/// <summary>How the provider used the external moderator's feedback (seed 003): what it changed, and when.</summary>
/// <param name="Changes">At most 2,000 characters.</param>
/// <param name="ChangedOn">On or after the report was received, not in the future.</param>
public sealed record ReportResponse(string Changes, [property: Required] DateOnly? ChangedOn);

/// <summary>
/// A moderation exercise (C3.4, seed 003): internal (a panel of staff from two or more partners) or external (with at
/// least one independent moderator, whose report and the provider's response it carries), the sample scrutinised and
/// the outcome for each sampled assessment. A final assessment counts as moderated for the award when an exercise's
/// outcome covers it.
/// </summary>
public record ModerationExerciseDetails
{
    [Required]
    public ModeratorKind? Kind { get; init; }

    /// <summary>When the exercise was held, not in the future.</summary>
    [Required]
    public DateOnly? HeldOn { get; init; }

    /// <summary>The provider's moderators taking part (1–20, each once).</summary>
    public IReadOnlyList<Guid> ModeratorIds { get; init; } = [];

    /// <summary>The trainees sampled (1–500, each once).</summary>
    public IReadOnlyList<SampledTrainee> Sample { get; init; } = [];

    /// <summary>External only: the external moderator's report.</summary>
    public ModerationReport? Report { get; init; }

    /// <summary>External only, with the report: the provider's response to it.</summary>
    public ReportResponse? Response { get; init; }
}

/// <summary>A moderation exercise as stored.</summary>
public sealed record ModerationExercise : ModerationExerciseDetails, IVersioned
{
    public ModerationExercise()
    {
    }

    public ModerationExercise(ModerationExerciseDetails details)
        : base(details)
    {
    }

    public Guid ModerationId { get; init; }

    public string Ukprn { get; init; } = "";

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public long RowVersion { get; init; }

    public long ChangeSeq { get; init; }
}

/// <summary>One of the provider's moderation exercises.</summary>
public sealed record ModerationExerciseResponse : ModerationExerciseDetails
{
    public ModerationExerciseResponse(ModerationExercise m)
        : base(m)
    {
        ModerationId = m.ModerationId;
        CreatedAt = m.CreatedAt;
        UpdatedAt = m.UpdatedAt;
    }

    [JsonPropertyOrder(-1)]
    public Guid ModerationId { get; init; }

    [JsonPropertyOrder(1)]
    public DateTimeOffset CreatedAt { get; init; }

    [JsonPropertyOrder(1)]
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>An exercise's outcome for one of a trainee's assessments: what the award's C3.4 rule reads.</summary>
public sealed record ModerationCover(Guid ModerationId, ModeratorKind Kind, DateOnly HeldOn, Guid TraineeId, ModeratedAssessment Outcome);
