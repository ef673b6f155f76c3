using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Iqts.Api.Assessments;

/// <summary>The iQTS Teachers' Standards: TS1–TS8 and Part Two, personal and professional conduct.</summary>
public enum TeachersStandard
{
    Ts1,
    Ts2,
    Ts3,
    Ts4,
    Ts5,
    Ts6,
    Ts7,
    Ts8,
    PartTwo,
}

public enum AssessmentStage
{
    Interim,

    /// <summary>At the end of the programme: judges every standard (C2.5 i).</summary>
    Final,
}

public enum AssessorRole
{
    ProviderTutor,
    SchoolMentor,
    ExternalModerator,
}

public enum JudgementOutcome
{
    Met,
    NotYetMet,
    NotMet,
}

public enum ModerationKind
{
    None,
    Internal,
    External,
}

/// <summary>Who assessed.</summary>
/// <param name="Role">provider_tutor, school_mentor or external_moderator.</param>
/// <param name="Name">At most 100 characters. Personal data: in the record and the history, never in logs.</param>
public sealed record Assessor([property: Required] AssessorRole? Role, string Name);

/// <summary>One standard judged.</summary>
public sealed record Judgement([property: Required] TeachersStandard? Standard, [property: Required] JudgementOutcome? Outcome);

/// <summary>How the assessment was moderated (C3.4): <c>none</c>, or <c>internal</c> / <c>external</c> on a date.</summary>
public sealed record Moderation([property: Required] ModerationKind? Kind, DateOnly? ModeratedOn);

/// <summary>
/// A judgement of a trainee against the iQTS Teachers' Standards. Assessments are append-only (C3.4: a reliable audit
/// trail over time): a correction is a new assessment that names the one it replaces in <c>supersedes</c>.
/// </summary>
public record AssessmentRequest
{
    /// <summary>When the assessment was made: not in the future, not before the trainee's start.</summary>
    [Required]
    public DateOnly? AssessedOn { get; init; }

    [Required]
    public AssessmentStage? Stage { get; init; }

    [Required]
    public Assessor? Assessor { get; init; }

    /// <summary>The standards judged, each once (set <c>teachers-standards</c>); a final assessment judges all nine.</summary>
    public IReadOnlyList<Judgement> Judgements { get; init; } = [];

    [Required]
    public Moderation? Moderation { get; init; }

    /// <summary>C2.1 v: the provider has assured the trainee's proficiency in English.</summary>
    [Required]
    public bool? EnglishAssured { get; init; }

    /// <summary>C2.1 v: the provider has assured the trainee's proficiency in mathematics.</summary>
    [Required]
    public bool? MathsAssured { get; init; }

    /// <summary>The assessment this one corrects; it stays visible, with <c>supersededBy</c>.</summary>
    public string? Supersedes { get; init; }
}

/// <summary>An assessment as stored. Nothing in it ever changes; who superseded it is read from the one that did.</summary>
public sealed record Assessment : AssessmentRequest
{
    public Assessment()
    {
    }

    public Assessment(AssessmentRequest request)
        : base(request)
    {
    }

    [JsonPropertyOrder(-1)]
    public Guid AssessmentId { get; init; }

    [NotAudited]
    public Guid TraineeId { get; init; }

    [NotAudited]
    public Guid? SupersededBy { get; init; }

    [NotAudited]
    public DateTimeOffset RecordedAt { get; init; }

    public bool IsCurrent => SupersededBy is null;

    /// <summary>Recorded before moderation exercises existed, so C3.4 judges it on <c>moderation.kind</c> (ADR 0012).</summary>
    [NotAudited]
    [JsonIgnore]
    public bool ModerationJudgedOnKind { get; init; }
}

/// <summary>A trainee's assessment.</summary>
public sealed record AssessmentResponse : AssessmentRequest
{
    public AssessmentResponse(Assessment assessment)
        : base(assessment)
    {
        AssessmentId = assessment.AssessmentId.ToString();
        TraineeId = assessment.TraineeId.ToString();
        SupersededBy = assessment.SupersededBy?.ToString();
        RecordedAt = assessment.RecordedAt;
    }

    [JsonPropertyOrder(-1)]
    public string AssessmentId { get; init; }

    [JsonPropertyOrder(-1)]
    public string TraineeId { get; init; }

    /// <summary>The assessment that corrected this one, if any; a superseded assessment no longer counts for the award.</summary>
    [JsonPropertyOrder(1)]
    public string? SupersededBy { get; init; }

    /// <summary>When it was recorded here.</summary>
    [JsonPropertyOrder(1)]
    public DateTimeOffset RecordedAt { get; init; }
}

/// <summary>A trainee's assessments, oldest first (a bounded list, returned whole).</summary>
public sealed record AssessmentList(IReadOnlyList<AssessmentResponse> Items);
