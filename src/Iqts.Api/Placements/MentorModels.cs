using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Iqts.Api.Placements;

/// <summary>
/// A school mentor as the provider records it (C2.2 i and iv): the school, when the provider assessed the mentor's
/// skills and training needs, the pre-training on the iQTS Teachers' Standards and on the core content framework, and the
/// mandatory mentor training. The name is personal data: kept with the record and its history, never in logs or reports.
/// </summary>
public record SchoolMentorDetails
{
    /// <summary>One of the provider's schools.</summary>
    [Required]
    public Guid? SchoolId { get; init; }

    /// <summary>At most 100 characters.</summary>
    public string Name { get; init; } = "";

    /// <summary>C2.2 i: when the provider assessed the mentor's skills and training needs.</summary>
    public DateOnly? NeedsAssessedOn { get; init; }

    /// <summary>C2.2 iv: when the mentor completed pre-training on the iQTS Teachers' Standards.</summary>
    public DateOnly? StandardsPretrainingOn { get; init; }

    /// <summary>C2.2 iv: when the mentor completed pre-training on the core content framework.</summary>
    public DateOnly? FrameworkPretrainingOn { get; init; }

    /// <summary>C2.2 i: when the mentor completed the provider's mandatory mentor training.</summary>
    public DateOnly? TrainingCompletedOn { get; init; }
}

/// <summary>A mentor as stored.</summary>
public sealed record SchoolMentor : SchoolMentorDetails, IVersioned
{
    public SchoolMentor()
    {
    }

    public SchoolMentor(SchoolMentorDetails details)
        : base(details)
    {
    }

    public Guid MentorId { get; init; }

    public string Ukprn { get; init; } = "";

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public long RowVersion { get; init; }

    public long ChangeSeq { get; init; }
}

/// <summary>One of the provider's mentors.</summary>
public sealed record SchoolMentorResponse : SchoolMentorDetails
{
    public SchoolMentorResponse(SchoolMentor m)
        : base(m)
    {
        MentorId = m.MentorId;
        CreatedAt = m.CreatedAt;
        UpdatedAt = m.UpdatedAt;
    }

    [JsonPropertyOrder(-1)]
    public Guid MentorId { get; init; }

    [JsonPropertyOrder(1)]
    public DateTimeOffset CreatedAt { get; init; }

    [JsonPropertyOrder(1)]
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A one-to-one meeting between the provider and a mentor on its trainees' progress (C2.2 iv).</summary>
/// <param name="HeldOn">Not in the future.</param>
/// <param name="TraineeIds">The trainees discussed: the provider's, each once (at most 50).</param>
public sealed record MentorMeetingRequest([property: Required] DateOnly? HeldOn, IReadOnlyList<Guid>? TraineeIds);

/// <summary>A meeting as recorded. Meetings are not edited: a mistake is a new record's matter for the history.</summary>
public sealed record MentorMeeting
{
    public Guid MeetingId { get; init; }

    public Guid MentorId { get; init; }

    public DateOnly HeldOn { get; init; }

    public IReadOnlyList<Guid> TraineeIds { get; init; } = [];

    public DateTimeOffset CreatedAt { get; init; }

    [JsonIgnore]
    public string Ukprn { get; init; } = "";

    [JsonIgnore]
    public long ChangeSeq { get; init; }
}

/// <summary>How many times mentor and trainee met in one week of a placement (C2.2 iv: regular weekly interaction).</summary>
/// <param name="WeekStarting">The week's first day: the placement's start date or a multiple of seven days after it, within the placement.</param>
/// <param name="Count">Interactions that week, 0 to 50.</param>
public sealed record WeeklyInteractions([property: Required] DateOnly? WeekStarting, [property: Required] int? Count);

/// <summary>What C2.2 i and iv read beside the placements: the provider's mentors and the dates of their meetings, by mentor.</summary>
public sealed record MentoringRecords(IReadOnlyDictionary<Guid, SchoolMentor> Mentors, ILookup<Guid, DateOnly> Meetings)
{
    public static readonly MentoringRecords None = new(new Dictionary<Guid, SchoolMentor>(), Array.Empty<MentorMeeting>().ToLookup(m => m.MentorId, m => m.HeldOn));
}
