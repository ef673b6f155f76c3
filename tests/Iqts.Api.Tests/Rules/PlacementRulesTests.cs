using System.Text.Json.Nodes;
using Iqts.Api.Criteria;
using Iqts.Api.Placements;
using Iqts.Api.ReferenceData;
using Iqts.Api.Tests.Infrastructure;
using Iqts.Api.Trainees;

namespace Iqts.Api.Tests.Rules;

/// <summary>Training in schools (C2.2, C2.4, C3.2) as pure rules, criterion by criterion.</summary>
public sealed class PlacementRulesTests
{
    private static readonly ReferenceDataSets Reference = new();
    private static readonly DateOnly Today = DateOnly.FromDateTime(ApiFactory.Start.UtcDateTime);

    private static School SchoolOf(Action<JsonObject>? change = null) =>
        new School(Fixtures.School(change).As<SchoolDetails>()) { SchoolId = Guid.NewGuid() };

    private static (Placement, School) At(School school, string start, string end, int days, string? mentorTrained = "2025-09-01") =>
        (new Placement(Fixtures.Placement(school.SchoolId.ToString(), p =>
        {
            p["startDate"] = start;
            p["endDate"] = end;
            p["days"] = days;
            p["mentor"]!["trainingCompletedOn"] = mentorTrained;
        }).As<PlacementDetails>()) { PlacementId = Guid.NewGuid() }, school);

    private static PlacementPlan Plan(int required = 120, string second = "planned") => Fixtures.PlacementPlan(p =>
    {
        p["requiredDays"] = required;
        p["secondSchool"] = second == "planned"
            ? new JsonObject { ["status"] = "planned" }
            : new JsonObject { ["status"] = "not_feasible", ["reason"] = "The only English-medium school within reach", ["alternativeExperience"] = "Remote observation of lessons in a state school" };
    }).As<PlacementPlan>();

    private static CriterionCheck Criterion(PlacementEvaluation summary, string criterion) => summary.Criteria.Criteria.Single(c => c.Criterion == criterion);

    [Theory]
    [InlineData(119, Verdict.NotMet, "C2.4i.fewer_than_120_days")]
    [InlineData(120, Verdict.Met, "C2.4i.at_least_120_days")]
    public void C2_4_i_at_least_120_days(int days, Verdict result, string code)
    {
        var a = SchoolOf();
        var b = SchoolOf();
        var summary = PlacementRules.Summarise([At(a, "2025-09-15", "2025-12-19", 60), At(b, "2026-01-05", "2026-04-30", days - 60)], Plan());
        Assert.Equal(days, summary.Days);
        var c = Criterion(summary, "C2.4 i");
        Assert.Equal(result, c.Verdict);
        Assert.Equal(code, c.Reasons.Single().Code);
    }

    [Theory]
    [InlineData(150, 140, Verdict.NotMet, "C2.4ii.required_days_not_reached")]
    [InlineData(150, 150, Verdict.Met, "C2.4ii.required_days_reached")]
    public void C2_4_ii_the_days_the_provider_assessed_the_trainee_needs(int required, int days, Verdict result, string code)
    {
        var summary = PlacementRules.Summarise([At(SchoolOf(), "2025-09-15", "2025-12-19", 60), At(SchoolOf(), "2026-01-05", "2026-06-30", days - 60)], Plan(required));
        Assert.Equal(result, Criterion(summary, "C2.4 ii").Verdict);
        Assert.Equal(code, Criterion(summary, "C2.4 ii").Reasons.Single().Code);
        Assert.Equal(Verdict.Incomplete, Criterion(PlacementRules.Summarise([], null), "C2.4 ii").Verdict);
    }

    [Theory]
    [InlineData("planned", Verdict.NotMet, "C2.4iii.second_school_missing")]
    [InlineData("not_feasible", Verdict.Met, "C2.4iv.justified_alternative")]
    public void C2_4_iii_iv_one_school_needs_a_justified_alternative(string second, Verdict result, string code)
    {
        var school = SchoolOf();
        var summary = PlacementRules.Summarise([At(school, "2025-09-15", "2025-12-19", 60), At(school, "2026-01-05", "2026-04-30", 60)], Plan(second: second));
        Assert.Equal(result, Criterion(summary, "C2.4 iii–iv").Verdict);
        Assert.Equal(code, Criterion(summary, "C2.4 iii–iv").Reasons.Single().Code);
        Assert.Single(summary.Schools);
        Assert.Equal(120, summary.Schools[0].Days);
    }

    [Fact]
    public void C2_4_v_an_unsuitable_school_or_one_assessed_after_the_start_is_not_met()
    {
        var unsuitable = SchoolOf(s => { s["riskAssessment"]!["outcome"] = "unsuitable"; s["riskAssessment"]!["mentorSupport"] = false; });
        Assert.Equal("C2.4v.school_unsuitable", Criterion(PlacementRules.Summarise([At(unsuitable, "2025-09-15", "2025-12-19", 60)], Plan()), "C2.4 v").Reasons.Single().Code);
        var late = SchoolOf(s => s["riskAssessment"]!["assessedOn"] = "2025-10-01");
        Assert.Equal(Verdict.NotMet, Criterion(PlacementRules.Summarise([At(late, "2025-09-15", "2025-12-19", 60)], Plan()), "C2.4 v").Verdict);
        var unassessed = SchoolOf(s => s.Remove("riskAssessment"));
        Assert.Equal(Verdict.Incomplete, Criterion(PlacementRules.Summarise([At(unassessed, "2025-09-15", "2025-12-19", 60)], Plan()), "C2.4 v").Verdict);
        Assert.Equal(Verdict.Met, Criterion(PlacementRules.Summarise([At(SchoolOf(), "2025-09-15", "2025-12-19", 60)], Plan()), "C2.4 v").Verdict);
    }

    [Theory]
    [InlineData("2025-09-15", Verdict.Met, "C2.2.mentors_trained")]
    [InlineData("2025-09-16", Verdict.NotMet, "C2.2.mentor_trained_after_start")]
    [InlineData(null, Verdict.Incomplete, "C2.2.mentor_training_not_recorded")]
    public void C2_2_the_mentor_is_trained_before_the_placement_begins(string? trained, Verdict result, string code)
    {
        var c = Criterion(PlacementRules.Summarise([At(SchoolOf(), "2025-09-15", "2025-12-19", 60, trained)], Plan()), "C2.2");
        Assert.Equal(result, c.Verdict);
        Assert.Equal(code, c.Reasons.Single().Code);
    }

    [Fact]
    public void C3_2_an_agreement_signed_after_the_start_or_missing_items_is_not_met()
    {
        var late = SchoolOf(s => s["partnershipAgreement"]!["signedOn"] = "2025-09-16");
        Assert.Equal("C3.2.agreement_signed_after_start", Criterion(PlacementRules.Summarise([At(late, "2025-09-15", "2025-12-19", 60)], Plan()), "C3.2").Reasons.Single().Code);
        var partial = SchoolOf(s => s["partnershipAgreement"]!["covers"] = new JsonArray("quality_assurance"));
        Assert.Equal("C3.2.agreement_incomplete", Criterion(PlacementRules.Summarise([At(partial, "2025-09-15", "2025-12-19", 60)], Plan()), "C3.2").Reasons.Single().Code);
        var none = SchoolOf(s => s.Remove("partnershipAgreement"));
        Assert.Equal(Verdict.Incomplete, Criterion(PlacementRules.Summarise([At(none, "2025-09-15", "2025-12-19", 60)], Plan()), "C3.2").Verdict);
        Assert.Equal(Verdict.Met, Criterion(PlacementRules.Summarise([At(SchoolOf(), "2025-09-15", "2025-12-19", 60)], Plan()), "C3.2").Verdict);
    }

    [Fact]
    public void Everything_met_is_met_and_nothing_recorded_is_incomplete()
    {
        var summary = PlacementRules.Summarise([At(SchoolOf(), "2025-09-15", "2025-12-19", 60), At(SchoolOf(), "2026-01-05", "2026-04-30", 60)], Plan());
        Assert.Equal(Verdict.Met, summary.Criteria.Verdict);
        Assert.Equal(["C2.4 i", "C2.4 ii", "C2.4 iii–iv", "C2.4 v", "C2.2", "C3.2"], summary.Criteria.Criteria.Select(c => c.Criterion));
        Assert.Equal(Verdict.NotMet, PlacementRules.Summarise([], null).Criteria.Verdict);
        Assert.All(PlacementRules.Summarise([], null).Criteria.Criteria.Skip(1), c => Assert.Equal(Verdict.Incomplete, c.Verdict));
    }

    [Theory]
    [InlineData("2025-09-15", "2025-09-19", 5)]
    [InlineData("2025-09-14", "2025-09-18", 5)] // Sunday to Thursday: a school whose weekend is Friday and Saturday
    [InlineData("2025-09-15", "2025-09-21", 5)]
    [InlineData("2025-09-15", "2025-09-28", 10)]
    [InlineData("2025-09-15", "2025-09-15", 1)]
    public void The_days_a_range_holds_are_five_in_every_seven(string start, string end, int max) =>
        Assert.Equal(max, PlacementRules.MaxDays(DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(end, System.Globalization.CultureInfo.InvariantCulture)));

    private static Trainee Trainee() => new(Fixtures.Trainee().As<TraineeRegistration>()) { TraineeId = Guid.NewGuid() };

    [Fact]
    public void A_placement_is_refused_over_its_days_before_the_trainee_starts_in_an_unavailable_school_or_overlapping()
    {
        var school = SchoolOf();
        var request = Fixtures.Placement(school.SchoolId.ToString()).As<PlacementDetails>();
        Assert.False(PlacementRules.Placement(request, Trainee(), school, null, []).Failed);
        Assert.Equal("validation.failed", PlacementRules.Placement(request with { Days = 100 }, Trainee(), school, null, []).Error?.Code);
        Assert.Equal("validation.failed", PlacementRules.Placement(request with { StartDate = new DateOnly(2025, 8, 1) }, Trainee(), school, null, []).Error?.Code);
        Assert.Equal("resource.not_found", PlacementRules.Placement(request, Trainee(), null, null, []).Error?.Code);
        var removed = SchoolOf(s => { s["removedOn"] = "2025-06-01"; s["removalReason"] = "quality"; });
        Assert.Equal("school.not_available", PlacementRules.Placement(request, Trainee(), removed, null, []).Error?.Code);
        Assert.False(PlacementRules.Placement(request with { SchoolId = removed.SchoolId.ToString() }, Trainee(), removed, removed.SchoolId, []).Failed);
        var other = new Placement(request with { StartDate = new DateOnly(2025, 12, 19), EndDate = new DateOnly(2026, 1, 30) }) { PlacementId = Guid.NewGuid() };
        Assert.Equal("placement.overlaps", PlacementRules.Placement(request, Trainee(), school, null, [other]).Error?.Code);
    }

    [Fact]
    public void A_school_is_outside_England_and_suitable_only_when_all_four_checks_hold()
    {
        Assert.False(PlacementRules.School(Fixtures.School().As<SchoolDetails>(), Reference, Today).Failed);
        Assert.False(PlacementRules.School(Fixtures.School(s => s["country"] = "XI").As<SchoolDetails>(), Reference, Today).Failed);
        Assert.Equal(["country"], PlacementRules.School(Fixtures.School(s => s["country"] = "XF").As<SchoolDetails>(), Reference, Today).Error!.Errors!.Keys);
        Assert.Equal(["riskAssessment.outcome"], PlacementRules.School(Fixtures.School(s => s["riskAssessment"]!["safeguarding"] = false).As<SchoolDetails>(), Reference, Today).Error!.Errors!.Keys);
        Assert.Equal(["removalReason"], PlacementRules.School(Fixtures.School(s => s["removedOn"] = "2025-06-01").As<SchoolDetails>(), Reference, Today).Error!.Errors!.Keys);
    }

    [Fact]
    public void A_plan_needs_120_days_and_a_not_feasible_second_school_needs_its_reason_and_alternative()
    {
        Assert.Equal(["requiredDays"], PlacementRules.Plan(Plan() with { RequiredDays = 119 }).Error!.Errors!.Keys);
        var bare = Plan() with { SecondSchool = new SecondSchool(SecondSchoolStatus.NotFeasible, null, null) };
        Assert.Equal(["secondSchool.alternativeExperience", "secondSchool.reason"], PlacementRules.Plan(bare).Error!.Errors!.Keys.Order());
        Assert.False(PlacementRules.Plan(Plan(second: "not_feasible")).Failed);
    }

    /// <summary>
    /// C2.2 i and iv over a placement of 15 September to 19 December 2025 (fourteen weeks, the autumn term) whose mentor is
    /// named by id: <paramref name="change"/> names what differs from a mentor assessed, pre-trained and trained before it,
    /// met in the term, interacting every week.
    /// </summary>
    [Theory]
    [InlineData("", "C2.2i.mentors_assessed_and_trained", "C2.2iv.mentors_engaged")]
    [InlineData("inline", "C2.2i.mentor_not_recorded", "C2.2iv.mentor_not_recorded")]
    [InlineData("not_assessed", "C2.2i.not_recorded", "C2.2iv.mentors_engaged")]
    [InlineData("trained_late", "C2.2i.after_start", "C2.2iv.mentors_engaged")]
    [InlineData("no_pretraining", "C2.2i.mentors_assessed_and_trained", "C2.2iv.pretraining_not_recorded")]
    [InlineData("pretrained_late", "C2.2i.mentors_assessed_and_trained", "C2.2iv.pretraining_after_start")]
    [InlineData("no_meeting", "C2.2i.mentors_assessed_and_trained", "C2.2iv.no_meeting_in_term")]
    [InlineData("meeting_in_another_term", "C2.2i.mentors_assessed_and_trained", "C2.2iv.no_meeting_in_term")]
    [InlineData("eleven_weeks", "C2.2i.mentors_assessed_and_trained", "C2.2iv.weekly_interaction_below_share")]
    [InlineData("twelve_weeks", "C2.2i.mentors_assessed_and_trained", "C2.2iv.mentors_engaged")]
    public void C2_2_i_and_iv_read_the_mentor_record_its_meetings_and_the_weekly_interactions(string change, string i, string iv)
    {
        var school = SchoolOf();
        var mentor = new SchoolMentor
        {
            MentorId = Guid.NewGuid(),
            SchoolId = school.SchoolId,
            Name = "M",
            NeedsAssessedOn = change == "not_assessed" ? null : new DateOnly(2025, 6, 20),
            StandardsPretrainingOn = change == "no_pretraining" ? null : change == "pretrained_late" ? new DateOnly(2025, 9, 20) : new DateOnly(2025, 7, 4),
            FrameworkPretrainingOn = change == "no_pretraining" ? null : new DateOnly(2025, 7, 11),
            TrainingCompletedOn = change == "trained_late" ? new DateOnly(2025, 9, 16) : new DateOnly(2025, 9, 1),
        };
        var (placement, _) = At(school, "2025-09-15", "2025-12-19", 60);
        var weeks = change switch { "eleven_weeks" => 11, "twelve_weeks" => 12, _ => 14 };
        Assert.Equal(14, PlacementRules.Weeks(placement));
        placement = placement with
        {
            MentorId = change == "inline" ? null : mentor.MentorId,
            MentorInteractions = Enumerable.Range(0, 14).Select(w => new WeeklyInteractions(new DateOnly(2025, 9, 15).AddDays(7 * w), w < weeks ? 2 : 0)).ToList(),
        };
        var meeting = change switch { "no_meeting" => (DateOnly?)null, "meeting_in_another_term" => new DateOnly(2026, 1, 20), _ => new DateOnly(2025, 10, 10) };
        var records = new MentoringRecords(new Dictionary<Guid, SchoolMentor> { [mentor.MentorId] = mentor },
            (meeting is { } on ? new[] { (mentor.MentorId, on) } : []).ToLookup(m => m.MentorId, m => m.on));

        var summary = PlacementRules.Summarise([(placement, school)], Plan(), mentoring: records);
        var (ci, civ) = (summary.Mentoring.Single(c => c.Criterion == "C2.2 i"), summary.Mentoring.Single(c => c.Criterion == "C2.2 iv"));
        Assert.Equal((i, iv), (ci.Reasons.Single().Code, civ.Reasons.Single().Code));
        Assert.Equal(i.EndsWith("assessed_and_trained", StringComparison.Ordinal) ? Verdict.Met : i.EndsWith("after_start", StringComparison.Ordinal) ? Verdict.NotMet : Verdict.Incomplete, ci.Verdict);
        Assert.Equal(iv.EndsWith("engaged", StringComparison.Ordinal) ? Verdict.Met : iv.EndsWith("recorded", StringComparison.Ordinal) ? Verdict.Incomplete : Verdict.NotMet, civ.Verdict);
        // Neither is among the award's rules: the summary's result and the award check read Criteria alone.
        Assert.DoesNotContain(summary.Criteria.Criteria, c => c.Criterion is "C2.2 i" or "C2.2 iv");
    }

    [Fact]
    public void Weekly_interactions_name_weeks_of_the_placement_each_once_and_a_placement_names_its_mentor_one_way()
    {
        var school = SchoolOf();
        var trainee = new Trainee(Fixtures.Trainee().As<TraineeRegistration>());
        var body = Fixtures.Placement(school.SchoolId.ToString(), p =>
        {
            p["mentorId"] = Guid.NewGuid().ToString();
            p["mentorInteractions"] = JsonNode.Parse("""[{"weekStarting":"2025-09-15","count":1},{"weekStarting":"2025-09-16","count":1},{"weekStarting":"2025-09-15","count":51}]""");
        }).As<PlacementDetails>();
        var refused = PlacementRules.Placement(body, trainee, school, null, [], mentor: null);
        Assert.Equal(["mentor", "mentorId", "mentorInteractions[1].weekStarting", "mentorInteractions[2].count", "mentorInteractions[2].weekStarting"],
            refused.Error!.Errors!.Keys.Order(StringComparer.Ordinal));
    }
}
