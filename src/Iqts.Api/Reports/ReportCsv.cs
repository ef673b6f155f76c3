using System.Globalization;
using CsvHelper;

namespace Iqts.Api.Reports;

/// <summary>
/// The reports as CSV (RFC 4180, a header row, UTF-8), for the spreadsheets providers and DfE work in. The monthly report
/// is long ("tidy"): one row per provider, measure and category, so that open-ended lists (countries, languages) need no
/// columns of their own and a pivot table rebuilds any view; its total rows have the UKPRN <c>total</c>. The annual
/// report is one row per provider and a total row. Text that a spreadsheet would run as a formula is escaped.
/// </summary>
public static class ReportCsv
{
    public const string MediaType = "text/csv";

    public const string Total = "total";

    private static readonly CsvWriterOptions Options = new() { Injection = CsvInjection.Escape };

    public static string Monthly(MonthlyReport report)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, Options, leaveOpen: true))
        {
            csv.WriteHeader(["month", "ukprn", "provider", "measure", "category", "value"]);
            void Row(string ukprn, string provider, string measure, string category, string value) =>
                csv.WriteRecord([report.Month, ukprn, provider, measure, category, value]);

            void Figures(string ukprn, string provider, MonthFigures f)
            {
                var s = f.TraineesByStatus;
                foreach (var (status, count) in new[] { ("registered", s.Registered), ("deferred", s.Deferred), ("withdrawn", s.Withdrawn), ("awarded", s.Awarded) })
                {
                    Row(ukprn, provider, "trainees_by_status", status, Number(count));
                }

                Row(ukprn, provider, "on_programme", "", Number(f.OnProgramme));
                Row(ukprn, provider, "starters", "", Number(f.Starters));
                Row(ukprn, provider, "host_countries", "", Number(f.HostCountries.Count));
                Counts(ukprn, provider, "host_country", f.HostCountries.Countries);
                Counts(ukprn, provider, "school_type", f.SchoolTypes);
                Row(ukprn, provider, "awards", "", Number(f.Awards));
                var b = f.Breakdowns;
                Counts(ukprn, provider, "country_of_birth", b.CountryOfBirth);
                Counts(ukprn, provider, "country_of_residence", b.CountryOfResidence);
                Counts(ukprn, provider, "first_language", b.FirstLanguage);
                Counts(ukprn, provider, "teaching_language", b.TeachingLanguage);
                Counts(ukprn, provider, "teaching_experience", b.TeachingExperience);
                Counts(ukprn, provider, "reason_for_iqts", b.ReasonForIqts);
                Counts(ukprn, provider, "highest_qualification_level", b.HighestQualificationLevel);
            }

            void Counts(string ukprn, string provider, string measure, IEnumerable<CodeCount> counts)
            {
                foreach (var c in counts)
                {
                    Row(ukprn, provider, measure, c.Code, Number(c.Count));
                }
            }

            foreach (var p in report.Providers)
            {
                Figures(p.Ukprn, p.Name, p.Figures);
                Row(p.Ukprn, p.Name, "return_status", EnumText.Name(p.Return.Status), "1");
                if (p.Return.Figures is { } r)
                {
                    ReturnFigures(Row, p.Ukprn, p.Name, r.ExpressionsOfInterest!.Value, r.Applications!.Value, r.CandidatesInterviewed!.Value, r.PlacedOnReserveList!.Value,
                        r.OfferedDeferredPlace!.Value, r.OfferedAlternativeCourse!.Value, r.TraineeFeedback!.Responses!.Value, r.TraineeFeedback.PositiveResponses!.Value,
                        p.Return.PositiveFeedbackRate);
                    foreach (var course in r.AlternativeCourses)
                    {
                        Row(p.Ukprn, p.Name, "alternative_course", course, "1");
                    }
                }
            }

            const string all = "All providers";
            Figures(Total, all, report.Totals.Figures);
            Counts(Total, all, "return_status", report.Totals.Returns.ByStatus);
            var t = report.Totals.Returns;
            ReturnFigures(Row, Total, all, t.ExpressionsOfInterest, t.Applications, t.CandidatesInterviewed, t.PlacedOnReserveList, t.OfferedDeferredPlace,
                t.OfferedAlternativeCourse, t.FeedbackResponses, t.PositiveFeedbackResponses, t.PositiveFeedbackRate);
        }

        return text.ToString();
    }

    private static void ReturnFigures(Action<string, string, string, string, string> row, string ukprn, string provider, int expressions, int applications,
        int interviewed, int reserve, int deferred, int alternative, int responses, int positive, decimal? rate)
    {
        row(ukprn, provider, "expressions_of_interest", "", Number(expressions));
        row(ukprn, provider, "applications", "", Number(applications));
        row(ukprn, provider, "candidates_interviewed", "", Number(interviewed));
        row(ukprn, provider, "placed_on_reserve_list", "", Number(reserve));
        row(ukprn, provider, "offered_deferred_place", "", Number(deferred));
        row(ukprn, provider, "offered_alternative_course", "", Number(alternative));
        row(ukprn, provider, "feedback_responses", "", Number(responses));
        row(ukprn, provider, "positive_feedback_responses", "", Number(positive));
        if (rate is { } r)
        {
            row(ukprn, provider, "positive_feedback_rate", "", r.ToString(CultureInfo.InvariantCulture));
        }
    }

    public static string Annual(AnnualReport report)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, Options, leaveOpen: true))
        {
            var year = Number(report.AcademicYear);
            csv.WriteHeader(["academic_year", "ukprn", "provider", "applications", "starters", "awards", "returns_submitted"]);
            foreach (var p in report.Providers)
            {
                csv.WriteRecord([year, p.Ukprn, p.Name, Number(p.Applications), Number(p.Starters), Number(p.Awards), Number(p.ReturnsSubmitted)]);
            }

            var t = report.Totals;
            csv.WriteRecord([year, Total, "All providers", Number(t.Applications), Number(t.Starters), Number(t.Awards), ""]);
        }

        return text.ToString();
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
