using System.ComponentModel.DataAnnotations;

namespace Iqts.Api.Trainees;

/// <summary>The iQTS age phases of C2.3.</summary>
public enum AgePhase
{
    Primary,
    Middle,
    Secondary,
}

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
/// A trainee as the provider's student-record system sends it. Codes come from
/// <c>GET /api/v1/reference-data/{set}</c>; the set is named on each field.
/// </summary>
/// <param name="ProviderTraineeId">The SRS's own key for the trainee, unique within the provider, at most 50 characters. Cannot change later.</param>
/// <param name="FirstNames">First and middle names, at most 60 characters.</param>
/// <param name="LastName">At most 60 characters.</param>
/// <param name="PreviousLastName">At most 60 characters.</param>
/// <param name="DateOfBirth">At least 18 years before the start date.</param>
/// <param name="Email">At most 80 characters.</param>
/// <param name="Sex">Set <c>sexes</c>.</param>
/// <param name="Nationality">Set <c>nationalities</c>.</param>
/// <param name="TrainingCountry">International training details: the country where the trainee trains (set <c>countries</c>), outside the UK.</param>
/// <param name="CountryOfBirth">Management information (seed 000), set <c>countries</c>.</param>
/// <param name="CountryOfResidence">Management information, set <c>countries</c>.</param>
/// <param name="FirstLanguage">Management information, set <c>languages</c> (ISO 639-1).</param>
/// <param name="TeachingLanguage">The language the trainee teaches in, set <c>languages</c>.</param>
/// <param name="YearsOfTeachingExperience">Whole years as a teacher, 0–50.</param>
/// <param name="ReasonForIqts">Set <c>iqts-reasons</c>.</param>
/// <param name="HighestQualificationLevel">Set <c>qualification-levels</c>.</param>
/// <param name="AgeRange">Set <c>age-ranges</c>, e.g. <c>3-11</c>, <c>7-14</c>, <c>11-19</c>.</param>
/// <param name="AgeRangePhase">The C2.3 phase. Implied by 3-11, 7-14 and 11-19; required for any other range, as its nearest phase.</param>
/// <param name="Subjects">One to three HECoS codes (set <c>subjects</c>); a 3-11 course starts with 100511, primary teaching.</param>
/// <param name="StudyMode">Full or part time.</param>
/// <param name="StartDate">ITT start date; its academic year (1 August–31 July) counts towards the provider's 200-trainee cap.</param>
/// <param name="ExpectedEndDate">After the start date, within five years of it.</param>
public sealed record CreateTraineeRequest(
    string ProviderTraineeId,
    string FirstNames,
    string LastName,
    string? PreviousLastName,
    [property: Required] DateOnly? DateOfBirth,
    string Email,
    [property: Required] Sex? Sex,
    string Nationality,
    string TrainingCountry,
    string? CountryOfBirth,
    string? CountryOfResidence,
    string? FirstLanguage,
    string? TeachingLanguage,
    int? YearsOfTeachingExperience,
    IqtsReason? ReasonForIqts,
    QualificationLevel? HighestQualificationLevel,
    string AgeRange,
    AgePhase? AgeRangePhase,
    IReadOnlyList<string> Subjects,
    [property: Required] StudyMode? StudyMode,
    [property: Required] DateOnly? StartDate,
    [property: Required] DateOnly? ExpectedEndDate);

/// <summary>
/// The fields of a trainee that PATCH may change (JSON merge patch, RFC 7396): send only what changes,
/// <c>null</c> clears an optional field. <c>providerTraineeId</c>, <c>traineeId</c> and <c>status</c> cannot change here.
/// </summary>
public sealed record TraineePatch(
    string? FirstNames,
    string? LastName,
    string? PreviousLastName,
    DateOnly? DateOfBirth,
    string? Email,
    Sex? Sex,
    string? Nationality,
    string? TrainingCountry,
    string? CountryOfBirth,
    string? CountryOfResidence,
    string? FirstLanguage,
    string? TeachingLanguage,
    int? YearsOfTeachingExperience,
    IqtsReason? ReasonForIqts,
    QualificationLevel? HighestQualificationLevel,
    string? AgeRange,
    AgePhase? AgeRangePhase,
    IReadOnlyList<string>? Subjects,
    StudyMode? StudyMode,
    DateOnly? StartDate,
    DateOnly? ExpectedEndDate);

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

/// <summary>A trainee on an iQTS programme.</summary>
/// <param name="TraineeId">Our id (UUIDv7).</param>
/// <param name="ProviderTraineeId">The SRS's own key.</param>
/// <param name="Status">Where the trainee is on the programme.</param>
/// <param name="Trn">The teacher reference number, once the TRA has given one.</param>
/// <param name="AcademicYear">The academic year the trainee started in, e.g. <c>2025/26</c> (1 August–31 July).</param>
/// <param name="Deferral">Present while the trainee is deferred.</param>
/// <param name="ReinstatedOn">When the trainee last returned from a deferral.</param>
/// <param name="Withdrawal">Present once the trainee has withdrawn.</param>
public sealed record TraineeResponse(
    string TraineeId,
    string ProviderTraineeId,
    TraineeStatus Status,
    string? Trn,
    string FirstNames,
    string LastName,
    string? PreviousLastName,
    DateOnly DateOfBirth,
    string Email,
    Sex Sex,
    string Nationality,
    string TrainingCountry,
    string? CountryOfBirth,
    string? CountryOfResidence,
    string? FirstLanguage,
    string? TeachingLanguage,
    int? YearsOfTeachingExperience,
    IqtsReason? ReasonForIqts,
    QualificationLevel? HighestQualificationLevel,
    string AgeRange,
    AgePhase AgeRangePhase,
    IReadOnlyList<string> Subjects,
    StudyMode StudyMode,
    DateOnly StartDate,
    DateOnly ExpectedEndDate,
    string AcademicYear,
    Deferral? Deferral,
    DateOnly? ReinstatedOn,
    Withdrawal? Withdrawal,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>A trainee this one may duplicate.</summary>
public sealed record DuplicateMatch(string TraineeId, string ProviderTraineeId);

/// <summary>One changed field of a history entry.</summary>
/// <param name="Field">The field's JSON name.</param>
/// <param name="Before">The value before, JSON-encoded as the API shows it (e.g. <c>"Verma"</c> with its quotes, <c>4</c>, <c>["100403"]</c>); null when absent.</param>
/// <param name="After">The value after, encoded the same way; null when absent.</param>
public sealed record FieldChange(string Field, string? Before, string? After);

/// <summary>One write to a trainee: when, by which token, what it did and which fields changed.</summary>
/// <param name="At">When.</param>
/// <param name="TokenName">The name of the token that made the change (its system, e.g. "SITS live").</param>
/// <param name="Action">created, updated, deferred, reinstated or withdrawn.</param>
/// <param name="Changes">The fields the write changed, with their values before and after.</param>
public sealed record HistoryEntry(DateTimeOffset At, string TokenName, string Action, IReadOnlyList<FieldChange> Changes);

public sealed record TraineeHistory(string TraineeId, IReadOnlyList<HistoryEntry> Items);
