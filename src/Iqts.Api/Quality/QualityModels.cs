using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Iqts.Api.Quality;

/// <summary>A moderator of the partnership's assessments (C3.4): internal (staff of the provider or a partner school) or external (independent).</summary>
public enum ModeratorKind
{
    Internal,
    External,
}

/// <summary>Which partner an internal moderator works for: the provider itself, or one of its placement schools.</summary>
public enum ModeratorPartner
{
    Provider,
    School,
}

/// <summary>
/// A moderator's details. An internal moderator names the partner it works for and its role there; an external one the
/// institution it comes from, its expertise, when the provider appointed it and when it declared it has no relationship
/// with the partnership (seed 003). The name is personal data: kept with the record and its history, never in logs or reports.
/// </summary>
public record ModeratorDetails
{
    [Required]
    public ModeratorKind? Kind { get; init; }

    /// <summary>The moderator's name, at most 200 characters (personal data).</summary>
    public string Name { get; init; } = "";

    /// <summary>Internal: the partner the moderator works for.</summary>
    public ModeratorPartner? Partner { get; init; }

    /// <summary>Internal, partner <c>school</c>: the school (one of the provider's).</summary>
    public Guid? SchoolId { get; init; }

    /// <summary>Internal: the moderator's role there, at most 100 characters.</summary>
    public string? Role { get; init; }

    /// <summary>External: the institution the moderator comes from, at most 200 characters.</summary>
    public string? Institution { get; init; }

    /// <summary>External: the experience and expertise the provider appointed the moderator for, at most 500 characters.</summary>
    public string? Expertise { get; init; }

    /// <summary>External: when the provider appointed the moderator.</summary>
    public DateOnly? AppointedOn { get; init; }

    /// <summary>External: when the moderator declared no relationship with the partnership (independence, seed 003).</summary>
    public DateOnly? NoRelationshipDeclaredOn { get; init; }
}

/// <summary>A moderator as stored.</summary>
public sealed record Moderator : ModeratorDetails, IVersioned
{
    public Moderator()
    {
    }

    public Moderator(ModeratorDetails details)
        : base(details)
    {
    }

    public Guid ModeratorId { get; init; }

    public string Ukprn { get; init; } = "";

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public long RowVersion { get; init; }

    public long ChangeSeq { get; init; }
}

/// <summary>One of the provider's moderators.</summary>
public sealed record ModeratorResponse : ModeratorDetails
{
    public ModeratorResponse(Moderator m)
        : base(m)
    {
        ModeratorId = m.ModeratorId;
        CreatedAt = m.CreatedAt;
        UpdatedAt = m.UpdatedAt;
    }

    [JsonPropertyOrder(-1)]
    public Guid ModeratorId { get; init; }

    [JsonPropertyOrder(1)]
    public DateTimeOffset CreatedAt { get; init; }

    [JsonPropertyOrder(1)]
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>Whose view of the training an evaluation gathers (C3.4).</summary>
public enum EvaluationSource
{
    Trainees,
    Tutors,
    FormerTrainees,
    Mentors,
    EmployingSchools,
    ExternalModerators,
    Dfe,
    Inspectorate,
}

/// <summary>An action the provider took on an evaluation's findings.</summary>
/// <param name="Action">What it did, at most 500 characters.</param>
/// <param name="TakenOn">When, not in the future.</param>
public sealed record EvaluationAction(string Action, [property: Required] DateOnly? TakenOn);

/// <summary>
/// What the provider collected and analysed about its training from one source for one period, and what it did about it
/// (C3.4). Survey-like sources carry how many responded; no individual's answers are recorded.
/// </summary>
/// <param name="Source">Whose view.</param>
/// <param name="PeriodFrom">The first day of the period evaluated.</param>
/// <param name="PeriodTo">Its last day, not in the future.</param>
/// <param name="Responses">How many responded: only for trainees, tutors, former trainees, mentors and employing schools.</param>
/// <param name="Findings">A summary of the findings, at most 2,000 characters; no individual's answers or names.</param>
/// <param name="Actions">The actions taken, with their dates (at most 50).</param>
public sealed record EvaluationRequest([property: Required] EvaluationSource? Source, [property: Required] DateOnly? PeriodFrom, [property: Required] DateOnly? PeriodTo,
    int? Responses, string Findings, IReadOnlyList<EvaluationAction>? Actions);

/// <summary>An evaluation as recorded.</summary>
public sealed record TrainingEvaluation
{
    public Guid EvaluationId { get; init; }

    public EvaluationSource Source { get; init; }

    public DateOnly PeriodFrom { get; init; }

    public DateOnly PeriodTo { get; init; }

    public int? Responses { get; init; }

    public string Findings { get; init; } = "";

    public IReadOnlyList<EvaluationAction> Actions { get; init; } = [];

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    [JsonIgnore]
    public string Ukprn { get; init; } = "";

    [JsonIgnore]
    public long RowVersion { get; init; }

    [JsonIgnore]
    public long ChangeSeq { get; init; }
}
