using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Iqts.Api.Placements;

/// <summary>The kind of school a trainee trains in (management information, seed 000).</summary>
public enum SchoolType
{
    BritishInternational,
    EnglishMediumInternational,
    BilingualInternational,
    OtherPrivate,
    LocalState,
    OtherInternational,
}

/// <summary>What the provider's risk assessment of a placement school concluded (C2.4 v).</summary>
public enum RiskOutcome
{
    Suitable,
    Unsuitable,
}

/// <summary>Why a school was removed as a placement school; C3.2 iii asks for quality and safeguarding at least.</summary>
public enum RemovalReason
{
    Quality,
    Safeguarding,
    Other,
}

/// <summary>What a partnership agreement details (C3.2 v a–h).</summary>
public enum PartnershipItem
{
    /// <summary>a. the partnership's quality assurance procedures.</summary>
    QualityAssurance,

    /// <summary>b. content and delivery of the iQTS programme.</summary>
    ProgrammeContent,

    /// <summary>c. safeguarding checks.</summary>
    SafeguardingChecks,

    /// <summary>d. policies for equality of opportunity.</summary>
    EqualityOfOpportunity,

    /// <summary>e. organisation and management of the partnership.</summary>
    PartnershipManagement,

    /// <summary>f. each partner's role in managing trainee workload.</summary>
    TraineeWorkload,

    /// <summary>g. each partner's role in protecting trainees' mental health and well-being.</summary>
    TraineeWellbeing,

    /// <summary>h. mentor training and assessment by providers, and the school-based mentor's responsibilities.</summary>
    MentorTraining,
}

/// <summary>
/// The provider's risk assessment of a school (C2.4 v): that safeguarding mechanisms and support structures are in
/// place, the school can give suitable mentor support, and the mentor is willing to train and engage. A school is
/// <c>suitable</c> only when all four hold.
/// </summary>
public sealed record RiskAssessment(
    [property: Required] DateOnly? AssessedOn,
    [property: Required] bool? Safeguarding,
    [property: Required] bool? SupportStructures,
    [property: Required] bool? MentorSupport,
    [property: Required] bool? MentorWillingToTrain,
    [property: Required] RiskOutcome? Outcome);

/// <summary>The partnership agreement with a school (C3.2 i, v): signed and dated for each partner by a role with authority.</summary>
/// <param name="SignedOn">When it was signed; not in the future.</param>
/// <param name="SignedByProvider">The provider signatory's role, e.g. "Director of ITT" (a role, not a name), at most 100 characters.</param>
/// <param name="SignedBySchool">The school signatory's role, e.g. "Principal", at most 100 characters.</param>
/// <param name="Covers">The C3.2 v items the agreement details; C3.2 needs all eight.</param>
public sealed record PartnershipAgreement(
    [property: Required] DateOnly? SignedOn,
    string SignedByProvider,
    string SignedBySchool,
    IReadOnlyList<PartnershipItem> Covers);

/// <summary>A placement school of the provider's, outside England (in the UK only Wales, Scotland or Northern Ireland).</summary>
public record SchoolDetails
{
    /// <summary>At most 200 characters.</summary>
    public string Name { get; init; } = "";

    /// <summary>Set <c>countries</c>: outside the UK, or Wales, Scotland or Northern Ireland.</summary>
    public string Country { get; init; } = "";

    /// <summary>At most 100 characters.</summary>
    public string? City { get; init; }

    /// <summary>Set <c>school-types</c>.</summary>
    [Required]
    public SchoolType? SchoolType { get; init; }

    /// <summary>C2.4 v: the provider's risk assessment; a school without a suitable one takes no placement.</summary>
    public RiskAssessment? RiskAssessment { get; init; }

    /// <summary>C3.2: the partnership agreement.</summary>
    public PartnershipAgreement? PartnershipAgreement { get; init; }

    /// <summary>When the school stopped being a placement school (C3.2 iii); it then takes no new placement.</summary>
    public DateOnly? RemovedOn { get; init; }

    /// <summary>Why; required with <c>removedOn</c>.</summary>
    public RemovalReason? RemovalReason { get; init; }

    public SchoolDetails DetailsOnly() => new(this);
}

/// <summary>A school as stored.</summary>
public sealed record School : SchoolDetails, IVersioned
{
    public School()
    {
    }

    public School(SchoolDetails details)
        : base(details)
    {
    }

    public Guid SchoolId { get; init; }

    [NotAudited]
    public string Ukprn { get; init; } = "";

    [NotAudited]
    public DateTimeOffset CreatedAt { get; init; }

    [NotAudited]
    public DateTimeOffset UpdatedAt { get; init; }

    [NotAudited]
    public long RowVersion { get; init; }

    [NotAudited]
    public long ChangeSeq { get; init; }

    public School WithDetails(SchoolDetails details) => new(details)
    {
        SchoolId = SchoolId,
        Ukprn = Ukprn,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
        RowVersion = RowVersion,
        ChangeSeq = ChangeSeq,
    };

    /// <summary>Whether the school may take a new placement: not removed, and risk-assessed as suitable (C2.4 v).</summary>
    public bool TakesPlacements => RemovedOn is null && RiskAssessment?.Outcome == RiskOutcome.Suitable;
}

/// <summary>A placement school of the provider's.</summary>
public sealed record SchoolResponse : SchoolDetails
{
    public SchoolResponse(School school)
        : base(school)
    {
        SchoolId = school.SchoolId.ToString();
        CreatedAt = school.CreatedAt;
        UpdatedAt = school.UpdatedAt;
    }

    [JsonPropertyOrder(-1)]
    public string SchoolId { get; init; }

    [JsonPropertyOrder(1)]
    public DateTimeOffset CreatedAt { get; init; }

    [JsonPropertyOrder(1)]
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>
/// The trainee's mentor in the school (C2.2). Superseded by <c>mentorId</c>, which names the provider's record of the
/// mentor (<c>/mentors</c>) and lets C2.2 i and iv be judged; still accepted, and shown for a placement naming a mentor by
/// id with that record's name and training date. The name is personal data: in the record and its history, never in logs.
/// </summary>
/// <param name="Name">At most 100 characters.</param>
/// <param name="TrainingCompletedOn">When the mentor completed the provider's mentor training; the placement counts for C2.2 only if on or before its start.</param>
public sealed record Mentor(string Name, DateOnly? TrainingCompletedOn);

/// <summary>A stretch of the trainee's training in one of the provider's schools.</summary>
public record PlacementDetails
{
    /// <summary>One of the provider's own schools.</summary>
    public string SchoolId { get; init; } = "";

    [Required]
    public DateOnly? StartDate { get; init; }

    /// <summary>On or after the start date, within two years of it.</summary>
    [Required]
    public DateOnly? EndDate { get; init; }

    /// <summary>Days of training in the school: at least 1, no more than the weekdays in the range (five in every seven days, whichever the school's weekend).</summary>
    [Required]
    public int? Days { get; init; }

    /// <summary>The mentor inline (superseded): required unless <c>mentorId</c> names one; in an answer, always present.</summary>
    public Mentor? Mentor { get; init; }

    /// <summary>The provider's record of the mentor (<c>/mentors</c>), a mentor at the placement's school; then <c>mentor</c> is not sent.</summary>
    public Guid? MentorId { get; init; }

    /// <summary>C2.2 iv: mentor–trainee interactions in each week of the placement (each week once, at most 110).</summary>
    public IReadOnlyList<WeeklyInteractions>? MentorInteractions { get; init; }

    /// <summary>The details as a request would send them: a mentor named by id is not also sent inline.</summary>
    public PlacementDetails DetailsOnly() => new(this) { Mentor = MentorId is null ? Mentor : null };
}

/// <summary>A placement as stored.</summary>
public sealed record Placement : PlacementDetails, IVersioned
{
    public Placement()
    {
    }

    public Placement(PlacementDetails details)
        : base(details)
    {
    }

    public Guid PlacementId { get; init; }

    [NotAudited]
    public Guid TraineeId { get; init; }

    [NotAudited]
    public DateTimeOffset CreatedAt { get; init; }

    [NotAudited]
    public DateTimeOffset UpdatedAt { get; init; }

    [NotAudited]
    public long RowVersion { get; init; }

    public Placement WithDetails(PlacementDetails details) => new(details)
    {
        PlacementId = PlacementId,
        TraineeId = TraineeId,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
        RowVersion = RowVersion,
    };
}

/// <summary>A trainee's placement.</summary>
public sealed record PlacementResponse : PlacementDetails
{
    public PlacementResponse(Placement placement)
        : base(placement)
    {
        PlacementId = placement.PlacementId.ToString();
        TraineeId = placement.TraineeId.ToString();
        CreatedAt = placement.CreatedAt;
        UpdatedAt = placement.UpdatedAt;
    }

    [JsonPropertyOrder(-1)]
    public string PlacementId { get; init; }

    [JsonPropertyOrder(-1)]
    public string TraineeId { get; init; }

    [JsonPropertyOrder(1)]
    public DateTimeOffset CreatedAt { get; init; }

    [JsonPropertyOrder(1)]
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A trainee's placements (a bounded list, returned whole), in date order.</summary>
public sealed record PlacementList(IReadOnlyList<PlacementResponse> Items);

/// <summary>Whether the trainee trains in a second school (C2.4 iii–iv).</summary>
public enum SecondSchoolStatus
{
    Planned,
    NotFeasible,
}

/// <summary>The second school: planned, or not feasible with the reason and the alternative experience of another setting (C2.4 iv).</summary>
/// <param name="Status">planned or not_feasible.</param>
/// <param name="Reason">not_feasible: why a second school is not possible, at most 500 characters.</param>
/// <param name="AlternativeExperience">not_feasible: how the trainee experiences another setting instead (e.g. remote observation of lessons elsewhere), at most 500 characters.</param>
public sealed record SecondSchool([property: Required] SecondSchoolStatus? Status, string? Reason, string? AlternativeExperience);

/// <summary>The provider's plan for the trainee's training in schools (C2.4 ii–iv).</summary>
public record PlacementPlan
{
    /// <summary>How many days in schools the provider has assessed the trainee needs: at least 120 (C2.4 i–ii).</summary>
    [Required]
    public int? RequiredDays { get; init; }

    /// <summary>The provider's reasons for that number (C2.4 ii), at most 500 characters.</summary>
    public string Reason { get; init; } = "";

    [Required]
    public SecondSchool? SecondSchool { get; init; }
}

/// <summary>A trainee's placement plan, with its version for If-Match.</summary>
public sealed record PlacementPlanResponse : PlacementPlan
{
    public PlacementPlanResponse(Guid traineeId, PlacementPlan plan, DateTimeOffset updatedAt)
        : base(plan)
    {
        TraineeId = traineeId.ToString();
        UpdatedAt = updatedAt;
    }

    [JsonPropertyOrder(-1)]
    public string TraineeId { get; init; }

    [JsonPropertyOrder(1)]
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>One criterion of training in schools evaluated.</summary>
/// <param name="Criterion">C2.4 i, C2.4 ii, C2.4 iii–iv, C2.4 v, C2.2 or C3.2.</param>
/// <param name="Result">met, not_met, or incomplete (something it rests on is not recorded yet).</param>
/// <param name="Reasons">Why.</param>
/// <param name="Evidence">The placement and school ids the result rests on.</param>
public sealed record PlacementCriterion(string Criterion, PlacementResult Result, IReadOnlyList<Reason> Reasons, IReadOnlyList<string> Evidence)
{
    public PlacementCriterion(CriterionCheck c)
        : this(c.Criterion, CriterionResults.Placement(c.Verdict), c.Reasons, c.Evidence)
    {
    }
}

/// <summary>Days in one school.</summary>
public sealed record SchoolDays(string SchoolId, string Name, int Days);

/// <summary>
/// The trainee's training in schools against C2.2, C2.4 and C3.2, in the shape of the eligibility answer: met when
/// every criterion is met, not_met when any is not, incomplete otherwise; with the day count and the schools.
/// </summary>
/// <param name="Result">Over <c>criteria</c>, the rules the award reads.</param>
/// <param name="Criteria">C2.4 i–v, C2.2 and C3.2.</param>
/// <param name="Days">Days of training counted.</param>
/// <param name="RequiredDays">What the plan says the trainee needs.</param>
/// <param name="Schools">The schools with their days.</param>
/// <param name="Mentoring">C2.2 i and C2.2 iv, the provider's mentoring of the placements, in the same shape; evidence for inspection, not award rules (ADR 0012).</param>
public sealed record PlacementSummary(PlacementResult Result, IReadOnlyList<PlacementCriterion> Criteria, int Days, int? RequiredDays, IReadOnlyList<SchoolDays> Schools,
    IReadOnlyList<PlacementCriterion> Mentoring)
{
    public PlacementSummary(PlacementEvaluation e)
        : this(CriterionResults.Placement(e.Criteria.Verdict), e.Criteria.Criteria.Select(c => new PlacementCriterion(c)).ToList(), e.Days, e.RequiredDays, e.Schools,
            e.Mentoring.Select(c => new PlacementCriterion(c)).ToList())
    {
    }
}

/// <summary>
/// What <see cref="PlacementRules.Summarise"/> finds: the criteria, the day count, the schools, the last day of the
/// placements counted, and C2.2 i and iv (not among the award's criteria).
/// </summary>
public sealed record PlacementEvaluation(Evaluation Criteria, int Days, int? RequiredDays, IReadOnlyList<SchoolDays> Schools, DateOnly? LastDay,
    IReadOnlyList<CriterionCheck> Mentoring);

/// <summary>The course's dates as the trainee has them now: its start and expected end.</summary>
public sealed record CourseDates(DateOnly Start, DateOnly End)
{
    public static CourseDates Of(Trainees.Trainee trainee) => new(trainee.StartDate!.Value, trainee.ExpectedEndDate!.Value);
}
