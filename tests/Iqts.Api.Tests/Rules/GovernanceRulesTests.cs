using System.Globalization;
using Iqts.Api.Criteria;
using Iqts.Api.Governance;
using Iqts.Api.Http;
using Iqts.Api.Providers;

namespace Iqts.Api.Tests.Rules;

/// <summary>The date rules of inspections (terms, notice, booking, recurrence) and the approval steps, without HTTP or a database.</summary>
public sealed class GovernanceRulesTests
{
    private static readonly Inspectorate Penta = new(new InspectorateDetails { Name = "Penta", ApprovedFrom = new(2025, 9, 1), ApprovedTo = new(2028, 8, 31) })
    {
        InspectorateId = Guid.NewGuid(),
    };

    private static DateOnly D(string text) => DateOnly.Parse(text, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2026-01-01", "2026-spring")]
    [InlineData("2026-03-31", "2026-spring")]
    [InlineData("2026-04-01", "2026-summer")]
    [InlineData("2026-07-31", "2026-summer")]
    [InlineData("2026-08-15", "2026-summer")] // the holiday counts with the summer just ended
    [InlineData("2026-09-01", "2026-autumn")]
    [InlineData("2026-12-31", "2026-autumn")]
    public void A_date_falls_in_its_term(string date, string term) => Assert.Equal(term, Term.Of(D(date)).ToString());

    [Theory]
    [InlineData("2026-autumn", 1, "2027-spring")]
    [InlineData("2026-autumn", 2, "2027-summer")]
    [InlineData("2026-spring", 2, "2026-autumn")]
    [InlineData("2026-summer", 9, "2029-summer")]
    public void Terms_count_on_in_the_order_they_run(string from, int terms, string expected)
    {
        Assert.True(Term.TryParse(from, out var term));
        Assert.Equal(expected, term.Plus(terms).ToString());
    }

    [Theory]
    [InlineData("2026-autumn", "2026-09-01", "2026-12-31")]
    [InlineData("2027-spring", "2027-01-01", "2027-03-31")]
    [InlineData("2027-summer", "2027-04-01", "2027-07-31")]
    public void Each_term_has_its_dates(string text, string start, string end)
    {
        Assert.True(Term.TryParse(text, out var term));
        Assert.Equal((D(start), D(end)), (term.Start, term.End));
    }

    [Theory]
    [InlineData("2027-Autumn")]
    [InlineData("autumn-2027")]
    [InlineData("2027-winter")]
    [InlineData("27-autumn")]
    [InlineData("")]
    public void Only_the_documented_form_is_a_term(string text) => Assert.False(Term.TryParse(text, out _));

    [Theory]
    [InlineData("2026-03-16", "2026-summer", "inspection.booking_too_late")] // one term ahead
    [InlineData("2026-03-16", "2026-autumn", null)] // two terms ahead
    [InlineData("2026-08-20", "2026-autumn", "inspection.booking_too_late")]
    [InlineData("2026-08-20", "2027-spring", null)]
    [InlineData("2026-11-30", "2027-summer", null)]
    [InlineData("2026-11-30", "2028-autumn", "inspection.inspectorate_not_approved")] // approval ends 31 August 2028
    public void A_provider_books_two_terms_ahead_with_an_approved_inspectorate(string today, string term, string? error)
    {
        var earlier = new List<Inspection> { new() { Term = new Term(2025, TermName.Autumn) } };
        var outcome = GovernanceRules.Book(new BookInspectionRequest(null, Penta.InspectorateId, term), AllocatedBy.Provider, Penta, earlier, D(today));
        Assert.Equal(error, outcome.Error?.Kind.Code);
    }

    [Fact]
    public void Dfe_allocates_the_first_and_the_provider_may_not()
    {
        var today = new DateOnly(2026, 3, 16);
        Assert.Equal("inspection.first_allocated_by_dfe", GovernanceRules.Book(new BookInspectionRequest(null, Penta.InspectorateId, "2027-spring"), AllocatedBy.Provider, Penta, [], today).Error?.Kind.Code);
        Assert.False(GovernanceRules.Book(new BookInspectionRequest("10000001", Penta.InspectorateId, "2026-spring"), AllocatedBy.Dfe, Penta, [], today).Failed);
    }

    [Theory]
    [InlineData("2026-09-01", "2026-09-22", "2026-09-25", null)] // exactly 21 days, four days
    [InlineData("2026-09-02", "2026-09-22", "2026-09-25", "inspection.notice_too_short")]
    [InlineData("2026-09-01", "2026-09-22", "2026-09-24", "validation.failed")] // three days
    [InlineData("2026-09-01", "2026-09-22", "2026-09-28", null)] // five days over a weekend
    [InlineData("2026-11-20", "2026-12-29", "2027-01-02", "inspection.outside_term")]
    public void The_notice_the_days_and_the_term_hold(string notified, string starts, string ends, string? error)
    {
        var inspection = new Inspection { Term = new Term(2026, TermName.Autumn), InspectorateId = Penta.InspectorateId };
        var next = new InspectionDetails { NotifiedOn = D(notified), StartsOn = D(starts), EndsOn = D(ends) };
        var outcome = GovernanceRules.Update(inspection, next, ["notifiedOn", "startsOn", "endsOn"], Roles.Inspectorate, Penta, null, new DateOnly(2026, 12, 1));
        Assert.Equal(error, outcome.Error?.Kind.Code);
    }

    [Theory]
    [InlineData(1, null, "2029-autumn")]
    [InlineData(3, null, "2029-autumn")]
    [InlineData(4, "2027-10-16", "2027-autumn")] // reinspection within 12 months of the last day
    public void A_final_grade_sets_what_is_due_next(int grade, string? reinspectionBy, string next)
    {
        var outlook = GovernanceRules.Outlook(new Inspection { Term = new Term(2026, TermName.Autumn), EndsOn = new DateOnly(2026, 10, 16), FinalGrade = grade });
        Assert.Equal(reinspectionBy, outlook.ReinspectionDueBy?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Assert.Equal(next, outlook.NextInspectionDue?.ToString());
    }

    [Theory]
    [InlineData(ApprovalStatus.Approved, ApprovalStep.ConcernRaised, ApprovalStatus.ConcernRaised, true)]
    [InlineData(ApprovalStatus.Approved, ApprovalStep.FormalProcess, ApprovalStatus.Suspended, false)]
    [InlineData(ApprovalStatus.Approved, ApprovalStep.SeriousNonCompliance, ApprovalStatus.Withdrawn, true)]
    [InlineData(ApprovalStatus.ConcernRaised, ApprovalStep.Remedied, ApprovalStatus.Approved, true)]
    [InlineData(ApprovalStatus.ConcernRaised, ApprovalStep.FormalProcess, ApprovalStatus.Suspended, true)]
    [InlineData(ApprovalStatus.Suspended, ApprovalStep.FormalProcess, ApprovalStatus.Withdrawn, true)]
    [InlineData(ApprovalStatus.Suspended, ApprovalStep.Remedied, ApprovalStatus.Approved, false)]
    [InlineData(ApprovalStatus.Withdrawn, ApprovalStep.Reinstated, ApprovalStatus.Approved, true)]
    [InlineData(ApprovalStatus.Withdrawn, ApprovalStep.ConcernRaised, ApprovalStatus.ConcernRaised, false)]
    public void Each_step_leads_from_where_it_may_to_where_it_may(ApprovalStatus from, ApprovalStep step, ApprovalStatus to, bool allowed)
    {
        var provider = new Provider(new ProviderDetails { Name = "P", ApprovalStatus = from, InspectionGrade = 2, InspectionDate = new(2025, 1, 1), MayExceedTraineeCap = false });
        var concern = step == ApprovalStep.ConcernRaised;
        var request = new ApprovalChangeRequest(to, step, "Why.", new DateOnly(2026, 3, 1), concern ? "What." : null, concern ? new DateOnly(2026, 6, 1) : null);
        var outcome = ProviderRules.ChangeApproval(provider, null, request, new DateOnly(2026, 3, 16), DateTimeOffset.UnixEpoch, "dfe");
        Assert.Equal(allowed, !outcome.Failed);
        Assert.True(allowed || outcome.Error!.Kind.Code == "provider.approval_step_invalid");
    }

    [Fact]
    public void Approval_is_not_restored_with_a_grade_of_3_or_4()
    {
        var provider = new Provider(new ProviderDetails { Name = "P", ApprovalStatus = ApprovalStatus.Suspended, InspectionGrade = 3, InspectionDate = new(2025, 1, 1), MayExceedTraineeCap = false });
        var outcome = ProviderRules.ChangeApproval(provider, null, new ApprovalChangeRequest(ApprovalStatus.Approved, ApprovalStep.Reinstated, "Why.", new(2026, 3, 1), null, null),
            new DateOnly(2026, 3, 16), DateTimeOffset.UnixEpoch, "dfe");
        Assert.Equal(["approvalStatus"], outcome.Error!.Errors!.Keys);
    }

    [Fact]
    public void The_evidence_lists_each_month_since_registration_with_its_returns_status()
    {
        var now = new DateTimeOffset(2026, 3, 16, 12, 0, 0, TimeSpan.Zero);
        var january = new Iqts.Api.Reports.MonthlyReturn(new Iqts.Api.Reports.MonthlyReturnDetails())
        {
            Month = "2026-01",
            SubmittedAt = new DateTimeOffset(2026, 2, 10, 9, 0, 0, TimeSpan.Zero),
        };
        var months = Iqts.Api.Compliance.EvidenceRules.Returns([january], now, registered: new DateTimeOffset(2026, 1, 10, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(["2026-01 on_time", "2026-02 overdue"], months.Select(m => $"{m.Month} {Iqts.Api.Data.EnumText.Name(m.Status)}"));
    }

    [Theory]
    [InlineData("trainees", 12, null)]
    [InlineData("mentors", null, null)]
    [InlineData("dfe", 3, "responses")]
    [InlineData("inspectorate", null, null)]
    [InlineData("tutors", -1, "responses")]
    public void Only_a_survey_counts_its_responses(string source, int? responses, string? error)
    {
        var request = new Iqts.Api.Quality.EvaluationRequest(Iqts.Api.Data.EnumText.Parse<Iqts.Api.Quality.EvaluationSource>(source), new(2025, 9, 1), new(2026, 1, 31),
            responses, "Findings.", []);
        var outcome = Iqts.Api.Quality.QualityRules.Evaluation(request, new DateOnly(2026, 3, 16));
        Assert.Equal(error, outcome.Error?.Errors?.Keys.Single());
    }

    [Theory]
    [InlineData("internal", "provider", false, null)]
    [InlineData("internal", "school", false, "schoolId")]
    [InlineData("internal", null, false, "partner")]
    [InlineData("external", null, true, null)]
    [InlineData("external", null, false, "noRelationshipDeclaredOn")]
    public void A_moderator_is_internal_from_a_partner_or_external_and_independent(string kind, string? partner, bool declared, string? error)
    {
        var details = new Iqts.Api.Quality.ModeratorDetails
        {
            Kind = Iqts.Api.Data.EnumText.Parse<Iqts.Api.Quality.ModeratorKind>(kind),
            Name = "M",
            Partner = partner is null ? null : Iqts.Api.Data.EnumText.Parse<Iqts.Api.Quality.ModeratorPartner>(partner),
            Role = kind == "internal" ? "Role" : null,
            Institution = kind == "external" ? "U" : null,
            Expertise = kind == "external" ? "E" : null,
            AppointedOn = kind == "external" ? new DateOnly(2025, 9, 1) : null,
            NoRelationshipDeclaredOn = declared ? new DateOnly(2025, 8, 1) : null,
        };
        var outcome = Iqts.Api.Quality.QualityRules.Moderator(details, school: null, new DateOnly(2026, 3, 16));
        Assert.Equal(error, outcome.Error?.Errors?.Keys.Single());
    }
}
