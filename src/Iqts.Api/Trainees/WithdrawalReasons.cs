namespace Iqts.Api.Trainees;

/// <summary>A reason a trainee withdrew, and what it needs beside it.</summary>
public sealed record WithdrawalReasonInfo(string Code, string Name, WithdrawalTrigger Trigger)
{
    public bool RequiresAnotherReason => Code.EndsWith("another_reason", StringComparison.Ordinal);

    public bool RequiresSafeguardingDetails => Code == WithdrawalReasonCatalogue.SafeguardingConcerns;
}

/// <summary>The withdrawal reasons of DfE's Register (November 2024 list), grouped by who triggered the withdrawal.</summary>
public static class WithdrawalReasonCatalogue
{
    public const string SafeguardingConcerns = "safeguarding_concerns";

    public static readonly IReadOnlyList<WithdrawalReasonInfo> All =
    [
        new("unacceptable_behaviour", "Unacceptable behaviour", WithdrawalTrigger.Provider),
        new("lack_of_progress_during_placements", "Lack of progress during placements", WithdrawalTrigger.Provider),
        new("not_meeting_qts_standards", "Not meeting the Teachers' Standards", WithdrawalTrigger.Provider),
        new("stopped_responding_to_messages", "Stopped responding to messages", WithdrawalTrigger.Provider),
        new("did_not_meet_entry_requirements", "Did not meet entry requirements", WithdrawalTrigger.Provider),
        new("record_added_in_error", "Record added in error", WithdrawalTrigger.Provider),
        new(SafeguardingConcerns, "Safeguarding concerns", WithdrawalTrigger.Provider),
        new("had_to_withdraw_trainee_another_reason", "Provider had to withdraw the trainee for another reason", WithdrawalTrigger.Provider),
        new("change_in_personal_or_health_circumstances", "Change in personal or health circumstances", WithdrawalTrigger.Trainee),
        new("trainee_workload_issues", "Workload issues", WithdrawalTrigger.Trainee),
        new("does_not_want_to_become_a_teacher", "Does not want to become a teacher", WithdrawalTrigger.Trainee),
        new("never_intended_to_obtain_qts", "Never intended to obtain QTS", WithdrawalTrigger.Trainee),
        new("moved_to_different_itt_course", "Moved to a different ITT course", WithdrawalTrigger.Trainee),
        new("financial_problems", "Financial problems", WithdrawalTrigger.Trainee),
        new("got_a_job", "Got a job", WithdrawalTrigger.Trainee),
        new("trainee_chose_to_withdraw_another_reason", "Trainee chose to withdraw for another reason", WithdrawalTrigger.Trainee),
    ];
}
