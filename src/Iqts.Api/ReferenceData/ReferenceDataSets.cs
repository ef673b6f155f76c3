using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;
using Iqts.Api.Data;
using Iqts.Api.Trainees;

namespace Iqts.Api.ReferenceData;

/// <summary>One code in a list: what the client sends, what a person reads, and any attributes of the code.</summary>
/// <param name="Code">The value to send.</param>
/// <param name="Name">What it means.</param>
/// <param name="Attributes">Further facts about the code, e.g. an age range's phase or a withdrawal reason's trigger.</param>
public sealed record ReferenceEntry(string Code, string Name, IReadOnlyDictionary<string, JsonElement>? Attributes = null);

/// <summary>A named list of codes the API validates against.</summary>
/// <param name="Set">The set's name, as in the URL.</param>
/// <param name="Description">What the set is for and where it comes from.</param>
/// <param name="Entries">The codes.</param>
public sealed record ReferenceSet(string Set, string Description, IReadOnlyList<ReferenceEntry> Entries)
{
    [JsonIgnore]
    public FrozenSet<string> Codes { get; } = Entries.Select(e => e.Code).ToFrozenSet(StringComparer.Ordinal);

    public bool Contains(string? code) => code is not null && Codes.Contains(code);
}

/// <summary>
/// The code lists: HESA lists copied from DfE's Register trainee teachers (see data/README.md) and the
/// API's own enumerations, so an integrator can validate before sending with <c>GET /reference-data/{set}</c>.
/// </summary>
public sealed class ReferenceDataSets
{
    public const string UkCountryAttribute = "isUk";

    private readonly FrozenDictionary<string, ReferenceSet> _sets;

    public ReferenceDataSets()
    {
        var sets = new List<ReferenceSet>
        {
            Embedded("countries", "Countries (HESA codes, ISO 3166-1 alpha-2 plus a few HESA codes such as XK); isUk marks the United Kingdom and its nations, which cannot be a training country.", "isUk"),
            Embedded("nationalities", "Nationalities (HESA codes)."),
            Embedded("languages", "Languages (ISO 639-1)."),
            Embedded("subjects", "ITT course subjects (HECoS codes); primary teaching is 100511."),
            Embedded("age-ranges", "Course age ranges. phase is the iQTS phase of C2.3 (primary 3-11, middle 7-14, secondary 11-19); other ranges record their nearest phase in ageRangePhase.", "from", "to", "phase", "hesaCode"),
            FromEnum<AgePhase>("age-phases", "The iQTS age phases of C2.3."),
            FromEnum<StudyMode>("study-modes", "Full or part time (seed 001)."),
            FromEnum<Sex>("sexes", "Sex, as DfE's Register trainee teachers records it."),
            FromEnum<IqtsReason>("iqts-reasons", "Why the trainee is taking iQTS (management information, seed 000)."),
            FromEnum<QualificationLevel>("qualification-levels", "Highest level of qualification held (management information, seed 000)."),
            FromEnum<TraineeStatus>("trainee-statuses", "Where a trainee is on the programme."),
            FromEnum<WithdrawalTrigger>("withdrawal-triggers", "Who decided the trainee would withdraw."),
            WithdrawalReasons(),
            Embedded("degree-types", "Degree types (HESA codes; the foundation types, which have none, by their Register name). bachelorsOrHigher marks a bachelor's degree or above, which C1.2 asks for.", "bachelorsOrHigher"),
            Embedded("degree-subjects", "Degree subjects (HECoS codes), as DfE's Register records them."),
            Embedded("degree-grades", "Degree grades (HESA codes)."),
            Embedded("degree-countries", "Countries a degree was awarded in (HESA DEGCTRY codes); isUk marks the UK nations, which a non-UK degree cannot be from.", "isUk"),
            FromEnum<Eligibility.QualificationKind>("qualification-kinds", "What a qualification evidences: GCSE-standard maths and science (C1.1), a degree (C1.2), English (C1.3)."),
            FromEnum<Eligibility.GcseEvidence>("gcse-evidence", "How a GCSE-standard qualification is evidenced (C1.1)."),
            FromEnum<Eligibility.GcseComparability>("gcse-comparability", "What UK ENIC states a school qualification is comparable to."),
            FromEnum<Eligibility.DegreeOrigin>("degree-origins", "A UK or a non-UK degree (C1.2)."),
            FromEnum<Eligibility.DegreeComparability>("degree-comparability", "What UK ENIC states a non-UK degree is comparable to (C1.2 ii); bachelor's degree standard or above meets C1.2."),
            FromEnum<Eligibility.EnglishEvidence>("english-evidence", "How English proficiency is evidenced (C1.3): IELTS, another test judged equivalent, or education in English."),
            FromEnum<Eligibility.CheckName>("suitability-checks", "The suitability and safeguarding checks of C1.4."),
            FromEnum<Eligibility.CheckOutcome>("check-outcomes", "The outcome of a C1.4 check."),
            FromEnum<Eligibility.NotAvailableReason>("not-available-reasons", "Why a C1.4 check is not available; docs/adr/0004 says which count as met for which check."),
            FromEnum<Eligibility.EligibilityResult>("eligibility-results", "A trainee's standing against the entry criteria C1.1-C1.4."),
            FromEnum<Placements.SchoolType>("school-types", "The kind of school a trainee trains in (seed 000)."),
            FromEnum<Placements.RiskOutcome>("risk-outcomes", "What the provider's risk assessment of a placement school concluded (C2.4 v)."),
            FromEnum<Placements.RemovalReason>("removal-reasons", "Why a school was removed as a placement school (C3.2 iii)."),
            FromEnum<Placements.PartnershipItem>("partnership-items", "What a partnership agreement details (C3.2 v a-h); C3.2 needs all eight."),
            FromEnum<Placements.SecondSchoolStatus>("second-school-statuses", "Whether a trainee trains in a second school, or why not (C2.4 iii-iv)."),
            FromEnum<Placements.PlacementResult>("placement-results", "A trainee's training in schools against C2.2, C2.4 and C3.2."),
            TeachersStandards(),
            FromEnum<Assessments.AssessmentStage>("assessment-stages", "An interim assessment, or the final one that judges every standard (C2.5 i)."),
            FromEnum<Assessments.AssessorRole>("assessor-roles", "Who assessed the trainee."),
            FromEnum<Assessments.JudgementOutcome>("judgement-outcomes", "A judgement against one standard."),
            FromEnum<Assessments.ModerationKind>("moderation-kinds", "How an assessment was moderated (C3.4)."),
            FromEnum<Tra.SubmissionKind>("tra-submission-kinds", "What the API sends to the TRA: a TRN request, or the trainee's iQTS route."),
            FromEnum<Tra.SubmissionState>("tra-submission-states", "Where a message to the TRA stands."),
            FromEnum<Reports.ReturnStatus>("return-statuses", "Whether a provider's monthly return came in by the 15th of the following month (seed 000)."),
            new("teaching-experience-bands", "The bands of years of teaching experience the monthly report counts trainees in (management information, seed 000).",
                Reports.ReportRules.ExperienceBands.Select(b => new ReferenceEntry(b.Code, b.Name, new Dictionary<string, JsonElement>
                {
                    ["from"] = JsonSerializer.SerializeToElement(b.From),
                    ["to"] = JsonSerializer.SerializeToElement(b.To),
                })).ToList()),
        };
        _sets = sets.ToFrozenDictionary(s => s.Set, StringComparer.Ordinal);
    }

    public IEnumerable<ReferenceSet> All => _sets.Values.OrderBy(s => s.Set, StringComparer.Ordinal);

    public ReferenceSet this[string set] => _sets[set];

    public bool TryGet(string set, out ReferenceSet? value) => _sets.TryGetValue(set, out value);

    public ReferenceSet Countries => _sets["countries"];

    public ReferenceSet Nationalities => _sets["nationalities"];

    public ReferenceSet Languages => _sets["languages"];

    public ReferenceSet Subjects => _sets["subjects"];

    public ReferenceSet AgeRanges => _sets["age-ranges"];

    public ReferenceSet WithdrawalReasonSet => _sets["withdrawal-reasons"];

    public ReferenceSet DegreeTypes => _sets["degree-types"];

    public ReferenceSet DegreeSubjects => _sets["degree-subjects"];

    public ReferenceSet DegreeGrades => _sets["degree-grades"];

    public ReferenceSet DegreeCountries => _sets["degree-countries"];

    /// <summary>C1.2: whether a degree type is a bachelor's degree or above.</summary>
    public bool IsBachelorsOrHigher(string degreeType) =>
        DegreeTypes.Entries.FirstOrDefault(e => e.Code == degreeType)?.Attributes?["bachelorsOrHigher"].GetBoolean() == true;

    public bool IsUkDegreeCountry(string code) =>
        DegreeCountries.Entries.FirstOrDefault(e => e.Code == code)?.Attributes?[UkCountryAttribute].GetBoolean() == true;

    public bool IsUkCountry(string code) =>
        Countries.Entries.FirstOrDefault(e => e.Code == code)?.Attributes?[UkCountryAttribute].GetBoolean() == true;

    /// <summary>The C2.3 phase of a standard range (3-11, 7-14, 11-19), or null for any other range.</summary>
    public AgePhase? PhaseOf(string ageRange) =>
        AgeRanges.Entries.FirstOrDefault(e => e.Code == ageRange)?.Attributes?["phase"] is { ValueKind: JsonValueKind.String } phase
            ? EnumText.Parse<AgePhase>(phase.GetString()!)
            : null;

    public WithdrawalReasonInfo? WithdrawalReason(string code) => WithdrawalReasonCatalogue.All.FirstOrDefault(r => r.Code == code);

    private static ReferenceSet Embedded(string set, string description, params string[] attributes)
    {
        using var stream = typeof(ReferenceDataSets).Assembly.GetManifestResourceStream($"reference-data/{set}.json")
            ?? throw new InvalidOperationException($"Reference data '{set}' is not embedded.");
        using var document = JsonDocument.Parse(stream);
        var entries = document.RootElement.EnumerateArray().Select(e => new ReferenceEntry(
            e.GetProperty("code").GetString()!,
            e.GetProperty("name").GetString()!,
            attributes.Length == 0 ? null : attributes.ToDictionary(a => a, a => e.GetProperty(a).Clone()))).ToList();
        return new ReferenceSet(set, description, entries);
    }

    private static ReferenceSet FromEnum<T>(string set, string description)
        where T : struct, Enum =>
        new(set, description, EnumText.AllNames<T>().Select(name => new ReferenceEntry(name, Humanise(name))).ToList());

    /// <summary>The iQTS Teachers' Standards: the eight standards of Part One and Part Two, personal and professional conduct.</summary>
    private static ReferenceSet TeachersStandards() => new(
        "teachers-standards",
        "The iQTS Teachers' Standards an assessment judges: TS1-TS8 and Part Two (personal and professional conduct).",
        [
            new("ts1", "Set high expectations which inspire, motivate and challenge pupils"),
            new("ts2", "Promote good progress and outcomes by pupils"),
            new("ts3", "Demonstrate good subject and curriculum knowledge"),
            new("ts4", "Plan and teach well structured lessons"),
            new("ts5", "Adapt teaching to respond to the strengths and needs of all pupils"),
            new("ts6", "Make accurate and productive use of assessment"),
            new("ts7", "Manage behaviour effectively to ensure a good and safe learning environment"),
            new("ts8", "Fulfil wider professional responsibilities"),
            new("part_two", "Personal and professional conduct"),
        ]);

    private static ReferenceSet WithdrawalReasons() => new(
        "withdrawal-reasons",
        "Reasons for withdrawal, by trigger, as in DfE's Register trainee teachers. A reason ending in another_reason needs anotherReason; safeguarding_concerns needs safeguardingConcernDetails.",
        WithdrawalReasonCatalogue.All.Select(r => new ReferenceEntry(r.Code, r.Name, new Dictionary<string, JsonElement>
        {
            ["trigger"] = JsonSerializer.SerializeToElement(EnumText.Name(r.Trigger)),
            ["requiresAnotherReason"] = JsonSerializer.SerializeToElement(r.RequiresAnotherReason),
            ["requiresSafeguardingConcernDetails"] = JsonSerializer.SerializeToElement(r.RequiresSafeguardingDetails),
        })).ToList());

    private static string Humanise(string code) => char.ToUpperInvariant(code[0]) + code[1..].Replace('_', ' ');
}

/// <summary>A reason a trainee withdrew, and what it needs beside it.</summary>
public sealed record WithdrawalReasonInfo(string Code, string Name, WithdrawalTrigger Trigger)
{
    public bool RequiresAnotherReason => Code.EndsWith("another_reason", StringComparison.Ordinal);

    public bool RequiresSafeguardingDetails => Code == WithdrawalReasonCatalogue.SafeguardingConcerns;
}

/// <summary>The withdrawal reasons of DfE's Register (November 2024 list), grouped by who triggered the withdrawal.</summary>
public static class WithdrawalReasonCatalogue
{
    public const string SafeguardingConcerns = "safeguarding_concerns";

    public static readonly IReadOnlyList<WithdrawalReasonInfo> All =
    [
        new("unacceptable_behaviour", "Unacceptable behaviour", WithdrawalTrigger.Provider),
        new("lack_of_progress_during_placements", "Lack of progress during placements", WithdrawalTrigger.Provider),
        new("not_meeting_qts_standards", "Not meeting the Teachers' Standards", WithdrawalTrigger.Provider),
        new("stopped_responding_to_messages", "Stopped responding to messages", WithdrawalTrigger.Provider),
        new("did_not_meet_entry_requirements", "Did not meet entry requirements", WithdrawalTrigger.Provider),
        new("record_added_in_error", "Record added in error", WithdrawalTrigger.Provider),
        new(SafeguardingConcerns, "Safeguarding concerns", WithdrawalTrigger.Provider),
        new("had_to_withdraw_trainee_another_reason", "Provider had to withdraw the trainee for another reason", WithdrawalTrigger.Provider),
        new("change_in_personal_or_health_circumstances", "Change in personal or health circumstances", WithdrawalTrigger.Trainee),
        new("trainee_workload_issues", "Workload issues", WithdrawalTrigger.Trainee),
        new("does_not_want_to_become_a_teacher", "Does not want to become a teacher", WithdrawalTrigger.Trainee),
        new("never_intended_to_obtain_qts", "Never intended to obtain QTS", WithdrawalTrigger.Trainee),
        new("moved_to_different_itt_course", "Moved to a different ITT course", WithdrawalTrigger.Trainee),
        new("financial_problems", "Financial problems", WithdrawalTrigger.Trainee),
        new("got_a_job", "Got a job", WithdrawalTrigger.Trainee),
        new("trainee_chose_to_withdraw_another_reason", "Trainee chose to withdraw for another reason", WithdrawalTrigger.Trainee),
    ];
}
