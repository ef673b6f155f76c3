using System.Text.Json.Nodes;
using Iqts.Api.Placements;
using Iqts.Api.Reports;
using Iqts.Api.Tests.Infrastructure;
using Iqts.Api.Tests.Reports;
using Iqts.Api.Trainees;

namespace Iqts.Api.Tests.Rules;

/// <summary>DfE's management information as pure rules: months, the deadline in UK time, a return's figures, statuses at a month's end, the sums.</summary>
public sealed class ReportRulesTests
{
    private static readonly DateOnly Today = new(2026, 3, 16);

    [Theory]
    [InlineData("2026-02", "2026-02-01")]
    [InlineData("2021-01", "2021-01-01")]
    [InlineData("2026-03", "2026-03-01")]
    public void A_month_is_YYYY_MM_from_2021_up_to_the_current_one(string text, string first) =>
        Assert.Equal(DateOnly.Parse(first, System.Globalization.CultureInfo.InvariantCulture), ReportRules.Month(text, "month", Today).Value);

    [Theory]
    [InlineData(null, "must be a month: YYYY-MM.")]
    [InlineData("", "must be a month: YYYY-MM.")]
    [InlineData("2026-2", "must be a month: YYYY-MM.")]
    [InlineData("2026-13", "must be a month: YYYY-MM.")]
    [InlineData("2026-02-01", "must be a month: YYYY-MM.")]
    [InlineData("２０２６-02", "must be a month: YYYY-MM.")]
    [InlineData("2020-12", "must be 2021-01 or later.")]
    [InlineData("2026-04", "must not be a month still to come.")]
    public void Anything_else_is_refused_naming_the_field(string? text, string message)
    {
        var outcome = ReportRules.Month(text, "month", Today);
        Assert.True(outcome.Failed);
        Assert.Equal([message], outcome.Error!.Errors!["month"]);
    }

    /// <summary>Due by the 15th of the following month, read in the UK: GMT in winter, BST (UTC+1) in summer.</summary>
    [Theory]
    [InlineData("2026-01-01", "2026-02-15T23:59:59Z", ReturnStatus.OnTime)]
    [InlineData("2026-01-01", "2026-02-16T00:00:00Z", ReturnStatus.Late)]
    [InlineData("2026-03-01", "2026-04-15T22:59:59Z", ReturnStatus.OnTime)]
    [InlineData("2026-03-01", "2026-04-15T23:00:00Z", ReturnStatus.Late)]
    [InlineData("2026-03-01", "2026-03-20T10:00:00Z", ReturnStatus.OnTime)]
    public void A_return_is_on_time_until_the_end_of_the_15th_of_the_next_month_uk_time(string month, string submittedAt, ReturnStatus status) =>
        Assert.Equal(status, ReportRules.Status(DateOnly.Parse(month, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(submittedAt, System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.Parse("2026-12-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("2026-02-15T23:59:59Z", ReturnStatus.NotDue)]
    [InlineData("2026-02-16T00:00:00Z", ReturnStatus.Overdue)]
    public void A_missing_return_is_overdue_once_its_deadline_has_passed(string now, ReturnStatus status) =>
        Assert.Equal(status, ReportRules.Status(new DateOnly(2026, 1, 1), null, DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture)));

    private static MonthlyReturnDetails Return(Action<JsonObject>? change = null)
    {
        var body = JsonNode.Parse(ReportTests.ReturnBody(40, 12))!.AsObject();
        change?.Invoke(body);
        return body.As<MonthlyReturnDetails>();
    }

    [Theory]
    [InlineData("applications", -1, "must be a whole number from 0 to 1,000,000.")]
    [InlineData("applications", 1_000_001, "must be a whole number from 0 to 1,000,000.")]
    [InlineData("traineeFeedback.positiveResponses", 11, "must be no more than responses.")]
    [InlineData("offeredAlternativeCourse", 1, "must name the alternative courses offered (offeredAlternativeCourse is above 0).")]
    public void A_return_with_a_figure_out_of_bounds_is_refused(string field, int value, string message)
    {
        var details = Return(b =>
        {
            if (field.Contains('.', StringComparison.Ordinal))
            {
                b["traineeFeedback"]![field.Split('.')[1]] = value;
            }
            else
            {
                b[field] = value;
            }
        });
        var errors = ReportRules.Return(details).Error!.Errors!;
        var key = field == "offeredAlternativeCourse" ? "alternativeCourses" : field;
        Assert.Equal([message], errors[key]);
    }

    [Fact]
    public void A_valid_return_is_trimmed_and_an_empty_note_is_none()
    {
        var valid = ReportRules.Return(Return(b =>
        {
            b["offeredAlternativeCourse"] = 1;
            b["alternativeCourses"] = new JsonArray("  PGCE International ");
            b["courseDevelopment"] = "   ";
        })).Value;
        Assert.Equal(["PGCE International"], valid.AlternativeCourses);
        Assert.Null(valid.CourseDevelopment);
    }

    private static StatusChange Change(TraineeStatus status, string on, long seq) => new(Guid.Empty, status, DateOnly.Parse(on, System.Globalization.CultureInfo.InvariantCulture), seq);

    [Theory]
    [InlineData("2025-11-30", TraineeStatus.Registered)]
    [InlineData("2025-12-01", TraineeStatus.Deferred)]
    [InlineData("2026-03-01", TraineeStatus.Deferred)]
    [InlineData("2026-03-02", TraineeStatus.Registered)]
    [InlineData("2026-05-31", TraineeStatus.Withdrawn)]
    public void A_trainees_status_on_a_date_is_the_last_change_that_had_taken_effect(string date, TraineeStatus status)
    {
        // Deferred on 1 December, reinstated on 2 March; on 31 May deferred and withdrawn the same day, the withdrawal recorded last.
        StatusChange[] changes = [Change(TraineeStatus.Registered, "2026-03-02", 5), Change(TraineeStatus.Deferred, "2025-12-01", 2),
            Change(TraineeStatus.Withdrawn, "2026-05-31", 9), Change(TraineeStatus.Deferred, "2026-05-31", 8)];
        Assert.Equal(status, ReportRules.StatusOn(changes, DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData(null, "not_recorded")]
    [InlineData(0, "under_2_years")]
    [InlineData(1, "under_2_years")]
    [InlineData(2, "2_to_4_years")]
    [InlineData(9, "5_to_9_years")]
    [InlineData(10, "10_to_19_years")]
    [InlineData(20, "20_years_or_more")]
    [InlineData(45, "20_years_or_more")]
    public void Years_of_experience_fall_in_one_band(int? years, string band) => Assert.Equal(band, ReportRules.ExperienceBandOf(years));

    [Theory]
    [InlineData("2025", 2025)]
    [InlineData("2021", 2021)]
    public void An_academic_year_is_the_year_it_starts_in(string text, int year) => Assert.Equal(year, ReportRules.AcademicYear(text, Today).Value);

    [Theory]
    [InlineData(null)]
    [InlineData("25")]
    [InlineData("2020")]
    [InlineData("2026")]
    [InlineData("+202")]
    public void Another_academic_year_is_refused(string? text) => Assert.True(ReportRules.AcademicYear(text, Today).Failed);

    private static TraineeFacts Trainee(string ukprn, string start, string country = "IN", int? years = 4) =>
        new(Guid.NewGuid(), ukprn, DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture), country, "IN", null, "hi", "en", years, "career_progression", null);

    [Fact]
    public void The_monthly_report_counts_by_status_at_the_month_end_and_breaks_down_only_those_on_the_programme()
    {
        var registered = Trainee("10000001", "2025-09-01");
        var deferred = Trainee("10000001", "2025-09-01", "AE");
        var withdrawn = Trainee("10000001", "2025-09-01", "QA", years: 30);
        var starter = Trainee("10000002", "2026-02-10", years: null);
        var report = ReportRules.Monthly(new DateOnly(2026, 2, 1), [("10000001", "A"), ("10000002", "B")], [registered, deferred, withdrawn, starter],
            [new(deferred.TraineeId, TraineeStatus.Deferred, new DateOnly(2026, 2, 28), 1), new(withdrawn.TraineeId, TraineeStatus.Withdrawn, new DateOnly(2026, 1, 5), 2)],
            [new(registered.TraineeId, SchoolType.BritishInternational), new(registered.TraineeId, SchoolType.BritishInternational), new(withdrawn.TraineeId, SchoolType.LocalState)],
            new Dictionary<string, int> { ["10000001"] = 2 },
            new Dictionary<string, MonthlyReturn>(),
            DateTimeOffset.Parse("2026-03-16T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

        var a = report.Providers[0].Figures;
        Assert.Equal(new StatusCounts(1, 1, 1, 0), a.TraineesByStatus);
        Assert.Equal((2, 0, 2), (a.OnProgramme, a.Starters, a.Awards));
        Assert.Equal([new("AE", 1), new("IN", 1)], a.HostCountries.Countries);
        // A trainee counts once per school type however many placements it has there; the withdrawn trainee not at all.
        Assert.Equal(1, a.SchoolTypes.Single(t => t.Code == "british_international").Count);
        Assert.Equal(0, a.SchoolTypes.Single(t => t.Code == "local_state").Count);
        Assert.Equal([new("2_to_4_years", 2)], a.Breakdowns.TeachingExperience);
        Assert.Equal([new("not_recorded", 2)], a.Breakdowns.CountryOfResidence);
        Assert.Equal(ReturnStatus.Overdue, report.Providers[0].Return.Status);

        var b = report.Providers[1].Figures;
        Assert.Equal((1, 1), (b.Starters, b.OnProgramme));
        Assert.Equal([new("not_recorded", 1)], b.Breakdowns.TeachingExperience);

        Assert.Equal(new StatusCounts(2, 1, 1, 0), report.Totals.Figures.TraineesByStatus);
        Assert.Equal((2, 2, 1), (report.Totals.Providers, report.Totals.Figures.HostCountries.Count, report.Totals.Figures.Starters));
        Assert.Equal(2, report.Totals.Returns.ByStatus.Single(s => s.Code == "overdue").Count);
        Assert.Null(report.Totals.Returns.PositiveFeedbackRate);
    }

    [Fact]
    public void The_annual_report_adds_up_per_provider_and_in_total()
    {
        var report = ReportRules.Annual(2025, [("10000001", "A"), ("10000002", "B")],
            new Dictionary<string, (int, int)> { ["10000001"] = (19, 2) },
            new Dictionary<string, int> { ["10000001"] = 7, ["10000002"] = 2 },
            new Dictionary<string, int> { ["10000002"] = 1 },
            DateTimeOffset.UnixEpoch);
        Assert.Equal((new DateOnly(2025, 8, 1), new DateOnly(2026, 7, 31)), (report.From, report.To));
        Assert.Equal([new("10000001", "A", 19, 7, 0, 2), new("10000002", "B", 0, 2, 1, 0)], report.Providers);
        Assert.Equal(new YearTotals(2, 19, 9, 1), report.Totals);
    }
}
