using Iqts.Api.Placements;

namespace Iqts.Api.Quality;

/// <summary>Pure rules of moderators and evaluations (C3.4, seed 003).</summary>
public static class QualityRules
{
    public const int NameMaxLength = 200;
    public const int FindingsMaxLength = 2000;
    public const int MaxActions = 50;

    /// <summary>The sources that are surveys of people, whose response count is recorded (and never an individual's answers).</summary>
    public static readonly IReadOnlySet<EvaluationSource> SurveySources = new HashSet<EvaluationSource>
    {
        EvaluationSource.Trainees, EvaluationSource.Tutors, EvaluationSource.FormerTrainees, EvaluationSource.Mentors, EvaluationSource.EmployingSchools,
    };

    /// <summary>
    /// A moderator: a name; internal ones their partner (the provider, or one of its schools, <paramref name="school"/>)
    /// and role; external ones their institution, expertise, appointment and declaration of independence; neither the other's fields.
    /// </summary>
    public static Outcome<ModeratorDetails> Moderator(ModeratorDetails details, School? school, DateOnly today)
    {
        var errors = new ValidationErrors();
        errors.RequireText("name", details.Name, NameMaxLength);
        if (errors.Require("kind", details.Kind) && details.Kind == ModeratorKind.Internal)
        {
            if (errors.Require("partner", details.Partner))
            {
                if (details.Partner == ModeratorPartner.School && (details.SchoolId is null || school is null))
                {
                    errors.Add("schoolId", details.SchoolId is null ? "is required for a moderator from a school." : "must be one of the provider's schools.");
                }
                else if (details.Partner == ModeratorPartner.Provider)
                {
                    errors.Forbid("schoolId", details.SchoolId, "a moderator from a school");
                }
            }

            errors.RequireText("role", details.Role, 100);
            foreach (var (field, value) in new (string, object?)[]
                { ("institution", details.Institution), ("expertise", details.Expertise), ("appointedOn", details.AppointedOn), ("noRelationshipDeclaredOn", details.NoRelationshipDeclaredOn) })
            {
                errors.Forbid(field, value, "an external moderator");
            }
        }
        else if (details.Kind == ModeratorKind.External)
        {
            errors.RequireText("institution", details.Institution, NameMaxLength);
            errors.RequireText("expertise", details.Expertise, 500);
            errors.PastDate("appointedOn", details.AppointedOn, today);
            // Seed 003: an external moderator has no relationship with the partnership; the declaration is the evidence.
            errors.PastDate("noRelationshipDeclaredOn", details.NoRelationshipDeclaredOn, today);
            foreach (var (field, value) in new (string, object?)[] { ("partner", details.Partner), ("schoolId", details.SchoolId), ("role", details.Role) })
            {
                errors.Forbid(field, value, "an internal moderator");
            }
        }

        return errors.IsEmpty
            ? details with { Name = details.Name.Trim(), Role = details.Role?.Trim(), Institution = details.Institution?.Trim(), Expertise = details.Expertise?.Trim() }
            : errors.ToError();
    }

    /// <summary>An evaluation: a period that has ended, findings, a response count only for a survey, actions dated within reason.</summary>
    public static Outcome<EvaluationRequest> Evaluation(EvaluationRequest request, DateOnly today)
    {
        var errors = new ValidationErrors();
        errors.Require("source", request.Source);
        errors.Require("periodFrom", request.PeriodFrom);
        if (errors.PastDate("periodTo", request.PeriodTo, today) && request.PeriodTo < request.PeriodFrom)
        {
            errors.Add("periodTo", "must be on or after periodFrom.");
        }

        if (request.Source is { } source && !SurveySources.Contains(source))
        {
            errors.Forbid("responses", request.Responses, "a survey of trainees, tutors, former trainees, mentors or employing schools");
        }
        else if (request.Responses is < 0 or > 100_000)
        {
            errors.Add("responses", "must be a count from 0 to 100,000.");
        }

        errors.RequireText("findings", request.Findings, FindingsMaxLength);
        var actions = request.Actions ?? [];
        if (actions.Count > MaxActions)
        {
            errors.Add("actions", $"must have at most {MaxActions} items.");
        }

        for (var i = 0; i < Math.Min(actions.Count, MaxActions); i++)
        {
            if (!errors.Present($"actions[{i}]", actions[i]))
            {
                continue;
            }

            errors.RequireText($"actions[{i}].action", actions[i].Action, 500);
            errors.PastDate($"actions[{i}].takenOn", actions[i].TakenOn, today);
        }

        return errors.IsEmpty
            ? request with { Findings = request.Findings.Trim(), Actions = actions.Select(a => a with { Action = a.Action.Trim() }).ToList() }
            : errors.ToError();
    }
}
