using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Iqts.Api.ReferenceData;

namespace Iqts.Api.Trainees;

public enum StudyMode
{
    FullTime,
    PartTime,
}

public enum Sex
{
    Female,
    Male,
    Other,
    PreferNotToSay,
}

/// <summary>Why the trainee is taking iQTS (management information, seed 000).</summary>
public enum IqtsReason
{
    CareerProgression,
    ProfessionalDevelopment,
    InternationalRecognition,
    TeachInEngland,
    EmployerRequirement,
    Other,
}

/// <summary>Highest level of qualification held (management information, seed 000).</summary>
public enum QualificationLevel
{
    BelowDegree,
    BachelorsDegree,
    PostgraduateCertificateOrDiploma,
    MastersDegree,
    Doctorate,
}

public enum TraineeStatus
{
    Registered,
    Deferred,
    Withdrawn,
    Awarded,
}

public enum WithdrawalTrigger
{
    Provider,
    Trainee,
}

/// <summary>
/// The fields of a trainee that the provider's student-record system sets and may change: the person, the
/// international training details, DfE's management information and the course. Codes come from
/// <c>GET /api/v1/reference-data/{set}</c>; the set is named on each field. Shared by the create request,
/// the response, the merge patch and the stored record, so each field is defined here once.
/// </summary>
public record TraineeDetails
{
    /// <summary>First and middle names, at most 60 characters.</summary>
    public string FirstNames { get; init; } = "";

    /// <summary>At most 60 characters.</summary>
    public string LastName { get; init; } = "";

    /// <summary>At most 60 characters.</summary>
    public string? PreviousLastName { get; init; }

    /// <summary>At least 18 years before the start date.</summary>
    [Required]
    public DateOnly? DateOfBirth { get; init; }

    /// <summary>At most 80 characters.</summary>
    public string Email { get; init; } = "";

    /// <summary>Set <c>sexes</c>.</summary>
    [Required]
    public Sex? Sex { get; init; }

    /// <summary>Set <c>nationalities</c>.</summary>
    public string Nationality { get; init; } = "";

    /// <summary>International training details: the country where the trainee trains (set <c>countries</c>), outside the UK.</summary>
    public string TrainingCountry { get; init; } = "";

    /// <summary>Management information (seed 000), set <c>countries</c>.</summary>
    public string? CountryOfBirth { get; init; }

    /// <summary>Management information, set <c>countries</c>.</summary>
    public string? CountryOfResidence { get; init; }

    /// <summary>Management information, set <c>languages</c> (ISO 639-1).</summary>
    public string? FirstLanguage { get; init; }

    /// <summary>The language the trainee teaches in, set <c>languages</c>.</summary>
    public string? TeachingLanguage { get; init; }

    /// <summary>Whole years as a teacher, 0–50.</summary>
    public int? YearsOfTeachingExperience { get; init; }

    /// <summary>Set <c>iqts-reasons</c>.</summary>
    public IqtsReason? ReasonForIqts { get; init; }

    /// <summary>Set <c>qualification-levels</c>.</summary>
    public QualificationLevel? HighestQualificationLevel { get; init; }

    /// <summary>Set <c>age-ranges</c>, e.g. <c>3-11</c>, <c>7-14</c>, <c>11-19</c>.</summary>
    public string AgeRange { get; init; } = "";

    /// <summary>The C2.3 phase. Implied by 3-11, 7-14 and 11-19; required for any other range, as its nearest phase. Always present in a response.</summary>
    public AgePhase? AgeRangePhase { get; init; }

    /// <summary>One to three HECoS codes (set <c>subjects</c>); a 3-11 course starts with 100511, primary teaching.</summary>
    public IReadOnlyList<string> Subjects { get; init; } = [];

    /// <summary>Full or part time.</summary>
    [Required]
    public StudyMode? StudyMode { get; init; }

    /// <summary>ITT start date; its academic year (1 August–31 July) counts towards the provider's 200-trainee cap.</summary>
    [Required]
    public DateOnly? StartDate { get; init; }

    /// <summary>After the start date, within five years of it.</summary>
    [Required]
    public DateOnly? ExpectedEndDate { get; init; }

    /// <summary>These details alone, as a plain <see cref="TraineeDetails"/> (of a trainee, say).</summary>
    public TraineeDetails DetailsOnly() => new(this);
}

/// <summary>
/// A trainee as the provider's student-record system registers it: what Trainees decides on. The request of
/// <c>POST /trainees</c> (<c>Bulk/CreateTraineeRequest</c>) adds the evidence that may come with it.
/// </summary>
public record TraineeRegistration : TraineeDetails
{
    /// <summary>The SRS's own key for the trainee, unique within the provider, at most 50 characters. Cannot change later.</summary>
    [JsonPropertyOrder(-1)]
    public string ProviderTraineeId { get; init; } = "";

    /// <summary>
    /// The trainee's TRN (seven digits) when the provider knows it already: no TRN request is sent, and the route goes
    /// to this TRN (DfE's Register does the same). If TRS has no such person, the route is parked for a person to fix.
    /// </summary>
    [JsonPropertyOrder(-1)]
    public string? Trn { get; init; }
}

/// <summary>A trainee as stored: the details and what the API keeps about them.</summary>
public sealed record Trainee : TraineeDetails
{
    [JsonPropertyOrder(-1)]
    public Guid TraineeId { get; init; }

    [NotAudited]
    public string Ukprn { get; init; } = "";

    [JsonPropertyOrder(-1)]
    public string ProviderTraineeId { get; init; } = "";

    [JsonPropertyOrder(-1)]
    public TraineeStatus Status { get; init; }

    [JsonPropertyOrder(-1)]
    public string? Trn { get; init; }

    /// <summary>The entry criteria C1.1–C1.4 over the evidence recorded now; kept current by every write that changes it.</summary>
    [JsonPropertyOrder(-1)]
    public EligibilityResult Eligibility { get; init; }

    /// <summary>When the TRA told us the trainee's TRN was deactivated (its record merged into another, say).</summary>
    [JsonPropertyOrder(-1)]
    public DateTimeOffset? TrnDeactivatedAt { get; init; }

    /// <summary>What the award check found at the trainee's last change (null before it was first kept), so a change of it is an event.</summary>
    [NotAudited]
    public AwardRuleResult? AwardCheck { get; init; }

    [JsonPropertyOrder(1)]
    public Deferral? Deferral { get; init; }

    [JsonPropertyOrder(1)]
    public DateOnly? ReinstatedOn { get; init; }

    [JsonPropertyOrder(1)]
    public Withdrawal? Withdrawal { get; init; }

    [NotAudited]
    public DateTimeOffset CreatedAt { get; init; }

    [NotAudited]
    public DateTimeOffset UpdatedAt { get; init; }

    [NotAudited]
    public long RowVersion { get; init; }

    [NotAudited]
    public long ChangeSeq { get; init; }

    /// <summary>The start year of the academic year the trainee starts in (derived from the start date).</summary>
    [NotAudited]
    public int AcademicYear => TraineeRules.AcademicYearOf(StartDate!.Value);

    public Trainee()
    {
    }

    /// <summary>A trainee with these details and nothing else set.</summary>
    public Trainee(TraineeDetails details)
        : base(details)
    {
    }

    /// <summary>This trainee with other details: what a correction produces.</summary>
    public Trainee WithDetails(TraineeDetails details) => new(details)
    {
        TraineeId = TraineeId,
        Ukprn = Ukprn,
        ProviderTraineeId = ProviderTraineeId,
        Status = Status,
        Trn = Trn,
        Eligibility = Eligibility,
        TrnDeactivatedAt = TrnDeactivatedAt,
        AwardCheck = AwardCheck,
        Deferral = Deferral,
        ReinstatedOn = ReinstatedOn,
        Withdrawal = Withdrawal,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
        RowVersion = RowVersion,
        ChangeSeq = ChangeSeq,
    };
}

/// <summary>What a registration created with the trainee in the same call (<c>POST /trainees</c> with its evidence).</summary>
/// <param name="QualificationIds">The qualifications, in the order sent (each at <c>…/qualifications/{id}</c>).</param>
/// <param name="SuitabilityChecks">Whether the suitability checks were recorded.</param>
/// <param name="PlacementIds">The placements, in the order sent (each at <c>…/placements/{id}</c>).</param>
/// <param name="PlacementPlan">Whether the placement plan was recorded.</param>
public sealed record CreatedEvidence(IReadOnlyList<string> QualificationIds, bool SuitabilityChecks, IReadOnlyList<string> PlacementIds, bool PlacementPlan);

/// <summary>A trainee on an iQTS programme.</summary>
[AlwaysPresent(nameof(AgeRangePhase))]
public sealed record TraineeResponse : TraineeDetails
{
    public TraineeResponse(Trainee trainee)
        : base(trainee)
    {
        TraineeId = trainee.TraineeId.ToString();
        ProviderTraineeId = trainee.ProviderTraineeId;
        Status = trainee.Status;
        Trn = trainee.Trn;
        Eligibility = trainee.Eligibility;
        TrnDeactivatedAt = trainee.TrnDeactivatedAt;
        AcademicYear = TraineeRules.AcademicYearLabel(trainee.AcademicYear);
        Deferral = trainee.Deferral;
        ReinstatedOn = trainee.ReinstatedOn;
        Withdrawal = trainee.Withdrawal;
        CreatedAt = trainee.CreatedAt;
        UpdatedAt = trainee.UpdatedAt;
    }

    /// <summary>Our id (UUIDv7).</summary>
    [JsonPropertyOrder(-1)]
    public string TraineeId { get; init; }

    /// <summary>Only in the answer to <c>POST /trainees</c> that carried evidence: what was created with the trainee.</summary>
    [JsonPropertyOrder(2), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public CreatedEvidence? Created { get; init; }

    /// <summary>The SRS's own key.</summary>
    [JsonPropertyOrder(-1)]
    public string ProviderTraineeId { get; init; }

    /// <summary>Where the trainee is on the programme.</summary>
    [JsonPropertyOrder(-1)]
    public TraineeStatus Status { get; init; }

    /// <summary>The teacher reference number, once the TRA has given one.</summary>
    [JsonPropertyOrder(-1)]
    public string? Trn { get; init; }

    /// <summary>
    /// The entry criteria C1.1–C1.4 over the evidence recorded now: eligible, not_eligible or incomplete. Always current;
    /// the reasons are at <c>GET /trainees/{traineeId}/eligibility</c>.
    /// </summary>
    [JsonPropertyOrder(-1)]
    public EligibilityResult Eligibility { get; init; }

    /// <summary>When the TRA deactivated the trainee's TRN (its record merged into another, say); null while it stands.</summary>
    [JsonPropertyOrder(-1)]
    public DateTimeOffset? TrnDeactivatedAt { get; init; }

    /// <summary>The academic year the trainee started in, e.g. <c>2025/26</c> (1 August–31 July).</summary>
    [JsonPropertyOrder(1)]
    public string AcademicYear { get; init; }

    /// <summary>Present while the trainee is deferred.</summary>
    [JsonPropertyOrder(1)]
    public Deferral? Deferral { get; init; }

    /// <summary>When the trainee last returned from a deferral.</summary>
    [JsonPropertyOrder(1)]
    public DateOnly? ReinstatedOn { get; init; }

    /// <summary>Present once the trainee has withdrawn.</summary>
    [JsonPropertyOrder(1)]
    public Withdrawal? Withdrawal { get; init; }

    [JsonPropertyOrder(1)]
    public DateTimeOffset CreatedAt { get; init; }

    [JsonPropertyOrder(1)]
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A deferral: the trainee paused the programme.</summary>
/// <param name="Date">When the deferral began; not in the future.</param>
/// <param name="Reason">Why, at most 500 characters.</param>
public sealed record DeferTraineeRequest([property: Required] DateOnly? Date, string Reason);

/// <summary>The trainee's return from deferral.</summary>
/// <param name="Date">When the trainee resumed; not before the deferral, not in the future.</param>
public sealed record ReinstateTraineeRequest([property: Required] DateOnly? Date);

/// <summary>A withdrawal from the programme, as DfE's Register records it.</summary>
/// <param name="Date">The withdrawal date: not before the start date, not in the future.</param>
/// <param name="Trigger">Who decided.</param>
/// <param name="Reasons">One or more codes of set <c>withdrawal-reasons</c> for that trigger.</param>
/// <param name="AnotherReason">Required with a reason ending in <c>another_reason</c>; at most 500 characters.</param>
/// <param name="SafeguardingConcern">Whether there was a safeguarding concern.</param>
/// <param name="SafeguardingConcernDetails">Required with the reason <c>safeguarding_concerns</c>; at most 500 characters.</param>
public sealed record WithdrawTraineeRequest(
    [property: Required] DateOnly? Date,
    [property: Required] WithdrawalTrigger? Trigger,
    IReadOnlyList<string> Reasons,
    string? AnotherReason,
    [property: Required] bool? SafeguardingConcern,
    string? SafeguardingConcernDetails);

/// <summary>The current deferral of a deferred trainee.</summary>
public sealed record Deferral(DateOnly Date, string Reason);

/// <summary>The withdrawal of a withdrawn trainee.</summary>
public sealed record Withdrawal(
    DateOnly Date,
    WithdrawalTrigger Trigger,
    IReadOnlyList<string> Reasons,
    string? AnotherReason,
    bool SafeguardingConcern,
    string? SafeguardingConcernDetails);

/// <summary>A page of a trainee's history, oldest first, with the cursor to the next as every list has.</summary>
public sealed record TraineeHistory(string TraineeId, IReadOnlyList<HistoryEntry> Items, string? NextCursor, bool HasMore)
{
    public static TraineeHistory Of(string traineeId, Page<HistoryEntry> page) => new(traineeId, page.Items, page.NextCursor, page.HasMore);
}
