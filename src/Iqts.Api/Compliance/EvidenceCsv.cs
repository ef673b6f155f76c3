using System.Globalization;
using CsvHelper;

namespace Iqts.Api.Compliance;

/// <summary>
/// The evidence as CSV, long ("tidy") like the reports: one row per section, item, result and subject (a trainee, a school,
/// a month, a change), so a pivot table rebuilds any view. Text a spreadsheet would run as a formula is escaped.
/// </summary>
public static class EvidenceCsv
{
    private static readonly CsvWriterOptions Options = new() { Injection = CsvInjection.Escape };

    public static string Write(ProviderEvidence e)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, Options, leaveOpen: true))
        {
            csv.WriteHeader(["ukprn", "section", "item", "result", "subject", "detail"]);
            void Row(string section, string item, string result, string subject, string detail) => csv.WriteRecord([e.Ukprn, section, item, result, subject, detail]);
            foreach (var c in e.Criteria)
            {
                var result = EnumText.Name(c.Result);
                c.Met.ToList().ForEach(t => Row("criterion", c.Criterion, "met", t.ToString(), ""));
                c.NotMet.ToList().ForEach(t => Row("criterion", c.Criterion, "not_met", t.ToString(), ""));
                c.EvidenceMissing.ToList().ForEach(t => Row("criterion", c.Criterion, "evidence_missing", t.ToString(), ""));
                c.Reasons.ToList().ForEach(r => Row("criterion_reason", c.Criterion, result, r.Code, r.Trainees.ToString(CultureInfo.InvariantCulture)));
            }

            e.Schools.Ready.ToList().ForEach(s => Row("school", "C3.2", "ready", s.ToString(), ""));
            e.Schools.Gaps.ToList().ForEach(g => Row("school", "C3.2", "gap", g.SchoolId.ToString(), string.Join(' ', g.Missing)));
            e.Schools.Removed.ToList().ForEach(r => Row("school", "C3.2 iii", "removed", r.SchoolId.ToString(), EnumText.NameOrNull(r.Reason) ?? ""));
            e.Awards.ReadyToAward.ToList().ForEach(t => Row("award", "C2.5", "ready", t.ToString(), ""));
            e.Awards.NotReady.ToList().ForEach(u => Row("award", "C2.5", "not_ready", u.TraineeId.ToString(), string.Join(' ', u.Codes)));
            Row("award", "C3.4", "final_assessments_moderated", "", $"{e.Awards.FinalAssessmentsModerated}/{e.Awards.FinalAssessments}");
            e.Returns.ToList().ForEach(r => Row("return", r.Month, EnumText.Name(r.Status), "", ""));
            e.GovernanceChanges.ToList().ForEach(g => Row("governance_change", EnumText.Name(g.Kind), EnumText.NameOrNull(g.DfeResponse?.Response) ?? "awaiting_response",
                g.GovernanceChangeId.ToString(), g.Description));
            var qa = e.QualityAssurance;
            Row("quality", "C3.4", "moderators", "", $"internal {qa.InternalModerators} from {qa.InternalModeratorPartners} partner(s), external {qa.ExternalModerators}");
            Row("quality", "C2.2", "mentors", "", $"{qa.Mentors} recorded, {qa.MentorsAssessedAndTrained} assessed and trained; {qa.MentorMeetings} one-to-one meeting(s)");
            qa.Evaluations.ToList().ForEach(v => Row("quality", "C3.4", EnumText.Name(v.Source), v.EvaluationId.ToString(),
                $"{v.PeriodFrom:yyyy-MM-dd} to {v.PeriodTo:yyyy-MM-dd}; {v.Actions} action(s)"));
            qa.Moderations.ToList().ForEach(m => Row("moderation", "C3.4", EnumText.Name(m.Kind), m.ModerationId.ToString(),
                $"{m.HeldOn:yyyy-MM-dd}; {m.Moderators} moderator(s); {m.Sampled} sampled, {m.AtRisk} at risk; {m.Agreed} agreed, {m.Adjusted} adjusted"
                + (m.AssessmentAccuracy is { } a ? $"; report: {EnumText.Name(a)}" : "") + (m.RespondedOn is { } r ? $"; responded {r:yyyy-MM-dd}" : "")));
            if (e.LastInspection is { } i)
            {
                Row("inspection", i.Term, i.FinalGrade.ToString(CultureInfo.InvariantCulture), i.InspectionId.ToString(),
                    $"action plan: {i.ActionPlan.Done}/{i.ActionPlan.Items} done, {i.ActionPlan.Overdue} overdue");
            }
        }

        return text.ToString();
    }
}
