using System.Globalization;
using Iqts.Api.ReferenceData;

namespace Iqts.Api.Eligibility;

/// <summary>
/// The entry criteria of Annex A (seed 003), C1.1–C1.4, as pure functions: validation of the evidence a provider
/// records, and the evaluation of a candidate's evidence criterion by criterion, each reason coded with its criterion.
/// The judgements the seeds leave open are in docs/adr/0004-entry-criteria.md.
/// </summary>
public static class EligibilityRules
{
    /// <summary>A trainee's qualifications are a bounded list: a candidate needs a handful, not hundreds.</summary>
    public const int MaxQualifications = 30;

    public const int ReferenceMaxLength = 50;
    public const int NameMaxLength = 200;
    public const int ShortTextMaxLength = 100;
    public const int ScoreMaxLength = 20;

    /// <summary>C1.3: an average (overall) IELTS score of 6.5 or higher.</summary>
    public const decimal IeltsThreshold = 6.5m;

    public const int EarliestYear = 1950;

    private static readonly HashSet<string> NumericGrades = ["9", "8", "7", "6", "5", "4", "3", "2", "1"];

    private static readonly HashSet<string> LetterGrades = ["A*", "A", "B", "C", "D", "E", "F", "G", "U"];

    /// <summary>C1.1: grade 4 and above (numbered grades), or C and above (lettered grades, their equivalent).</summary>
    public static bool GcseGradeMeets(string grade) =>
        NumericGrades.Contains(grade) ? int.Parse(grade, CultureInfo.InvariantCulture) >= 4 : grade is "A*" or "A" or "B" or "C";

    // ---- Validation of the evidence -------------------------------------------------------------------------------

    /// <summary>Every rule on one qualification; field paths start with <paramref name="prefix"/> (e.g. <c>qualifications[2].</c>).</summary>
    public static void Validate(ValidationErrors errors, QualificationRequest q, ReferenceDataSets reference, DateOnly today, string prefix = "")
    {
        if (!errors.Require(prefix + "kind", q.Kind))
        {
            return;
        }

        var kind = q.Kind!.Value;
        var section = kind switch
        {
            QualificationKind.GcseMaths or QualificationKind.GcseScience => "gcse",
            QualificationKind.Degree => "degree",
            QualificationKind.EnglishLanguage => "englishLanguage",
            _ => throw new ArgumentOutOfRangeException(nameof(q), kind, "Not a qualification kind."),
        };
        var onlyFor = $"a qualification of another kind: kind '{EnumText.Name(kind)}' takes '{section}'";
        errors.Forbid(prefix + "gcse", section == "gcse" ? null : q.Gcse, onlyFor);
        errors.Forbid(prefix + "degree", section == "degree" ? null : q.Degree, onlyFor);
        errors.Forbid(prefix + "englishLanguage", section == "englishLanguage" ? null : q.EnglishLanguage, onlyFor);
        switch (section)
        {
            case "gcse" when q.Gcse is { } gcse:
                ValidateGcse(errors, gcse, reference, today, prefix + "gcse.");
                break;
            case "degree" when q.Degree is { } degree:
                ValidateDegree(errors, degree, reference, today, prefix + "degree.");
                break;
            case "englishLanguage" when q.EnglishLanguage is { } english:
                ValidateEnglish(errors, english, reference, today, prefix + "englishLanguage.");
                break;
            default:
                errors.Add(prefix + section, $"is required for kind '{EnumText.Name(kind)}'.");
                break;
        }
    }

    private static void ValidateGcse(ValidationErrors errors, GcseDetails g, ReferenceDataSets reference, DateOnly today, string p)
    {
        if (!errors.Require(p + "evidence", g.Evidence))
        {
            return;
        }

        var evidence = g.Evidence!.Value;
        var uk = evidence == GcseEvidence.UkGcse;
        var enic = evidence == GcseEvidence.EnicStatement;
        var test = evidence == GcseEvidence.ProviderEquivalencyTest;
        if (uk && errors.RequireText(p + "grade", g.Grade, 2) && !NumericGrades.Contains(g.Grade!) && !LetterGrades.Contains(g.Grade!))
        {
            errors.Add(p + "grade", "must be a GCSE grade: 9 to 1, or A*, A, B, C, D, E, F, G or U.");
        }

        errors.Forbid(p + "grade", uk ? null : g.Grade, "evidence 'uk_gcse'");
        if (enic)
        {
            errors.RequireText(p + "enicReference", g.EnicReference, ReferenceMaxLength);
            errors.Require(p + "comparableTo", g.ComparableTo);
        }
        else
        {
            errors.Forbid(p + "enicReference", g.EnicReference, "evidence 'enic_statement'");
            errors.Forbid(p + "comparableTo", g.ComparableTo, "evidence 'enic_statement'");
        }

        if (test)
        {
            errors.Require(p + "passed", g.Passed);
            errors.PastDate(p + "testedOn", g.TestedOn, today);
        }
        else
        {
            errors.Forbid(p + "passed", g.Passed, "evidence 'provider_equivalency_test'");
            errors.Forbid(p + "testedOn", g.TestedOn, "evidence 'provider_equivalency_test'");
        }

        errors.Code(p + "country", g.Country, reference.Countries, required: !test);
        Year(errors, p + "year", g.Year, today, required: !test);
    }

    private static void ValidateDegree(ValidationErrors errors, DegreeDetails d, ReferenceDataSets reference, DateOnly today, string p)
    {
        errors.Code(p + "degreeType", d.DegreeType, reference.DegreeTypes, required: true);
        errors.Code(p + "subject", d.Subject, reference.DegreeSubjects, required: true);
        errors.Code(p + "grade", d.Grade, reference.DegreeGrades, required: false);
        Year(errors, p + "graduationYear", d.GraduationYear, today, required: true);
        errors.Require(p + "taughtInEnglish", d.TaughtInEnglish);
        if (!errors.Require(p + "origin", d.Origin))
        {
            return;
        }

        if (d.Origin == DegreeOrigin.Uk)
        {
            errors.RequireText(p + "institution", d.Institution, NameMaxLength);
            errors.Forbid(p + "country", d.Country, "a non-UK degree");
            errors.Forbid(p + "enicReference", d.EnicReference, "a non-UK degree (a UK degree needs no UK ENIC statement)");
            errors.Forbid(p + "comparableTo", d.ComparableTo, "a non-UK degree (a UK degree needs no UK ENIC statement)");
            return;
        }

        errors.MaxLength(p + "institution", d.Institution, NameMaxLength);
        if (errors.Code(p + "country", d.Country, reference.DegreeCountries, required: true) && reference.IsUkDegreeCountry(d.Country!))
        {
            errors.Add(p + "country", "must be outside the UK for a non-UK degree; a degree from a UK nation is origin 'uk'.");
        }

        // The statement may come later: then C1.2 waits for it (evidence_missing). Reference and level come together.
        errors.MaxLength(p + "enicReference", d.EnicReference, ReferenceMaxLength);
        if ((d.EnicReference is null) != (d.ComparableTo is null))
        {
            errors.Add(d.EnicReference is null ? p + "enicReference" : p + "comparableTo", "comes with the other half of the UK ENIC statement (enicReference and comparableTo).");
        }
    }

    private static void ValidateEnglish(ValidationErrors errors, EnglishLanguageDetails e, ReferenceDataSets reference, DateOnly today, string p)
    {
        if (!errors.Require(p + "evidence", e.Evidence))
        {
            return;
        }

        var evidence = e.Evidence!.Value;
        var ielts = evidence == EnglishEvidence.Ielts;
        var other = evidence == EnglishEvidence.OtherTest;
        var education = evidence == EnglishEvidence.EducationInEnglish;
        if (ielts && errors.Require(p + "overallBand", e.OverallBand) && (e.OverallBand is < 0 or > 9 || e.OverallBand * 2 % 1 != 0))
        {
            errors.Add(p + "overallBand", "must be an IELTS band: 0 to 9 in steps of 0.5.");
        }

        errors.Forbid(p + "overallBand", ielts ? null : e.OverallBand, "evidence 'ielts'");
        if (ielts || other)
        {
            errors.PastDate(p + "takenOn", e.TakenOn, today);
        }
        else
        {
            errors.Forbid(p + "takenOn", e.TakenOn, "a test (evidence 'ielts' or 'other_test')");
        }

        if (other)
        {
            errors.RequireText(p + "testName", e.TestName, ShortTextMaxLength);
            errors.RequireText(p + "score", e.Score, ScoreMaxLength);
            if (e.Judgement is { } judgement)
            {
                errors.Require(p + "judgement.equivalent", judgement.Equivalent);
                errors.RequireText(p + "judgement.judgedBy", judgement.JudgedBy, ShortTextMaxLength);
                if (errors.PastDate(p + "judgement.judgedOn", judgement.JudgedOn, today) && judgement.JudgedOn < e.TakenOn)
                {
                    errors.Add(p + "judgement.judgedOn", "must not be before the test was taken.");
                }
            }
        }
        else
        {
            errors.Forbid(p + "testName", e.TestName, "evidence 'other_test'");
            errors.Forbid(p + "score", e.Score, "evidence 'other_test'");
            errors.Forbid(p + "judgement", e.Judgement, "evidence 'other_test'");
        }

        if (education)
        {
            errors.RequireText(p + "description", e.Description, NameMaxLength);
            errors.Code(p + "country", e.Country, reference.Countries, required: true);
            if (e.DegreeQualificationId is not null && !Guid.TryParse(e.DegreeQualificationId, out _))
            {
                errors.Add(p + "degreeQualificationId", "must be the qualificationId of one of the trainee's degrees.");
            }
        }
        else
        {
            errors.Forbid(p + "description", e.Description, "evidence 'education_in_english'");
            errors.Forbid(p + "country", e.Country, "evidence 'education_in_english'");
            errors.Forbid(p + "degreeQualificationId", e.DegreeQualificationId, "evidence 'education_in_english'");
        }
    }

    private static void Year(ValidationErrors errors, string field, int? year, DateOnly today, bool required)
    {
        if (year is null)
        {
            if (required)
            {
                errors.Add(field, "is required.");
            }
        }
        else if (year < EarliestYear || year > today.Year)
        {
            errors.Add(field, string.Create(CultureInfo.InvariantCulture, $"must be a year from {EarliestYear} to {today.Year}."));
        }
    }

    /// <summary>
    /// A new qualification for a registered trainee: its own rules, a free place in the list, and a
    /// <c>degreeQualificationId</c> that names one of the trainee's degrees taught in English.
    /// </summary>
    public static Outcome<QualificationRequest> Add(QualificationRequest q, IReadOnlyList<Qualification> existing, ReferenceDataSets reference, DateOnly today)
    {
        var errors = new ValidationErrors();
        Validate(errors, q, reference, today);
        if (!errors.IsEmpty)
        {
            return errors.ToError();
        }

        if (existing.Count >= MaxQualifications)
        {
            return ApiErrors.QualificationLimitReached(MaxQualifications);
        }

        if (q.EnglishLanguage?.DegreeQualificationId is { } degreeId
            && !existing.Any(e => e.QualificationId.ToString() == degreeId && e.Degree?.TaughtInEnglish == true))
        {
            return ApiErrors.Validation("englishLanguage.degreeQualificationId", "must be the qualificationId of one of the trainee's degrees taught in English.");
        }

        return q;
    }

    /// <summary>A qualification may be removed unless another one rests on it (English evidence that names this degree).</summary>
    public static Outcome<Qualification> Remove(Qualification q, IReadOnlyList<Qualification> existing)
    {
        var dependant = existing.FirstOrDefault(e => e.EnglishLanguage?.DegreeQualificationId == q.QualificationId.ToString());
        return dependant is null ? q : ApiErrors.QualificationInUse(dependant.QualificationId.ToString());
    }

    public static ValidationErrors ValidateChecks(SuitabilityChecks checks, DateOnly today, string prefix = "")
    {
        var errors = new ValidationErrors();
        foreach (var (check, record) in checks.Entries())
        {
            if (record is null)
            {
                continue;
            }

            var p = prefix + JsonName(check) + ".";
            errors.Require(p + "outcome", record.Outcome);
            errors.PastDate(p + "date", record.Date, today);
            if (record.Outcome == CheckOutcome.NotAvailable)
            {
                errors.Require(p + "notAvailableReason", record.NotAvailableReason);
            }
            else
            {
                errors.Forbid(p + "notAvailableReason", record.NotAvailableReason, "outcome 'not_available'");
            }
        }

        return errors;
    }

    /// <summary>An applicant's check: the same rules as a trainee's evidence, every error under its JSON path.</summary>
    public static ValidationErrors ValidateApplicant(EligibilityCheckRequest request, ReferenceDataSets reference, DateOnly today)
    {
        var errors = new ValidationErrors();
        if (errors.Code("ageRange", request.AgeRange, reference.AgeRanges, required: true)
            && reference.PhaseOf(request.AgeRange) is null && request.AgeRangePhase is null)
        {
            errors.Add("ageRangePhase", $"is required for the age range {request.AgeRange}: give its nearest iQTS phase (primary, middle or secondary), C2.3.");
        }

        // Required, as the contract says (issue 18): an applicant with none yet sends [].
        if (request.Qualifications is null)
        {
            errors.Add("qualifications", "is required: the applicant's qualifications, [] when there are none yet.");
        }

        var qualifications = request.Qualifications ?? [];
        if (qualifications.Count > MaxQualifications)
        {
            errors.Add("qualifications", $"must hold at most {MaxQualifications} qualifications.");
            return errors;
        }

        for (var i = 0; i < qualifications.Count; i++)
        {
            if (qualifications[i] is not { } q)
            {
                errors.Add($"qualifications[{i}]", "must be a qualification.");
                continue;
            }

            Validate(errors, q, reference, today, $"qualifications[{i}].");
            errors.Forbid($"qualifications[{i}].englishLanguage.degreeQualificationId", q.EnglishLanguage?.DegreeQualificationId,
                "a registered trainee's qualifications (for an applicant, a degree taught in English counts by itself)");
        }

        if (request.SuitabilityChecks is { } checks)
        {
            foreach (var (field, messages) in ValidateChecks(checks, today, "suitabilityChecks.").ToDictionary())
            {
                foreach (var message in messages)
                {
                    errors.Add(field, message);
                }
            }
        }

        return errors;
    }

    // ---- Evaluation -------------------------------------------------------------------------------------------------

    /// <summary>
    /// The entry criteria evaluated over a candidate's evidence. <paramref name="phase"/> decides the science
    /// requirement (C1.1 ii: ages 3 to 11, and ranges whose nearest phase is primary). Evidence is named by the ids in
    /// <paramref name="qualifications"/>. Overall: not_eligible when any criterion is not met, incomplete when none is
    /// not met but evidence is missing, eligible when all four are met.
    /// </summary>
    public static Evaluation Evaluate(AgePhase phase, IReadOnlyList<(string Id, QualificationRequest Q)> qualifications, SuitabilityChecks checks,
        ReferenceDataSets reference) =>
        Evaluation.Of(
        [
            C1_1(phase, qualifications),
            C1_2(qualifications, reference),
            C1_3(qualifications),
            C1_4(checks),
        ]);

    /// <summary>What one piece of evidence says for a requirement.</summary>
    private readonly record struct Finding(Verdict Result, string Id, Reason Reason);

    /// <summary>
    /// A requirement met by any one piece of evidence: met if any meets it; otherwise evidence_missing if any could still
    /// (a statement or judgement awaited) or none was given; otherwise not_met.
    /// </summary>
    private static (Verdict Result, IReadOnlyList<Reason> Reasons, IReadOnlyList<string> Evidence) Requirement(
        IReadOnlyList<Finding> findings, Reason missing)
    {
        foreach (var result in new[] { Verdict.Met, Verdict.Incomplete, Verdict.NotMet })
        {
            var these = findings.Where(f => f.Result == result).ToList();
            if (these.Count > 0)
            {
                return (result, these.Select(f => f.Reason).Distinct().ToList(), these.Select(f => f.Id).ToList());
            }
        }

        return (Verdict.Incomplete, [missing], []);
    }

    /// <summary>A criterion made of requirements that must all hold: not_met if any is not met, evidence_missing if any lacks evidence.</summary>
    private static CriterionCheck Criterion(string criterion, params (Verdict Result, IReadOnlyList<Reason> Reasons, IReadOnlyList<string> Evidence)[] parts) =>
        new(criterion, Evaluation.Overall(parts.Select(p => p.Result)), parts.SelectMany(p => p.Reasons).ToList(), parts.SelectMany(p => p.Evidence).Distinct().ToList());

    /// <summary>C1.1 i–ii: a standard equivalent to GCSE grade 4 in mathematics, and in a science for those training to teach ages 3 to 11.</summary>
    private static CriterionCheck C1_1(AgePhase phase, IReadOnlyList<(string Id, QualificationRequest Q)> qualifications)
    {
        var maths = Requirement(Gcse(qualifications, QualificationKind.GcseMaths, "maths", "mathematics"),
            new Reason("C1.1.maths_evidence_missing", "No evidence yet of a standard equivalent to GCSE grade 4 in mathematics (C1.1 i)."));
        if (phase != AgePhase.Primary)
        {
            return Criterion("C1.1", maths);
        }

        var science = Requirement(Gcse(qualifications, QualificationKind.GcseScience, "science", "a science"),
            new Reason("C1.1.science_evidence_missing", "Training to teach ages 3 to 11 needs a standard equivalent to GCSE grade 4 in a science too (C1.1 ii); there is no evidence of it yet."));
        return Criterion("C1.1", maths, science);
    }

    private static List<Finding> Gcse(IReadOnlyList<(string Id, QualificationRequest Q)> qualifications, QualificationKind kind, string code, string subject) =>
        qualifications.Where(q => q.Q.Kind == kind && q.Q.Gcse is not null).Select(q =>
        {
            var g = q.Q.Gcse!;
            return g.Evidence switch
            {
                GcseEvidence.UkGcse when GcseGradeMeets(g.Grade!) =>
                    new Finding(Verdict.Met, q.Id, new Reason($"C1.1.{code}_met", $"A UK GCSE in {subject} at grade {g.Grade}, grade 4 (C) or above.")),
                GcseEvidence.UkGcse =>
                    new Finding(Verdict.NotMet, q.Id, new Reason($"C1.1.{code}_below_grade_4", $"A UK GCSE in {subject} at grade {g.Grade}, below grade 4 (C).")),
                GcseEvidence.EnicStatement when g.ComparableTo == GcseComparability.GcseGrade4OrAbove =>
                    new Finding(Verdict.Met, q.Id, new Reason($"C1.1.{code}_met", $"UK ENIC states the {subject} qualification comparable to GCSE grade 4 or above.")),
                GcseEvidence.EnicStatement =>
                    new Finding(Verdict.NotMet, q.Id, new Reason($"C1.1.{code}_below_grade_4", $"UK ENIC states the {subject} qualification comparable to below GCSE grade 4.")),
                GcseEvidence.ProviderEquivalencyTest when g.Passed == true =>
                    new Finding(Verdict.Met, q.Id, new Reason($"C1.1.{code}_met", $"The provider's equivalency test in {subject} was passed.")),
                _ =>
                    new Finding(Verdict.NotMet, q.Id, new Reason($"C1.1.{code}_test_not_passed", $"The provider's equivalency test in {subject} was not passed.")),
            };
        }).ToList();

    /// <summary>C1.2 i–ii: a bachelor's degree or equivalent from a UK or non-UK university, a non-UK one assured with UK ENIC.</summary>
    private static CriterionCheck C1_2(IReadOnlyList<(string Id, QualificationRequest Q)> qualifications, ReferenceDataSets reference) =>
        Criterion("C1.2", Requirement(qualifications.Where(q => q.Q.Kind == QualificationKind.Degree && q.Q.Degree is not null).Select(q =>
        {
            var d = q.Q.Degree!;
            if (d.Origin == DegreeOrigin.Uk)
            {
                return reference.IsBachelorsOrHigher(d.DegreeType)
                    ? new Finding(Verdict.Met, q.Id, new Reason("C1.2.uk_degree_met", "A UK degree at bachelor's level or above."))
                    : new Finding(Verdict.NotMet, q.Id, new Reason("C1.2.uk_degree_below_bachelors", "The UK degree is below bachelor's level (C1.2 i asks for a bachelor's degree or equivalent)."));
            }

            return d.ComparableTo switch
            {
                null => new Finding(Verdict.Incomplete, q.Id,
                    new Reason("C1.2.enic_statement_missing", "A non-UK degree meets C1.2 only once a UK ENIC statement assures its equivalence (C1.2 ii); none is recorded yet.")),
                DegreeComparability.BelowBachelorsDegree => new Finding(Verdict.NotMet, q.Id,
                    new Reason("C1.2.enic_below_bachelors", "UK ENIC states the non-UK degree comparable to below bachelor's degree standard.")),
                _ => new Finding(Verdict.Met, q.Id,
                    new Reason("C1.2.non_uk_degree_met", "A non-UK degree that UK ENIC states comparable to bachelor's degree standard or above.")),
            };
        }).ToList(), new Reason("C1.2.degree_evidence_missing", "No degree is recorded yet (C1.2 i).")));

    /// <summary>C1.3 i: IELTS 6.5 or higher, an equivalent score in another test, or some education completed in English.</summary>
    private static CriterionCheck C1_3(IReadOnlyList<(string Id, QualificationRequest Q)> qualifications)
    {
        var findings = new List<Finding>();
        foreach (var (id, q) in qualifications)
        {
            if (q.Kind == QualificationKind.Degree && q.Degree?.TaughtInEnglish == true)
            {
                findings.Add(new Finding(Verdict.Met, id, new Reason("C1.3.degree_taught_in_english", "A degree studied in English: some education completed in English.")));
            }

            if (q.Kind != QualificationKind.EnglishLanguage || q.EnglishLanguage is not { } e)
            {
                continue;
            }

            findings.Add(e.Evidence switch
            {
                EnglishEvidence.Ielts when e.OverallBand >= IeltsThreshold =>
                    new Finding(Verdict.Met, id, new Reason("C1.3.ielts_met", string.Create(CultureInfo.InvariantCulture, $"An IELTS overall band of {e.OverallBand}, 6.5 or higher."))),
                EnglishEvidence.Ielts =>
                    new Finding(Verdict.NotMet, id, new Reason("C1.3.ielts_below_6_5", string.Create(CultureInfo.InvariantCulture, $"An IELTS overall band of {e.OverallBand}, below 6.5."))),
                EnglishEvidence.OtherTest when e.Judgement is null =>
                    new Finding(Verdict.Incomplete, id, new Reason("C1.3.equivalence_not_judged", $"{e.TestName} counts once the provider records its judgement that the score is equivalent to IELTS 6.5.")),
                EnglishEvidence.OtherTest when e.Judgement.Equivalent == true =>
                    new Finding(Verdict.Met, id, new Reason("C1.3.other_test_equivalent", $"{e.TestName}, judged by the provider equivalent to IELTS 6.5 or better.")),
                EnglishEvidence.OtherTest =>
                    new Finding(Verdict.NotMet, id, new Reason("C1.3.other_test_not_equivalent", $"{e.TestName}, judged by the provider not equivalent to IELTS 6.5.")),
                _ =>
                    new Finding(Verdict.Met, id, new Reason("C1.3.education_in_english", "Some education completed in English.")),
            });
        }

        return Criterion("C1.3", Requirement(findings, new Reason("C1.3.evidence_missing", "No evidence of English proficiency yet: IELTS 6.5, an equivalent test, or education completed in English (C1.3 i).")));
    }

    /// <summary>C1.4 ii–vi: every suitability and safeguarding check passed (or, where docs/adr/0004 allows, not available for a stated reason).</summary>
    private static CriterionCheck C1_4(SuitabilityChecks checks) =>
        Criterion("C1.4", checks.Entries().Select(entry =>
        {
            var (check, record) = entry;
            var name = EnumText.Name(check);
            var (result, code, message) = record switch
            {
                null => (Verdict.Incomplete, "missing", $"The {Describe(check)} is not recorded yet."),
                { Outcome: CheckOutcome.Passed } => (Verdict.Met, "passed", $"The {Describe(check)} was passed."),
                { Outcome: CheckOutcome.Failed } => (Verdict.NotMet, "failed", $"The {Describe(check)} was not passed: only candidates deemed safe and suitable are admitted (C1.4 iv)."),
                { Outcome: CheckOutcome.Pending } => (Verdict.Incomplete, "pending", $"The {Describe(check)} is under way."),
                { NotAvailableReason: { } reason } when NotAvailableAccepted(check, reason) =>
                    (Verdict.Met, "not_available_accepted", $"The {Describe(check)} is not available ({EnumText.Name(reason)}), which C1.4 accepts for this check."),
                _ => (Verdict.NotMet, "not_available", $"The {Describe(check)} is not available, and this check cannot be waived."),
            };
            return ((Verdict, IReadOnlyList<Reason>, IReadOnlyList<string>))(result, [new Reason($"C1.4.{name}_{code}", message)], record is null ? [] : [name]);
        }).ToArray());

    /// <summary>
    /// When a check that cannot be made still counts (docs/adr/0004): a local criminal record certificate the country
    /// does not issue; an ICPC the candidate cannot get (never lived in the UK); employment history and employer references
    /// for a candidate who has had no employer. Interview, identity and health never: they can always be done.
    /// </summary>
    public static bool NotAvailableAccepted(CheckName check, NotAvailableReason reason) => (check, reason) switch
    {
        (CheckName.LocalCriminalRecord, NotAvailableReason.NotIssuedInCountry) => true,
        (CheckName.Icpc, NotAvailableReason.NotEligibleForIcpc) => true,
        (CheckName.EmploymentHistory or CheckName.EmployerReference1 or CheckName.EmployerReference2, NotAvailableReason.NoPreviousEmployer) => true,
        _ => false,
    };

    /// <summary>The check's property in <see cref="SuitabilityChecks"/> (camelCase, e.g. <c>employerReference1</c>), for error paths.</summary>
    public static string JsonName(CheckName check) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(check.ToString());

    private static string Describe(CheckName check) => check switch
    {
        CheckName.Interview => "interview",
        CheckName.Identity => "identity check",
        CheckName.EmploymentHistory => "scrutiny of employment history",
        CheckName.Icpc => "International Child Protection Certificate",
        CheckName.LocalCriminalRecord => "local criminal record check",
        CheckName.EmployerReference1 => "first employer reference",
        CheckName.EmployerReference2 => "second employer reference",
        CheckName.HealthAndCapacity => "health and physical capacity check",
        _ => throw new ArgumentOutOfRangeException(nameof(check), check, "Not a check."),
    };
}
