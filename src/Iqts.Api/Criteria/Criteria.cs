namespace Iqts.Api.Criteria;

/// <summary>
/// The result of one criterion or rule, the one vocabulary of the entry criteria, the placement summary and the award
/// check in code. Each answer spells it in its own contract values (<see cref="CriterionResults"/>): met, not_met, and
/// evidence_missing (eligibility) or incomplete (placements); the award check knows only met and not_met.
/// </summary>
public enum Verdict
{
    Met,
    NotMet,

    /// <summary>Something the criterion rests on is not recorded yet.</summary>
    Incomplete,
}

/// <summary>
/// Why a criterion or rule has its result: a stable code that names the criterion (e.g. <c>C1.3.ielts_below_6_5</c>,
/// <c>C2.4i.fewer_than_120_days</c>) and a sentence. Shared by the eligibility answer, the placement summary and the award check.
/// </summary>
public sealed record Reason(string Code, string Message);

/// <summary>One criterion or rule evaluated: which (C1.3, C2.4 i, status …), its verdict, why, and the ids it rests on.</summary>
public sealed record CriterionCheck(string Criterion, Verdict Verdict, IReadOnlyList<Reason> Reasons, IReadOnlyList<string> Evidence)
{
    public static CriterionCheck Of(string criterion, Verdict verdict, string code, string message, IEnumerable<string> evidence) =>
        new(criterion, verdict, [new Reason(code, message)], evidence.Distinct().ToList());
}

/// <summary>Criteria taken together, the way every answer takes them.</summary>
public sealed record Evaluation(Verdict Verdict, IReadOnlyList<CriterionCheck> Criteria)
{
    /// <summary>Not met when any criterion is not met, incomplete when none is not met but one is incomplete, met when all are.</summary>
    public static Evaluation Of(IReadOnlyList<CriterionCheck> criteria) => new(Overall(criteria.Select(c => c.Verdict)), criteria);

    public static Verdict Overall(IEnumerable<Verdict> verdicts)
    {
        var all = verdicts.ToList();
        return all.Contains(Verdict.NotMet) ? Verdict.NotMet : all.Contains(Verdict.Incomplete) ? Verdict.Incomplete : Verdict.Met;
    }
}

/// <summary>A trainee's overall standing against the entry criteria.</summary>
public enum EligibilityResult
{
    Eligible,
    NotEligible,
    Incomplete,
}

// A criterion's result as the entry criteria spell it (the contract's CriterionResult).
public enum CriterionResult
{
    Met,
    NotMet,
    EvidenceMissing,
}

// A criterion's result as the placement summary spells it (the contract's PlacementResult).
public enum PlacementResult
{
    Met,
    NotMet,
    Incomplete,
}

// A rule's result as the award check spells it (the contract's AwardRuleResult).
public enum AwardRuleResult
{
    Met,
    NotMet,
}

/// <summary>Each answer's spelling of a <see cref="Verdict"/>: the contract keeps its values, the code has one type.</summary>
public static class CriterionResults
{
    public static EligibilityResult Eligibility(Verdict v) => v switch
    {
        Verdict.Met => EligibilityResult.Eligible,
        Verdict.NotMet => EligibilityResult.NotEligible,
        _ => EligibilityResult.Incomplete,
    };

    public static CriterionResult Criterion(Verdict v) => v switch
    {
        Verdict.Met => CriterionResult.Met,
        Verdict.NotMet => CriterionResult.NotMet,
        _ => CriterionResult.EvidenceMissing,
    };

    public static PlacementResult Placement(Verdict v) => v switch
    {
        Verdict.Met => PlacementResult.Met,
        Verdict.NotMet => PlacementResult.NotMet,
        _ => PlacementResult.Incomplete,
    };

    /// <summary>An award rule is met or it is not: anything short of met stops the award.</summary>
    public static AwardRuleResult AwardRule(Verdict v) => v == Verdict.Met ? AwardRuleResult.Met : AwardRuleResult.NotMet;
}
