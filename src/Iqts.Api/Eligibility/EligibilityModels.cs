using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Iqts.Api.ReferenceData;

namespace Iqts.Api.Eligibility;

/// <summary>What a qualification is evidence for: C1.1 (GCSE-standard maths, and science for ages 3–11), C1.2 (degree), C1.3 (English).</summary>
public enum QualificationKind
{
    GcseMaths,
    GcseScience,
    Degree,
    EnglishLanguage,
}

/// <summary>How a GCSE-standard qualification is evidenced (C1.1).</summary>
public enum GcseEvidence
{
    /// <summary>A UK GCSE, with its grade.</summary>
    UkGcse,

    /// <summary>A UK ENIC statement of comparability for a qualification from outside the UK.</summary>
    EnicStatement,

    /// <summary>An equivalency test the provider set, passed on a date.</summary>
    ProviderEquivalencyTest,
}

/// <summary>What a UK ENIC statement says a school qualification is comparable to.</summary>
public enum GcseComparability
{
    [JsonStringEnumMemberName("gcse_grade_4_or_above")]
    GcseGrade4OrAbove,
    [JsonStringEnumMemberName("below_gcse_grade_4")]
    BelowGcseGrade4,
}

/// <summary>Where a degree was awarded (C1.2).</summary>
public enum DegreeOrigin
{
    Uk,
    NonUk,
}

/// <summary>What a UK ENIC statement says a non-UK degree is comparable to (C1.2 ii).</summary>
public enum DegreeComparability
{
    DoctoralDegree,
    MastersDegree,
    BachelorsDegreeHonours,
    BachelorsDegree,
    BelowBachelorsDegree,
}

/// <summary>How English language proficiency is evidenced (C1.3).</summary>
public enum EnglishEvidence
{
    /// <summary>An IELTS test, with its overall band.</summary>
    Ielts,

    /// <summary>Another English language test, judged by the provider equivalent to IELTS 6.5 or better.</summary>
    OtherTest,

    /// <summary>Some education completed in English, e.g. a degree studied in English.</summary>
    EducationInEnglish,
}

/// <summary>
/// Required for kind <c>gcse_maths</c> and <c>gcse_science</c>, left out for the others. A GCSE-standard qualification
/// in mathematics or a science (C1.1). Which fields apply depends on <c>evidence</c>:
/// <c>grade</c> for <c>uk_gcse</c>; <c>enicReference</c> and <c>comparableTo</c> for <c>enic_statement</c>;
/// <c>passed</c> and <c>testedOn</c> for <c>provider_equivalency_test</c>.
/// </summary>
public sealed record GcseDetails
{
    [Required]
    public GcseEvidence? Evidence { get; init; }

    /// <summary>uk_gcse: 9 to 1, or A*, A, B, C, D, E, F, G, U. Grade 4 (or C) and above meets C1.1.</summary>
    public string? Grade { get; init; }

    /// <summary>enic_statement: the UK ENIC reference, at most 50 characters.</summary>
    public string? EnicReference { get; init; }

    /// <summary>enic_statement: the level UK ENIC states the qualification is comparable to.</summary>
    public GcseComparability? ComparableTo { get; init; }

    /// <summary>provider_equivalency_test: whether the candidate passed.</summary>
    public bool? Passed { get; init; }

    /// <summary>provider_equivalency_test: when the test was taken; not in the future.</summary>
    public DateOnly? TestedOn { get; init; }

    /// <summary>Where the qualification was obtained (set <c>countries</c>); required for uk_gcse and enic_statement.</summary>
    public string? Country { get; init; }

    /// <summary>The year it was obtained; required for uk_gcse and enic_statement.</summary>
    public int? Year { get; init; }
}

/// <summary>
/// Required for kind <c>degree</c>, left out for the others. A degree (C1.2), with codes from the Register lists. A UK degree names its <c>institution</c>; a non-UK one its
/// <c>country</c> (set <c>degree-countries</c>, outside the UK) and, to meet C1.2, the UK ENIC statement that assures
/// its equivalence (<c>enicReference</c> and <c>comparableTo</c>).
/// </summary>
public sealed record DegreeDetails
{
    [Required]
    public DegreeOrigin? Origin { get; init; }

    /// <summary>Set <c>degree-types</c> (HESA code).</summary>
    public string DegreeType { get; init; } = "";

    /// <summary>Set <c>degree-subjects</c> (HECoS code).</summary>
    public string Subject { get; init; } = "";

    /// <summary>uk: the awarding institution, at most 200 characters.</summary>
    public string? Institution { get; init; }

    /// <summary>non_uk: set <c>degree-countries</c>, outside the UK.</summary>
    public string? Country { get; init; }

    [Required]
    public int? GraduationYear { get; init; }

    /// <summary>Set <c>degree-grades</c>, where known.</summary>
    public string? Grade { get; init; }

    /// <summary>Whether the degree was taught in English (it then evidences C1.3 too).</summary>
    [Required]
    public bool? TaughtInEnglish { get; init; }

    /// <summary>non_uk: the UK ENIC reference, at most 50 characters.</summary>
    public string? EnicReference { get; init; }

    /// <summary>non_uk: the level UK ENIC states the degree is comparable to; bachelor's degree standard or above meets C1.2.</summary>
    public DegreeComparability? ComparableTo { get; init; }
}

/// <summary>The provider's recorded judgement that another test's score is equivalent to IELTS 6.5 or better.</summary>
/// <param name="Equivalent">Whether the provider judged it equivalent.</param>
/// <param name="JudgedBy">Who judged: a role, e.g. "Admissions tutor", at most 100 characters (not a person's name).</param>
/// <param name="JudgedOn">When; not in the future.</param>
public sealed record EquivalenceJudgement([property: Required] bool? Equivalent, string JudgedBy, [property: Required] DateOnly? JudgedOn);

/// <summary>
/// Required for kind <c>english_language</c>, left out for the others. English language proficiency (C1.3). <c>ielts</c>: <c>overallBand</c> and <c>takenOn</c>; <c>other_test</c>:
/// <c>testName</c>, <c>score</c>, <c>takenOn</c> and the provider's <c>judgement</c>; <c>education_in_english</c>:
/// <c>description</c>, <c>country</c> and, where it was a degree, the <c>degreeQualificationId</c> of that degree.
/// </summary>
public sealed record EnglishLanguageDetails
{
    [Required]
    public EnglishEvidence? Evidence { get; init; }

    /// <summary>ielts: the overall band, 0 to 9 in steps of 0.5; 6.5 or more meets C1.3.</summary>
    public decimal? OverallBand { get; init; }

    /// <summary>other_test: the test's name, at most 100 characters.</summary>
    public string? TestName { get; init; }

    /// <summary>other_test: the score as the test reports it, at most 20 characters.</summary>
    public string? Score { get; init; }

    /// <summary>ielts and other_test: when the test was taken; not in the future.</summary>
    public DateOnly? TakenOn { get; init; }

    /// <summary>other_test: the provider's judgement of equivalence; without it C1.3 waits for it.</summary>
    public EquivalenceJudgement? Judgement { get; init; }

    /// <summary>education_in_english: what was studied in English, at most 200 characters.</summary>
    public string? Description { get; init; }

    /// <summary>education_in_english: where (set <c>countries</c>).</summary>
    public string? Country { get; init; }

    /// <summary>education_in_english, for a registered trainee: the degree qualification taught in English it was.</summary>
    public string? DegreeQualificationId { get; init; }
}

/// <summary>
/// A piece of entry evidence. <c>kind</c> decides which one of the three details is required, and the other two are left
/// out: <c>gcse_maths</c> and <c>gcse_science</c> need <c>gcse</c>; <c>degree</c> needs <c>degree</c>;
/// <c>english_language</c> needs <c>englishLanguage</c>. Within it, <c>evidence</c> (or <c>origin</c>) decides which of
/// its fields are required (see each). The examples show one of each kind. A mistake is corrected by deleting and adding.
/// </summary>
public record QualificationRequest
{
    [Required]
    public QualificationKind? Kind { get; init; }

    public GcseDetails? Gcse { get; init; }

    public DegreeDetails? Degree { get; init; }

    public EnglishLanguageDetails? EnglishLanguage { get; init; }
}

/// <summary>A qualification as stored against a trainee.</summary>
public sealed record Qualification : QualificationRequest
{
    public Qualification()
    {
    }

    public Qualification(QualificationRequest request)
        : base(request)
    {
    }

    [JsonPropertyOrder(-1)]
    public Guid QualificationId { get; init; }

    [NotAudited]
    public Guid TraineeId { get; init; }

    [NotAudited]
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A trainee's qualification.</summary>
public sealed record QualificationResponse : QualificationRequest
{
    public QualificationResponse(Qualification qualification)
        : base(qualification)
    {
        QualificationId = qualification.QualificationId.ToString();
        TraineeId = qualification.TraineeId.ToString();
        CreatedAt = qualification.CreatedAt;
    }

    [JsonPropertyOrder(-1)]
    public string QualificationId { get; init; }

    [JsonPropertyOrder(-1)]
    public string TraineeId { get; init; }

    [JsonPropertyOrder(1)]
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>The suitability and safeguarding checks of C1.4 ii–vi.</summary>
public enum CheckName
{
    Interview,
    Identity,
    EmploymentHistory,
    Icpc,
    LocalCriminalRecord,
    [JsonStringEnumMemberName("employer_reference_1")]
    EmployerReference1,
    [JsonStringEnumMemberName("employer_reference_2")]
    EmployerReference2,
    HealthAndCapacity,
}

public enum CheckOutcome
{
    Passed,
    Failed,
    Pending,

    /// <summary>The check cannot be made for this candidate; <c>notAvailableReason</c> says why.</summary>
    NotAvailable,
}

/// <summary>Why a check is not available. Which reasons count as meeting C1.4 for which check is in docs/adr/0004.</summary>
public enum NotAvailableReason
{
    /// <summary>The country of residence issues no such certificate (local criminal record check).</summary>
    NotIssuedInCountry,

    /// <summary>ACRO issues an International Child Protection Certificate only to those who have lived in the UK.</summary>
    NotEligibleForIcpc,

    /// <summary>The candidate has had no employer (employment history, employer references).</summary>
    NoPreviousEmployer,

    Other,
}

/// <summary>The outcome of one check and its date. Outcomes and dates only: never findings about a person's record or health.</summary>
/// <param name="Outcome">passed, failed, pending or not_available.</param>
/// <param name="Date">When the outcome was reached (for pending, when the check was started); not in the future.</param>
/// <param name="NotAvailableReason">Required with not_available, and only then.</param>
public sealed record CheckRecord([property: Required] CheckOutcome? Outcome, [property: Required] DateOnly? Date, NotAvailableReason? NotAvailableReason);

/// <summary>The C1.4 checks, one entry each; a check not yet recorded is left out (or null).</summary>
public record SuitabilityChecks
{
    public CheckRecord? Interview { get; init; }

    public CheckRecord? Identity { get; init; }

    public CheckRecord? EmploymentHistory { get; init; }

    /// <summary>The International Child Protection Certificate.</summary>
    public CheckRecord? Icpc { get; init; }

    public CheckRecord? LocalCriminalRecord { get; init; }

    public CheckRecord? EmployerReference1 { get; init; }

    public CheckRecord? EmployerReference2 { get; init; }

    public CheckRecord? HealthAndCapacity { get; init; }

    /// <summary>The entries with their check names, in the order C1.4 lists them.</summary>
    public IEnumerable<(CheckName Check, CheckRecord? Record)> Entries() =>
    [
        (CheckName.Interview, Interview), (CheckName.Identity, Identity), (CheckName.EmploymentHistory, EmploymentHistory), (CheckName.Icpc, Icpc),
        (CheckName.LocalCriminalRecord, LocalCriminalRecord), (CheckName.EmployerReference1, EmployerReference1),
        (CheckName.EmployerReference2, EmployerReference2), (CheckName.HealthAndCapacity, HealthAndCapacity),
    ];
}

/// <summary>A trainee's suitability checks, with their version for If-Match.</summary>
public sealed record SuitabilityChecksResponse : SuitabilityChecks
{
    public SuitabilityChecksResponse(Guid traineeId, SuitabilityChecks checks, DateTimeOffset? updatedAt)
        : base(checks)
    {
        TraineeId = traineeId.ToString();
        UpdatedAt = updatedAt;
    }

    [JsonPropertyOrder(-1)]
    public string TraineeId { get; init; }

    /// <summary>When the checks were last changed; null when none has been recorded.</summary>
    [JsonPropertyOrder(1)]
    public DateTimeOffset? UpdatedAt { get; init; }
}

/// <summary>One criterion evaluated.</summary>
/// <param name="Criterion">C1.1, C1.2, C1.3 or C1.4.</param>
/// <param name="Result">met, not_met or evidence_missing.</param>
/// <param name="Reasons">Why, one or more.</param>
/// <param name="Evidence">The qualification ids (for an applicant, <c>qualifications[i]</c>) or check names the result rests on.</param>
public sealed record CriterionOutcome(string Criterion, CriterionResult Result, IReadOnlyList<Reason> Reasons, IReadOnlyList<string> Evidence)
{
    public CriterionOutcome(CriterionCheck c)
        : this(c.Criterion, CriterionResults.Criterion(c.Verdict), c.Reasons, c.Evidence)
    {
    }
}

/// <summary>The entry criteria C1.1–C1.4 evaluated now: eligible when all are met, not_eligible when any is not met, incomplete otherwise.</summary>
public sealed record EligibilityResponse(EligibilityResult Result, IReadOnlyList<CriterionOutcome> Criteria)
{
    public EligibilityResponse(Evaluation e)
        : this(CriterionResults.Eligibility(e.Verdict), e.Criteria.Select(c => new CriterionOutcome(c)).ToList())
    {
    }
}

/// <summary>An applicant not registered yet, for <c>POST /eligibility-checks</c>. Nothing is stored.</summary>
/// <param name="AgeRange">Set <c>age-ranges</c>: a primary range (3-11, or a range whose nearest phase is primary) needs science (C1.1 ii).</param>
/// <param name="AgeRangePhase">The nearest C2.3 phase, for a range other than 3-11, 7-14 and 11-19.</param>
/// <param name="Qualifications">At most 30; <c>degreeQualificationId</c> is for registered trainees only.</param>
/// <param name="SuitabilityChecks">The C1.4 checks made so far.</param>
public sealed record EligibilityCheckRequest(
    string AgeRange,
    AgePhase? AgeRangePhase,
    IReadOnlyList<QualificationRequest> Qualifications,
    SuitabilityChecks? SuitabilityChecks);

/// <summary>A trainee's qualifications (a bounded list, returned whole).</summary>
public sealed record QualificationList(IReadOnlyList<QualificationResponse> Items);
