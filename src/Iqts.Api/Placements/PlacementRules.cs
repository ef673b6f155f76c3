using Iqts.Api.ReferenceData;
using Iqts.Api.Trainees;

namespace Iqts.Api.Placements;

/// <summary>
/// Training in schools as pure rules: C2.4 (at least 120 days, the provider's own assessment of the days a trainee
/// needs, two schools or a justified alternative, risk-assessed schools), C2.2 (a mentor the provider has trained) and
/// C3.2 (partnership agreements), from seed 001 and Annex A of seed 003, with seed 002's relaxation of the two-school
/// rule. Validation of schools, placements and plans, and the summary of a trainee's placements.
/// </summary>
public static class PlacementRules
{
    /// <summary>C2.4 i: iQTS programmes include at least 120 days of training in schools.</summary>
    public const int MinimumDays = 120;

    public const int MaxPlacements = 20;
    public const int NameMaxLength = 200;
    public const int ShortTextMaxLength = 100;
    public const int TextMaxLength = 500;

    /// <summary>The UK nations a placement school may be in: Northern Ireland, Scotland, Wales (not England, not "UK").</summary>
    public static readonly IReadOnlySet<string> UkNationsOutsideEngland = new HashSet<string> { "XG", "XH", "XI" };

    // ---- Schools ----------------------------------------------------------------------------------------------------

    public static Outcome<SchoolDetails> School(SchoolDetails school, ReferenceDataSets reference, DateOnly today)
    {
        var errors = new ValidationErrors();
        errors.RequireText("name", school.Name, NameMaxLength);
        errors.MaxLength("city", school.City, ShortTextMaxLength);
        errors.Require("schoolType", school.SchoolType);
        if (errors.Code("country", school.Country, reference.Countries, required: true) && reference.IsUkCountry(school.Country)
            && !UkNationsOutsideEngland.Contains(school.Country))
        {
            errors.Add("country", "must be outside England: iQTS placement schools are outside the UK, or in Wales (XI), Scotland (XH) or Northern Ireland (XG).");
        }

        if (school.RiskAssessment is { } risk)
        {
            errors.PastDate("riskAssessment.assessedOn", risk.AssessedOn, today);
            var checks = new[] { risk.Safeguarding, risk.SupportStructures, risk.MentorSupport, risk.MentorWillingToTrain };
            errors.Require("riskAssessment.safeguarding", risk.Safeguarding);
            errors.Require("riskAssessment.supportStructures", risk.SupportStructures);
            errors.Require("riskAssessment.mentorSupport", risk.MentorSupport);
            errors.Require("riskAssessment.mentorWillingToTrain", risk.MentorWillingToTrain);
            if (errors.Require("riskAssessment.outcome", risk.Outcome) && risk.Outcome == RiskOutcome.Suitable && checks.Any(c => c == false))
            {
                errors.Add("riskAssessment.outcome", "cannot be suitable unless safeguarding, support structures, mentor support and the mentor's willingness to train are all in place (C2.4 v).");
            }
        }

        if (school.PartnershipAgreement is { } agreement)
        {
            errors.PastDate("partnershipAgreement.signedOn", agreement.SignedOn, today);
            errors.RequireText("partnershipAgreement.signedByProvider", agreement.SignedByProvider, ShortTextMaxLength);
            errors.RequireText("partnershipAgreement.signedBySchool", agreement.SignedBySchool, ShortTextMaxLength);
            var covers = agreement.Covers ?? [];
            if (covers.Count > Enum.GetValues<PartnershipItem>().Length || covers.Distinct().Count() != covers.Count)
            {
                errors.Add("partnershipAgreement.covers", "must list each item of set 'partnership-items' at most once.");
            }
        }

        if ((school.RemovedOn is null) != (school.RemovalReason is null))
        {
            errors.Add(school.RemovedOn is null ? "removedOn" : "removalReason", "comes with the other: a school is removed on a date, for a reason (C3.2 iii).");
        }

        errors.PastDate("removedOn", school.RemovedOn, today, required: false);
        return errors.IsEmpty ? school with { Name = school.Name.Trim(), City = school.City?.Trim() } : errors.ToError();
    }

    // ---- Placements -------------------------------------------------------------------------------------------------

    /// <summary>The most days of training a date range can hold: five in every seven, whichever days the school's weekend falls on.</summary>
    public static int MaxDays(DateOnly start, DateOnly end)
    {
        var length = end.DayNumber - start.DayNumber + 1;
        return (length / 7 * 5) + Math.Min(length % 7, 5);
    }

    /// <summary>A new placement: the trainee has room for one more (at most <see cref="MaxPlacements"/>), and the placement's rules.</summary>
    public static Outcome<PlacementDetails> Add(PlacementDetails placement, Trainee trainee, School? school, IReadOnlyList<Placement> others, SchoolMentor? mentor = null) =>
        others.Count >= MaxPlacements ? ApiErrors.PlacementLimitReached(MaxPlacements) : Placement(placement, trainee, school, schoolBefore: null, others, mentor);

    /// <summary>
    /// A placement as the trainee will have it: its own rules; its school one of the provider's (<paramref name="school"/>
    /// is null otherwise, and answers as not found); a school that takes placements unless it is the one the placement
    /// already had; and no overlap with the trainee's other placements. The mentor is inline, or named by <c>mentorId</c>:
    /// <paramref name="mentor"/>, the provider's record of it (null when it is not the provider's), at the placement's school.
    /// </summary>
    public static Outcome<PlacementDetails> Placement(PlacementDetails placement, Trainee trainee, School? school, Guid? schoolBefore,
        IReadOnlyList<Placement> others, SchoolMentor? mentor = null)
    {
        var errors = new ValidationErrors();
        errors.Require("startDate", placement.StartDate);
        errors.Require("endDate", placement.EndDate);
        errors.Require("days", placement.Days);
        if (placement.StartDate is { } start && placement.EndDate is { } end)
        {
            if (end < start)
            {
                errors.Add("endDate", "must not be before the start date.");
            }
            else if (end > start.AddYears(2))
            {
                errors.Add("endDate", "must be within two years of the start date.");
            }
            else if (placement.Days is { } days && (days < 1 || days > MaxDays(start, end)))
            {
                errors.Add("days", $"must be from 1 to {MaxDays(start, end)}, the weekdays from {start:yyyy-MM-dd} to {end:yyyy-MM-dd}.");
            }

            // Training in schools is part of the programme, so it lies within the course's dates (issue 18). A later
            // change of the trainee's dates is caught by the summary, which does not count a placement outside them.
            if (start < trainee.StartDate!.Value)
            {
                errors.Add("startDate", $"must not be before the trainee's start date ({trainee.StartDate:yyyy-MM-dd}).");
            }

            if (end > trainee.ExpectedEndDate!.Value)
            {
                errors.Add("endDate", $"must not be after the trainee's expected end date ({trainee.ExpectedEndDate:yyyy-MM-dd}).");
            }
        }

        if (!Guid.TryParse(placement.SchoolId, out var schoolId))
        {
            errors.Add("schoolId", "must be the schoolId of one of the provider's schools.");
        }

        if (placement.MentorId is not null)
        {
            errors.Forbid("mentor", placement.Mentor, "a placement that does not name its mentor by mentorId");
            if (mentor is null || mentor.SchoolId != schoolId)
            {
                errors.Add("mentorId", "must be one of the provider's mentors (/mentors) at the placement's school.");
            }
        }
        else if (errors.Present("mentor", placement.Mentor))
        {
            errors.RequireText("mentor.name", placement.Mentor!.Name, ShortTextMaxLength);
        }

        var interactions = Interactions(errors, placement);

        if (!errors.IsEmpty)
        {
            return errors.ToError();
        }

        if (school is null)
        {
            return ApiErrors.NotFound("school");
        }

        if (schoolId != schoolBefore && !school.TakesPlacements)
        {
            return ApiErrors.SchoolNotAvailable(school.RemovedOn is not null ? "was removed as a placement school" : "has no risk assessment that found it suitable (C2.4 v)");
        }

        if (others.FirstOrDefault(o => o.StartDate <= placement.EndDate && placement.StartDate <= o.EndDate) is { } overlapping)
        {
            return ApiErrors.PlacementOverlaps(overlapping.PlacementId.ToString(), overlapping.StartDate!.Value, overlapping.EndDate!.Value);
        }

        // A mentor named by id is shown with its record's name and training date, as an inline one is.
        return placement with
        {
            Mentor = mentor is not null ? new Mentor(mentor.Name, mentor.TrainingCompletedOn) : placement.Mentor! with { Name = placement.Mentor.Name.Trim() },
            MentorInteractions = interactions,
        };
    }

    /// <summary>C2.2 iv's weekly counts: each week of the placement once (its start, or a multiple of seven days after it), 0–50; in week order.</summary>
    private static List<WeeklyInteractions> Interactions(ValidationErrors errors, PlacementDetails placement)
    {
        var weeks = placement.MentorInteractions ?? [];
        if (weeks.Count > 110)
        {
            errors.Add("mentorInteractions", "must have at most 110 weeks.");
            return [];
        }

        for (var i = 0; i < weeks.Count; i++)
        {
            var at = $"mentorInteractions[{i}]";
            if (!errors.Present(at, weeks[i]) || !errors.Require($"{at}.weekStarting", weeks[i].WeekStarting) | !errors.Require($"{at}.count", weeks[i].Count))
            {
                continue;
            }

            if (weeks[i].Count is < 0 or > 50)
            {
                errors.Add($"{at}.count", "must be from 0 to 50.");
            }

            var week = weeks[i].WeekStarting!.Value;
            if (placement.StartDate is { } start && placement.EndDate is { } end && (week < start || week > end || (week.DayNumber - start.DayNumber) % 7 != 0))
            {
                errors.Add($"{at}.weekStarting", $"must be the first day of a week of the placement: {start:yyyy-MM-dd} or a multiple of seven days after it, up to {end:yyyy-MM-dd}.");
            }
            else if (weeks.Take(i).Any(w => w?.WeekStarting == week))
            {
                errors.Add($"{at}.weekStarting", "names a week already given.");
            }
        }

        return weeks.OfType<WeeklyInteractions>().OrderBy(w => w.WeekStarting).ToList();
    }

    public static Outcome<PlacementPlan> Plan(PlacementPlan plan)
    {
        var errors = new ValidationErrors();
        if (errors.Require("requiredDays", plan.RequiredDays) && plan.RequiredDays is < MinimumDays or > 1000)
        {
            errors.Add("requiredDays", $"must be at least {MinimumDays} (C2.4 i) and at most 1000.");
        }

        errors.RequireText("reason", plan.Reason, TextMaxLength);
        if (errors.Present("secondSchool", plan.SecondSchool) && errors.Require("secondSchool.status", plan.SecondSchool!.Status))
        {
            var second = plan.SecondSchool;
            if (second.Status == SecondSchoolStatus.NotFeasible)
            {
                errors.RequireText("secondSchool.reason", second.Reason, TextMaxLength);
                errors.RequireText("secondSchool.alternativeExperience", second.AlternativeExperience, TextMaxLength);
            }
            else
            {
                errors.Forbid("secondSchool.reason", second.Reason, "status 'not_feasible'");
                errors.Forbid("secondSchool.alternativeExperience", second.AlternativeExperience, "status 'not_feasible'");
            }
        }

        return errors.IsEmpty ? plan with { Reason = plan.Reason.Trim() } : errors.ToError();
    }

    // ---- The summary ------------------------------------------------------------------------------------------------

    /// <summary>
    /// The trainee's training in schools against C2.4 i–v, C2.2 and C3.2. A criterion is not_met when the record breaks
    /// it, incomplete when something it rests on is not recorded yet (no plan, no placement, a school not yet assessed),
    /// met otherwise. A placement counts for C3.2 only if its school's agreement was signed on or before the placement's
    /// start, and for C2.2 only if the mentor's training was completed on or before it. Only placements within the
    /// <paramref name="course"/>'s dates, as the trainee has them now, are training in the programme: one outside them
    /// (the trainee's dates moved after it was recorded) counts for nothing, and C2.4 i is not met until it is corrected.
    /// </summary>
    public static PlacementEvaluation Summarise(IReadOnlyList<(Placement Placement, School School)> all, PlacementPlan? plan, CourseDates? course = null,
        MentoringRecords? mentoring = null)
    {
        var outside = all.Where(p => course is { } c && (p.Placement.StartDate < c.Start || p.Placement.EndDate > c.End)).ToList();
        IReadOnlyList<(Placement Placement, School School)> placements = all.Except(outside).ToList();
        var days = placements.Sum(p => p.Placement.Days!.Value);
        var schools = placements.GroupBy(p => p.School.SchoolId)
            .Select(g => new SchoolDays(g.Key.ToString(), g.First().School.Name, g.Sum(p => p.Placement.Days!.Value))).ToList();
        var criteria = Evaluation.Of(
        [
            outside.Count > 0 ? C2_4_i_outside(outside, course!, days) : C2_4_i(placements, days),
            C2_4_ii(placements, plan, days),
            C2_4_iii_iv(placements, plan, schools),
            C2_4_v(placements),
            C2_2(placements),
            C3_2(placements),
        ]);
        var records = mentoring ?? MentoringRecords.None;
        return new PlacementEvaluation(criteria, days, plan?.RequiredDays, schools, placements.Max(p => p.Placement.EndDate),
            [C2_2_i(placements, records), C2_2_iv(placements, records)]);
    }

    // ---- Mentoring (C2.2 i and iv): the provider's evidence, shown beside the award's rules (ADR 0012) ---------------------

    /// <summary>C2.2 iv: mentor and trainee interact in at least this share of a placement's weeks (ADR 0012).</summary>
    public const double WeeklyInteractionShare = 0.8;

    /// <summary>How many weeks a placement has: its start and every seventh day after it, up to its end.</summary>
    public static int Weeks(Placement p) => ((p.EndDate!.Value.DayNumber - p.StartDate!.Value.DayNumber) / 7) + 1;

    /// <summary>The worst placement's finding (not_met, then incomplete), or met with every placement as evidence.</summary>
    private static CriterionCheck Worst(string criterion, IReadOnlyList<(Placement Placement, School School)> placements,
        Func<Placement, SchoolMentor?, (Verdict Verdict, string Code, string Message)> judge, MentoringRecords records, string metCode, string metMessage)
    {
        if (placements.Count == 0)
        {
            return Outcome(criterion, Verdict.Incomplete, $"{criterion.Replace(" ", "", StringComparison.Ordinal)}.no_placements", "No placement is recorded yet.", []);
        }

        var findings = placements.Select(p => (p.Placement, Finding: judge(p.Placement, p.Placement.MentorId is { } id ? records.Mentors.GetValueOrDefault(id) : null)))
            .Where(f => f.Finding.Verdict != Verdict.Met).ToList();
        var worst = findings.FirstOrDefault(f => f.Finding.Verdict == Verdict.NotMet) is { Placement: not null } notMet ? notMet : findings.FirstOrDefault();
        return worst.Placement is null
            ? Outcome(criterion, Verdict.Met, metCode, metMessage, Ids(placements))
            : Outcome(criterion, worst.Finding.Verdict, worst.Finding.Code, worst.Finding.Message,
                findings.Where(f => f.Finding.Code == worst.Finding.Code).Select(f => f.Placement.PlacementId.ToString()));
    }

    /// <summary>C2.2 i: the provider assessed the mentor's skills and training needs and the mentor completed its training, both before the placement.</summary>
    private static CriterionCheck C2_2_i(IReadOnlyList<(Placement Placement, School School)> placements, MentoringRecords records) =>
        Worst("C2.2 i", placements, (p, m) =>
            m is null ? (Verdict.Incomplete, "C2.2i.mentor_not_recorded", "A placement names its mentor inline; record the mentor (POST /mentors) and name it by mentorId.")
            : m.NeedsAssessedOn is null || m.TrainingCompletedOn is null
                ? (Verdict.Incomplete, "C2.2i.not_recorded", "A placement's mentor has no assessment of skills and training needs, or no completed training, recorded.")
            : m.NeedsAssessedOn > p.StartDate || m.TrainingCompletedOn > p.StartDate
                ? (Verdict.NotMet, "C2.2i.after_start", "A placement began before the provider assessed its mentor's skills and training needs, or before the mentor's training was completed.")
            : (Verdict.Met, "", ""),
            records, "C2.2i.mentors_assessed_and_trained", "Every placement's mentor was assessed for skills and training needs and trained before the placement began.");

    /// <summary>
    /// C2.2 iv: the mentor pre-trained on the iQTS Teachers' Standards and the core content framework before the placement,
    /// a one-to-one meeting with the provider in each term the placement runs in (ADR 0011's terms), and mentor–trainee
    /// interaction in at least <see cref="WeeklyInteractionShare"/> of the placement's weeks.
    /// </summary>
    private static CriterionCheck C2_2_iv(IReadOnlyList<(Placement Placement, School School)> placements, MentoringRecords records) =>
        Worst("C2.2 iv", placements, (p, m) =>
        {
            if (m is null)
            {
                return (Verdict.Incomplete, "C2.2iv.mentor_not_recorded", "A placement names its mentor inline; record the mentor (POST /mentors) and name it by mentorId.");
            }

            if (m.StandardsPretrainingOn is null || m.FrameworkPretrainingOn is null)
            {
                return (Verdict.Incomplete, "C2.2iv.pretraining_not_recorded", "A placement's mentor has no pre-training on the Teachers' Standards or the core content framework recorded.");
            }

            if (m.StandardsPretrainingOn > p.StartDate || m.FrameworkPretrainingOn > p.StartDate)
            {
                return (Verdict.NotMet, "C2.2iv.pretraining_after_start", "A placement began before its mentor's pre-training on the Teachers' Standards and the core content framework.");
            }

            var met = records.Meetings[m.MentorId].Select(Term.Of).ToHashSet();
            var terms = Enumerable.Range(Term.Of(p.StartDate!.Value).Index, Term.Of(p.EndDate!.Value).Index - Term.Of(p.StartDate.Value).Index + 1).Select(Term.FromIndex);
            if (terms.FirstOrDefault(t => !met.Contains(t)) is { Year: > 0 } missed)
            {
                return (Verdict.NotMet, "C2.2iv.no_meeting_in_term", $"No one-to-one meeting of the provider with a placement's mentor is recorded in {missed}, a term of the placement.");
            }

            var (weeks, active) = (Weeks(p), p.MentorInteractions?.Count(w => w.Count > 0) ?? 0);
            return active < weeks * WeeklyInteractionShare
                ? (Verdict.NotMet, "C2.2iv.weekly_interaction_below_share",
                    $"Mentor and trainee interacted in {active} of the placement's {weeks} weeks; at least {WeeklyInteractionShare:P0} of them is needed.")
                : (Verdict.Met, "", "");
        },
        records, "C2.2iv.mentors_engaged",
        "Every placement's mentor was pre-trained before it, met the provider one-to-one in each of its terms, and interacted with the trainee in most weeks.");

    private static CriterionCheck Outcome(string criterion, Verdict verdict, string code, string message, IEnumerable<string> evidence) =>
        CriterionCheck.Of(criterion, verdict, code, message, evidence);

    private static IEnumerable<string> Ids(IEnumerable<(Placement Placement, School School)> placements) =>
        placements.Select(p => p.Placement.PlacementId.ToString());

    private static CriterionCheck C2_4_i(IReadOnlyList<(Placement Placement, School School)> placements, int days) => days >= MinimumDays
        ? Outcome("C2.4 i", Verdict.Met, "C2.4i.at_least_120_days", $"{days} days of training in schools, at least {MinimumDays}.", Ids(placements))
        : Outcome("C2.4 i", Verdict.NotMet, "C2.4i.fewer_than_120_days", $"{days} days of training in schools recorded; the programme needs at least {MinimumDays}.", Ids(placements));

    private static CriterionCheck C2_4_i_outside(List<(Placement Placement, School School)> outside, CourseDates course, int days) =>
        Outcome("C2.4 i", Verdict.NotMet, "C2.4i.placement_outside_course",
            $"{outside.Count} placement(s) lie outside the course's dates ({course.Start:yyyy-MM-dd} to {course.End:yyyy-MM-dd}) and are not counted; {days} days counted. Correct the placement or the trainee's dates.",
            Ids(outside));

    private static CriterionCheck C2_4_ii(IReadOnlyList<(Placement Placement, School School)> placements, PlacementPlan? plan, int days) => plan switch
    {
        null => Outcome("C2.4 ii", Verdict.Incomplete, "C2.4ii.no_plan", "The provider has not recorded how many days in schools it assessed the trainee needs, or why.", []),
        { RequiredDays: var required } when days >= required =>
            Outcome("C2.4 ii", Verdict.Met, "C2.4ii.required_days_reached", $"{days} days, at least the {required} the provider assessed the trainee needs.", Ids(placements)),
        { RequiredDays: var required } =>
            Outcome("C2.4 ii", Verdict.NotMet, "C2.4ii.required_days_not_reached", $"{days} days recorded; the provider assessed the trainee needs {required}.", Ids(placements)),
    };

    private static CriterionCheck C2_4_iii_iv(IReadOnlyList<(Placement Placement, School School)> placements, PlacementPlan? plan, List<SchoolDays> schools)
    {
        const string criterion = "C2.4 iii–iv";
        var evidence = schools.Select(s => s.SchoolId);
        if (schools.Count >= 2)
        {
            return Outcome(criterion, Verdict.Met, "C2.4iii.two_schools", $"Training in {schools.Count} schools.", evidence);
        }

        if (plan?.SecondSchool?.Status == SecondSchoolStatus.NotFeasible)
        {
            return Outcome(criterion, Verdict.Met, "C2.4iv.justified_alternative",
                "A second school is not feasible; the provider has recorded why, and the alternative experience of another setting (C2.4 iv).", evidence);
        }

        return plan is null || placements.Count == 0
            ? Outcome(criterion, Verdict.Incomplete, "C2.4iii.second_school_unknown",
                "Training in one school so far, and no plan says whether a second school is planned or why it is not feasible.", evidence)
            : Outcome(criterion, Verdict.NotMet, "C2.4iii.second_school_missing",
                "A second school is planned but no placement there is recorded; record it, or record why it is not feasible and the alternative (C2.4 iv).", evidence);
    }

    private static CriterionCheck C2_4_v(IReadOnlyList<(Placement Placement, School School)> placements)
    {
        const string criterion = "C2.4 v";
        if (placements.Count == 0)
        {
            return Outcome(criterion, Verdict.Incomplete, "C2.4v.no_placements", "No placement is recorded yet.", []);
        }

        var unassessed = placements.Where(p => p.School.RiskAssessment is null).ToList();
        var unsuitable = placements.Where(p => p.School.RiskAssessment?.Outcome == RiskOutcome.Unsuitable).ToList();
        var late = placements.Where(p => p.School.RiskAssessment is { Outcome: RiskOutcome.Suitable } r && r.AssessedOn > p.Placement.StartDate).ToList();
        return unsuitable.Count > 0
            ? Outcome(criterion, Verdict.NotMet, "C2.4v.school_unsuitable", "A placement school's risk assessment found it unsuitable for an iQTS trainee.", unsuitable.Select(p => p.School.SchoolId.ToString()))
            : late.Count > 0
                ? Outcome(criterion, Verdict.NotMet, "C2.4v.assessed_after_start", "A placement began before its school was risk-assessed.", late.Select(p => p.Placement.PlacementId.ToString()))
                : unassessed.Count > 0
                    ? Outcome(criterion, Verdict.Incomplete, "C2.4v.not_assessed", "A placement school has no risk assessment recorded.", unassessed.Select(p => p.School.SchoolId.ToString()))
                    : Outcome(criterion, Verdict.Met, "C2.4v.schools_assessed_suitable", "Every placement school was risk-assessed as suitable before the placement began.",
                        placements.Select(p => p.School.SchoolId.ToString()));
    }

    private static CriterionCheck C2_2(IReadOnlyList<(Placement Placement, School School)> placements)
    {
        if (placements.Count == 0)
        {
            return Outcome("C2.2", Verdict.Incomplete, "C2.2.no_placements", "No placement is recorded yet.", []);
        }

        var late = placements.Where(p => p.Placement.Mentor!.TrainingCompletedOn > p.Placement.StartDate).ToList();
        var untrained = placements.Where(p => p.Placement.Mentor!.TrainingCompletedOn is null).ToList();
        return late.Count > 0
            ? Outcome("C2.2", Verdict.NotMet, "C2.2.mentor_trained_after_start", "A placement began before its mentor completed the provider's mentor training.", Ids(late))
            : untrained.Count > 0
                ? Outcome("C2.2", Verdict.Incomplete, "C2.2.mentor_training_not_recorded", "A placement's mentor has no completed mentor training recorded.", Ids(untrained))
                : Outcome("C2.2", Verdict.Met, "C2.2.mentors_trained", "Every placement's mentor completed the provider's mentor training before it began.", Ids(placements));
    }

    private static CriterionCheck C3_2(IReadOnlyList<(Placement Placement, School School)> placements)
    {
        if (placements.Count == 0)
        {
            return Outcome("C3.2", Verdict.Incomplete, "C3.2.no_placements", "No placement is recorded yet.", []);
        }

        var all = Enum.GetValues<PartnershipItem>();
        var none = placements.Where(p => p.School.PartnershipAgreement is null).ToList();
        var late = placements.Where(p => p.School.PartnershipAgreement?.SignedOn > p.Placement.StartDate).ToList();
        var partial = placements.Where(p => p.School.PartnershipAgreement is { } a && !all.All(a.Covers.Contains)).ToList();
        return late.Count > 0
            ? Outcome("C3.2", Verdict.NotMet, "C3.2.agreement_signed_after_start", "A placement began before its school's partnership agreement was signed.", Ids(late))
            : partial.Count > 0
                ? Outcome("C3.2", Verdict.NotMet, "C3.2.agreement_incomplete",
                    $"A school's partnership agreement does not detail every item C3.2 v asks for ({string.Join(", ", all.Select(EnumText.Name))}).",
                    partial.Select(p => p.School.SchoolId.ToString()))
                : none.Count > 0
                    ? Outcome("C3.2", Verdict.Incomplete, "C3.2.no_agreement", "A placement school has no partnership agreement recorded.", none.Select(p => p.School.SchoolId.ToString()))
                    : Outcome("C3.2", Verdict.Met, "C3.2.agreements_in_place", "Every placement school had a signed partnership agreement covering C3.2 v before the placement began.",
                        placements.Select(p => p.School.SchoolId.ToString()));
    }
}
