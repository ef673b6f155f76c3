using System.Text.Json.Nodes;
using Iqts.Api.Criteria;
using Iqts.Api.Eligibility;
using Iqts.Api.Errors;
using Iqts.Api.ReferenceData;
using Iqts.Api.Tests.Infrastructure;

namespace Iqts.Api.Tests.Rules;

/// <summary>The entry criteria C1.1–C1.4 as pure rules, criterion by criterion, without HTTP or a database.</summary>
public sealed class EligibilityRulesTests
{
    private static readonly ReferenceDataSets Reference = new();
    private static readonly DateOnly Today = DateOnly.FromDateTime(ApiFactory.Start.UtcDateTime);

    private static QualificationRequest Q(string kind, Action<JsonObject>? change = null) => Fixtures.Qualification(kind, change).As<QualificationRequest>();

    private static JsonObject Section(JsonObject q, string name) => q[name]!.AsObject();

    private static CriterionCheck Criterion(string criterion, AgePhase phase, IEnumerable<QualificationRequest> qualifications, SuitabilityChecks? checks = null) =>
        EligibilityRules.Evaluate(phase, qualifications.Select((q, i) => ($"q{i}", q)).ToList(), checks ?? new SuitabilityChecks(), Reference)
            .Criteria.Single(c => c.Criterion == criterion);

    private static void AssertOutcome(CriterionCheck outcome, Verdict result, string reason)
    {
        Assert.Equal(result, outcome.Verdict);
        Assert.Contains(reason, outcome.Reasons.Select(r => r.Code));
        Assert.All(outcome.Reasons, r => Assert.StartsWith(outcome.Criterion + ".", r.Code, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("9", Verdict.Met, "C1.1.maths_met")]
    [InlineData("4", Verdict.Met, "C1.1.maths_met")]
    [InlineData("3", Verdict.NotMet, "C1.1.maths_below_grade_4")]
    [InlineData("1", Verdict.NotMet, "C1.1.maths_below_grade_4")]
    [InlineData("A*", Verdict.Met, "C1.1.maths_met")]
    [InlineData("C", Verdict.Met, "C1.1.maths_met")]
    [InlineData("D", Verdict.NotMet, "C1.1.maths_below_grade_4")]
    [InlineData("U", Verdict.NotMet, "C1.1.maths_below_grade_4")]
    public void C1_1_a_uk_gcse_meets_at_grade_4_or_C(string grade, Verdict result, string reason) =>
        AssertOutcome(Criterion("C1.1", AgePhase.Secondary, [Q("gcse_maths", q => Section(q, "gcse")["grade"] = grade)]), result, reason);

    [Theory]
    [InlineData("enic_statement", "gcse_grade_4_or_above", null, Verdict.Met, "C1.1.maths_met")]
    [InlineData("enic_statement", "below_gcse_grade_4", null, Verdict.NotMet, "C1.1.maths_below_grade_4")]
    [InlineData("provider_equivalency_test", null, true, Verdict.Met, "C1.1.maths_met")]
    [InlineData("provider_equivalency_test", null, false, Verdict.NotMet, "C1.1.maths_test_not_passed")]
    public void C1_1_an_enic_statement_or_the_providers_test_is_equivalent(string evidence, string? comparableTo, bool? passed, Verdict result, string reason)
    {
        var q = Q("gcse_maths", q =>
            q["gcse"] = evidence == "enic_statement"
                ? new JsonObject { ["evidence"] = evidence, ["enicReference"] = "ENIC-1", ["comparableTo"] = comparableTo, ["country"] = "IN", ["year"] = 2009 }
                : new JsonObject { ["evidence"] = evidence, ["passed"] = passed, ["testedOn"] = "2025-02-01" });
        AssertOutcome(Criterion("C1.1", AgePhase.Middle, [q]), result, reason);
    }

    [Theory]
    [InlineData(AgePhase.Primary, false, Verdict.Incomplete, "C1.1.science_evidence_missing")]
    [InlineData(AgePhase.Primary, true, Verdict.Met, "C1.1.science_met")]
    [InlineData(AgePhase.Middle, false, Verdict.Met, "C1.1.maths_met")]
    [InlineData(AgePhase.Secondary, false, Verdict.Met, "C1.1.maths_met")]
    public void C1_1_science_is_needed_to_teach_ages_3_to_11(AgePhase phase, bool science, Verdict result, string reason)
    {
        var qualifications = science ? new[] { Q("gcse_maths"), Q("gcse_science") } : [Q("gcse_maths")];
        AssertOutcome(Criterion("C1.1", phase, qualifications), result, reason);
    }

    [Fact]
    public void C1_1_a_science_below_grade_4_is_not_met_even_with_maths()
    {
        var science = Q("gcse_science", q => Section(q, "gcse")["grade"] = "2");
        AssertOutcome(Criterion("C1.1", AgePhase.Primary, [Q("gcse_maths"), science]), Verdict.NotMet, "C1.1.science_below_grade_4");
    }

    [Fact]
    public void C1_1_without_maths_evidence_is_missing() =>
        AssertOutcome(Criterion("C1.1", AgePhase.Secondary, [Q("degree")]), Verdict.Incomplete, "C1.1.maths_evidence_missing");

    [Fact]
    public void A_better_qualification_of_the_same_kind_wins()
    {
        var weak = Q("gcse_maths", q => Section(q, "gcse")["grade"] = "3");
        var outcome = Criterion("C1.1", AgePhase.Secondary, [weak, Q("gcse_maths")]);
        AssertOutcome(outcome, Verdict.Met, "C1.1.maths_met");
        Assert.Equal(["q1"], outcome.Evidence);
    }

    [Theory]
    [InlineData("051", Verdict.Met, "C1.2.uk_degree_met")]
    [InlineData("306", Verdict.Met, "C1.2.uk_degree_met")]
    [InlineData("foundation_degree", Verdict.NotMet, "C1.2.uk_degree_below_bachelors")]
    [InlineData("999", Verdict.NotMet, "C1.2.uk_degree_below_bachelors")]
    public void C1_2_a_uk_degree_meets_at_bachelors_level(string degreeType, Verdict result, string reason) =>
        AssertOutcome(Criterion("C1.2", AgePhase.Secondary, [Q("degree", q => Section(q, "degree")["degreeType"] = degreeType)]), result, reason);

    [Theory]
    [InlineData(null, Verdict.Incomplete, "C1.2.enic_statement_missing")]
    [InlineData("bachelors_degree", Verdict.Met, "C1.2.non_uk_degree_met")]
    [InlineData("masters_degree", Verdict.Met, "C1.2.non_uk_degree_met")]
    [InlineData("below_bachelors_degree", Verdict.NotMet, "C1.2.enic_below_bachelors")]
    public void C1_2_a_non_uk_degree_meets_only_with_a_uk_enic_statement(string? comparableTo, Verdict result, string reason)
    {
        var q = Q("degree", q =>
        {
            var d = Section(q, "degree");
            d["origin"] = "non_uk";
            d.Remove("institution");
            d["country"] = "IN";
            if (comparableTo is not null)
            {
                d["enicReference"] = "4000123456";
                d["comparableTo"] = comparableTo;
            }
        });
        AssertOutcome(Criterion("C1.2", AgePhase.Secondary, [q]), result, reason);
    }

    [Fact]
    public void C1_2_without_a_degree_evidence_is_missing() =>
        AssertOutcome(Criterion("C1.2", AgePhase.Secondary, [Q("gcse_maths")]), Verdict.Incomplete, "C1.2.degree_evidence_missing");

    [Theory]
    [InlineData(6.5, Verdict.Met, "C1.3.ielts_met")]
    [InlineData(9.0, Verdict.Met, "C1.3.ielts_met")]
    [InlineData(6.0, Verdict.NotMet, "C1.3.ielts_below_6_5")]
    public void C1_3_ielts_meets_at_6_5(double band, Verdict result, string reason) =>
        AssertOutcome(Criterion("C1.3", AgePhase.Secondary, [Q("english_language", q => Section(q, "englishLanguage")["overallBand"] = band)]), result, reason);

    [Theory]
    [InlineData(null, Verdict.Incomplete, "C1.3.equivalence_not_judged")]
    [InlineData(true, Verdict.Met, "C1.3.other_test_equivalent")]
    [InlineData(false, Verdict.NotMet, "C1.3.other_test_not_equivalent")]
    public void C1_3_another_test_counts_when_the_provider_judges_it_equivalent(bool? equivalent, Verdict result, string reason)
    {
        var q = Q("english_language", q => q["englishLanguage"] = new JsonObject
        {
            ["evidence"] = "other_test", ["testName"] = "TOEFL iBT", ["score"] = "95", ["takenOn"] = "2024-10-01",
            ["judgement"] = equivalent is null ? null : new JsonObject { ["equivalent"] = equivalent, ["judgedBy"] = "Admissions tutor", ["judgedOn"] = "2024-11-01" },
        });
        AssertOutcome(Criterion("C1.3", AgePhase.Secondary, [q]), result, reason);
    }

    [Fact]
    public void C1_3_education_in_english_or_a_degree_taught_in_english_meets()
    {
        var education = Q("english_language", q => q["englishLanguage"] = new JsonObject
        {
            ["evidence"] = "education_in_english", ["description"] = "A-levels at an English-medium school", ["country"] = "KE",
        });
        AssertOutcome(Criterion("C1.3", AgePhase.Secondary, [education]), Verdict.Met, "C1.3.education_in_english");
        AssertOutcome(Criterion("C1.3", AgePhase.Secondary, [Q("degree")]), Verdict.Met, "C1.3.degree_taught_in_english");
        var notInEnglish = Q("degree", q => Section(q, "degree")["taughtInEnglish"] = false);
        AssertOutcome(Criterion("C1.3", AgePhase.Secondary, [notInEnglish]), Verdict.Incomplete, "C1.3.evidence_missing");
    }

    public static TheoryData<string, string, string?, Verdict, string> Checks => new()
    {
        { "interview", "passed", null, Verdict.Met, "C1.4.interview_passed" },
        { "identity", "failed", null, Verdict.NotMet, "C1.4.identity_failed" },
        { "icpc", "pending", null, Verdict.Incomplete, "C1.4.icpc_pending" },
        { "icpc", "not_available", "not_eligible_for_icpc", Verdict.Met, "C1.4.icpc_not_available_accepted" },
        { "icpc", "not_available", "not_issued_in_country", Verdict.NotMet, "C1.4.icpc_not_available" },
        { "localCriminalRecord", "not_available", "not_issued_in_country", Verdict.Met, "C1.4.local_criminal_record_not_available_accepted" },
        { "employerReference1", "not_available", "no_previous_employer", Verdict.Met, "C1.4.employer_reference_1_not_available_accepted" },
        { "employmentHistory", "not_available", "no_previous_employer", Verdict.Met, "C1.4.employment_history_not_available_accepted" },
        { "healthAndCapacity", "not_available", "other", Verdict.NotMet, "C1.4.health_and_capacity_not_available" },
        { "interview", "not_available", "no_previous_employer", Verdict.NotMet, "C1.4.interview_not_available" },
    };

    [Theory]
    [MemberData(nameof(Checks))]
    public void C1_4_each_check_with_each_outcome(string check, string outcome, string? reason, Verdict result, string code)
    {
        var checks = Fixtures.SuitabilityChecks(c => c[check] = new JsonObject { ["outcome"] = outcome, ["date"] = "2025-06-02", ["notAvailableReason"] = reason })
            .As<SuitabilityChecks>();
        Assert.True(EligibilityRules.ValidateChecks(checks, Today).IsEmpty);
        AssertOutcome(Criterion("C1.4", AgePhase.Secondary, [], checks), result, code);
    }

    [Fact]
    public void C1_4_a_check_not_recorded_is_evidence_missing()
    {
        var checks = Fixtures.SuitabilityChecks(c => c.Remove("employerReference2")).As<SuitabilityChecks>();
        AssertOutcome(Criterion("C1.4", AgePhase.Secondary, [], checks), Verdict.Incomplete, "C1.4.employer_reference_2_missing");
    }

    [Fact]
    public void Overall_eligible_only_when_every_criterion_is_met()
    {
        var all = Fixtures.Applicant().As<EligibilityCheckRequest>();
        Assert.Empty(EligibilityRules.ValidateApplicant(all, Reference, Today).ToDictionary());
        var evidence = all.Qualifications.Select((q, i) => ($"q{i}", q)).ToList();
        Assert.Equal(Verdict.Met, EligibilityRules.Evaluate(AgePhase.Secondary, evidence, all.SuitabilityChecks!, Reference).Verdict);
        Assert.Equal(Verdict.Incomplete, EligibilityRules.Evaluate(AgePhase.Primary, evidence, all.SuitabilityChecks!, Reference).Verdict);
        var failed = all.SuitabilityChecks! with { Identity = new CheckRecord(CheckOutcome.Failed, new DateOnly(2025, 6, 2), null) };
        Assert.Equal(Verdict.NotMet, EligibilityRules.Evaluate(AgePhase.Primary, evidence, failed, Reference).Verdict);
    }

    [Fact]
    public void Nothing_recorded_is_incomplete_as_a_new_trainee_is_registered()
    {
        var nothing = EligibilityRules.Evaluate(AgePhase.Secondary, [], new SuitabilityChecks(), Reference);
        Assert.Equal(Verdict.Incomplete, nothing.Verdict);
        Assert.All(nothing.Criteria, c => Assert.Equal(Verdict.Incomplete, c.Verdict));
        Assert.Equal(["C1.1", "C1.2", "C1.3", "C1.4"], nothing.Criteria.Select(c => c.Criterion));
    }

    public static TheoryData<string, string, string> BadQualifications => new()
    {
        { """{"kind":"gcse_maths","gcse":{"evidence":"uk_gcse","grade":"10","country":"XF","year":2010}}""", "gcse.grade", "GCSE grade" },
        { """{"kind":"gcse_maths","gcse":{"evidence":"uk_gcse","grade":"5","country":"XF","year":2010,"passed":true}}""", "gcse.passed", "only for" },
        { """{"kind":"gcse_maths","gcse":{"evidence":"enic_statement","country":"IN","year":2010}}""", "gcse.enicReference", "required" },
        { """{"kind":"gcse_maths","gcse":{"evidence":"uk_gcse","grade":"5","country":"GB","year":1800}}""", "gcse.year", "year" },
        { """{"kind":"gcse_maths","degree":{}}""", "degree", "only for" },
        { """{"kind":"degree"}""", "degree", "required" },
        { """{"kind":"degree","degree":{"origin":"non_uk","degreeType":"051","subject":"100104","country":"XF","graduationYear":2015,"taughtInEnglish":false}}""", "degree.country", "outside the UK" },
        { """{"kind":"degree","degree":{"origin":"uk","degreeType":"051","subject":"100104","institution":"U","graduationYear":2015,"taughtInEnglish":true,"comparableTo":"bachelors_degree"}}""", "degree.comparableTo", "only for" },
        { """{"kind":"degree","degree":{"origin":"non_uk","degreeType":"051","subject":"100104","country":"IN","graduationYear":2015,"taughtInEnglish":true,"enicReference":"1"}}""", "degree.comparableTo", "other half" },
        { """{"kind":"degree","degree":{"origin":"uk","degreeType":"XYZ","subject":"100104","institution":"U","graduationYear":2015,"taughtInEnglish":true}}""", "degree.degreeType", "degree-types" },
        { """{"kind":"english_language","englishLanguage":{"evidence":"ielts","overallBand":6.3,"takenOn":"2024-01-01"}}""", "englishLanguage.overallBand", "steps of 0.5" },
        { """{"kind":"english_language","englishLanguage":{"evidence":"ielts","overallBand":9.5,"takenOn":"2024-01-01"}}""", "englishLanguage.overallBand", "0 to 9" },
        { """{"kind":"english_language","englishLanguage":{"evidence":"other_test","testName":"T","score":"1","takenOn":"2024-01-01","judgement":{"equivalent":true,"judgedBy":"Tutor","judgedOn":"2023-01-01"}}}""", "englishLanguage.judgement.judgedOn", "before the test" },
        { """{"kind":"english_language","englishLanguage":{"evidence":"ielts","overallBand":7,"takenOn":"2999-01-01"}}""", "englishLanguage.takenOn", "future" },
    };

    [Theory]
    [MemberData(nameof(BadQualifications))]
    public void Bad_evidence_is_refused_naming_the_field(string json, string field, string message)
    {
        var errors = new ValidationErrors();
        EligibilityRules.Validate(errors, JsonNode.Parse(json)!.AsObject().As<QualificationRequest>(), Reference, Today);
        var all = errors.ToDictionary();
        Assert.True(all.ContainsKey(field), $"expected {field} in {string.Join(", ", all.Keys)}");
        Assert.Contains(all[field], m => m.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void A_not_available_check_needs_its_reason_and_only_it_takes_one()
    {
        var checks = new SuitabilityChecks
        {
            Icpc = new CheckRecord(CheckOutcome.NotAvailable, new DateOnly(2025, 1, 1), null),
            Interview = new CheckRecord(CheckOutcome.Passed, new DateOnly(2025, 1, 1), NotAvailableReason.Other),
            Identity = new CheckRecord(CheckOutcome.Passed, Today.AddDays(1), null),
        };
        Assert.Equal(["icpc.notAvailableReason", "identity.date", "interview.notAvailableReason"], EligibilityRules.ValidateChecks(checks, Today).ToDictionary().Keys.Order());
    }

    [Fact]
    public void A_degree_another_rests_on_cannot_be_removed()
    {
        var degree = new Qualification(Q("degree")) { QualificationId = Guid.NewGuid() };
        var english = new Qualification(Q("english_language", q => q["englishLanguage"] = new JsonObject
        {
            ["evidence"] = "education_in_english", ["description"] = "The degree", ["country"] = "XF", ["degreeQualificationId"] = degree.QualificationId.ToString(),
        })) { QualificationId = Guid.NewGuid() };
        Assert.Equal("qualification.in_use", EligibilityRules.Remove(degree, [degree, english]).Error?.Code);
        Assert.False(EligibilityRules.Remove(english, [degree, english]).Failed);
    }
}
